#include "host/model/results.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "host/text/format.h"

namespace polyhost {
namespace {

constexpr RunStatus kStatuses[] = {RunStatus::Ok,      RunStatus::Error,       RunStatus::Mismatch,
                                   RunStatus::Invalid, RunStatus::Timeout,     RunStatus::OutOfMemory,
                                   RunStatus::StackOverflow, RunStatus::Crash, RunStatus::Skipped,
                                   RunStatus::Interrupted};

}  // namespace

const char* status_name(RunStatus status) {
  switch (status) {
    case RunStatus::Ok: return "ok";
    case RunStatus::Error: return "error";
    case RunStatus::Mismatch: return "mismatch";
    case RunStatus::Invalid: return "invalid";
    case RunStatus::Timeout: return "timeout";
    case RunStatus::OutOfMemory: return "out-of-memory";
    case RunStatus::StackOverflow: return "stack-overflow";
    case RunStatus::Crash: return "crash";
    case RunStatus::Skipped: return "skipped";
    case RunStatus::Interrupted: return "interrupted";
  }
  return "unknown";
}

std::optional<RunStatus> parse_status(const std::string& name) {
  for (RunStatus status : kStatuses) {
    if (name == status_name(status)) return status;
  }
  return std::nullopt;
}

RunStatus read_status(const JsonNode& node) {
  const auto status = parse_status(node.string());
  if (!status) node.expected("a run status (ok, error, mismatch, ...)");
  return *status;
}

std::vector<double> Run::all_samples_ns() const {
  std::vector<double> flat;
  for (const auto& process : samples_ns) flat.insert(flat.end(), process.begin(), process.end());
  return flat;
}

void Run::derive_summary() {
  if (summary) return;
  if (std::all_of(samples_ns.begin(), samples_ns.end(), [](const std::vector<double>& p) { return p.empty(); })) return;
  summary = stats::summarize_grouped(samples_ns);
}

std::vector<double> Run::series_ns(std::size_t process) const {
  std::vector<double> series = process < warmup_ns.size() ? warmup_ns[process] : std::vector<double>{};
  if (process < samples_ns.size()) series.insert(series.end(), samples_ns[process].begin(), samples_ns[process].end());
  return series;
}

std::vector<double> Run::cold_ns() const {
  std::vector<double> cold;
  for (std::size_t p = 0; p < samples_ns.size(); ++p) {
    const std::vector<double> series = series_ns(p);
    if (!series.empty()) cold.push_back(series.front());
  }
  return cold;
}

std::optional<double> Run::warmup_iterations() const {
  std::vector<double> counts;
  for (const auto& from : steady_from) {
    if (from) counts.push_back(static_cast<double>(*from));
  }
  if (counts.empty()) return std::nullopt;
  return stats::median(counts);
}

std::optional<double> Run::warmup_seconds() const {
  std::vector<double> seconds;
  for (std::size_t p = 0; p < steady_from.size(); ++p) {
    if (!steady_from[p]) continue;
    const std::vector<double> series = series_ns(p);
    double ns = 0;
    for (std::size_t i = 0; i < *steady_from[p] && i < series.size(); ++i) ns += series[i];
    seconds.push_back(ns / 1e9);
  }
  if (seconds.empty()) return std::nullopt;
  return stats::median(seconds);
}

std::vector<double> Run::memory_values(std::optional<double> MemoryReading::*field) const {
  std::vector<double> values;
  for (const auto& m : memory) {
    if (m.*field) values.push_back(*(m.*field));
  }
  return values;
}

std::optional<double> Run::median_memory(std::optional<double> MemoryReading::*field) const {
  const std::vector<double> values = memory_values(field);
  if (values.empty()) return std::nullopt;
  return stats::median(values);
}

Json memory_to_json(const MemoryReading& m) {
  return Json{{"peak_rss_bytes", json_optional_number(m.peak_rss)},
              {"rss_after_setup_bytes", json_optional_number(m.rss_after_setup)},
              {"heap_after_setup_bytes", json_optional_number(m.heap_after_setup)},
              {"heap_total_after_setup_bytes", json_optional_number(m.heap_total_after_setup)},
              {"heap_peak_bytes", json_optional_number(m.heap_peak)},
              {"heap_measure", m.heap_measure}};
}

MemoryReading memory_from_json(const JsonNode& node) {
  MemoryReading m;
  auto number = [&](const char* key) {
    const JsonNode field = node.at(key);
    const std::optional<double> bytes = field.number_or_null();
    if (bytes && !(*bytes > 0 && std::trunc(*bytes) == *bytes)) {
      field.fail("expected a positive whole number of bytes (or null), found " + field.json().dump());
    }
    return bytes;
  };
  m.peak_rss = number("peak_rss_bytes");
  m.rss_after_setup = number("rss_after_setup_bytes");
  m.heap_after_setup = number("heap_after_setup_bytes");
  m.heap_total_after_setup = number("heap_total_after_setup_bytes");
  m.heap_peak = number("heap_peak_bytes");
  m.heap_measure = node.at("heap_measure").string();
  return m;
}

void add_run_idle_memory(Json& run_json, const Run& run) {
  if (run.idle_memory) run_json["idle_memory"] = memory_to_json(*run.idle_memory);
}

std::optional<MemoryReading> read_run_idle_memory(const JsonNode& run_node) {
  if (auto idle = run_node.find_non_null("idle_memory")) return memory_from_json(*idle);
  return std::nullopt;
}

int Run::unsteady_processes() const {
  return static_cast<int>(std::count_if(steady_from.begin(), steady_from.end(), [](const auto& f) { return !f; }));
}

std::vector<std::size_t> Run::too_short_to_tell() const {
  std::vector<std::size_t> out;
  for (std::size_t p = 0; p < steady_from.size() && p < warmup_by_process.size(); ++p) {
    if (!steady_from[p] && warmup_by_process[p].kind == warmup::Kind::TooShort) out.push_back(p);
  }
  return out;
}

std::string warmup_policy_text(const WarmupPolicy& w) {
  if (!w.automatic) return std::to_string(w.fixed_iterations) + " warm-up";
  return "warm-up until steady: " + std::to_string(w.window) + " steady iterations lasting " +
         text::format_plain_number(w.min_steady_seconds) + " s, at most " +
         std::to_string(w.max_iterations) + " iterations or " + text::format_plain_number(w.max_seconds) + " s";
}

std::string processes_text(const Settings& s) {
  std::string text = std::to_string(s.processes) + (s.processes == 1 ? " process" : " processes");
  if (s.most_processes() > s.processes) text += " (up to " + std::to_string(s.most_processes()) + " where they disagree)";
  return text;
}

std::string measured_text(const Settings& s) {
  std::string text = text::counted(s.iterations, "measured iteration", "measured iterations");
  if (s.min_measure_seconds > 0) {
    text += " or more: as many as last " + text::format_plain_number(s.min_measure_seconds) +
            " s in a run's first process, and as many in its others";
  }
  return text;
}

std::string runs_with_extra_processes(const Results& results) {
  std::vector<std::string> runs;
  for (const Run& run : results.runs) {
    if (run.processes > results.settings.processes) {
      runs.push_back(run.workload + " [" + run.config + "] " + std::to_string(run.processes));
    }
  }
  return text::comma_listed(runs);
}

std::string measurement_difference(const Settings& a, const Settings& b) {
  std::string out;
  const auto add = [&](const std::string& part) { out += (out.empty() ? "" : "; ") + part; };
  if (a.processes != b.processes || a.most_processes() != b.most_processes()) {
    const auto count = [](const Settings& s) {
      return std::to_string(s.processes) + (s.most_processes() > s.processes ? " up to " + std::to_string(s.most_processes()) : "");
    };
    add("processes " + count(a) + " vs " + count(b));
  }
  const WarmupPolicy &wa = a.warmup, &wb = b.warmup;
  if (wa.automatic != wb.automatic || wa.fixed_iterations != wb.fixed_iterations || wa.window != wb.window ||
      wa.max_iterations != wb.max_iterations || wa.max_seconds != wb.max_seconds ||
      wa.min_steady_seconds != wb.min_steady_seconds) {
    add(warmup_policy_text(wa) + " vs " + warmup_policy_text(wb));  // each says "warm-up"
  }
  if (a.min_measure_seconds != b.min_measure_seconds) {
    add(measured_text(a) + " vs " + measured_text(b));
  } else if (a.iterations != b.iterations) {
    add("iterations " + std::to_string(a.iterations) + " vs " + std::to_string(b.iterations));
  }
  return out;
}

const ConfigSetup* Results::setup_of(const std::string& config) const {
  auto it = std::find_if(config_setups.begin(), config_setups.end(), [&](const ConfigSetup& s) { return s.name == config; });
  return it == config_setups.end() ? nullptr : &*it;
}

const MemoryReading* Results::idle_memory_of(const Run& run) const {
  if (run.idle_memory) return &*run.idle_memory;
  const std::vector<ConfigSetup>& setups = run.machine && *run.machine < machines.size() ? machines[*run.machine].config_setups
                                                                                         : config_setups;
  for (const ConfigSetup& setup : setups) {
    if (setup.name == run.config) return setup.idle_memory ? &*setup.idle_memory : nullptr;
  }
  return nullptr;
}

ConfigSetup& Results::setup_for(const std::string& config) {
  for (auto& setup : config_setups) {
    if (setup.name == config) return setup;
  }
  config_setups.push_back({config, "", {}, std::nullopt, std::nullopt, 0});
  return config_setups.back();
}

}  // namespace polyhost
