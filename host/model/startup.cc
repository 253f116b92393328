#include "host/model/startup.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <nlohmann/json.hpp>

namespace polyhost {
namespace {

constexpr const char* kStartupMethod =
    "every sample comes from a fresh process; median over the processes with a 95% distribution-free CI of the "
    "median (order statistics). In-process steps: steady clock around each step, resident memory (VmRSS) after it. "
    "Whole programs: wall time from posix_spawn to wait4 in a small helper, peak resident memory from wait4's "
    "ru_maxrss. Differences: median minus median with a 95% percentile-bootstrap CI. A figure from fewer than 6 "
    "processes (a run interrupted or ended short) has no 95% CI: its ci95 is null and range holds the lowest and "
    "highest process; a difference with fewer than 6 processes on a side has ci95_ns null and interval_ns its "
    "bootstrap interval, which is not a 95% CI";

const char* kStatusNames[] = {"ok", "error", "skipped", "interrupted", "timeout", "out-of-memory", "invalid"};
constexpr int kStatuses = static_cast<int>(std::size(kStatusNames));

Json figure_json(const StartupFigure& f) {
  if (!f.summary) return Json{{"median", nullptr}, {"ci95", nullptr}, {"samples", Json::array()}};
  const Json interval = json_interval(f.interval().low, f.interval().high);
  if (!f.has_ci95()) {
    return Json{{"median", json_number(f.summary->median)}, {"ci95", nullptr}, {"range", interval},
                {"samples", json_numbers(f.samples)}};
  }
  return Json{{"median", json_number(f.summary->median)}, {"ci95", interval}, {"samples", json_numbers(f.samples)}};
}

// FIGURE's stored interval: "range" (fewer samples than a 95% CI needs: ci95 null) or "ci95" (which
// files written before "range" also hold for fewer samples), checked against the samples.
void check_figure_interval(const JsonNode& node, const StartupFigure& f) {
  if (auto range = node.find_non_null("range")) {
    if (f.has_ci95()) range->fail("a range is written only for fewer than " + std::to_string(stats::kFewestForMedianCi) +
                                  " samples; " + std::to_string(f.samples.size()) + " give a 95% CI (ci95)");
    if (!node.at("ci95").is_null()) node.at("ci95").fail("expected null beside a range");
    const auto [low, high] = range->interval();
    if (low != f.summary->min || high != f.summary->max) range->fail("differs from the lowest and highest sample");
    return;
  }
  const auto [low, high] = node.at("ci95").interval();
  if (low != f.summary->ci95_median.low || high != f.summary->ci95_median.high) {
    node.at("ci95").fail("differs from the 95% CI of the samples' median");
  }
}

// A figure, checked against its own samples: the summary is re-derived, and a stored median or CI
// that is not what the samples give marks the file as damaged. NEGATIVE_ALLOWED for differences
// (memory added by an instance can be negative when the allocator gives pages back).
StartupFigure read_figure(const JsonNode& node, bool negative_allowed = false) {
  std::vector<double> samples;
  for (const auto& s : node.at("samples").elements()) {
    const double v = s.number();
    if (!std::isfinite(v) || (!negative_allowed && v < 0)) s.fail(negative_allowed ? "expected a finite number" : "expected a number >= 0");
    samples.push_back(v);
  }
  StartupFigure f = StartupFigure::of(std::move(samples));
  if (!f.summary) {
    if (!node.at("median").is_null()) node.at("median").fail("expected null: there are no samples");
    return f;
  }
  if (node.at("median").number() != f.summary->median) node.at("median").fail("differs from the median of the samples");
  check_figure_interval(node, f);
  return f;
}

Json outcome_json(const StartupOutcome& o, Json item) {
  item["status"] = startup_status_name(o.status);
  if (o.status != StartupStatus::Ok) item["message"] = o.message;
  return item;
}

void read_outcome(const JsonNode& node, StartupOutcome& o) {
  const JsonNode status = node.at("status");
  const std::string name = status.string();
  bool known = false;
  for (int i = 0; i < kStatuses; ++i) {
    if (name == kStatusNames[i]) {
      o.status = static_cast<StartupStatus>(i);
      known = true;
    }
  }
  if (!known) {
    std::string names;
    for (int i = 0; i < kStatuses; ++i) names += std::string(i ? (i + 1 == kStatuses ? " or " : ", ") : "") + "\"" + kStatusNames[i] + "\"";
    status.fail("expected " + names + ", found " + status.json().dump());
  }
  if (o.status != StartupStatus::Ok) o.message = node.at("message").string();
}

// Rows of one kind must not repeat their key.
void check_unique(std::set<std::string>& seen, const std::string& key, const JsonNode& node, const std::string& what) {
  if (!seen.insert(key).second) node.fail("a second entry for " + what);
}

}  // namespace

StartupFigure StartupFigure::of(std::vector<double> samples) {
  StartupFigure f;
  f.samples = std::move(samples);
  if (!f.samples.empty()) f.summary = stats::summarize(f.samples);
  return f;
}

const char* startup_status_name(StartupStatus status) { return kStatusNames[static_cast<int>(status)]; }

const StartupProcess* StartupReport::find_process(const std::string& name) const {
  for (const auto& p : processes) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::vector<std::string> StartupReport::problems() const {
  std::vector<std::string> out;
  auto add = [&](const StartupOutcome& o, const std::string& who) {
    if (o.status == StartupStatus::Ok || o.status == StartupStatus::Skipped) return;
    out.push_back(who + ": " + startup_status_name(o.status) + ": " + o.message);
  };
  for (const auto& p : phases) add(p, p.engine + " " + p.phase);
  for (const auto& i : instances) add(i, i.engine + " further instances");
  for (const auto& p : processes) add(p, p.name);
  for (const auto& f : first_results) add(f, f.workload + " [" + f.config + "]");
  return out;
}

std::vector<std::string> StartupReport::skipped() const {
  std::vector<std::string> out;
  for (const auto& p : processes) {
    if (p.status == StartupStatus::Skipped) out.push_back(p.name + ": " + p.message);
  }
  return out;
}

void estimate_difference(const StartupReport& report, StartupDifference& d) {
  d.estimate.reset();
  d.has_ci95 = false;
  const StartupProcess* a = report.find_process(d.minuend);
  const StartupProcess* b = report.find_process(d.subtrahend);
  if (!a || !b || a->time_ns.samples.empty() || b->time_ns.samples.empty()) return;
  d.estimate = stats::difference_of_medians(a->time_ns.samples, b->time_ns.samples);
  d.has_ci95 = a->time_ns.has_ci95() && b->time_ns.has_ci95();
}

bool has_figures_without_ci95(const StartupReport& r) {
  bool found = false;
  auto check = [&found](const StartupFigure& f) { found = found || (f.summary && !f.has_ci95()); };
  for (const auto& p : r.phases) {
    check(p.time_ns);
    check(p.rss_after_bytes);
  }
  for (const auto& i : r.instances) {
    check(i.mean_time_ns);
    check(i.mean_rss_added_bytes);
    for (const auto& s : i.steps) {
      check(s.time_ns);
      check(s.rss_added_bytes);
      check(s.rss_after_bytes);
    }
  }
  for (const auto& p : r.processes) {
    check(p.time_ns);
    check(p.peak_rss_bytes);
  }
  for (const auto& f : r.first_results) {
    for (const auto* figure : {&f.start_ns, &f.engine_ns, &f.load_ns, &f.setup_ns, &f.run_ns, &f.total_ns,
                               &f.rss_after_bytes, &f.peak_rss_bytes}) {
      check(*figure);
    }
  }
  return found;
}

bool has_differences_without_ci95(const StartupReport& r) {
  return std::any_of(r.differences.begin(), r.differences.end(),
                     [](const StartupDifference& d) { return d.estimate && !d.has_ci95; });
}

void write_startup_json(const StartupReport& r, std::ostream& out) {
  Json phases = Json::array();
  for (const auto& p : r.phases) {
    phases.push_back(outcome_json(p, {{"engine", p.engine}, {"phase", p.phase}, {"description", p.description},
                                      {"time_ns", figure_json(p.time_ns)}, {"rss_after_bytes", figure_json(p.rss_after_bytes)}}));
  }
  Json instances = Json::array();
  for (const auto& i : r.instances) {
    Json steps = Json::array();
    for (const auto& s : i.steps) {
      steps.push_back({{"index", s.index}, {"time_ns", figure_json(s.time_ns)}, {"rss_added_bytes", figure_json(s.rss_added_bytes)},
                       {"rss_after_bytes", figure_json(s.rss_after_bytes)}});
    }
    instances.push_back(outcome_json(i, {{"engine", i.engine}, {"description", i.description}, {"count", i.count},
                                         {"mean_time_ns", figure_json(i.mean_time_ns)},
                                         {"mean_rss_added_bytes", figure_json(i.mean_rss_added_bytes)}, {"steps", steps}}));
  }
  Json processes = Json::array();
  for (const auto& p : r.processes) {
    processes.push_back(outcome_json(p, {{"name", p.name}, {"description", p.description}, {"argv", p.argv},
                                         {"time_ns", figure_json(p.time_ns)}, {"peak_rss_bytes", figure_json(p.peak_rss_bytes)}}));
  }
  Json differences = Json::array();
  for (const auto& d : r.differences) {
    Json item{{"name", d.name}, {"description", d.description}, {"minuend", d.minuend}, {"subtrahend", d.subtrahend}};
    item["median_ns"] = d.estimate ? json_number(d.estimate->difference) : Json(nullptr);
    const Json interval = d.estimate ? json_interval(d.estimate->ci95.low, d.estimate->ci95.high) : Json(nullptr);
    item["ci95_ns"] = d.has_ci95 ? interval : Json(nullptr);
    if (d.estimate && !d.has_ci95) item["interval_ns"] = interval;
    differences.push_back(std::move(item));
  }
  Json first = Json::array();
  for (const auto& f : r.first_results) {
    first.push_back(outcome_json(f, {{"workload", f.workload}, {"config", f.config}, {"engine", f.engine}, {"size", f.size},
                                     {"has_setup", f.has_setup}, {"start_ns", figure_json(f.start_ns)},
                                     {"engine_ns", figure_json(f.engine_ns)},
                                     {"load_ns", figure_json(f.load_ns)}, {"setup_ns", figure_json(f.setup_ns)},
                                     {"run_ns", figure_json(f.run_ns)}, {"total_ns", figure_json(f.total_ns)},
                                     {"rss_after_bytes", figure_json(f.rss_after_bytes)},
                                     {"peak_rss_bytes", figure_json(f.peak_rss_bytes)}}));
  }
  const StartupSettings& s = r.settings;
  Json doc{{"schema", kStartupSchema},
           {"environment", environment_to_json(r.environment)},
           {"settings", {{"quick", s.quick}, {"processes", s.processes}, {"first_result_processes", s.first_result_processes},
                         {"instances", s.instances}, {"size_name", s.size_name}, {"configs", s.configs},
                         {"wall_seconds", json_number(s.wall_seconds)}, {"max_heap_mb", s.max_heap_mb},
                         {"method", kStartupMethod}}},
           {"phases", phases},
           {"instances", instances},
           {"processes", processes},
           {"differences", differences},
           {"first_results", first}};
  out << doc.dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
}

StartupReport read_startup_json(const Json& document, const std::string& file) {
  const JsonNode root(document, file);
  if (!document.is_object() || !document.contains("schema") || document["schema"] != kStartupSchema) {
    throw FileFormatError(file + ": not a polyhost startup file (expected \"schema\": \"" + kStartupSchema + "\")");
  }
  StartupReport r;
  if (auto env = root.find_non_null("environment")) r.environment = environment_from_json(*env);
  const JsonNode s = root.at("settings");
  r.settings.quick = s.at("quick").boolean();
  r.settings.processes = s.at("processes").count(0);
  r.settings.first_result_processes = s.at("first_result_processes").count(0);
  r.settings.instances = s.at("instances").count(0);
  r.settings.size_name = s.at("size_name").string();
  r.settings.configs = s.at("configs").strings();
  r.settings.wall_seconds = s.at("wall_seconds").number();
  if (auto v = s.find_non_null("max_heap_mb")) r.settings.max_heap_mb = static_cast<std::size_t>(v->count(0));

  std::set<std::string> seen;
  for (const auto& p : root.at("phases").elements()) {
    StartupPhase phase;
    read_outcome(p, phase);
    phase.engine = p.at("engine").string();
    phase.phase = p.at("phase").string();
    phase.description = p.at("description").string();
    phase.time_ns = read_figure(p.at("time_ns"));
    phase.rss_after_bytes = read_figure(p.at("rss_after_bytes"));
    check_unique(seen, phase.engine + "\n" + phase.phase, p, "phase \"" + phase.phase + "\" of " + phase.engine);
    r.phases.push_back(std::move(phase));
  }
  seen.clear();
  for (const auto& i : root.at("instances").elements()) {
    StartupInstances group;
    read_outcome(i, group);
    group.engine = i.at("engine").string();
    group.description = i.at("description").string();
    group.count = i.at("count").count(0);
    group.mean_time_ns = read_figure(i.at("mean_time_ns"));
    group.mean_rss_added_bytes = read_figure(i.at("mean_rss_added_bytes"), true);
    int expected_index = 2;
    for (const auto& st : i.at("steps").elements()) {
      StartupInstanceStep step;
      step.index = st.at("index").count(0);
      if (step.index != expected_index) st.at("index").fail("expected " + std::to_string(expected_index) + " (steps count up from 2)");
      ++expected_index;
      step.time_ns = read_figure(st.at("time_ns"));
      step.rss_added_bytes = read_figure(st.at("rss_added_bytes"), true);
      step.rss_after_bytes = read_figure(st.at("rss_after_bytes"));
      group.steps.push_back(std::move(step));
    }
    if (group.steps.size() + 1 > static_cast<std::size_t>(std::max(group.count, 1))) {
      i.at("count").fail("is smaller than the steps listed");
    }
    check_unique(seen, group.engine, i, "engine " + group.engine);
    r.instances.push_back(std::move(group));
  }
  seen.clear();
  for (const auto& p : root.at("processes").elements()) {
    StartupProcess process;
    read_outcome(p, process);
    process.name = p.at("name").string();
    process.description = p.at("description").string();
    process.argv = p.at("argv").strings();
    process.time_ns = read_figure(p.at("time_ns"));
    process.peak_rss_bytes = read_figure(p.at("peak_rss_bytes"));
    check_unique(seen, process.name, p, "\"" + process.name + "\"");
    r.processes.push_back(std::move(process));
  }
  for (const auto& d : root.at("differences").elements()) {
    StartupDifference difference;
    difference.name = d.at("name").string();
    difference.description = d.at("description").string();
    difference.minuend = d.at("minuend").string();
    difference.subtrahend = d.at("subtrahend").string();
    for (const auto* side : {&difference.minuend, &difference.subtrahend}) {
      if (!r.find_process(*side)) d.fail("names \"" + *side + "\", which is not among the processes");
    }
    // Re-derived from the processes' samples, like every other figure.
    estimate_difference(r, difference);
    const JsonNode median = d.at("median_ns");
    if (!difference.estimate) {
      if (!median.is_null()) median.fail("expected null: a side has no samples");
    } else {
      // Files written before "interval_ns" hold a difference from fewer processes in ci95_ns.
      const auto interval = d.find_non_null("interval_ns");
      if (interval && difference.has_ci95) {
        interval->fail("an interval that is not a 95% CI is written only when a side has fewer than " +
                       std::to_string(stats::kFewestForMedianCi) + " samples; expected ci95_ns");
      }
      if (interval && !d.at("ci95_ns").is_null()) d.at("ci95_ns").fail("expected null beside interval_ns");
      const auto [low, high] = interval ? interval->interval() : d.at("ci95_ns").interval();
      if (median.number() != difference.estimate->difference || low != difference.estimate->ci95.low ||
          high != difference.estimate->ci95.high) {
        median.fail("differs from what the two processes' samples give");
      }
    }
    r.differences.push_back(std::move(difference));
  }
  seen.clear();
  for (const auto& f : root.at("first_results").elements()) {
    StartupFirstResult row;
    read_outcome(f, row);
    row.workload = f.at("workload").string();
    row.config = f.at("config").string();
    row.engine = f.at("engine").string();
    row.size = f.at("size").integer();
    row.has_setup = f.at("has_setup").boolean();
    row.start_ns = read_figure(f.at("start_ns"));
    row.engine_ns = read_figure(f.at("engine_ns"));
    row.load_ns = read_figure(f.at("load_ns"));
    row.setup_ns = read_figure(f.at("setup_ns"));
    row.run_ns = read_figure(f.at("run_ns"));
    row.total_ns = read_figure(f.at("total_ns"));
    row.rss_after_bytes = read_figure(f.at("rss_after_bytes"));
    row.peak_rss_bytes = read_figure(f.at("peak_rss_bytes"));
    check_unique(seen, row.workload + "\n" + row.config, f, "workload \"" + row.workload + "\" under " + row.config);
    r.first_results.push_back(std::move(row));
  }
  return r;
}

}  // namespace polyhost
