// Unit tests for host/runner/statistics.{h,cc}.
#include "host/stats/statistics.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

namespace ps = polyhost::stats;

namespace {

// Uniform double in [0, 1) built directly from std::mt19937_64 output (whose
// sequence is fixed by the standard), so the synthetic data below is the same
// on every platform; std::*_distribution algorithms are implementation-defined.
double uniform01(std::mt19937_64& rng) {
  return static_cast<double>(rng() >> 11) * (1.0 / 9007199254740992.0);  // 2^-53
}

// `n` samples uniformly spread in center * [1 - spread, 1 + spread).
std::vector<double> noisy(std::size_t n, double center, double spread,
                          std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<double> v(n);
  for (double& x : v) x = center * (1.0 + spread * (2.0 * uniform01(rng) - 1.0));
  return v;
}

// Samples whose value equals their 1-based rank (1, 2, ..., n), shuffled so
// median_ci also has to cope with unsorted input. The returned interval then
// directly reads as the pair of ranks.
std::vector<double> ranks_shuffled(std::size_t n) {
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<double>(i + 1);
  std::mt19937_64 rng(42);
  for (std::size_t i = n; i > 1; --i) {
    std::swap(v[i - 1], v[static_cast<std::size_t>(rng() % i)]);
  }
  return v;
}

std::vector<double> ranks_sorted(std::size_t n) {
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<double>(i + 1);
  return v;
}

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

}  // namespace

TEST_CASE("median of odd, even, unsorted and single-element sets",
          "[statistics][median]") {
  CHECK(ps::median({5.0, 1.0, 3.0}) == 3.0);
  CHECK(ps::median({7.0, 1.0, 3.0, 5.0}) == 4.0);  // (3 + 5) / 2
  CHECK(ps::median({9.0, 2.0, 8.0, 1.0, 100.0}) == 8.0);
  CHECK(ps::median({1.0, 2.0}) == 1.5);
  CHECK(ps::median({42.0}) == 42.0);
  CHECK(ps::median({2.0, 2.0, 2.0, 2.0}) == 2.0);
  // Even-sized median is the midpoint of the two middle values even when the
  // lower middle value is not adjacent to the upper one in the input order.
  CHECK(ps::median({10.0, 1.0, 4.0, 3.0, 8.0, 2.0}) == 3.5);
  // The midpoint of two huge values must not overflow to infinity.
  const double big = std::numeric_limits<double>::max();
  CHECK(ps::median({big, big}) == big);
  CHECK(ps::median({-big, -big, 0.0, -big}) == -big);
  CHECK(ps::median({-big, big}) == 0.0);
}

TEST_CASE("median rejects empty and NaN input", "[statistics][median][errors]") {
  CHECK_THROWS_AS(ps::median({}), std::invalid_argument);
  CHECK_THROWS_AS(ps::median({1.0, kNaN, 3.0}), std::invalid_argument);
}

TEST_CASE("summarize computes mean, sample stdev, min, max, median",
          "[statistics][summary]") {
  // Classic example: population stdev is exactly 2; the sample stdev
  // (n - 1 denominator) is sqrt(32 / 7) = 2.1380899...
  const ps::Summary s = ps::summarize({9.0, 4.0, 2.0, 5.0, 4.0, 7.0, 4.0, 5.0});
  CHECK(s.count == 8);
  CHECK(s.mean == Approx(5.0).epsilon(1e-12));
  CHECK(s.stdev == Approx(std::sqrt(32.0 / 7.0)).epsilon(1e-12));
  CHECK(s.stdev == Approx(2.1380899353).epsilon(1e-9));
  CHECK(s.min == 2.0);
  CHECK(s.max == 9.0);
  CHECK(s.median == 4.5);
  // n = 8: even rank 1 gives coverage 1 - 2/256 = 0.992 and rank 2 only
  // 1 - 2 * 9/256 = 0.930, so the CI is [x_(1), x_(8)] = [min, max].
  CHECK(s.ci95_median.low == 2.0);
  CHECK(s.ci95_median.high == 9.0);
}

