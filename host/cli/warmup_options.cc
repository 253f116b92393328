#include "host/cli/warmup_options.h"

#include <cstdlib>

#include "host/cli/validators.h"
#include "host/text/format.h"

namespace polyhost {

void add_warmup_options(CLI::App* cmd, WarmupOptions& options, const std::string& unit) {
  using validators::not_empty;
  const WarmupDefaults& d = kWarmupDefault;
  const WarmupDefaults& q = kWarmupQuick;
  cmd->add_option("--warmup", options.warmup,
                  "auto (default): each " + unit + " warms up until its series is steady, then measures; or a fixed "
                  "number of unmeasured iterations")
      ->check(not_empty());
  cmd->add_option("--steady-window", options.steady_window,
                  "auto warm-up: steady iterations needed before measuring, and iterations to watch after an "
                  "engine's known warm-up point (default " + std::to_string(d.window) + "; quick " +
                      std::to_string(q.window) + ")")
      ->check(not_empty());
  cmd->add_option("--min-steady-time", options.min_steady_seconds,
                  "auto warm-up: seconds the steady iterations must last too, so that a phase change on a clock "
                  "(a collector's cycle, code compiled in the background) is seen (default " +
                      text::format_plain_number(d.min_steady_seconds) + "; quick " +
                      text::format_plain_number(q.min_steady_seconds) + "); a " + unit +
                      " that reaches a cap with fewer is measured from its steady start")
      ->check(validators::seconds(0, true));
  cmd->add_option("--max-warmup", options.max_warmup,
                  "auto warm-up: at most this many warm-up iterations per " + unit + " (default " +
                      std::to_string(d.max_warmup) + "; quick " + std::to_string(q.max_warmup) + ")")
      ->check(not_empty());
  cmd->add_option("--max-warmup-time", options.max_warmup_seconds,
                  "auto warm-up: at most this many seconds of warm-up iterations per " + unit + " (default " +
                      text::format_plain_number(d.max_warmup_seconds) + "; quick " +
                      text::format_plain_number(q.max_warmup_seconds) + "); a " + unit +
                      " that reaches a cap without a steady state is reported as such")
      ->check(validators::seconds(0, false));
}

std::optional<WarmupPolicy> warmup_policy(const WarmupOptions& options, bool quick, std::string& problem) {
  const WarmupDefaults& d = quick ? kWarmupQuick : kWarmupDefault;
  WarmupPolicy policy;
  policy.automatic = options.warmup == "auto";
  if (!policy.automatic) {
    char* end = nullptr;
    const long count = std::strtol(options.warmup.c_str(), &end, 10);
    if (options.warmup.empty() || *end != '\0' || count < 0 || count > kMaxFixedWarmup) {
      problem = "--warmup " + options.warmup + ": expected auto or a number of iterations from 0 to " +
                std::to_string(kMaxFixedWarmup);
      return std::nullopt;
    }
    policy.fixed_iterations = static_cast<int>(count);
  }
  policy.window = options.steady_window.value_or(d.window);
  policy.max_iterations = options.max_warmup.value_or(d.max_warmup);
  policy.max_seconds = options.max_warmup_seconds.value_or(d.max_warmup_seconds);
  policy.min_steady_seconds = options.min_steady_seconds.value_or(d.min_steady_seconds);
  if (policy.window < kMinSteadyWindow || policy.max_iterations < policy.window) {
    problem = "--steady-window must be at least " + std::to_string(kMinSteadyWindow) + " and --max-warmup at least the window";
    return std::nullopt;
  }
  if (policy.min_steady_seconds > policy.max_seconds) {
    problem = "--min-steady-time " + text::format_plain_number(policy.min_steady_seconds) +
              " is longer than --max-warmup-time " + text::format_plain_number(policy.max_seconds) +
              ": no warm-up could last it";
    return std::nullopt;
  }
  return policy;
}

}  // namespace polyhost
