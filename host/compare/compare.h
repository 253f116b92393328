// `polyhost compare BASE.json NEW.json`: did it change? Rows are matched by (workload,
// configuration); each compared row gets both medians, the change with a 95% bootstrap CI, and a
// Mann-Whitney U test. Rows that cannot be compared are listed with the reason, never dropped.
#pragma once

#include <string>
#include <vector>

#include "host/model/results.h"
#include "host/stats/statistics.h"

namespace polyhost {

struct CompareRow {
  std::string workload, config;
  double base_median = 0, new_median = 0;
  stats::RatioEstimate ratio{};  // new / base, with a two-level (process, iteration) bootstrap 95% CI
  stats::MannWhitney test{};
  bool significant = false;      // p < 0.05 and the CI of the ratio excludes 1
  // The smallest p the test could give with these sample counts (stats::mann_whitney_smallest_p).
  // When it is not below 0.05 and the row's p is not either, the test cannot judge the row: see
  // untestable().
  double smallest_p = 0;
  std::size_t base_samples = 0, new_samples = 0;
  bool untestable() const;
  std::string note;              // e.g. "engine changed: V8 10.2 -> V8 11.3", "flags changed: ..."
};

struct CompareReport {
  std::string base_path, new_path;
  double threshold_percent = 5;
  std::vector<CompareRow> rows;
  std::vector<std::string> not_compared;  // "workload [config]: why"
  // Rows ok in the base that could not be compared (missing, not ok, damaged or run at another size
  // in the new file): a gate must not pass them.
  std::vector<std::string> lost;
  // "cpu_model: A -> B", "measured differently: processes 3 vs 1; ...": the runs were not made alike.
  std::vector<std::string> environment_changes;
  double geometric_mean_ratio = 0;          // over compared rows; 0 when none
  stats::Interval geometric_mean_ci{0, 0};  // from the rows' measurement noise (rows fixed)

  std::vector<const CompareRow*> regressions() const;  // significant slowdowns beyond the threshold
  std::vector<const CompareRow*> untestable() const;   // rows too few samples could not test
  // Untestable rows whose change as measured is a slowdown beyond the threshold: with nothing but
  // the measured change to go on, the gate takes it as it is rather than pass a tenfold slowdown.
  std::vector<const CompareRow*> untested_slowdowns() const;
  // A slowdown beyond the threshold (significant, or untestable as measured), a lost row, or nothing
  // compared at all fails. The other untestable rows pass, for want of samples.
  bool gate_fails() const { return !regressions().empty() || !untested_slowdowns().empty() || !lost.empty() || rows.empty(); }
  // The gate's verdict in one line: why it fails first, then what passes ("no significant slowdown
  // beyond 5%", the untestable rows). A line that fails for another reason than a significant
  // slowdown starts "the gate fails: ".
  std::string gate_line() const;
  // The warning about untestable rows, "" when there is none.
  std::string untestable_warning() const;
};

// THRESHOLD_PERCENT must be finite and >= 0 (std::invalid_argument otherwise).
CompareReport compare_results(const Results& base, const std::string& base_path, const Results& next,
                              const std::string& new_path, double threshold_percent);

// A significant slowdown whose change, as printed (one decimal: "+5.0%"), exceeds THRESHOLD percent.
// At the printed precision, so a row showing "+5.0%" is never beyond a 5% threshold, whatever the
// rounding error of (1.05 - 1) * 100, and rows showing the same change get the same verdict.
bool beyond_threshold(const CompareRow& row, double threshold_percent);
// The change as printed exceeds THRESHOLD percent and is a slowdown, significant or not.
bool slower_beyond_threshold(const CompareRow& row, double threshold_percent);

// Words shared by compare's writers.
std::string compare_change_text(const CompareRow& row);                    // "+25.0% [+24.0%, +26.0%]"
std::string compare_verdict_text(const CompareRow& row, double threshold);  // "SLOWER (beyond the threshold)"
std::string compare_p_text(double p);                                       // "0.031", "3.0e-11"

}  // namespace polyhost