TEST_CASE("summarize is accurate for large nanosecond-scale values",
          "[statistics][summary]") {
  // Values around 1e12 with a spread of +-1 stress catastrophic cancellation
  // in a naive sum-of-squares formula.
  const double base = 1e12;
  const ps::Summary s = ps::summarize({base - 1.0, base, base + 1.0});
  CHECK(s.mean == base);
  CHECK(s.stdev == Approx(1.0).epsilon(1e-9));
  CHECK(s.median == base);
}

TEST_CASE("summarize of constant samples is exact", "[statistics][summary]") {
  // 0.1 is not representable, and a naive sum of ten copies is
  // 0.9999999999999999, so a plain sum / n mean would be off by one ulp and
  // the stdev would be a tiny non-zero number instead of exactly 0.
  ps::Summary s = ps::summarize(std::vector<double>(10, 0.1));
  CHECK(s.mean == 0.1);
  CHECK(s.stdev == 0.0);
  CHECK(s.median == 0.1);
  s = ps::summarize(std::vector<double>(7, 1234567.891));
  CHECK(s.mean == 1234567.891);
  CHECK(s.stdev == 0.0);
  CHECK_FALSE(ps::check_stability(s).unstable);
}

TEST_CASE("summarize of a single sample", "[statistics][summary]") {
  const ps::Summary s = ps::summarize({1234.5});
  CHECK(s.count == 1);
  CHECK(s.median == 1234.5);
  CHECK(s.mean == 1234.5);
  CHECK(s.stdev == 0.0);
  CHECK(s.min == 1234.5);
  CHECK(s.max == 1234.5);
  CHECK(s.ci95_median.low == 1234.5);
  CHECK(s.ci95_median.high == 1234.5);
}

TEST_CASE("summarize rejects empty and NaN input",
          "[statistics][summary][errors]") {
  CHECK_THROWS_AS(ps::summarize({}), std::invalid_argument);
  CHECK_THROWS_AS(ps::summarize({1.0, kNaN}), std::invalid_argument);
}

// Reasoning used by the known-rank tests below. If B is the number of samples
// below the population median, B ~ Binomial(n, 1/2) and the interval
// [x_(k), x_(n+1-k)] covers the median with probability
//   coverage(k) = 1 - 2 * P(B <= k-1),
// and the CI uses the largest k with coverage(k) >= confidence.
TEST_CASE("median CI uses the binomial order statistics for known n",
          "[statistics][median_ci]") {
  SECTION("n = 10 -> ranks 2 and 9") {
    // P(B <= 1) = (1 + 10) / 1024      -> coverage(2) = 0.9785 >= 0.95
    // P(B <= 2) = (1 + 10 + 45) / 1024 -> coverage(3) = 0.8906 <  0.95
    const ps::Interval ci = ps::median_ci(ranks_shuffled(10));
    CHECK(ci.low == 2.0);
    CHECK(ci.high == 9.0);
  }
  SECTION("n = 9 -> ranks 2 and 8") {
    // P(B <= 1) = 10/512 -> coverage(2) = 0.9609; P(B <= 2) = 46/512 ->
    // coverage(3) = 0.8203.
    const ps::Interval ci = ps::median_ci(ranks_sorted(9));
    CHECK(ci.low == 2.0);
    CHECK(ci.high == 8.0);
  }
  SECTION("n = 20 -> ranks 6 and 15") {
    // P(B <= 5) = 21700/2^20 -> coverage(6) = 0.9586;
    // P(B <= 6) = 60460/2^20 -> coverage(7) = 0.8847.
    const ps::Interval ci = ps::median_ci(ranks_sorted(20));
    CHECK(ci.low == 6.0);
    CHECK(ci.high == 15.0);
  }
  SECTION("n = 100 -> ranks 40 and 61") {
    // P(B <= 39) = 0.01760 -> coverage(40) = 0.9648;
    // P(B <= 40) = 0.02844 -> coverage(41) = 0.9431.
    const ps::Interval ci = ps::median_ci(ranks_shuffled(100));
    CHECK(ci.low == 40.0);
    CHECK(ci.high == 61.0);
  }
  SECTION("n = 100 at 99% -> ranks 37 and 64") {
    // P(B <= 36) = 0.00332 -> coverage(37) = 0.9934;
    // P(B <= 37) = 0.00602 -> coverage(38) = 0.9880.
    const ps::Interval ci = ps::median_ci(ranks_sorted(100), 0.99);
    CHECK(ci.low == 37.0);
    CHECK(ci.high == 64.0);
  }
  SECTION("large n where 2^-n underflows") {
    // Ranks computed offline with exact big-integer binomial sums.
    ps::Interval ci = ps::median_ci(ranks_sorted(1000));
    CHECK(ci.low == 469.0);
    CHECK(ci.high == 532.0);
    ci = ps::median_ci(ranks_sorted(2000));
    CHECK(ci.low == 956.0);
    CHECK(ci.high == 1045.0);
    ci = ps::median_ci(ranks_shuffled(10000));
    CHECK(ci.low == 4902.0);
    CHECK(ci.high == 5099.0);
  }
}

