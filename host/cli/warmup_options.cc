#include "host/cli/warmup_options.h"

#include <cstdlib>
#include <map>

#include "host/cli/validators.h"
#include "host/stats/warmup.h"
#include "host/text/format.h"

namespace polyhost {
namespace {

// "--steady-window 8", and where the value came from when the user did not give it.
std::string in_force(const std::string& option, const std::string& value, bool given, bool quick) {
  return option + " " + value + (given ? "" : quick ? " (the --quick default)" : " (the default)");
}

std::string names_text(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    out += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i];
  }
  return out;
}

// The options that only --warmup auto reads, among those given.
std::vector<std::string> auto_only_options_given(const WarmupOptions& options) {
  std::vector<std::string> given;
  if (options.steady_window) given.push_back("--steady-window");
  if (options.min_steady_seconds) given.push_back("--min-steady-time");
  if (options.max_warmup) given.push_back("--max-warmup");
  if (options.max_warmup_seconds) given.push_back("--max-warmup-time");
  return given;
}

std::string fixed_count_problem(const WarmupOptions& options, WarmupPolicy& policy) {
  char* end = nullptr;
  const long count = std::strtol(options.warmup.c_str(), &end, 10);
  if (options.warmup.empty() || *end != '\0' || count < 0 || count > kMaxFixedWarmup) {
    return "--warmup " + options.warmup + ": expected auto or a number of iterations from 0 to " +
           std::to_string(kMaxFixedWarmup);
  }
  policy.fixed_iterations = static_cast<int>(count);
  const std::vector<std::string> ignored = auto_only_options_given(options);
  if (ignored.empty()) return "";
  return names_text(ignored) + (ignored.size() == 1 ? " applies" : " apply") + " to --warmup auto only, and --warmup " +
         options.warmup + " is a fixed count of warm-up iterations: drop " + (ignored.size() == 1 ? "it" : "them") +
         ", or use --warmup auto";
}

// Whether the caps leave the detector room to find a steady state at all (it classifies no series
// shorter than warmup::kMinimumIterations, and wants a window of steady iterations).
std::string room_problem(const WarmupOptions& options, const WarmupPolicy& policy, bool quick) {
  const std::string window = in_force("--steady-window", std::to_string(policy.window), options.steady_window.has_value(), quick);
  const int needed = std::max(policy.window, static_cast<int>(warmup::kMinimumIterations));
  if (policy.max_iterations >= needed) return "";
  return in_force("--max-warmup", std::to_string(policy.max_iterations), options.max_warmup.has_value(), quick) +
         " ends every warm-up before a steady state could be found: the detector classifies no series under " +
         std::to_string(warmup::kMinimumIterations) + " iterations and needs " + window +
         " steady ones; raise --max-warmup to at least " + std::to_string(needed);
}

// Whether each watched engine can show a steady state within the cap: not before its known warm-up
// point plus a window.
std::string known_point_problem(const WarmupOptions& options, const WarmupPolicy& policy, bool quick,
                                const std::vector<WatchedEngine>& watched) {
  std::map<int, std::vector<std::string>> short_by_point;
  for (const auto& engine : watched) {
    if (engine.known_warmup_point > 0 && policy.max_iterations < engine.known_warmup_point + policy.window) {
      short_by_point[engine.known_warmup_point].push_back(engine.name);
    }
  }
  if (short_by_point.empty()) return "";
  const std::string window = in_force("--steady-window", std::to_string(policy.window), options.steady_window.has_value(), quick);
  std::string why;
  int needed = 0;
  for (const auto& [point, names] : short_by_point) {
    const bool one = names.size() == 1;
    const int total = point + policy.window;
    why += (why.empty() ? "" : "; ") + names_text(names) + (one ? " changes" : " change") + " speed at call " +
           std::to_string(point) + " (" + (one ? "its" : "their") + " known warm-up point), after which the detector needs " +
           window + " more iterations, " + std::to_string(total) + " in all";
    needed = std::max(needed, total);
  }
  return in_force("--max-warmup", std::to_string(policy.max_iterations), options.max_warmup.has_value(), quick) +
         " ends warm-up before a steady state could be found: " + why + "; raise --max-warmup to at least " +
         std::to_string(needed);
}

}  // namespace

void add_warmup_options(CLI::App* cmd, WarmupOptions& options, const std::string& unit) {
  using validators::not_empty;
  const WarmupDefaults& d = kWarmupDefault;
  const WarmupDefaults& q = kWarmupQuick;
  cmd->add_option("--warmup", options.warmup,
                  "auto (default): each " + unit + " warms up until its series is steady, then measures; or a fixed "
                  "number of unmeasured iterations (the four options below apply to auto only)")
      ->check(not_empty());
  cmd->add_option("--steady-window", options.steady_window,
                  "auto warm-up: steady iterations needed before measuring, and iterations to watch after an "
                  "engine's known warm-up point (default " + std::to_string(d.window) + "; quick " +
                      std::to_string(q.window) + "; at least " + std::to_string(kMinSteadyWindow) + ")")
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
                      std::to_string(d.max_warmup) + "; quick " + std::to_string(q.max_warmup) + "); at least " +
                      std::to_string(warmup::kMinimumIterations) + " and the window, and for an engine with a known "
                      "warm-up point (CPython's 8th call) that point plus the window")
      ->check(not_empty());
  cmd->add_option("--max-warmup-time", options.max_warmup_seconds,
                  "auto warm-up: at most this many seconds of warm-up iterations per " + unit + " (default " +
                      text::format_plain_number(d.max_warmup_seconds) + "; quick " +
                      text::format_plain_number(q.max_warmup_seconds) + "); a " + unit +
                      " that reaches a cap without a steady state is reported as such")
      ->check(validators::seconds(0, false));
}

std::optional<WarmupPolicy> warmup_policy(const WarmupOptions& options, bool quick, const std::vector<WatchedEngine>& watched,
                                          std::string& problem) {
  const WarmupDefaults& d = quick ? kWarmupQuick : kWarmupDefault;
  WarmupPolicy policy;
  policy.window = options.steady_window.value_or(d.window);
  policy.max_iterations = options.max_warmup.value_or(d.max_warmup);
  policy.max_seconds = options.max_warmup_seconds.value_or(d.max_warmup_seconds);
  policy.min_steady_seconds = options.min_steady_seconds.value_or(d.min_steady_seconds);
  policy.automatic = options.warmup == "auto";
  if (!policy.automatic) {
    problem = fixed_count_problem(options, policy);
    if (!problem.empty()) return std::nullopt;
    return policy;
  }
  // An engine's known point asks for the most iterations, so its problem, when there is one, comes first.
  if (policy.window < kMinSteadyWindow) {
    problem = "--steady-window " + std::to_string(policy.window) + ": expected at least " + std::to_string(kMinSteadyWindow);
  }
  if (problem.empty()) problem = known_point_problem(options, policy, quick, watched);
  if (problem.empty()) problem = room_problem(options, policy, quick);
  if (problem.empty() && policy.min_steady_seconds > policy.max_seconds) {
    problem = in_force("--min-steady-time", text::format_plain_number(policy.min_steady_seconds),
                       options.min_steady_seconds.has_value(), quick) +
              " is longer than " +
              in_force("--max-warmup-time", text::format_plain_number(policy.max_seconds),
                       options.max_warmup_seconds.has_value(), quick) +
              ": no warm-up could last it; raise --max-warmup-time to at least " +
              text::format_plain_number(policy.min_steady_seconds) + " or give a shorter --min-steady-time";
  }
  if (!problem.empty()) return std::nullopt;
  return policy;
}

}  // namespace polyhost
