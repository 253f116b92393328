#include "host/stats/warmup.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <optional>

#include "host/stats/statistics.h"

namespace polyhost::warmup {
namespace {

constexpr std::size_t kOutlierWindow = 200;
constexpr double kFenceIqrs = 3.0;
constexpr std::size_t kMaxOutlierRun = 2;
constexpr std::size_t kMinSegment = 2;
// Segments whose means differ by less than this fraction of the final mean (or by less than the
// series' noise: see noise_within) are the same state: a 1% difference is not a new speed.
constexpr double kSameStateFraction = 0.01;
// The steady state must cover this share of the series, or there is no steady state to speak of.
constexpr double kMinimumSteadyShare = 0.25;

// The Q-quantile of sorted values (linear interpolation between the order statistics around it).
double quantile_of_sorted(const std::vector<double>& sorted, double q) {
  double pos = q * static_cast<double>(sorted.size() - 1);
  auto lo = static_cast<std::size_t>(std::floor(pos));
  std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (pos - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

Segment describe(const std::vector<double>& xs, std::size_t begin, std::size_t end) {
  double sum = 0;
  for (std::size_t i = begin; i < end; ++i) sum += xs[i];
  double mean = sum / static_cast<double>(end - begin);
  double squares = 0;
  for (std::size_t i = begin; i < end; ++i) squares += (xs[i] - mean) * (xs[i] - mean);
  double stdev = end - begin > 1 ? std::sqrt(squares / static_cast<double>(end - begin - 1)) : 0.0;
  return {begin, end, mean, stdev};
}

// The standard normal's upper tail, P(Z > z).
double normal_tail(double z) { return 0.5 * std::erfc(z / std::sqrt(2.0)); }

constexpr double kDriftAlpha = 0.05;
constexpr double kDriftShare = 0.05;
constexpr std::size_t kMinDriftPoints = 4;   // Mann-Kendall cannot reach p < 0.05 with fewer
constexpr std::size_t kMaxDriftPoints = 400;  // the tests are O(n^2): a longer stretch is thinned to this many
// A segment that differs from the steady level, between two at it, is an excursion (a burst of slow
// calls: a collection cycle, the machine's other work) rather than the steady state's end when it
// is this short: at most this many iterations, or this share of the level's iterations around it.
constexpr std::size_t kMaxExcursion = 3;
constexpr double kMaxExcursionShare = 0.125;

// The spread that tells two segments' means apart: the last segment's standard deviation, unless
// it is too short to say what the noise is. PELT can end a series with a segment of two points that
// straddle two levels (a series alternating between 2 and 3 ms every 20 calls, stopped
// mid-switch); its spread made every segment at either level "the same state", and the verdict hung
// on where the series stopped. A short last segment gets the median of all segments' spreads, when
// there are enough segments for a median to leave one out: of two it is their mean, and a noisy
// tail of six calls 2.7% above a long level (one 60 ms call among 2 ms ones) then became a new state.
double noise_within(const std::vector<Segment>& segments) {
  constexpr std::size_t kTrustedLength = 10;
  constexpr std::size_t kFewestForMedian = 3;
  const Segment& last = segments.back();
  if (last.end - last.begin >= kTrustedLength || segments.size() < kFewestForMedian) return last.stdev;
  std::vector<double> spreads;
  for (const Segment& s : segments) spreads.push_back(s.stdev);
  return stats::median(std::move(spreads));
}

bool same_state(const Segment& a, const Segment& last, double noise) {
  double tolerance = std::max(noise, kSameStateFraction * std::fabs(last.mean));
  return std::fabs(a.mean - last.mean) <= tolerance;
}

}  // namespace

const char* kind_name(Kind kind) {
  switch (kind) {
    case Kind::Flat: return "flat";
    case Kind::Warmup: return "warmup";
    case Kind::Slowdown: return "slowdown";
    case Kind::NoSteadyState: return "no steady state";
    case Kind::TooShort: return "too short";
  }
  return "?";
}

namespace {

// ALL, or for a long stretch the medians of consecutive blocks of it (the newest block full, the
// oldest perhaps shorter): at most kMaxDriftPoints values that still span the whole stretch, so that
// a slow creep over thousands of iterations is seen as one.
std::vector<double> thinned_for_drift(const std::vector<double>& all) {
  if (all.size() <= kMaxDriftPoints) return all;
  const std::size_t block = (all.size() + kMaxDriftPoints - 1) / kMaxDriftPoints;
  std::vector<double> out;
  for (std::size_t end = all.size(); end > 0; end -= std::min(end, block)) {
    const std::size_t begin = end - std::min(end, block);
    out.push_back(stats::median(std::vector<double>(all.begin() + static_cast<long>(begin), all.begin() + static_cast<long>(end))));
  }
  std::reverse(out.begin(), out.end());
  return out;
}

}  // namespace

bool drifts(const std::vector<double>& all) {
  if (all.size() < kMinDriftPoints) return false;
  const std::vector<double> xs = thinned_for_drift(all);
  const std::size_t n = xs.size();
  // Mann-Kendall: S counts rising pairs minus falling ones; its variance, corrected for ties.
  double s = 0;
  std::vector<double> slopes;
  slopes.reserve(n * (n - 1) / 2);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i + 1; j < n; ++j) {
      s += (xs[j] > xs[i]) - (xs[j] < xs[i]);
      slopes.push_back((xs[j] - xs[i]) / static_cast<double>(j - i));
    }
  }
  std::map<double, int> ties;
  for (double x : xs) ties[x]++;
  double variance = static_cast<double>(n) * (n - 1) * (2 * n + 5);
  for (const auto& [value, count] : ties) variance -= static_cast<double>(count) * (count - 1) * (2 * count + 5);
  variance /= 18.0;
  if (variance <= 0) return false;
  const double z = (std::fabs(s) - 1.0) / std::sqrt(variance);  // with continuity correction
  if (2 * normal_tail(z) >= kDriftAlpha) return false;
  const double slope = stats::median(std::move(slopes));  // Theil-Sen
  const double level = std::fabs(stats::median(xs));
  return level > 0 && std::fabs(slope) * static_cast<double>(n - 1) > kDriftShare * level;
}

std::optional<Kind> kind_from_name(const std::string& name) {
  for (Kind kind : {Kind::Flat, Kind::Warmup, Kind::Slowdown, Kind::NoSteadyState, Kind::TooShort}) {
    if (name == kind_name(kind)) return kind;
  }
  return std::nullopt;
}

std::vector<std::size_t> find_outliers(const std::vector<double>& series) {
  std::vector<std::size_t> out;
  const std::size_t n = series.size();
  if (n < 4) return out;
  const std::size_t window = std::min(kOutlierWindow, n);
  std::vector<bool> outside(n, false);
  std::vector<double> around;
  std::optional<std::size_t> sorted_from;  // the window AROUND holds, sorted (most points share one)
  double low_fence = 0, high_fence = 0;
  for (std::size_t i = 0; i < n; ++i) {
    // A window of WINDOW points around i, shifted to stay inside the series.
    std::size_t begin = i >= window / 2 ? i - window / 2 : 0;
    begin = std::min(begin, n - window);
    if (sorted_from != begin) {
      around.assign(series.begin() + static_cast<long>(begin), series.begin() + static_cast<long>(begin + window));
      std::sort(around.begin(), around.end());
      sorted_from = begin;
      const double q1 = quantile_of_sorted(around, 0.25), q3 = quantile_of_sorted(around, 0.75);
      const double iqr = std::max(q3 - q1, 1e-3 * std::fabs(quantile_of_sorted(around, 0.5)));
      low_fence = q1 - kFenceIqrs * iqr;
      high_fence = q3 + kFenceIqrs * iqr;
    }
    outside[i] = series[i] < low_fence || series[i] > high_fence;
  }
  // Only short runs are outliers: a longer run outside the fences is a change of level (the
  // changepoint analysis is for those), and the leading run is what warm-up looks like.
  for (std::size_t i = 0; i < n;) {
    if (!outside[i]) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < n && outside[end]) ++end;
    if (i > 0 && end - i <= kMaxOutlierRun) {
      for (std::size_t k = i; k < end; ++k) out.push_back(k);
    }
    i = end;
  }
  return out;
}

