// Warm-up analysis of one in-process series of iteration times, after Barrett et al., "Virtual
// Machine Warmup Blows Hot and Cold" (OOPSLA 2017): remove outliers, find changepoints in mean and
// variance with PELT (penalty 15 log n), and classify the series as flat, warmup, slowdown or
// no steady state, with the iteration where the steady state starts and its time.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace polyhost::warmup {

enum class Kind { Flat, Warmup, Slowdown, NoSteadyState, TooShort };
const char* kind_name(Kind kind);  // "flat", "warmup", "slowdown", "no steady state", "too short"
std::optional<Kind> kind_from_name(const std::string& name);  // the reverse

struct Segment {
  std::size_t begin, end;  // [begin, end) in the series without outliers
  double mean, stdev;
};

struct Analysis {
  Kind kind = Kind::TooShort;
  std::optional<std::size_t> steady_iteration;  // 1-based, in the original series
  std::optional<double> steady_ns;               // median of the steady-state iterations
  // NoSteadyState: the 1-based iteration where the series' last level starts (too few iterations
  // at it, or still drifting, to be a steady state).
  std::optional<std::size_t> last_level_iteration;
  std::vector<std::size_t> outliers;             // 0-based indices into the original series
  std::vector<Segment> segments;                 // over the series with outliers removed
};

constexpr std::size_t kMinimumIterations = 10;

// SERIES is every in-process iteration in order (warm-up iterations included), in any time unit.
// The steady state is the last stretch of one level (segments within 1% or the noise within segments of
// each other are one level) that does not drift; a series whose level keeps drifting to its end
// has no steady state, however smooth the drift.
Analysis classify(const std::vector<double>& series);

// For a process still warming up: the 0-based iteration where SERIES's steady state starts, once
// there is one with at least WINDOW iterations in it and WINDOW iterations have been seen after the
// engine's known warm-up point KNOWN_POINT (CPython 3.11 quickens a function on its 8th call, so a
// flat start proves nothing before it); nothing while that is not yet so.
std::optional<std::size_t> steady_start(const std::vector<double>& series, std::size_t known_point, std::size_t window);

// Tukey's fences (3 x IQR) in a sliding window of 200 iterations. Only runs of at most two
// iterations outside the fences are outliers: a longer run is a change of level, and the leading
// run of slow iterations is what warm-up looks like. Returns 0-based indices.
std::vector<std::size_t> find_outliers(const std::vector<double>& series);

// Whether VALUES drift in one direction: a Mann-Kendall test finds a monotone trend (two-sided
// p < 0.05) AND the Theil-Sen slope over the whole stretch moves the level by more than 5% of its
// median. Both are needed: noise alone can pass the first on a long series, or the second on a short
// noisy one. A gradual fall over a few iterations (a JIT tiering up) is such a drift, although no
// single step is large enough for PELT to cut there.
bool drifts(const std::vector<double>& values);

// PELT (Killick et al. 2012) with the normal mean-and-variance cost; returns the end index of each
// segment (the last is series.size()). Segments have at least two points.
std::vector<std::size_t> changepoints(const std::vector<double>& series, double penalty);

// Combines the analyses of several processes of one run: their common kind, or "inconsistent".
struct Summary {
  std::string classification;  // a kind name, "inconsistent", or "too short"
  std::string detail;          // "3 warmup", "2 warmup, 1 flat"
  std::optional<double> steady_iteration;  // median over processes that reached a steady state
  std::optional<double> steady_ns;         // median over those processes
};
Summary summarize(const std::vector<Analysis>& processes);

}  // namespace polyhost::warmup
