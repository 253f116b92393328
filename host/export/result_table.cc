#include "host/export/result_table.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "host/text/bytes.h"
#include "host/text/format.h"
#include "host/text/layout.h"
#include "host/stats/statistics.h"

namespace polyhost {

ResultTable build_result_table(const Results& results) {
  ResultTable table;
  table.configs = results.settings.configs;
  for (const Run& run : results.runs)
    if (std::find(table.configs.begin(), table.configs.end(), run.config) == table.configs.end())
      table.configs.push_back(run.config);
  if (!table.configs.empty()) table.baseline = table.configs.front();

  std::map<std::string, std::size_t> row_of;
  for (const Run& run : results.runs) {
    auto [it, inserted] = row_of.emplace(run.workload, table.rows.size());
    if (inserted) table.rows.push_back({run.workload, std::vector<const Run*>(table.configs.size())});
    const auto column = static_cast<std::size_t>(
        std::find(table.configs.begin(), table.configs.end(), run.config) - table.configs.begin());
    const Run*& cell = table.rows[it->second].runs[column];
    if (cell == nullptr) cell = &run;  // the first run wins should the runner repeat one
  }
  return table;
}

const Comparison* shown_comparison(const Results& results, const Run& run) {
  if (run.status != RunStatus::Ok) return nullptr;
  for (const Comparison& comparison : results.comparisons) {
    if (comparison.workload != run.workload || comparison.config != run.config || comparison.config == comparison.baseline)
      continue;
    for (const Run& other : results.runs)
      if (other.workload == run.workload && other.config == comparison.baseline && other.status != RunStatus::Ok)
        return nullptr;
    return &comparison;
  }
  return nullptr;
}

std::string ratio_text(const Results& results, const Run* run) {
  const Comparison* comparison = run ? shown_comparison(results, *run) : nullptr;
  return comparison ? text::format_ratio_with_ci(comparison->ratio) : text::kNoValue;
}

std::string geometric_mean_text(const Results& results, const std::string& config) {
  const auto it = results.geometric_mean_ratio.find(config);
  return it == results.geometric_mean_ratio.end() ? text::kNoValue : "\u00d7" + text::format_ratio(it->second);
}

bool mixes_states(const Run& run) {
  return std::any_of(run.warnings.begin(), run.warnings.end(), [](const RunWarning& w) {
    return w.kind == "no steady state" || w.kind == "changepoint in measured";
  });
}

bool any_mixes_states(const Results& results) {
  return std::any_of(results.runs.begin(), results.runs.end(),
                     [](const Run& run) { return run.status == RunStatus::Ok && mixes_states(run); });
}

std::string warmup_text(const Run* run) {
  if (run == nullptr || !run->warmup) return text::kNoValue;
  const warmup::Summary& w = *run->warmup;
  std::string out = w.classification;
  if (w.classification == "inconsistent") return out + " (" + w.detail + ")";
  if ((w.classification == "warmup" || w.classification == "slowdown") && w.steady_iteration) {
    out += ", steady from it. " + std::to_string(static_cast<long long>(std::llround(*w.steady_iteration)));
  }
  return out;
}

PerConfigTable per_config_table(const Results& results, const ResultTable& table,
                                const std::function<std::string(const Run*)>& cell, const std::string& ratio_name,
                                const std::function<std::string(const Run*)>& ratio, bool with_ratios) {
  PerConfigTable out;
  out.header = {"workload"};
  out.header.insert(out.header.end(), table.configs.begin(), table.configs.end());
  for (std::size_t i = 1; with_ratios && i < table.configs.size(); ++i) {
    out.header.push_back(ratio_name + " " + table.configs[i] + "/" + table.baseline);
  }
  for (const WorkloadRow& row : table.rows) {
    std::vector<std::string> cells{row.workload};
    for (const Run* run : row.runs) cells.push_back(cell(run));
    for (std::size_t i = 1; with_ratios && i < row.runs.size(); ++i) cells.push_back(ratio(row.runs[i]));
    out.rows.push_back(std::move(cells));
  }
  return out;
}

std::string cold_warmup_text(const Run* run) {
  if (run == nullptr) return text::kNoValue;
  if (run->status != RunStatus::Ok) return text::to_upper(status_name(run->status));
  if (run->samples_ns.empty()) return text::kNoValue;
  const std::vector<double> cold = run->cold_ns();
  std::string out = cold.empty() ? text::kNoValue : text::format_duration_ns(stats::median(cold));
  if (run->steady_from.empty()) return out;
  const int too_short = static_cast<int>(run->too_short_to_tell().size());
  const int unsteady = run->unsteady_processes() - too_short;
  if (const auto iterations = run->warmup_iterations()) {
    out += "; " + text::format_plain_number(*iterations) + " it.";  // a median: 7.5 it. stays 7.5
    if (*iterations > 0) out += " (" + text::format_duration_ns(*run->warmup_seconds() * 1e9) + ")";
    if (unsteady > 0) out += ", " + std::to_string(unsteady) + " unsteady";
    if (too_short > 0) out += ", " + std::to_string(too_short) + " too short to tell";
    return out;
  }
  const std::string of = " of " + std::to_string(run->steady_from.size()) + ")";
  if (unsteady > 0) out += "; no steady state (" + std::to_string(unsteady) + of;
  if (too_short > 0) out += "; too short to tell (" + std::to_string(too_short) + of;
  return out;
}

namespace {

// A ratio of one figure per process (the cold iteration, the peak size): its interval only when
// each side has enough processes for a 95% CI of a median. The analysis drops it otherwise; files
// written before it did keep the bootstrap's range of 3 processes, which is not shown as a CI.
// FIGURES counts a run's values of the figure, as the analysis does.
template <typename Count>
std::string per_process_ratio_text(const Results& results, const Run& run, const Comparison& comparison,
                                   stats::RatioEstimate ratio, Count figures) {
  std::size_t fewest = figures(run);
  bool base_found = false;
  for (const Run& base : results.runs) {
    if (base.workload == run.workload && base.config == comparison.baseline && base.machine == run.machine) {
      fewest = std::min(fewest, figures(base));
      base_found = true;
    }
  }
  if (!base_found || fewest < stats::kFewestForMedianCi) ratio.ci95 = {std::nan(""), std::nan("")};
  return text::format_ratio_with_ci(ratio);
}

std::size_t cold_figures(const Run& run) { return run.cold_ns().size(); }

std::size_t peak_figures(const Run& run) { return run.memory_values(&MemoryReading::peak_rss).size(); }

}  // namespace

std::string cold_ratio_text(const Results& results, const Run* run) {
  const Comparison* comparison = run ? shown_comparison(results, *run) : nullptr;
  if (!comparison || !comparison->cold_ratio) return text::kNoValue;
  return per_process_ratio_text(results, *run, *comparison, *comparison->cold_ratio, cold_figures);
}

std::optional<double> memory_above_idle(const Results& results, const Run& run) {
  const auto peak = run.median_memory(&MemoryReading::peak_rss);
  const MemoryReading* idle = results.idle_memory_of(run);
  if (!peak || !idle || !idle->rss_after_setup) return std::nullopt;
  return *peak - *idle->rss_after_setup;
}

std::string memory_text(const Results& results, const Run* run) {
  if (run == nullptr) return text::kNoValue;
  if (run->status != RunStatus::Ok) return text::to_upper(status_name(run->status));
  const auto peak = run->median_memory(&MemoryReading::peak_rss);
  if (!peak) return text::kNoValue;
  std::string out = text::format_bytes(*peak);
  if (const auto above = memory_above_idle(results, *run)) out += " (" + std::string(*above >= 0 ? "+" : "") + text::format_bytes(*above) + ")";
  if (const auto heap = run->median_memory(&MemoryReading::heap_peak)) out += "; heap " + text::format_bytes(*heap);
  return out;
}

std::string idle_memory_text(const Results& results, const std::string& config) {
  const ConfigSetup* setup = results.setup_of(config);
  if (!setup || !setup->idle_memory || !setup->idle_memory->rss_after_setup) return text::kNoValue;
  return text::format_bytes(*setup->idle_memory->rss_after_setup);
}

std::string memory_ratio_text(const Results& results, const Run* run) {
  const Comparison* comparison = run ? shown_comparison(results, *run) : nullptr;
  if (!comparison || !comparison->memory_ratio) return text::kNoValue;
  return per_process_ratio_text(results, *run, *comparison, *comparison->memory_ratio, peak_figures);
}

std::string break_even_text(const BreakEven& b) {
  if (!b.iterations) return b.slower_once_warm ? "never (slower once warm)" : "never (not measurably faster once warm)";
  const std::string n = text::format_plain_number(*b.iterations) + (*b.iterations == 1 ? " iteration" : " iterations");
  return b.extrapolated ? "after ~" + n + " (extrapolated at the steady speeds)" : "after " + n;
}

std::vector<WarningGroup> group_warnings(const Results& results) {
  std::vector<WarningGroup> groups;
  for (const Run& run : results.runs) {
    for (const auto& warning : run.warnings) {
      auto group = std::find_if(groups.begin(), groups.end(), [&](const WarningGroup& g) { return g.kind == warning.kind; });
      if (group == groups.end()) group = groups.insert(groups.end(), WarningGroup{warning.kind, {}});
      group->cases.emplace_back(&run, &warning);
    }
  }
  for (auto& g : groups) {
    std::stable_sort(g.cases.begin(), g.cases.end(),
                     [](const auto& a, const auto& b) { return a.second->severity > b.second->severity; });
  }
  return groups;
}

std::string warning_explanation(const std::string& kind) {
  if (kind == "unstable") return "standard deviation over 10% of the mean; more processes or iterations, or a quieter machine, would help";
  if (kind == "too short") return "median iteration under 1 ms, so timer and host overhead weigh in; use a larger size";
  if (kind == "no steady state") {
    return "processes did not settle within the warm-up (its cap, or a fixed count); their figures mix states";
  }
  if (kind == "too short to tell") {
    return "processes' series (warm-up and measured) too short for the classification to tell whether they reached a "
           "steady state; more iterations would tell";
  }
  if (kind == "changepoint in measured") return "the speed changed among the measured iterations; the median mixes two states";
  if (kind == "no 95% CI") return "fewer than 6 measured samples; the interval shown is their range, which covers the median less often";
  if (kind == "fewer processes") return "the run was interrupted before all planned processes finished; the figures rest on those that did";
  return "";
}


std::string tier_pair_text(const TierRatio& ratio) { return ratio.numerator + " / " + ratio.denominator; }

std::string tier_value_text(const TierRatio& ratio) {
  // Resampling one workload gives it back every time: a zero-width interval that is no CI.
  if (ratio.workloads < 2 && std::isfinite(ratio.geometric_mean)) {
    return "\u00d7" + text::format_ratio(ratio.geometric_mean) + " (no CI from one workload)";
  }
  const std::string text = text::format_ratio_with_ci(stats::RatioEstimate{ratio.geometric_mean, ratio.interval});
  return ratio.has_ci95() ? text : text::labelled_as_range(text);
}

std::string tier_interval_words() {
  return "95% bootstrap CI over the workloads; from fewer than " + std::to_string(kFewestWorkloadsForTierCi) +
         " workloads, the range of their ratios";
}

}  // namespace polyhost