TEST_CASE("median CI ranks match an exact integer binomial computation",
          "[statistics][median_ci]") {
  // Independent reference: Pascal's triangle in exact integers. For n <= 50
  // every partial sum is < 2^53, so the comparisons below are exact.
  constexpr std::size_t kMaxN = 50;
  std::vector<std::vector<std::uint64_t>> pascal(kMaxN + 1);
  for (std::size_t n = 0; n <= kMaxN; ++n) {
    pascal[n].assign(n + 1, 1);
    for (std::size_t j = 1; j < n; ++j) {
      pascal[n][j] = pascal[n - 1][j - 1] + pascal[n - 1][j];
    }
  }
  for (double confidence : {0.80, 0.90, 0.95, 0.99}) {
    for (std::size_t n = 1; n <= kMaxN; ++n) {
      const double total = std::ldexp(1.0, static_cast<int>(n));  // 2^n
      // coverage(k) >= confidence  <=>  2^n - 2 * sum_{j<k} C(n,j) >= conf 2^n
      auto reaches = [&](std::size_t k) {
        std::uint64_t tail = 0;
        for (std::size_t j = 0; j < k; ++j) tail += pascal[n][j];
        return total - 2.0 * static_cast<double>(tail) >= confidence * total;
      };
      std::size_t expected_k = 1;
      while (expected_k + 1 <= (n + 1) / 2 && reaches(expected_k + 1)) {
        ++expected_k;
      }
      const ps::Interval ci = ps::median_ci(ranks_sorted(n), confidence);
      INFO("n = " << n << ", confidence = " << confidence);
      CHECK(ci.low == static_cast<double>(expected_k));
      CHECK(ci.high == static_cast<double>(n + 1 - expected_k));
    }
  }
}

TEST_CASE("median CI falls back to [min, max] for tiny n",
          "[statistics][median_ci]") {
  // Even [x_(1), x_(n)] only has coverage 1 - 2^(1-n): 0.9375 for n = 5.
  for (std::size_t n = 1; n <= 5; ++n) {
    INFO("n = " << n);
    const ps::Interval ci = ps::median_ci(ranks_shuffled(n));
    CHECK(ci.low == 1.0);
    CHECK(ci.high == static_cast<double>(n));
  }
  const ps::Interval ci = ps::median_ci({3.0, 1.0, 2.0});
  CHECK(ci.low == 1.0);
  CHECK(ci.high == 3.0);
}