std::vector<std::size_t> changepoints(const std::vector<double>& series, double penalty) {
  const std::size_t n = series.size();
  if (n < 2 * kMinSegment) return {n};
  // Work on the series scaled by its median, with the variance floored at (0.1% of it)^2, so that
  // perfectly constant stretches cannot have a cost of minus infinity.
  double scale = std::fabs(stats::median(series));
  if (scale == 0) scale = 1;
  std::vector<double> s1(n + 1, 0.0), s2(n + 1, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    double x = series[i] / scale;
    s1[i + 1] = s1[i] + x;
    s2[i + 1] = s2[i] + x * x;
  }
  constexpr double kVarianceFloor = 1e-6;
  auto cost = [&](std::size_t b, std::size_t e) {  // segment [b, e): n log(variance), the normal likelihood
    double m = static_cast<double>(e - b);
    double mean = (s1[e] - s1[b]) / m;
    double variance = std::max((s2[e] - s2[b]) / m - mean * mean, kVarianceFloor);
    return m * std::log(variance);
  };
  std::vector<double> best(n + 1, std::numeric_limits<double>::infinity());
  std::vector<std::size_t> previous(n + 1, 0);
  best[0] = -penalty;
  std::vector<std::size_t> candidates{0};
  for (std::size_t t = kMinSegment; t <= n; ++t) {
    for (std::size_t s : candidates) {
      if (t - s < kMinSegment || (s != 0 && s < kMinSegment)) continue;
      if (n - t > 0 && n - t < kMinSegment) continue;  // the rest could not form a segment
      double value = best[s] + cost(s, t) + penalty;
      if (value < best[t]) {
        best[t] = value;
        previous[t] = s;
      }
    }
    // PELT's pruning: a start that cannot beat t now never will.
    std::vector<std::size_t> kept;
    for (std::size_t s : candidates) {
      if (t - s < kMinSegment || best[s] + cost(s, t) <= best[t]) kept.push_back(s);
    }
    if (std::isfinite(best[t])) kept.push_back(t);
    candidates.swap(kept);
  }
  std::vector<std::size_t> ends;
  for (std::size_t t = n; t > 0; t = previous[t]) ends.push_back(t);
  std::reverse(ends.begin(), ends.end());
  return ends;
}

