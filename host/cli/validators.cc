#include "host/cli/validators.h"

#include <cmath>
#include <string>

namespace polyhost::validators {

CLI::Validator seconds(double low, bool low_allowed) {
  return CLI::Validator(
      [low, low_allowed](std::string& text) -> std::string {
        double value = 0;
        if (!CLI::detail::lexical_cast(text, value) || !std::isfinite(value) || value < low ||
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
        if (!CLI::detail::lexical_cast(text, value) || !(value >= kMinHeapMb && value <= kMaxHeapMb) ||
            value != std::floor(value)) {
          return "expected a whole number of MB from " + std::to_string(kMinHeapMb) + " to " + std::to_string(kMaxHeapMb) +
                 ", got '" + text + "'";
        }
        return "";
      },
      "MB");
}

CLI::Validator not_empty() {
  return CLI::Validator([](std::string& text) -> std::string { return text.empty() ? "must not be empty" : ""; }, "");
}

}  // namespace polyhost::validators
