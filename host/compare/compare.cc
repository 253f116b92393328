#include "host/compare/compare.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>
#include <stdexcept>
#include <nlohmann/json.hpp>

#include "host/text/format.h"

namespace polyhost {
namespace {

constexpr double kAlpha = 0.05;

std::string run_name(const std::pair<std::string, std::string>& key) { return key.first + " [" + key.second + "]"; }

// What a configuration ran as: its engine and flags as the results record them.
std::string setup_field(const Results& r, const std::string& config, bool flags) {
  const ConfigSetup* setup = r.setup_of(config);
  if (!setup) return "(not recorded)";
  return flags ? Json(setup->flags).dump() : setup->engine;
}

// "engine changed: A -> B; flags changed: [] -> [\"--no-opt\"]", or empty when the setup matches.
std::string setup_change(const Results& base, const Results& next, const std::string& config) {
  std::string note;
  for (const bool flags : {false, true}) {
    const std::string before = setup_field(base, config, flags), after = setup_field(next, config, flags);
    if (before != after) {
      note += (note.empty() ? "" : "; ") + std::string(flags ? "flags" : "engine") + " changed: " + before + " -> " + after;
    }
  }
  return note;
}

std::string engines_text(const Environment& env) {
  return text::comma_listed(env.engines, [](const EngineVersion& e) {
    return e.name + " " + e.version + (e.executable.empty() ? "" : " (" + e.executable + ")");
  });
}

// Differences in the machine or build that make every row's change suspect.
std::vector<std::string> environment_changes(const Environment& a, const Environment& b) {
  const std::vector<std::pair<std::string, std::pair<Json, Json>>> fields = {
      {"cpu_model", {a.cpu_model, b.cpu_model}},
      {"cpu_count", {a.cpu_count, b.cpu_count}},
      {"os", {a.os, b.os}},
      {"polyhost_version", {a.polyhost_version, b.polyhost_version}},
      {"engines", {engines_text(a), engines_text(b)}}};
  std::vector<std::string> out;
  for (const auto& [field, values] : fields) {
    if (values.first != values.second) out.push_back(field + ": " + values.first.dump() + " -> " + values.second.dump());
  }
  return out;
}

}  // namespace

bool CompareRow::untestable() const { return test.p_value >= kAlpha && smallest_p >= kAlpha; }

std::vector<const CompareRow*> CompareReport::regressions() const {
  std::vector<const CompareRow*> out;
  for (const auto& row : rows) {
    if (beyond_threshold(row, threshold_percent)) out.push_back(&row);
  }
  return out;
}

std::vector<const CompareRow*> CompareReport::untestable() const {
  std::vector<const CompareRow*> out;
  for (const auto& row : rows) {
    if (row.untestable()) out.push_back(&row);
  }
  return out;
}

std::vector<const CompareRow*> CompareReport::untested_slowdowns() const {
  std::vector<const CompareRow*> out;
  for (const CompareRow* row : untestable()) {
    if (slower_beyond_threshold(*row, threshold_percent)) out.push_back(row);
  }
  return out;
}

std::string CompareReport::gate_line() const {
  const auto slow = regressions();
  std::ostringstream threshold_text;
  threshold_text << threshold_percent << "%";
  const std::string threshold = threshold_text.str();
  std::vector<std::string> failing, passing;  // the reasons the gate fails, and what passes
  if (!slow.empty()) failing.push_back(std::to_string(slow.size()) + " significant slowdown(s) beyond " + threshold);
  if (!rows.empty() && slow.empty()) passing.push_back("no significant slowdown beyond " + threshold);
  if (const auto untested = untestable(); !untested.empty()) {
    const std::size_t failed = untested_slowdowns().size();
    if (failed > 0) {
      failing.push_back(std::to_string(failed) + " slowdown(s) beyond " + (slow.empty() ? threshold : "it") +
                        " as measured, with too few samples to test");
    }
    if (untested.size() > failed) {
      passing.push_back(std::to_string(untested.size() - failed) + " row(s) passed for want of samples to test, not for want of a change");
    }
  }
  if (!lost.empty()) {
    failing.push_back(std::to_string(lost.size()) + " row(s) ok in the base could not be compared (missing, not ok, damaged or of another size)");
  }
  if (rows.empty()) failing.push_back("nothing was compared");
  // A line that fails starts with why: a significant slowdown says so itself; anything else is named first.
  std::vector<std::string> parts = failing;
  parts.insert(parts.end(), passing.begin(), passing.end());
  std::string line;
  for (std::size_t i = 0; i < parts.size(); ++i) line += (i ? "; " : "") + parts[i];
  return (!failing.empty() && slow.empty() ? "the gate fails: " : "") + line;
}

std::string CompareReport::untestable_warning() const {
  const auto untested = untestable();
  if (untested.empty()) return "";
  std::vector<std::pair<std::size_t, std::size_t>> counts;  // (base, new) sample counts, each once
  std::string sizes;
  for (const CompareRow* row : untested) {
    const std::pair<std::size_t, std::size_t> pair{row->base_samples, row->new_samples};
    if (std::find(counts.begin(), counts.end(), pair) != counts.end()) continue;
    counts.push_back(pair);
    sizes += (sizes.empty() ? "" : "; ") + std::to_string(pair.first) + " and " + std::to_string(pair.second) +
             " samples: p >= " + compare_p_text(row->smallest_p) + " unless values tie";
  }
  return std::to_string(untested.size()) + (untested.size() == 1 ? " row has" : " rows have") +
         " too few samples for the Mann-Whitney test to reach p < 0.05 (" + sizes +
         "), so the gate cannot judge " + (untested.size() == 1 ? "it" : "them") +
         ": a slowdown beyond the threshold as measured fails it, and any other change passes for want of samples, not "
         "because nothing changed. 4 samples a side are the fewest that can reach p < 0.05; measure more iterations or "
         "processes.";
}

bool beyond_threshold(const CompareRow& row, double threshold_percent) {
  return row.significant && slower_beyond_threshold(row, threshold_percent);
}

bool slower_beyond_threshold(const CompareRow& row, double threshold_percent) {
  return row.ratio.ratio > 1.0 && text::shown_change_percent(row.ratio.ratio) > threshold_percent;
}

std::string compare_change_text(const CompareRow& row) {
  return text::format_change(row.ratio.ratio) + " [" + text::format_change(row.ratio.ci95.low) + ", " +
         text::format_change(row.ratio.ci95.high) + "]";
}

std::string compare_verdict_text(const CompareRow& row, double threshold) {
  if (row.untestable()) {
    const std::string why = "too few samples to test (" + std::to_string(row.base_samples) + " and " +
                            std::to_string(row.new_samples) + ": p >= " + compare_p_text(row.smallest_p) +
                            " unless values tie)";
    if (slower_beyond_threshold(row, threshold)) return "SLOWER as measured (beyond the threshold), " + why;
    return "untested, " + why + ": passes for want of samples";
  }
  if (!row.significant) return "no significant change";
  const bool slower = row.ratio.ratio > 1.0;
  std::string out = slower ? "SLOWER" : "faster";
  if (beyond_threshold(row, threshold)) out += " (beyond the threshold)";
  return out;
}

std::string compare_p_text(double p) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, p < 0.001 ? "%.1e" : "%.3f", p);
  return buffer;
}