namespace {

// The first start from BEGIN on from which KEPT does not drift to its end. A long stretch is
// walked in steps of a 64th of it and the step where the drift ends halved down to one iteration:
// a few dozen tests of up to kMaxDriftPoints values, where one test per iteration made a check of
// thousands of iterations cost seconds (the online detector checks as the series grows).
std::size_t end_of_drift(const std::vector<double>& kept, std::size_t begin) {
  auto drifts_from = [&kept](std::size_t b) {
    return kept.size() - b > kMinSegment && drifts(std::vector<double>(kept.begin() + static_cast<long>(b), kept.end()));
  };
  const std::size_t step = std::max<std::size_t>(1, (kept.size() - begin) / 64);
  std::size_t drifting = begin;  // the last start known to drift, once one is
  if (!drifts_from(begin)) return begin;
  std::size_t next = begin + step;
  while (next < kept.size() && drifts_from(next)) {
    drifting = next;
    next += step;
  }
  next = std::min(next, kept.size());
  // (drifting, next]: the drift ends somewhere in here.
  while (next - drifting > 1) {
    const std::size_t middle = drifting + (next - drifting) / 2;
    (drifts_from(middle) ? drifting : next) = middle;
  }
  return std::min(next, kept.size() - 1);
}

// Where KEPT's segments end: PELT with penalty 15 log n. A series longer than kMaxPeltPoints is
// cut by the means of consecutive blocks of it, the ends then mapped back (to within a block):
// PELT prunes little on a series without changes, so its time grows with the square of the length
// (a report of two 50,000-iteration processes took 50 s of CPU, most of it here).
std::vector<std::size_t> segment_ends(const std::vector<double>& kept) {
  constexpr std::size_t kMaxPeltPoints = 2000;
  const std::size_t block = (kept.size() + kMaxPeltPoints - 1) / kMaxPeltPoints;
  if (block <= 1) return changepoints(kept, 15.0 * std::log(static_cast<double>(kept.size())));
  std::vector<double> means;
  for (std::size_t b = 0; b < kept.size(); b += block) {
    const std::size_t e = std::min(b + block, kept.size());
    means.push_back(std::accumulate(kept.begin() + static_cast<long>(b), kept.begin() + static_cast<long>(e), 0.0) /
                    static_cast<double>(e - b));
  }
  std::vector<std::size_t> ends = changepoints(means, 15.0 * std::log(static_cast<double>(means.size())));
  for (std::size_t& end : ends) end = std::min(end * block, kept.size());
  return ends;
}

}  // namespace

