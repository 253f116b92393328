// The warm-up options `run` and `scale` share: which combinations are usage errors, and what the
// errors say.
#include <catch2/catch.hpp>

#include <string>

#include "host/cli/warmup_options.h"

using namespace polyhost;

namespace {

const std::vector<WatchedEngine> kCPythonAndV8 = {{"v8-jit", 0}, {"cpython", 8}};

// The usage error OPTIONS make, "" when they make none.
std::string problem_of(const WarmupOptions& options, bool quick = false, const std::vector<WatchedEngine>& watched = kCPythonAndV8) {
  std::string problem;
  const auto policy = warmup_policy(options, quick, watched, problem);
  CHECK(policy.has_value() == problem.empty());
  return problem;
}

WarmupOptions auto_with(std::optional<int> window, std::optional<int> max_warmup) {
  WarmupOptions options;
  options.steady_window = window;
  options.max_warmup = max_warmup;
  return options;
}

}  // namespace

TEST_CASE("A cap below an engine's known warm-up point plus the window is a usage error naming both", "[warmup_options]") {
  const std::string problem = problem_of(auto_with(5, 12));
  CHECK(problem.find("--max-warmup 12") == 0);
  CHECK(problem.find("cpython changes speed at call 8 (its known warm-up point)") != std::string::npos);
  CHECK(problem.find("--steady-window 5 more iterations, 13 in all") != std::string::npos);
  CHECK(problem.find("raise --max-warmup to at least 13") != std::string::npos);
  CHECK(problem.find("v8-jit") == std::string::npos);
  CHECK(problem_of(auto_with(5, 13)).empty());
  // Without an engine that has a known point, 12 leaves room enough.
  CHECK(problem_of(auto_with(5, 12), false, {{"v8-jit", 0}, {"pypy3", 0}}).empty());
}

TEST_CASE("Every configuration with a known point is named, and a default window says it is one", "[warmup_options]") {
  const std::string problem = problem_of(auto_with(std::nullopt, 12), true, {{"cpython", 8}, {"node", 0}, {"python3", 8}});
  CHECK(problem.find("cpython and python3 change speed at call 8 (their known warm-up point)") != std::string::npos);
  CHECK(problem.find("--steady-window 8 (the --quick default) more iterations, 16 in all") != std::string::npos);
}

TEST_CASE("A cap under the iterations the detector classifies at all is a usage error for any engine", "[warmup_options]") {
  const std::string problem = problem_of(auto_with(5, 9), false, {{"v8-jit", 0}});
  CHECK(problem.find("--max-warmup 9 ends every warm-up") == 0);
  CHECK(problem.find("no series under 10 iterations") != std::string::npos);
  CHECK(problem.find("raise --max-warmup to at least 10") != std::string::npos);
  const std::string below_window = problem_of(auto_with(std::nullopt, 6), true, {{"v8-jit", 0}});
  CHECK(below_window.find("--max-warmup 6 ends every warm-up") == 0);
  CHECK(below_window.find("--steady-window 8 (the --quick default)") != std::string::npos);
  CHECK(problem_of(auto_with(12, 11), false, {{"v8-jit", 0}}).find("at least 12") != std::string::npos);
  CHECK(problem_of(auto_with(3, std::nullopt)) == "--steady-window 3: expected at least 5");
}

TEST_CASE("A minimum steady time longer than the time cap names where each value came from", "[warmup_options]") {
  WarmupOptions options;
  options.max_warmup_seconds = 0.1;
  CHECK(problem_of(options).find("--min-steady-time 0.2 (the default) is longer than --max-warmup-time 0.1:") == 0);
  options.max_warmup_seconds = 0.01;
  CHECK(problem_of(options, true).find("--min-steady-time 0.05 (the --quick default) is longer") == 0);
  options.min_steady_seconds = 0.005;
  CHECK(problem_of(options, true).empty());
  WarmupOptions floor;
  floor.min_steady_seconds = 30;
  CHECK(problem_of(floor).find("--min-steady-time 30 is longer than --max-warmup-time 20 (the default)") == 0);
}

TEST_CASE("A fixed warm-up refuses every auto-only option alike, and takes none of their checks", "[warmup_options]") {
  WarmupOptions options;
  options.warmup = "5";
  CHECK(problem_of(options).empty());
  options.max_warmup = 2;
  CHECK(problem_of(options) ==
        "--max-warmup applies to --warmup auto only, and --warmup 5 is a fixed count of warm-up iterations: drop it, "
        "or use --warmup auto");
  WarmupOptions ignored;
  ignored.warmup = "5";
  ignored.steady_window = 50;
  ignored.min_steady_seconds = 3;
  CHECK(problem_of(ignored).find("--steady-window and --min-steady-time apply to --warmup auto only") == 0);
  ignored.max_warmup_seconds = 9;
  CHECK(problem_of(ignored).find("--steady-window, --min-steady-time and --max-warmup-time apply") == 0);
  WarmupOptions bad;
  bad.warmup = "soon";
  CHECK(problem_of(bad).find("--warmup soon: expected auto or a number") == 0);
}