TEST_CASE("median CI contains the sample median and is nested by confidence",
          "[statistics][median_ci]") {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const std::size_t n = 5 + static_cast<std::size_t>(seed * 37 % 400);
    std::vector<double> v = noisy(n, 1e6, 0.3, seed);
    const ps::Summary s = ps::summarize(v);
    INFO("seed = " << seed << ", n = " << n);
    CHECK(s.ci95_median.low <= s.median);
    CHECK(s.median <= s.ci95_median.high);
    CHECK(s.min <= s.ci95_median.low);
    CHECK(s.ci95_median.high <= s.max);

    const ps::Interval c80 = ps::median_ci(v, 0.80);
    const ps::Interval c99 = ps::median_ci(v, 0.99);
    CHECK(c99.low <= s.ci95_median.low);
    CHECK(s.ci95_median.low <= c80.low);
    CHECK(c80.high <= s.ci95_median.high);
    CHECK(s.ci95_median.high <= c99.high);
  }
  // With enough data the interval is strictly inside [min, max].
  const ps::Summary big = ps::summarize(noisy(500, 1e6, 0.3, 99));
  CHECK(big.min < big.ci95_median.low);
  CHECK(big.ci95_median.high < big.max);
}

TEST_CASE("median CI rejects bad input", "[statistics][median_ci][errors]") {
  CHECK_THROWS_AS(ps::median_ci({}), std::invalid_argument);
  CHECK_THROWS_AS(ps::median_ci({1.0, kNaN}), std::invalid_argument);
  CHECK_THROWS_AS(ps::median_ci({1.0, 2.0}, 0.0), std::invalid_argument);
  CHECK_THROWS_AS(ps::median_ci({1.0, 2.0}, 1.0), std::invalid_argument);
  CHECK_THROWS_AS(ps::median_ci({1.0, 2.0}, -0.5), std::invalid_argument);
  CHECK_THROWS_AS(ps::median_ci({1.0, 2.0}, kNaN), std::invalid_argument);
}

TEST_CASE("ratio of medians: numerator = 2 x denominator",
          "[statistics][ratio]") {
  const std::vector<double> den = noisy(200, 5e6, 0.02, 7);
  std::vector<double> num(den.size());
  std::transform(den.begin(), den.end(), num.begin(),
                 [](double x) { return 2.0 * x; });
  const ps::RatioEstimate r = ps::ratio_of_medians(num, den);
  CHECK(r.ratio == Approx(2.0).epsilon(1e-12));
  CHECK(r.ci95.low <= 2.0);
  CHECK(r.ci95.high >= 2.0);
  CHECK(r.ci95.low < r.ci95.high);         // resampled independently: not a point
  CHECK(r.ci95.high - r.ci95.low < 0.02);  // +-2% noise, n = 200: narrow
}

TEST_CASE("ratio of medians of identical samples is 1",
          "[statistics][ratio]") {
  const std::vector<double> v = noisy(150, 3e6, 0.05, 11);
  const ps::RatioEstimate r = ps::ratio_of_medians(v, v);
  CHECK(r.ratio == 1.0);
  CHECK(r.ci95.low <= 1.0);
  CHECK(r.ci95.high >= 1.0);
  CHECK(r.ci95.high - r.ci95.low < 0.05);
}

TEST_CASE("ratio of medians of constant samples has a degenerate CI",
          "[statistics][ratio]") {
  const ps::RatioEstimate r = ps::ratio_of_medians(
      std::vector<double>(30, 3.0), std::vector<double>(40, 1.5), 500, 3);
  CHECK(r.ratio == 2.0);
  CHECK(r.ci95.low == 2.0);
  CHECK(r.ci95.high == 2.0);
}

