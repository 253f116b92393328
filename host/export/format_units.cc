#include "host/export/format_units.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>

namespace polyhost::report_text {
namespace {

constexpr const char* kEnDash = "\u2013";
constexpr const char* kEllipsis = "\u2026";

struct Unit {
  const char* name;
  double ns;  // nanoseconds in one unit
};
constexpr Unit kUnits[] = {{"ns", 1.0}, {"\u00b5s", 1e3}, {"ms", 1e6}, {"s", 1e9}};

// Decimal exponent of the leading digit of A (> 0, finite): 1234 -> 3, 0.05 -> -2.
int leading_exponent(double a) {
  int exponent = static_cast<int>(std::floor(std::log10(a)));
  // log10 may be off by one ulp around exact powers of ten.
  if (std::pow(10.0, exponent + 1) <= a) ++exponent;
  if (std::pow(10.0, exponent) > a) --exponent;
  return exponent;
}

// |VALUE| rounded to DIGITS significant digits.
double round_significant(double value, int digits) {
  const double a = std::fabs(value);
  if (a == 0 || !std::isfinite(a)) return a;
  const double scale = std::pow(10.0, digits - 1 - leading_exponent(a));
  return std::round(a * scale) / scale;
}

// Decimals that show VALUE with DIGITS significant digits, counting a carry from rounding
// (9.996 with 3 digits is "10.0", not "10.00").
int decimals_for(double value, int digits) {
  const double rounded = round_significant(value, digits);
  if (rounded == 0 || !std::isfinite(rounded)) return 0;
  return std::max(0, digits - 1 - leading_exponent(rounded));
}

std::string fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

// The largest unit in which NS, rounded to 3 significant digits, is at least 1.
const Unit& unit_for(double ns) {
  const double rounded = round_significant(ns, 3);
  const Unit* chosen = &kUnits[0];
  for (const Unit& unit : kUnits)
    if (rounded >= unit.ns) chosen = &unit;
  return *chosen;
}

std::string with_unit(const std::string& number, const Unit& unit) {
  return number + " " + unit.name;
}

constexpr const char* kNotAvailable = "n/a";

}  // namespace

std::string format_duration_ns(double ns) {
  if (!std::isfinite(ns)) return kNotAvailable;
  const Unit& unit = unit_for(ns);
  const double scaled = ns / unit.ns;
  return with_unit(fixed(scaled, decimals_for(scaled, 3)), unit);
}

std::string format_duration_with_ci(double median_ns, double low_ns, double high_ns) {
  if (!std::isfinite(median_ns)) return kNotAvailable;
  const Unit& unit = unit_for(median_ns);
  const int decimals = decimals_for(median_ns / unit.ns, 3);
  return format_duration_ns(median_ns) + " [" + fixed(low_ns / unit.ns, decimals) + kEnDash +
         fixed(high_ns / unit.ns, decimals) + "]";
}

std::string format_duration_plus_minus(double median_ns, double low_ns, double high_ns) {
  if (!std::isfinite(median_ns)) return kNotAvailable;
  const Unit& unit = unit_for(median_ns);
  const double half = std::fabs(high_ns - low_ns) / 2.0 / unit.ns;
  return format_duration_ns(median_ns) + " \u00b1 " + with_unit(fixed(half, decimals_for(half, 2)), unit);
}

std::string format_ratio(double ratio) {
  if (!std::isfinite(ratio)) return kNotAvailable;
  return fixed(ratio, decimals_for(ratio, 3));
}

std::string format_ratio_with_ci(const stats::RatioEstimate& estimate) {
  if (!std::isfinite(estimate.ratio)) return kNotAvailable;
  const int decimals = decimals_for(estimate.ratio, 3);
  return "\u00d7" + fixed(estimate.ratio, decimals) + " [" + fixed(estimate.ci95.low, decimals) +
         kEnDash + fixed(estimate.ci95.high, decimals) + "]";
}

std::optional<std::int64_t> exact_integer(double value) {
  constexpr double kExactIntegers = 9007199254740992.0;  // 2^53
  if (!std::isfinite(value) || value != std::trunc(value) || std::fabs(value) > kExactIntegers)
    return std::nullopt;
  return static_cast<std::int64_t>(value);
}

std::string format_plain_number(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  if (const auto integer = exact_integer(value)) return std::to_string(*integer);
  char buffer[64];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buffer, sizeof buffer, "%.*g", precision, value);
    if (std::strtod(buffer, nullptr) == value) break;
  }
  return buffer;
}

