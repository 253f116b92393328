#include "host/cli/validators.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace polyhost::validators {
namespace {

// TEXT as a decimal number ("12", "-0.5", "1e3"): strtod's hexadecimal ("0x10"), "inf" and "nan"
// are not numbers a person means.
bool decimal_number(const std::string& text, double& value) {
  if (text.empty() || text.find_first_not_of("0123456789+-.eE") != std::string::npos) return false;
  return CLI::detail::lexical_cast(text, value) && std::isfinite(value);
}

}  // namespace

CLI::Validator seconds(double low, bool low_allowed) {
  return CLI::Validator(
      [low, low_allowed](std::string& text) -> std::string {
        double value = 0;
        if (!decimal_number(text, value) || value < low ||
            (!low_allowed && value == low) || value > kMaxSeconds) {
          return "expected a number of seconds " + std::string(low_allowed ? ">= " : "> ") + CLI::detail::to_string(low) +
                 " and at most " + CLI::detail::to_string(kMaxSeconds) + ", got '" + text + "'";
        }
        return "";
      },
      "SECONDS");
}

CLI::Validator megabytes() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        double value = 0;
        if (!decimal_number(text, value) || !(value >= kMinHeapMb && value <= kMaxHeapMb) ||
            value != std::floor(value)) {
          return "expected a whole number of MB from " + std::to_string(kMinHeapMb) + " to " + std::to_string(kMaxHeapMb) +
                 ", got '" + text + "'";
        }
        return "";
      },
      "MB");
}

CLI::Validator percentage() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        double value = 0;
        return decimal_number(text, value) && value >= 0 ? "" : "expected a finite percentage >= 0, got '" + text + "'";
      },
      "PCT");
}

CLI::Validator decimal_integer() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        const std::size_t digits = !text.empty() && (text[0] == '+' || text[0] == '-') ? 1 : 0;
        if (text.size() == digits || text.find_first_not_of("0123456789", digits) != std::string::npos) {
          return "expected a whole number, got '" + text + "'";
        }
        const std::size_t first = std::min(text.find_first_not_of('0', digits), text.size() - 1);
        text.erase(digits, first - digits);  // "010" is ten, not strtoll's octal eight
        return "";
      },
      "");
}

CLI::Validator not_empty() {
  return CLI::Validator([](std::string& text) -> std::string { return text.empty() ? "must not be empty" : ""; }, "");
}

}  // namespace polyhost::validators