TEST_CASE("bootstrap percentiles match the exact bootstrap distribution",
          "[statistics][ratio]") {
  // With numerator {1, ..., 6} and a constant denominator the ratio is the
  // median of a resample of {1..6}. Its exact distribution (enumerating all
  // 6^6 equally likely resamples) has the CDF
  //   1.0: 0.0087  1.5: 0.0349  2.0: 0.1160 ...  4.5: 0.8840  5.0: 0.9651
  //   5.5: 0.9913  6.0: 1
  // so the 2.5% and 97.5% percentiles are exactly 1.5 and 5.5. With 20000
  // resamples the empirical CDF is within ~0.001 (1 sd) of the exact one,
  // far from the 0.01 margins. A 90% interval would give [2.0, 5.0]; using
  // only the upper middle element as the even-size median would give
  // [2, 6].
  const std::vector<double> num{4.0, 1.0, 6.0, 3.0, 5.0, 2.0};
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    INFO("seed = " << seed);
    const ps::RatioEstimate r = ps::ratio_of_medians(num, {1.0}, 20000, seed);
    CHECK(r.ratio == 3.5);
    CHECK(r.ci95.low == 1.5);
    CHECK(r.ci95.high == 5.5);
  }
  // Same with the roles swapped: the denominator is the resampled side.
  const ps::RatioEstimate inv = ps::ratio_of_medians({1.0}, num, 20000, 4);
  CHECK(inv.ratio == Approx(1.0 / 3.5).epsilon(1e-12));
  CHECK(inv.ci95.low == Approx(1.0 / 5.5).epsilon(1e-12));
  CHECK(inv.ci95.high == Approx(1.0 / 1.5).epsilon(1e-12));
}

TEST_CASE("bootstrap percentiles interpolate linearly between resamples",
          "[statistics][ratio]") {
  // With 2 resamples r0 <= r1, the type-7 percentiles are
  //   low = r0 + 0.025 (r1 - r0),   high = r0 + 0.975 (r1 - r0).
  // Numerator {1, 3} over {1} only has bootstrap medians in {1, 2, 3}, so r0
  // and r1 can be recovered from (low, high) and must be among those values.
  int spread_seen = 0;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    const ps::RatioEstimate r = ps::ratio_of_medians({1.0, 3.0}, {1.0}, 2, seed);
    const double width = (r.ci95.high - r.ci95.low) / 0.95;  // r1 - r0
    const double r0 = r.ci95.low - 0.025 * width;
    const double r1 = r.ci95.high + 0.025 * width;
    INFO("seed = " << seed << ", CI = [" << r.ci95.low << ", " << r.ci95.high
                   << "]");
    CHECK(r0 == Approx(std::round(r0)).margin(1e-9));
    CHECK(r1 == Approx(std::round(r1)).margin(1e-9));
    CHECK(std::round(r0) >= 1.0);
    CHECK(std::round(r1) <= 3.0);
    if (width > 0.5) ++spread_seen;
  }
  CHECK(spread_seen > 0);
}

TEST_CASE("bootstrap CI of a median agrees with the binomial median CI",
          "[statistics][ratio][median_ci]") {
  // Two independent ways of getting a 95% interval for the median of the
  // same data (values 1..2000, i.e. values equal ranks) should roughly agree:
  // the binomial one is [956, 1045] (see above), a half-width of ~44.5 ranks.
  const std::vector<double> v = ranks_shuffled(2000);
  const ps::Interval exact = ps::median_ci(v);
  const ps::RatioEstimate boot = ps::ratio_of_medians(v, {1.0}, 2000, 9);
  CHECK(boot.ratio == 1000.5);
  CHECK(boot.ci95.low == Approx(exact.low).margin(6.0));
  CHECK(boot.ci95.high == Approx(exact.high).margin(6.0));
}

TEST_CASE("ratio of medians detects a shift in noisy data",
          "[statistics][ratio]") {
  // Numerator is ~15% slower with +-10% noise on both sides.
  const std::vector<double> den = noisy(100, 4e6, 0.10, 21);
  const std::vector<double> num = noisy(100, 4.6e6, 0.10, 22);
  const ps::RatioEstimate slower = ps::ratio_of_medians(num, den);
  CHECK(slower.ratio == Approx(1.15).margin(0.05));
  CHECK(slower.ci95.low > 1.0);  // CI excludes 1
  CHECK(slower.ci95.low <= slower.ratio);
  CHECK(slower.ratio <= slower.ci95.high);

  const ps::RatioEstimate faster = ps::ratio_of_medians(den, num);
  CHECK(faster.ratio == Approx(1.0 / slower.ratio).epsilon(1e-12));
  CHECK(faster.ci95.high < 1.0);
}