std::size_t display_width(const std::string& utf8) {
  std::size_t width = 0;
  for (unsigned char byte : utf8)
    if ((byte & 0xC0) != 0x80) ++width;  // every byte but UTF-8 continuation bytes starts one
  return width;
}

std::string pad_right(const std::string& text, std::size_t width) {
  const std::size_t have = display_width(text);
  return have >= width ? text : text + std::string(width - have, ' ');
}

std::string pad_left(const std::string& text, std::size_t width) {
  const std::size_t have = display_width(text);
  return have >= width ? text : std::string(width - have, ' ') + text;
}

std::string first_line(const std::string& text, std::size_t max_code_points) {
  std::string line = text.substr(0, text.find('\n'));
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (display_width(line) <= max_code_points) return line;
  if (max_code_points == 0) return "";
  // Keep max_code_points - 1 code points, then the ellipsis.
  std::size_t kept = 0, end = 0;
  for (; end < line.size(); ++end) {
    if ((static_cast<unsigned char>(line[end]) & 0xC0) != 0x80) {
      if (kept == max_code_points - 1) break;
      ++kept;
    }
  }
  return line.substr(0, end) + kEllipsis;
}

std::string to_upper(std::string text) {
  for (char& c : text)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return text;
}

ResultTable build_result_table(const RunReport& report) {
  ResultTable table;
  table.configs = report.configs;
  for (const RunResult& run : report.runs)
    if (std::find(table.configs.begin(), table.configs.end(), run.config) == table.configs.end())
      table.configs.push_back(run.config);
  if (!table.configs.empty()) table.baseline = table.configs.front();

  std::map<std::string, std::size_t> row_of;
  for (const RunResult& run : report.runs) {
    auto [it, inserted] = row_of.emplace(run.workload, table.rows.size());
    if (inserted) table.rows.push_back({run.workload, std::vector<const RunResult*>(table.configs.size())});
    const auto column = static_cast<std::size_t>(
        std::find(table.configs.begin(), table.configs.end(), run.config) - table.configs.begin());
    const RunResult*& cell = table.rows[it->second].runs[column];
    if (cell == nullptr) cell = &run;  // the first run wins should the runner repeat one
  }
  return table;
}

const Comparison* shown_comparison(const RunReport& report, const RunResult& run) {
  if (run.status != RunStatus::Ok) return nullptr;
  for (const Comparison& comparison : report.comparisons) {
    if (comparison.workload != run.workload || comparison.config != run.config ||
        comparison.config == comparison.baseline)
      continue;
    for (const RunResult& other : report.runs)
      if (other.workload == run.workload && other.config == comparison.baseline &&
          other.status != RunStatus::Ok)
        return nullptr;
    return &comparison;
  }
  return nullptr;
}

std::string ratio_text(const RunReport& report, const RunResult* run) {
  const Comparison* comparison = run ? shown_comparison(report, *run) : nullptr;
  return comparison ? format_ratio_with_ci(comparison->ratio) : kNoValue;
}

bool run_checked(const RunResult& run) {
  return run.status == RunStatus::Ok && (run.verified || !run.has_verify);
}

std::string warmup_text(const RunResult* run) {
  if (run == nullptr || !run->warmup) return kNoValue;
  const warmup::Summary& w = *run->warmup;
  std::string text = w.classification;
  if (w.classification == "inconsistent") return text + " (" + w.detail + ")";
  if ((w.classification == "warmup" || w.classification == "slowdown") && w.steady_iteration) {
    text += ", steady from it. " + std::to_string(static_cast<long long>(std::llround(*w.steady_iteration)));
  }
  return text;
}

std::string tier_pair_text(const TierRatio& ratio) { return ratio.numerator + " / " + ratio.denominator; }

std::string tier_value_text(const TierRatio& ratio) {
  return format_ratio_with_ci(stats::RatioEstimate{ratio.geometric_mean, ratio.ci95});
}

}  // namespace polyhost::report_text