Analysis classify(const std::vector<double>& series) {
  Analysis analysis;
  analysis.outliers = find_outliers(series);
  std::vector<double> kept;
  std::vector<std::size_t> original;  // index in SERIES of each kept point
  for (std::size_t i = 0, o = 0; i < series.size(); ++i) {
    if (o < analysis.outliers.size() && analysis.outliers[o] == i) {
      ++o;
      continue;
    }
    kept.push_back(series[i]);
    original.push_back(i);
  }
  if (kept.size() < kMinimumIterations) return analysis;  // too short

  std::size_t begin = 0;
  for (std::size_t end : segment_ends(kept)) {
    analysis.segments.push_back(describe(kept, begin, end));
    begin = end;
  }
  const Segment& last = analysis.segments.back();
  const double noise = noise_within(analysis.segments);
  std::size_t first_steady = analysis.segments.size() - 1;
  while (first_steady > 0) {
    const Segment& before = analysis.segments[first_steady - 1];
    if (same_state(before, last, noise)) {
      --first_steady;
      continue;
    }
    if (first_steady < 2 || !same_state(analysis.segments[first_steady - 2], last, noise)) break;
    const Segment& level_before = analysis.segments[first_steady - 2];
    const std::size_t at_level = (kept.size() - analysis.segments[first_steady].begin) + (level_before.end - level_before.begin);
    const std::size_t excursion = before.end - before.begin;
    if (excursion > std::max<std::size_t>(kMaxExcursion, static_cast<std::size_t>(kMaxExcursionShare * static_cast<double>(at_level)))) break;
    first_steady -= 2;
  }

  // Segments merged as one level may still drift (a smooth fall has no step for PELT to cut at):
  // the steady state starts where the drift ends.
  std::size_t steady_begin = analysis.segments[first_steady].begin;
  const std::size_t merged_begin = steady_begin;
  steady_begin = end_of_drift(kept, steady_begin);
  const double steady_share = static_cast<double>(kept.size() - steady_begin) / static_cast<double>(kept.size());
  if (steady_share < kMinimumSteadyShare) {
    analysis.kind = Kind::NoSteadyState;
    analysis.last_level_iteration = original[steady_begin] + 1;
    return analysis;
  }
  analysis.steady_iteration = original[steady_begin] + 1;
  const std::vector<double> steady(kept.begin() + static_cast<long>(steady_begin), kept.end());
  analysis.steady_ns = stats::median(steady);
  if (steady_begin == 0) {
    analysis.kind = Kind::Flat;
  } else {
    // Slower before the steady state than in it is warm-up; faster is a slowdown.
    const double before = steady_begin > merged_begin
                              ? stats::median(std::vector<double>(kept.begin() + static_cast<long>(merged_begin),
                                                              kept.begin() + static_cast<long>(steady_begin)))
                              : analysis.segments[first_steady - 1].mean;
    analysis.kind = before > *analysis.steady_ns ? Kind::Warmup : Kind::Slowdown;
  }
  return analysis;
}

