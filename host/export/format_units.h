// Helpers shared by the exporters: human-readable durations and ratios, plain numbers, text width
// and truncation, and the workload × configuration view of a RunReport that the tables are built
// from. Everything here is pure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "host/runner/report.h"

namespace polyhost::report_text {

// Shown in a table cell that has no value (no run, no ratio): an em dash.
inline constexpr const char* kNoValue = "\u2014";

// --- Numbers -------------------------------------------------------------------------------------

// A duration with 3 significant digits and a unit chosen so the number is below 1000 when
// possible: 999 -> "999 ns", 1234 -> "1.23 µs", 12345678 -> "12.3 ms", 2.5e9 -> "2.50 s".
// Non-finite input gives "n/a".
std::string format_duration_ns(double ns);

// "12.3 ms [12.1–12.6]": the median as format_duration_ns, the interval bounds in the median's
// unit with as many decimals as the median.
std::string format_duration_with_ci(double median_ns, double low_ns, double high_ns);

// "12.3 ms ± 0.25 ms": the median as format_duration_ns, the half-width of [low, high] in the
// median's unit with 2 significant digits.
std::string format_duration_plus_minus(double median_ns, double low_ns, double high_ns);

// A ratio with 3 significant digits: 12.345 -> "12.3", 0.4567 -> "0.457", 1234.5 -> "1235".
std::string format_ratio(double ratio);

// "×12.3 [11.9–12.8]": the ratio as format_ratio, the bounds with as many decimals as the ratio.
std::string format_ratio_with_ci(const stats::RatioEstimate& estimate);

// VALUE as an integer when it is integral and within ±2^53 (where doubles hold integers exactly).
std::optional<std::int64_t> exact_integer(double value);

// A number for machine-readable text: integral values within ±2^53 without a fraction ("1234"),
// others in the shortest form that reads back to the same double ("12.5", "1e+300"). Non-finite
// values give "nan", "inf" or "-inf".
std::string format_plain_number(double value);

// --- Text ----------------------------------------------------------------------------------------

// Display width of UTF-8 text, counted in code points (every code point is taken as one column).
std::size_t display_width(const std::string& utf8);

// TEXT padded with spaces to WIDTH display columns, on the right (left-aligned) or left.
std::string pad_right(const std::string& text, std::size_t width);
std::string pad_left(const std::string& text, std::size_t width);

// The first line of TEXT, cut to at most MAX_CODE_POINTS code points ("…" marks a cut, and is
// counted). Trailing '\r' is dropped.
std::string first_line(const std::string& text, std::size_t max_code_points);

// ASCII upper case ("mismatch" -> "MISMATCH").
std::string to_upper(std::string text);

// --- The report as a table -----------------------------------------------------------------------

// One row of a results table: a workload and its run under each configuration.
struct WorkloadRow {
  std::string workload;
  std::vector<const RunResult*> runs;  // parallel to the table's configurations; nullptr if none
};

struct ResultTable {
  std::vector<std::string> configs;  // report.configs, then any configuration only seen in runs
  std::string baseline;              // configs[0], or "" when there is none
  std::vector<WorkloadRow> rows;     // workloads in order of first appearance in report.runs
};

ResultTable build_result_table(const RunReport& report);

// The comparison of RUN against the baseline to show, or nullptr: none is shown for the baseline
// itself, when RUN or the baseline's run of the same workload is not ok, or when the report has no
// such comparison. A ratio involving a failed run is never shown.
const Comparison* shown_comparison(const RunReport& report, const RunResult& run);

// The ratio of RUN (may be null) to the baseline as format_ratio_with_ci, or kNoValue when
// shown_comparison gives none.
std::string ratio_text(const RunReport& report, const RunResult* run);

// An ok run whose results were accepted: by the workload's verify() when it has one, otherwise by
// the runner's cross-check between configurations (which marks disagreement as a mismatch).
bool run_checked(const RunResult& run);

// The warm-up classification of RUN in a few words: "flat", "warmup, steady from it. 4",
// "inconsistent (2 warmup, 1 flat)", "too short"; kNoValue when there is none.
std::string warmup_text(const RunResult* run);

// "v8-ignition / v8-jit" and "×3.05 [2.61–3.57]" for a tier ratio.
std::string tier_pair_text(const TierRatio& ratio);
std::string tier_value_text(const TierRatio& ratio);

}  // namespace polyhost::report_text