TEST_CASE("ratio of medians: overlapping noisy data gives a CI containing 1",
          "[statistics][ratio]") {
  // Same distribution, different draws: no real difference.
  const std::vector<double> a = noisy(100, 4e6, 0.10, 31);
  const std::vector<double> b = noisy(100, 4e6, 0.10, 32);
  const ps::RatioEstimate r = ps::ratio_of_medians(a, b);
  CHECK(r.ci95.low < 1.0);
  CHECK(r.ci95.high > 1.0);
}

TEST_CASE("bootstrap is deterministic for a given seed",
          "[statistics][ratio]") {
  const std::vector<double> num = noisy(80, 2e6, 0.2, 41);
  const std::vector<double> den = noisy(90, 1.8e6, 0.2, 42);
  const ps::RatioEstimate a = ps::ratio_of_medians(num, den, 1000, 12345);
  const ps::RatioEstimate b = ps::ratio_of_medians(num, den, 1000, 12345);
  CHECK(a.ratio == b.ratio);
  CHECK(a.ci95.low == b.ci95.low);
  CHECK(a.ci95.high == b.ci95.high);

  // A different seed gives a different (but similar) interval, which shows
  // the seed is actually used.
  const ps::RatioEstimate c = ps::ratio_of_medians(num, den, 1000, 54321);
  CHECK(c.ratio == a.ratio);
  CHECK((c.ci95.low != a.ci95.low || c.ci95.high != a.ci95.high));
  CHECK(c.ci95.low == Approx(a.ci95.low).epsilon(0.05));
  CHECK(c.ci95.high == Approx(a.ci95.high).epsilon(0.05));

  // The inputs are taken by const reference and must be left untouched.
  CHECK(num == noisy(80, 2e6, 0.2, 41));
  CHECK(den == noisy(90, 1.8e6, 0.2, 42));
}

TEST_CASE("ratio of medians rejects bad input", "[statistics][ratio][errors]") {
  const std::vector<double> ok{1.0, 2.0, 3.0};
  CHECK_THROWS_AS(ps::ratio_of_medians({}, ok), std::invalid_argument);
  CHECK_THROWS_AS(ps::ratio_of_medians(ok, {}), std::invalid_argument);
  CHECK_THROWS_AS(ps::ratio_of_medians(ok, ok, 0), std::invalid_argument);
  CHECK_THROWS_AS(ps::ratio_of_medians(ok, {1.0, 0.0, 2.0}),
                  std::invalid_argument);
  CHECK_THROWS_AS(ps::ratio_of_medians(ok, {1.0, -2.0, 2.0}),
                  std::invalid_argument);
  CHECK_THROWS_AS(ps::ratio_of_medians({1.0, kNaN}, ok), std::invalid_argument);
  CHECK_THROWS_AS(ps::ratio_of_medians(ok, {1.0, kInf}), std::invalid_argument);
  CHECK_NOTHROW(ps::ratio_of_medians(ok, ok, 1));
}

TEST_CASE("geometric mean", "[statistics][geomean]") {
  CHECK(ps::geometric_mean({1.0, 4.0, 16.0}) == Approx(4.0).epsilon(1e-12));
  CHECK(ps::geometric_mean({2.0, 8.0}) == Approx(4.0).epsilon(1e-12));
  CHECK(ps::geometric_mean({7.5}) == Approx(7.5).epsilon(1e-12));
  CHECK(ps::geometric_mean({0.5, 2.0}) == Approx(1.0).epsilon(1e-12));
  // No overflow for values whose product exceeds the double range.
  CHECK(ps::geometric_mean({1e300, 1e300, 1e300}) ==
        Approx(1e300).epsilon(1e-9));
}