namespace {

// Two medians of one level: within 10% of each other.
bool same_level(double a, double b) {
  constexpr double kLevelTolerance = 0.10;
  return std::fabs(a - b) <= kLevelTolerance * std::min(std::fabs(a), std::fabs(b));
}

// Whether STRETCH is at one level from its first half to its second (medians within 10%). With
// few iterations PELT's penalty can leave a fall and a rise in one segment, and a fall-then-rise
// drifts in no one direction: a JIT's warm-up under ever more work looked steady from iteration 0.
// Only the newest multiple of four iterations count, so that each half has an even length and a
// two-iteration rhythm gives both halves the same median.
bool halves_level(const std::vector<double>& stretch) {
  const std::size_t used = stretch.size() - stretch.size() % 4;
  if (used < 4) return true;
  const auto begin = stretch.end() - static_cast<long>(used);
  const auto middle = begin + static_cast<long>(used / 2);
  const double first = stats::median(std::vector<double>(begin, middle));
  const double second = stats::median(std::vector<double>(middle, stretch.end()));
  return same_level(first, second);
}

// How far iterations must lie from a level to be off it (as a share of the level's median or range).
constexpr double kOffLevel = 0.05;

// Whether all of POINTS lie above the upper quartile of LEVEL, or all below its lower one, and by
// more than 5% of LEVEL's median. By rank, not by the points' median: a stretch that alternates
// between two levels at random is one level, and the median of a few of its iterations lands on
// either level. The 5%: in a level stretch three iterations lie beyond a quartile by chance one
// time in 32, and a flat series of sub-millisecond calls that reached the iteration cap was then
// reported unsteady for being 0.3% faster at its end.
bool all_off_the_level(const std::vector<double>& points, std::vector<double> level) {
  std::sort(level.begin(), level.end());
  const double median = quantile_of_sorted(level, 0.5);
  const double lower = std::min(quantile_of_sorted(level, 0.25), median * (1 - kOffLevel));
  const double upper = std::max(quantile_of_sorted(level, 0.75), median * (1 + kOffLevel));
  return std::all_of(points.begin(), points.end(), [upper](double x) { return x > upper; }) ||
         std::all_of(points.begin(), points.end(), [lower](double x) { return x < lower; });
}

// Whether STRETCH's newest iterations (3 to 12 of them) are off the level of the iterations before
// them, all of them or the twelve just before: a change in the last few iterations, which moves
// neither half's median (V8's async_tasks slows from 7.3 to 9 ms a call after a collection at its
// 22nd call, a level that lasts tens of calls or the whole process; warm-up ended two calls later
// with every measured call at the new level). The twelve just before too, because a stretch that
// began in the warm-up (9-12 ms calls before the 7.3 ms level) put the whole stretch's upper quartile
// above the new level's calls; and up to twelve newest, so that the change is seen until the
// segmentation cuts at it.
bool ends_off_its_level(const std::vector<double>& stretch) {
  constexpr std::size_t kNewest = 3;
  constexpr std::size_t kMostNewest = 12;
  constexpr std::size_t kRecent = 12;
  for (std::size_t k = kNewest; k <= kMostNewest && stretch.size() >= k + 3 * kNewest; ++k) {
    const auto newest = stretch.end() - static_cast<long>(k);
    const std::vector<double> points(newest, stretch.end());
    const auto recent = newest - static_cast<long>(std::min<std::size_t>(kRecent, static_cast<std::size_t>(newest - stretch.begin())));
    if (all_off_the_level(points, std::vector<double>(stretch.begin(), newest)) ||
        all_off_the_level(points, std::vector<double>(recent, newest))) {
      return true;
    }
  }
  return false;
}

// Whether the oldest iterations that halves_level leaves out (the stretch's length beyond a
// multiple of four: one to three) all lie beyond every iteration of the stretch's newer half, on one
// side and by more than 5%: a level the halves did not see. A stretch of 4 calls at 80-98 ms and 7
// at 40-56 (a 2:1 step, two fast calls noisy) was "level" over its newest 8, one slow call among
// them, and the steady state started at the 4th call, among the slow ones. (Beyond the newer half's
// range, not its quartiles, so that a two-iteration rhythm is still one level.)
bool starts_off_its_level(const std::vector<double>& stretch) {
  const std::size_t left_out = stretch.size() % 4;
  if (left_out == 0 || stretch.size() < 4 + left_out) return false;
  const auto newer_half = stretch.end() - static_cast<long>((stretch.size() - left_out) / 2);
  const auto [lowest, highest] = std::minmax_element(newer_half, stretch.end());
  const auto oldest_end = stretch.begin() + static_cast<long>(left_out);
  return std::all_of(stretch.begin(), oldest_end, [high = *highest](double x) { return x > high * (1 + kOffLevel); }) ||
         std::all_of(stretch.begin(), oldest_end, [low = *lowest](double x) { return x < low * (1 - kOffLevel); });
}

// Whether SERIES is at one level before POINT (from BEGIN) and from POINT on: their medians within
// 10%, as halves_level asks of a stretch's halves, and no smaller shift that the calls show clearly
// (a Mann-Whitney test at 1%, and over 2%): where an engine is known to change speed, a change of
// 5% under 1% of noise is a change, which the 10% alone let pass (then the slow calls before it
// were counted as steady). (For the known warm-up point, POINT is its call: CPython's 8th, index 7.)
bool level_across(const std::vector<double>& series, std::size_t begin, std::size_t point) {
  constexpr double kClearShift = 0.02;
  constexpr double kSignificance = 0.01;
  const std::vector<double> before_calls(series.begin() + static_cast<long>(begin), series.begin() + static_cast<long>(point));
  const std::vector<double> after_calls(series.begin() + static_cast<long>(point), series.end());
  const double before = stats::median(before_calls);
  const double after = stats::median(after_calls);
  if (!same_level(before, after)) return false;
  if (std::fabs(before - after) <= kClearShift * std::min(before, after)) return true;
  return stats::mann_whitney_u(before_calls, after_calls).p_value >= kSignificance;
}

// Whether the call at BEGIN is slower than every later call of SERIES, by more than 5%: it still
// paid for warm-up, and a steady state does not start with it.
bool slower_than_all_after(const std::vector<double>& series, std::size_t begin) {
  const double slowest_after = *std::max_element(series.begin() + static_cast<long>(begin) + 1, series.end());
  return series[begin] > slowest_after * (1 + kOffLevel);
}

bool one_level(const std::vector<double>& stretch) {
  return halves_level(stretch) && !ends_off_its_level(stretch) && !starts_off_its_level(stretch);
}

}  // namespace

