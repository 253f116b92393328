#include "host/text/format.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace polyhost::text {
namespace {

constexpr const char* kEnDash = "\u2013";
constexpr const char* kNotAvailable = "n/a";

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

// How a duration is written: its unit and how many decimals the number gets.
struct Scale {
  const Unit* unit;
  int decimals;
};

// The largest unit in which NS, rounded to 3 significant digits, is at least 1; 2 decimals below 1 ns,
// or 2 significant digits where 2 decimals would show a value that is not zero as "0.00".
Scale scale_for(double ns) {
  const double rounded = round_significant(ns, 3);
  if (rounded < 1.0) return {&kUnits[0], rounded > 0 && std::fabs(ns) < 0.005 ? decimals_for(ns, 2) : 2};
  const Unit* chosen = &kUnits[0];
  for (const Unit& unit : kUnits)
    if (rounded >= unit.ns) chosen = &unit;
  return {chosen, decimals_for(ns / chosen->ns, 3)};
}

std::string number_in(double ns, const Scale& scale) { return format_fixed(ns / scale.unit->ns, scale.decimals); }

// The scale of a figure shown with its interval: scale_for's, but 2 decimals for every figure
// below 1 ns. Such a figure is a difference of two loops (a call the JIT inlined away: noise around
// zero), where digits past the hundredths are noise, and they made a column of mixed widths.
Scale interval_scale_for(double ns) {
  if (round_significant(ns, 3) < 1.0) return {&kUnits[0], 2};
  return scale_for(ns);
}

// NS in SCALE, without the minus sign of a value that rounds to zero ("0.00", not "-0.00").
std::string number_without_negative_zero(double ns, const Scale& scale) {
  std::string text = number_in(ns, scale);
  if (text[0] == '-' && text.find_first_not_of("-0.") == std::string::npos) text.erase(0, 1);
  return text;
}

}  // namespace

std::string format_fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

std::string format_duration_ns(double ns) {
  if (!std::isfinite(ns)) return kNotAvailable;
  if (ns == 0) return "0 ns";  // an axis's origin
  const Scale scale = scale_for(ns);
  return number_in(ns, scale) + " " + scale.unit->name;
}

std::string format_duration_with_ci(double median_ns, double low_ns, double high_ns) {
  if (!std::isfinite(median_ns)) return kNotAvailable;
  const Scale scale = interval_scale_for(median_ns);
  return number_without_negative_zero(median_ns, scale) + " " + scale.unit->name + " [" +
         number_without_negative_zero(low_ns, scale) + kEnDash + number_without_negative_zero(high_ns, scale) + "]";
}

std::string format_duration_error_bar(double median_ns, double low_ns, double high_ns) {
  if (!std::isfinite(median_ns)) return kNotAvailable;
  const Scale scale = interval_scale_for(median_ns);
  const double half = std::max(high_ns - median_ns, median_ns - low_ns);
  Scale shown = scale;
  if (half > 0) {
    const int two_digits = 1 - static_cast<int>(std::floor(std::log10(half / scale.unit->ns)));
    shown.decimals = std::clamp(two_digits, 0, scale.decimals);
  }
  std::string bar = number_in(half, shown);
  // Narrower than the figure's last digit: "<0.01", not "0.00", which reads as no interval at all.
  if (half > 0 && std::strtod(bar.c_str(), nullptr) == 0) bar = "<" + format_fixed(std::pow(10.0, -shown.decimals), shown.decimals);
  return number_without_negative_zero(median_ns, scale) + " " + scale.unit->name + " \u00b1" + bar;
}

std::string format_ratio(double ratio) {
  if (!std::isfinite(ratio)) return kNotAvailable;
  return format_fixed(ratio, decimals_for(ratio, 3));
}

std::string format_ratio_with_ci(const stats::RatioEstimate& estimate) {
  if (!std::isfinite(estimate.ratio)) return kNotAvailable;
  const std::string ratio = "\u00d7" + format_ratio(estimate.ratio);
  if (!std::isfinite(estimate.ci95.low) || !std::isfinite(estimate.ci95.high)) return ratio;
  // Each bound a ratio in its own right, with its own 3 significant digits: a range of 0.75 to 60.4
  // in the ratio's one decimal read "0.7-60.4".
  return ratio + " [" + format_ratio(estimate.ci95.low) + kEnDash + format_ratio(estimate.ci95.high) + "]";
}

std::string labelled_as_range(std::string with_interval) {
  const auto bracket = with_interval.find('[');
  if (bracket != std::string::npos) with_interval.insert(bracket + 1, "range ");
  return with_interval;
}

std::string format_change(double ratio) {
  if (!std::isfinite(ratio)) return kNotAvailable;
  const double percent = (ratio - 1.0) * 100.0;
  char buffer[64];
  if (std::fabs(percent) < 1e6) {
    std::snprintf(buffer, sizeof buffer, "%+.1f%%", percent);
  } else if (std::isfinite(percent)) {  // one decimal would be noise, and %f prints up to 309 digits
    std::snprintf(buffer, sizeof buffer, "%+.3g%%", percent);
  } else {  // a ratio above DBL_MAX / 100: its percent in two parts (the 1 subtracted is far below 3 digits)
    int exponent = static_cast<int>(std::floor(std::log10(ratio)));
    double mantissa = std::round(ratio / std::pow(10.0, exponent) * 100) / 100;
    if (mantissa >= 10) {
      mantissa /= 10;
      ++exponent;
    }
    std::snprintf(buffer, sizeof buffer, "+%.3ge+%d%%", mantissa, exponent + 2);
  }
  return buffer;
}

double shown_change_percent(double ratio) { return std::strtod(format_change(ratio).c_str(), nullptr); }

std::optional<std::int64_t> exact_integer(double value) {
  constexpr double kExactIntegers = 9007199254740992.0;  // 2^53
  if (!std::isfinite(value) || value != std::trunc(value) || std::fabs(value) > kExactIntegers) return std::nullopt;
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

std::string join_words(const std::vector<std::string>& words) {
  std::string text;
  for (const auto& word : words) text += (text.empty() ? "" : " ") + word;
  return text;
}

std::string counted(std::int64_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string comma_listed(const std::vector<std::string>& names) {
  std::string text;
  for (std::size_t i = 0; i < names.size(); ++i) text += (i ? ", " : "") + names[i];
  return text;
}

}  // namespace polyhost::text