TEST_CASE("geometric mean rejects empty and non-positive input",
          "[statistics][geomean][errors]") {
  CHECK_THROWS_AS(ps::geometric_mean({}), std::invalid_argument);
  CHECK_THROWS_AS(ps::geometric_mean({1.0, 0.0}), std::invalid_argument);
  CHECK_THROWS_AS(ps::geometric_mean({1.0, -4.0}), std::invalid_argument);
  CHECK_THROWS_AS(ps::geometric_mean({1.0, kNaN}), std::invalid_argument);
  CHECK_THROWS_AS(ps::geometric_mean({1.0, kInf}), std::invalid_argument);
}

TEST_CASE("stability warnings on synthetic summaries",
          "[statistics][stability]") {
  SECTION("thresholds on hand-made summaries") {
    ps::Summary s{};
    s.count = 10;
    s.mean = 2e6;
    s.median = 2e6;
    s.stdev = 2e5;  // exactly 10%: not above the threshold
    ps::StabilityWarnings w = ps::check_stability(s);
    CHECK_FALSE(w.unstable);
    CHECK_FALSE(w.too_short);

    s.stdev = 2.0001e5;  // just above 10%
    w = ps::check_stability(s);
    CHECK(w.unstable);
    CHECK_FALSE(w.too_short);

    s.stdev = 1e4;
    s.median = 1e6;  // exactly 1 ms: not too short
    w = ps::check_stability(s);
    CHECK_FALSE(w.unstable);
    CHECK_FALSE(w.too_short);

    s.median = 999999.0;  // just below 1 ms
    w = ps::check_stability(s);
    CHECK_FALSE(w.unstable);
    CHECK(w.too_short);
  }
  SECTION("summaries of synthetic timings") {
    // Stable 5 ms benchmark, +-2% noise.
    ps::StabilityWarnings w =
        ps::check_stability(ps::summarize(noisy(100, 5e6, 0.02, 51)));
    CHECK_FALSE(w.unstable);
    CHECK_FALSE(w.too_short);

    // Noisy 5 ms benchmark: uniform +-40% has stdev ~23% of the mean.
    w = ps::check_stability(ps::summarize(noisy(100, 5e6, 0.40, 52)));
    CHECK(w.unstable);
    CHECK_FALSE(w.too_short);

    // Stable but only 200 us per sample.
    w = ps::check_stability(ps::summarize(noisy(100, 2e5, 0.02, 53)));
    CHECK_FALSE(w.unstable);
    CHECK(w.too_short);

    // Mostly stable with a few large outliers: the stdev blows up.
    std::vector<double> v = noisy(50, 3e6, 0.01, 54);
    v.push_back(3e7);
    v.push_back(3e7);
    w = ps::check_stability(ps::summarize(v));
    CHECK(w.unstable);
    CHECK_FALSE(w.too_short);
  }
}

TEST_CASE("geometric_mean_ci brackets the geometric mean and is deterministic", "[stats]") {
  const std::vector<double> ratios{1.5, 2.0, 2.5, 3.0, 4.0, 8.0};
  const auto ci = polyhost::stats::geometric_mean_ci(ratios);
  const double g = polyhost::stats::geometric_mean(ratios);
  CHECK(ci.low < g);
  CHECK(g < ci.high);
  CHECK(ci.low >= 1.5);
  CHECK(ci.high <= 8.0);
  const auto again = polyhost::stats::geometric_mean_ci(ratios);
  CHECK(again.low == ci.low);
  CHECK(again.high == ci.high);
  const auto same = polyhost::stats::geometric_mean_ci({2.0, 2.0, 2.0});
  CHECK(same.low == Approx(2.0));
  CHECK(same.high == Approx(2.0));
  CHECK_THROWS_AS(polyhost::stats::geometric_mean_ci({}), std::invalid_argument);
  CHECK_THROWS_AS(polyhost::stats::geometric_mean_ci({1.0, -1.0}), std::invalid_argument);
}