std::optional<std::size_t> steady_start(const std::vector<double>& series, std::size_t known_point, std::size_t window) {
  if (series.size() < known_point + window) return std::nullopt;
  const Analysis a = classify(series);
  if (!a.steady_iteration) return std::nullopt;
  std::size_t begin = *a.steady_iteration - 1;
  // A stretch that starts before the engine's known warm-up point must be at one level across it:
  // with noisy fast iterations (9 and 13 ms by turns under load, after seven at 21.6 ms) neither
  // PELT nor the drift test saw CPython's quickening, and the slow calls before it were counted in.
  // Then the steady state starts at the known point's own call (CPython's 8th runs quickened).
  if (begin + 1 < known_point && !level_across(series, begin, known_point - 1)) begin = known_point - 1;
  // Nor with a call slower than all after it: CPython's 8th call quickens the function first, which
  // for a long function (20,000 lines, one call per run()) took 1.5 times an unquickened call and
  // 3.7 times a quickened one, and the steady state started at that call.
  while (begin + 1 < series.size() && slower_than_all_after(series, begin)) ++begin;
  if (series.size() - begin < window) return std::nullopt;
  if (!one_level(std::vector<double>(series.begin() + static_cast<long>(begin), series.end()))) return std::nullopt;
  return begin;
}

Summary summarize(const std::vector<Analysis>& processes) {
  Summary summary;
  std::map<std::string, int> counts;
  std::vector<double> iterations, times;
  for (const auto& a : processes) {
    counts[kind_name(a.kind)]++;
    if (a.steady_iteration) iterations.push_back(static_cast<double>(*a.steady_iteration));
    if (a.steady_ns) times.push_back(*a.steady_ns);
  }
  if (processes.empty()) {
    summary.classification = "too short";
    return summary;
  }
  for (const auto& [name, count] : counts) {
    summary.detail += (summary.detail.empty() ? "" : ", ") + std::to_string(count) + " " + name;
  }
  summary.classification = counts.size() == 1 ? counts.begin()->first : "inconsistent";
  if (!iterations.empty()) summary.steady_iteration = stats::median(iterations);
  if (!times.empty()) summary.steady_ns = stats::median(times);
  return summary;
}

}  // namespace polyhost::warmup
