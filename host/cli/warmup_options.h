// The warm-up options `run` and `scale` share: --warmup auto|N, --steady-window, --min-steady-time,
// --max-warmup and --max-warmup-time, with the same meaning and defaults, turned into a WarmupPolicy.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "host/model/results.h"

namespace polyhost {

struct WarmupOptions {
  std::string warmup = "auto";                   // "auto" (until steady) or a number of iterations
  std::optional<int> steady_window, max_warmup;  // defaults depend on --quick
  std::optional<double> max_warmup_seconds, min_steady_seconds;
};

struct WarmupDefaults {
  int window, max_warmup;  // steady iterations needed; the cap on warm-up iterations
  double max_warmup_seconds;
  double min_steady_seconds;  // the steady iterations' total time, at least
};
// Chosen with run's: the 19-workload suite should take about 3 minutes (default; 3-3.5 measured
// before run's extra processes and minimum measured time, 3 min 45 s with them) and at most 30 s
// (--quick; 19-22 s measured) on 2 cores.
inline constexpr WarmupDefaults kWarmupDefault{10, 200, 20, 0.2};
inline constexpr WarmupDefaults kWarmupQuick{8, 400, 4, 0.05};

// Adds the five options to CMD. UNIT names what warms up on its own ("process", "thread").
void add_warmup_options(CLI::App* cmd, WarmupOptions& options, const std::string& unit);

// What --warmup auto will watch: a configuration (or scale mode) as the user named it, with its
// engine's known warm-up point (0: none).
struct WatchedEngine {
  std::string name;
  int known_warmup_point = 0;
};

// The policy OPTIONS ask for (defaults from QUICK), or nothing with PROBLEM set to a usage error:
// an auto-only option with a fixed --warmup, or caps under which the detector could never find a
// steady state (for any series, or for one of WATCHED's engines before its known point plus a window).
std::optional<WarmupPolicy> warmup_policy(const WarmupOptions& options, bool quick, const std::vector<WatchedEngine>& watched,
                                          std::string& problem);

}  // namespace polyhost