TEST_CASE("Mann-Whitney U: identical, shifted and noisy overlapping samples", "[stats][compare]") {
  using polyhost::stats::mann_whitney_u;
  std::mt19937_64 random(11);
  std::normal_distribution<double> noise(0.0, 1.0);
  std::vector<double> base, same, shifted, overlapping;
  for (int i = 0; i < 30; ++i) {
    double x = 100.0 + noise(random);
    base.push_back(x);
    same.push_back(x);
    shifted.push_back(110.0 + noise(random));
    overlapping.push_back(100.2 + noise(random));
  }
  const auto identical = mann_whitney_u(base, same);
  CHECK(identical.p_value == Approx(1.0));
  CHECK(identical.u == Approx(450.0));  // n1 * n2 / 2
  const auto clear = mann_whitney_u(shifted, base);
  CHECK(clear.p_value < 1e-6);
  CHECK(clear.u == Approx(900.0));  // every shifted value is larger
  CHECK(clear.z > 0);
  CHECK(mann_whitney_u(base, shifted).z < 0);
  CHECK(mann_whitney_u(overlapping, base).p_value > 0.05);
  // A small textbook example: A = {1, 2, 3}, B = {4, 5, 6} gives U = 0.
  CHECK(mann_whitney_u({1, 2, 3}, {4, 5, 6}).u == Approx(0.0));
  // All values tied: no evidence either way.
  CHECK(mann_whitney_u({5, 5, 5}, {5, 5}).p_value == Approx(1.0));
  CHECK_THROWS_AS(mann_whitney_u({}, {1.0}), std::invalid_argument);
}

TEST_CASE("The grouped bootstrap carries the variance between processes", "[stats]") {
  using polyhost::stats::ratio_of_medians;
  using polyhost::stats::ratio_of_medians_grouped;
  std::mt19937_64 random(5);
  std::normal_distribution<double> noise(0.0, 0.01);
  // Three processes per side; one process of each side lands 6% slower (process-level noise).
  auto process = [&](double level) {
    std::vector<double> xs;
    for (int i = 0; i < 10; ++i) xs.push_back(level * (1.0 + noise(random)));
    return xs;
  };
  std::vector<std::vector<double>> base{process(1.0), process(1.0), process(1.06)};
  std::vector<std::vector<double>> next{process(1.0), process(1.06), process(1.06)};
  std::vector<double> base_all, next_all;
  for (const auto& g : base) base_all.insert(base_all.end(), g.begin(), g.end());
  for (const auto& g : next) next_all.insert(next_all.end(), g.begin(), g.end());
  const auto pooled = ratio_of_medians(next_all, base_all);
  const auto grouped = ratio_of_medians_grouped(next, base);
  CHECK(grouped.ratio == Approx(pooled.ratio));  // the same point estimate
  CHECK(grouped.ci95.high - grouped.ci95.low > pooled.ci95.high - pooled.ci95.low);
  CHECK(grouped.ci95.low <= 1.0);  // a change this noisy is not claimed
  CHECK(pooled.ci95.low > 1.0);    // pooling would have claimed it
  // Consistent processes on both sides: a real 20% slowdown is still found.
  std::vector<std::vector<double>> slow{process(1.2), process(1.2), process(1.2)};
  std::vector<std::vector<double>> fast{process(1.0), process(1.0), process(1.0)};
  CHECK(ratio_of_medians_grouped(slow, fast).ci95.low > 1.1);
  // Deterministic for a seed; empty groups are ignored.
  CHECK(ratio_of_medians_grouped(next, base).ci95.low == grouped.ci95.low);
  CHECK(ratio_of_medians_grouped({{}, {2.0, 2.0}}, {{1.0, 1.0}}).ratio == Approx(2.0));
  CHECK_THROWS_AS(ratio_of_medians_grouped({{}}, {{1.0}}), std::invalid_argument);
}
