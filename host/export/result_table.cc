#include "host/export/result_table.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "host/text/format.h"

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

std::string tier_pair_text(const TierRatio& ratio) { return ratio.numerator + " / " + ratio.denominator; }

std::string tier_value_text(const TierRatio& ratio) {
  return text::format_ratio_with_ci(stats::RatioEstimate{ratio.geometric_mean, ratio.ci95});
}

}  // namespace polyhost