CompareReport compare_results(const Results& base, const std::string& base_path, const Results& next,
                              const std::string& new_path, double threshold_percent) {
  if (!std::isfinite(threshold_percent) || threshold_percent < 0) {
    throw std::invalid_argument("the threshold must be a finite percentage >= 0");
  }
  CompareReport report;
  report.base_path = base_path;
  report.new_path = new_path;
  report.threshold_percent = threshold_percent;
  report.environment_changes = environment_changes(base.environment, next.environment);
  if (const std::string settings = measurement_difference(base.settings, next.settings); !settings.empty()) {
    report.environment_changes.push_back("measured differently: " + settings);
  }
  std::map<std::pair<std::string, std::string>, const Run*> base_runs, new_runs;
  for (const auto& r : base.runs) base_runs.emplace(std::make_pair(r.workload, r.config), &r);
  for (const auto& r : next.runs) new_runs.emplace(std::make_pair(r.workload, r.config), &r);

  std::vector<stats::GroupedRatioInput> compared;
  for (const auto& [key, b] : base_runs) {
    const std::string name = run_name(key);
    const bool base_ok = b->status == RunStatus::Ok && b->problem.empty();  // a damaged base vouches for nothing
    auto found = new_runs.find(key);
    if (found == new_runs.end()) {
      report.not_compared.push_back(name + ": only in " + base_path);
      if (base_ok) report.lost.push_back(name + ": ok in the base, missing from " + new_path);
      continue;
    }
    const Run* n = found->second;
    if (!b->problem.empty() || !n->problem.empty()) {
      report.not_compared.push_back(name + ": " + (b->problem.empty() ? n->problem : b->problem));
      if (base_ok && !n->problem.empty()) report.lost.push_back(name + ": ok in the base, damaged in " + new_path);
      continue;
    }
    if (!base_ok || n->status != RunStatus::Ok) {
      report.not_compared.push_back(name + ": not ok (" + status_name(b->status) + " in the base, " +
                                    status_name(n->status) + " in the new run)");
      if (base_ok) report.lost.push_back(name + ": ok in the base, " + status_name(n->status) + " in the new run");
      continue;
    }
    if (b->size != n->size) {
      report.not_compared.push_back(name + ": sizes differ (" + std::to_string(b->size) + " vs " + std::to_string(n->size) +
                                    "), so the runs did different work");
      report.lost.push_back(name + ": ok in the base, run at another size in the new run");
      continue;
    }
    const std::vector<double> base_samples = b->all_samples_ns(), new_samples = n->all_samples_ns();
    if (base_samples.empty() || new_samples.empty()) {
      report.not_compared.push_back(name + ": no samples");
      report.lost.push_back(name + ": ok in the base, no samples to compare");
      continue;
    }
    CompareRow row;
    row.workload = key.first;
    row.config = key.second;
    row.base_median = stats::median(base_samples);
    row.new_median = stats::median(new_samples);
    row.ratio = stats::ratio_of_medians_grouped(n->samples_ns, b->samples_ns);
    row.test = stats::mann_whitney_u(new_samples, base_samples);
    row.base_samples = base_samples.size();
    row.new_samples = new_samples.size();
    row.smallest_p = stats::mann_whitney_smallest_p(new_samples.size(), base_samples.size());
    row.significant = row.test.p_value < kAlpha && (row.ratio.ci95.low > 1.0 || row.ratio.ci95.high < 1.0);
    row.note = setup_change(base, next, key.second);
    compared.push_back({n->samples_ns, b->samples_ns});
    report.rows.push_back(std::move(row));
  }
  for (const auto& [key, n] : new_runs) {
    if (!base_runs.count(key)) report.not_compared.push_back(run_name(key) + ": only in " + new_path);
  }
  if (!compared.empty()) {
    const auto mean = stats::geometric_mean_of_grouped_ratios(compared);
    report.geometric_mean_ratio = mean.ratio;
    report.geometric_mean_ci = mean.ci95;
  }
  return report;
}

}  // namespace polyhost
