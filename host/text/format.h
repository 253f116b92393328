// Numbers for people and for machines: durations with a unit, ratios, plain numbers. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "host/stats/statistics.h"

namespace polyhost::text {

// Shown where there is no value (no run, no ratio): an em dash.
inline constexpr const char* kNoValue = "\u2014";

// VALUE with DECIMALS digits after the point ("%.*f").
std::string format_fixed(double value, int decimals);

// A duration with 3 significant digits and the unit that keeps the number below 1000 when it can:
// 999 -> "999 ns", 1234 -> "1.23 µs", 12345678 -> "12.3 ms", 2.5e9 -> "2.50 s". Below 1 ns (a call
// a JIT inlined away: noise around zero, possibly negative) 2 decimals: "0.42 ns", "-0.03 ns";
// exactly zero is "0 ns".
// Non-finite input gives "n/a".
std::string format_duration_ns(double ns);

// "12.3 ms [12.1–12.6]": the median as format_duration_ns, the bounds in its unit and decimals;
// a median below 1 ns always with 2 decimals ("0.14 ns [0.13–0.15]", "0.00 ns [0.00–0.01]": no
// picosecond digits of noise, no minus sign on a value that rounds to zero).
std::string format_duration_with_ci(double median_ns, double low_ns, double high_ns);

// "12.0 ns ±0.2": compact, for dense matrices. ± is the larger distance from the median to a bound,
// with 2 significant digits but no more decimals than the median has (which it prints as
// format_duration_with_ci does), and no unit of its own; one too narrow to show in those decimals
// is "±<0.01" (one unit of the last decimal), never "±0.00" unless it is zero.
std::string format_duration_error_bar(double median_ns, double low_ns, double high_ns);

// A ratio with 3 significant digits: 12.345 -> "12.3", 0.4567 -> "0.457", 1234.5 -> "1235".
std::string format_ratio(double ratio);

// "×12.3 [11.9–12.8]": the ratio and each bound as format_ratio (3 significant digits each);
// "×12.3" alone when the estimate has no interval (non-finite bounds).
std::string format_ratio_with_ci(const stats::RatioEstimate& estimate);

// A figure formatted with its interval, "12.3 ms [12.1–12.6]", as "12.3 ms [range 12.1–12.6]": for
// an interval that is the samples' range, not a 95% CI. Text without a bracket is returned as is.
std::string labelled_as_range(std::string with_interval);

// "+25.0%": a ratio as a signed change in percent with one decimal; "+6.41e+29%" from a million
// percent on; "n/a" when it is not finite.
std::string format_change(double ratio);
// The percentage format_change prints, as a number (5.0 for a ratio of 1.05000000001), so a verdict
// taken on it agrees with the text beside it.
double shown_change_percent(double ratio);

// VALUE as an integer when it is integral and within ±2^53 (where doubles hold integers exactly).
std::optional<std::int64_t> exact_integer(double value);

// A number for machine-readable text: integral values within ±2^53 without a fraction ("1234"),
// others in the shortest form that reads back to the same double ("12.5", "1e+300"). Non-finite
// values give "nan", "inf" or "-inf".
std::string format_plain_number(double value);

// WORDS separated by single spaces ("--no-opt --jitless").
std::string join_words(const std::vector<std::string>& words);

// N and the noun for that many: "1 thread", "2 threads" (counted(n, "process", "processes")).
std::string counted(std::int64_t n, const std::string& one, const std::string& many);

// NAMES separated by commas ("v8-jit, cpython").
std::string comma_listed(const std::vector<std::string>& names);

// The text TEXT_OF gives for each of ITEMS, separated by commas.
template <class Items, class TextOf>
std::string comma_listed(const Items& items, TextOf text_of) {
  std::vector<std::string> texts;
  for (const auto& item : items) texts.push_back(text_of(item));
  return comma_listed(texts);
}

}  // namespace polyhost::text
