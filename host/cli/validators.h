// Option checks CLI11 lacks: NaN and infinity pass its Range, and an empty value is silently the
// default or no file.
#pragma once

#include <CLI/CLI.hpp>

namespace polyhost::validators {

inline constexpr double kMaxSeconds = 1e6;  // 11.6 days: longer deadlines overflow the clocks
inline constexpr int kMinHeapMb = 16;       // below this V8 cannot even start its heap
inline constexpr int kMaxHeapMb = 1 << 20;  // 1 TB
// Fresh processes per figure (startup, scale): beyond any run that can finish.
inline constexpr int kMaxProcesses = 100000;

// A finite number of seconds, above LOW (or at least LOW when LOW_ALLOWED), at most kMaxSeconds.
CLI::Validator seconds(double low, bool low_allowed);
// A whole number of MB from kMinHeapMb to kMaxHeapMb.
CLI::Validator megabytes();
// A finite decimal number >= 0.
CLI::Validator percentage();
// A whole number in decimal digits, leading zeros dropped: CLI11 reads integers with strtoll's
// base 0, where "010" is eight and "0x10" sixteen. A transform: main() puts it on every integer
// option.
CLI::Validator decimal_integer();
// Any value but the empty string.
CLI::Validator not_empty();

}  // namespace polyhost::validators
