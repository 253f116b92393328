#include "host/stats/statistics.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>

namespace polyhost::stats {
namespace {

constexpr double kUnstableStdevFraction = 0.10;  // pyperf: stdev > 10% of mean
constexpr double kTooShortNs = 1e6;              // 1 ms in nanoseconds
constexpr double kCiConfidence = 0.95;
// Slack when comparing a computed coverage probability with the requested
// confidence, so that rounding in the log-space binomial sum cannot flip an
// exact tie. (For 0.95 no tie is possible: 2m / 2^n never equals 0.05.)
constexpr double kCoverageTolerance = 1e-12;

void require_non_empty(const std::vector<double>& v, const char* what) {
  if (v.empty()) {
    throw std::invalid_argument(std::string(what) + ": empty sample set");
  }
}

void require_no_nan(const std::vector<double>& v, const char* what) {
  for (double x : v) {
    if (std::isnan(x)) {
      throw std::invalid_argument(std::string(what) + ": NaN sample");
    }
  }
}

void require_finite(const std::vector<double>& v, const char* what) {
  for (double x : v) {
    if (!std::isfinite(x)) {
      throw std::invalid_argument(std::string(what) + ": non-finite sample");
    }
  }
}

// Midpoint that does not overflow when both values are huge and of the same
// sign (e.g. both near DBL_MAX).
double midpoint(double a, double b) {
  const double m = (a + b) / 2.0;
  return std::isfinite(m) ? m : a / 2.0 + b / 2.0;
}

double median_of_sorted(const std::vector<double>& s) {
  const std::size_t n = s.size();
  const std::size_t mid = n / 2;
  return (n % 2 == 1) ? s[mid] : midpoint(s[mid - 1], s[mid]);
}

// Median of an unsorted buffer; reorders the buffer. O(n) on average.
double median_in_place(std::vector<double>& buf) {
  const std::size_t n = buf.size();
  const std::size_t mid = n / 2;
  auto mid_it = buf.begin() + static_cast<std::ptrdiff_t>(mid);
  std::nth_element(buf.begin(), mid_it, buf.end());
  const double upper = *mid_it;
  if (n % 2 == 1) return upper;
  // After nth_element everything before mid_it is <= upper; the lower middle
  // value is the largest of them.
  const double lower = *std::max_element(buf.begin(), mid_it);
  return midpoint(lower, upper);
}

// Largest 1-based rank k (1 <= k <= (n+1)/2) such that the interval
// [x_(k), x_(n+1-k)] covers the population median with probability
// >= confidence, or 1 when no k reaches it (then the interval is [min, max]).
//
// For a continuous distribution the number B of samples below the population
// median is Binomial(n, 1/2). The interval misses the median iff x_(k) lies
// above it (B <= k-1) or x_(n+1-k) lies below it (B >= n+1-k), so by symmetry
//   coverage(k) = P(k <= B <= n-k) = 1 - 2 * P(B <= k-1).
// coverage(k) decreases with k, so we grow k while coverage(k+1) still reaches
// the target. The pmf is evaluated in log space with the recurrence
//   log p(j) = log p(j-1) + log((n-j+1)/j),   p(0) = 2^-n,
// which stays accurate for any n (2^-n itself underflows for n > 1074).
std::size_t median_ci_rank(std::size_t n, double confidence) {
  const double nd = static_cast<double>(n);
  const std::size_t max_k = (n + 1) / 2;
  std::size_t k = 1;
  double log_pmf = -nd * std::log(2.0);  // log p(0)
  double cdf = std::exp(log_pmf);        // invariant: P(B <= k-1)
  log_pmf += std::log(nd);               // invariant: log p(k); p(1) = n 2^-n
  while (k < max_k) {
    const double next_cdf = cdf + std::exp(log_pmf);  // P(B <= k)
    const double next_coverage = 1.0 - 2.0 * next_cdf;  // coverage(k + 1)
    if (next_coverage + kCoverageTolerance < confidence) break;
    ++k;
    cdf = next_cdf;
    const double kd = static_cast<double>(k);
    log_pmf += std::log((nd - kd + 1.0) / kd);
  }
  return k;
}

// Splits each 64-bit output of std::mt19937_64 into two 32-bit words (high
// half first). Generating the engine output is the dominant cost of the
// bootstrap, so using all 64 bits halves the run time.
class Word32Source {
 public:
  explicit Word32Source(std::uint64_t seed) : rng_(seed) {}

  std::uint32_t next() {
    if (have_low_) {
      have_low_ = false;
      return static_cast<std::uint32_t>(word_);
    }
    word_ = rng_();
    have_low_ = true;
    return static_cast<std::uint32_t>(word_ >> 32);
  }

  std::uint64_t next64() {
    const std::uint64_t hi = next();
    return (hi << 32) | next();
  }

 private:
  std::mt19937_64 rng_;
  std::uint64_t word_ = 0;
  bool have_low_ = false;
};

// Unbiased uniform integer in [0, n), n >= 1, using Lemire's
// multiply-and-reject method on 32-bit words ("Fast Random Integer Generation
// in an Interval", 2019). Written out by hand (rather than
// std::uniform_int_distribution, whose algorithm is implementation-defined) so
// that bootstrap results are identical across standard libraries.
class IndexSampler {
 public:
  explicit IndexSampler(std::size_t n) : n_(static_cast<std::uint64_t>(n)) {
    if (n_ <= kMax32) {
      const auto n32 = static_cast<std::uint32_t>(n_);
      threshold_ = static_cast<std::uint32_t>(0u - n32) % n32;  // 2^32 mod n
    }
  }

  std::size_t operator()(Word32Source& bits) const {
    if (n_ <= kMax32) {
      // m / 2^32 is uniform in [0, n) except for the `threshold_` values of
      // the low word that would over-represent some results; those are
      // rejected.
      std::uint64_t m = bits.next() * n_;
      while (static_cast<std::uint32_t>(m) < threshold_) m = bits.next() * n_;
      return static_cast<std::size_t>(m >> 32);
    }
    // Sample sets this large are not expected; plain rejection sampling.
    const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
    const std::uint64_t limit = max - max % n_;
    std::uint64_t r = bits.next64();
    while (r >= limit) r = bits.next64();
    return static_cast<std::size_t>(r % n_);
  }

 private:
  static constexpr std::uint64_t kMax32 = 0xFFFFFFFFull;
  std::uint64_t n_;
  std::uint32_t threshold_ = 0;
};

// Median of one bootstrap resample (n draws with replacement) of `sorted`.
// Because `sorted` is sorted, the k-th smallest resampled value is
// sorted[k-th smallest drawn index], so instead of copying values and running a
// selection algorithm we histogram the drawn indices and walk the cumulative
// counts: O(n) with no data-dependent comparisons. `counts` is a reusable
// buffer of size n.
double bootstrap_median(const std::vector<double>& sorted,
                        const IndexSampler& sampler, Word32Source& bits,
                        std::vector<std::size_t>& counts) {
  const std::size_t n = sorted.size();
  std::fill(counts.begin(), counts.end(), std::size_t{0});
  for (std::size_t i = 0; i < n; ++i) ++counts[sampler(bits)];

  // 0-based positions of the middle order statistic(s) in the resample.
  const std::size_t upper_pos = n / 2;
  const std::size_t lower_pos = (n % 2 == 1) ? upper_pos : upper_pos - 1;
  std::size_t seen = 0;  // number of drawn values with index < idx
  std::size_t idx = 0;
  while (seen + counts[idx] <= lower_pos) seen += counts[idx++];
  const double lower = sorted[idx];
  while (seen + counts[idx] <= upper_pos) seen += counts[idx++];
  const double upper = sorted[idx];
  return (n % 2 == 1) ? upper : midpoint(lower, upper);
}

// Linear interpolation between order statistics (Hyndman & Fan type 7, the
// default of R and NumPy). `sorted` must be non-empty and sorted.
double percentile_of_sorted(const std::vector<double>& sorted, double p) {
  const double h = static_cast<double>(sorted.size() - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  if (lo + 1 >= sorted.size()) return sorted.back();
  const double frac = h - static_cast<double>(lo);
  return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

}  // namespace

double median(std::vector<double> samples) {
  require_non_empty(samples, "median");
  require_no_nan(samples, "median");
  return median_in_place(samples);
}

Interval median_ci(std::vector<double> sorted_samples, double confidence) {
  require_non_empty(sorted_samples, "median_ci");
  require_no_nan(sorted_samples, "median_ci");
  if (!(confidence > 0.0 && confidence < 1.0)) {
    throw std::invalid_argument("median_ci: confidence must be in (0, 1)");
  }
  if (!std::is_sorted(sorted_samples.begin(), sorted_samples.end())) {
    std::sort(sorted_samples.begin(), sorted_samples.end());
  }
  const std::size_t n = sorted_samples.size();
  const std::size_t k = median_ci_rank(n, confidence);
  return Interval{sorted_samples[k - 1], sorted_samples[n - k]};
}

double student_t_975(std::size_t degrees_of_freedom) {
  static constexpr double kTable[] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                                      2.201,  2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                                      2.080,  2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
  if (degrees_of_freedom == 0) throw std::invalid_argument("student_t_975: no degrees of freedom");
  if (degrees_of_freedom <= std::size(kTable)) return kTable[degrees_of_freedom - 1];
  const double z = 1.959963984540054, n = static_cast<double>(degrees_of_freedom);
  return z + (z * z * z + z) / (4 * n) + (5 * std::pow(z, 5) + 16 * z * z * z + 3 * z) / (96 * n * n);
}

Summary summarize(std::vector<double> samples) {
  require_non_empty(samples, "summarize");
  require_no_nan(samples, "summarize");
  std::sort(samples.begin(), samples.end());
  const std::size_t n = samples.size();
  const double nd = static_cast<double>(n);

  // Two-pass mean (with one refinement step) and variance for accuracy with
  // large nanosecond values.
  double sum = 0.0;
  for (double x : samples) sum += x;
  double mean = sum / nd;
  double residual = 0.0;
  for (double x : samples) residual += x - mean;
  mean += residual / nd;

  double stdev = 0.0;
  if (n > 1) {
    double ss = 0.0;
    for (double x : samples) {
      const double d = x - mean;
      ss += d * d;
    }
    stdev = std::sqrt(ss / (nd - 1.0));
  }

  Summary s{};
  s.count = n;
  s.median = median_of_sorted(samples);
  s.mean = mean;
  s.stdev = stdev;
  s.min = samples.front();
  s.max = samples.back();
  s.ci95_median = median_ci(std::move(samples), kCiConfidence);
  return s;
}

RatioEstimate ratio_of_medians(const std::vector<double>& numerator,
                               const std::vector<double>& denominator,
                               int resamples, std::uint64_t seed) {
  require_non_empty(numerator, "ratio_of_medians (numerator)");
  require_non_empty(denominator, "ratio_of_medians (denominator)");
  require_finite(numerator, "ratio_of_medians (numerator)");
  require_finite(denominator, "ratio_of_medians (denominator)");
  for (double x : denominator) {
    if (!(x > 0.0)) {
      throw std::invalid_argument(
          "ratio_of_medians: denominator samples must be > 0");
    }
  }
  if (resamples < 1) {
    throw std::invalid_argument("ratio_of_medians: resamples must be >= 1");
  }

  std::vector<double> num_sorted = numerator;
  std::vector<double> den_sorted = denominator;
  std::sort(num_sorted.begin(), num_sorted.end());
  std::sort(den_sorted.begin(), den_sorted.end());
  RatioEstimate est{};
  est.ratio = median_of_sorted(num_sorted) / median_of_sorted(den_sorted);

  Word32Source bits(seed);  // std::mt19937_64 seeded with `seed`
  const IndexSampler num_sampler(num_sorted.size());
  const IndexSampler den_sampler(den_sorted.size());
  std::vector<std::size_t> num_counts(num_sorted.size());
  std::vector<std::size_t> den_counts(den_sorted.size());
  std::vector<double> ratios(static_cast<std::size_t>(resamples));
  for (double& r : ratios) {
    const double num_med =
        bootstrap_median(num_sorted, num_sampler, bits, num_counts);
    const double den_med =
        bootstrap_median(den_sorted, den_sampler, bits, den_counts);
    r = num_med / den_med;
  }
  std::sort(ratios.begin(), ratios.end());
  const double alpha = 1.0 - kCiConfidence;
  est.ci95 = Interval{percentile_of_sorted(ratios, alpha / 2.0),
                      percentile_of_sorted(ratios, 1.0 - alpha / 2.0)};
  return est;
}

namespace {

std::vector<std::vector<double>> non_empty_groups(const std::vector<std::vector<double>>& groups) {
  std::vector<std::vector<double>> out;
  for (const auto& g : groups) {
    if (!g.empty()) out.push_back(g);
  }
  return out;
}

// Median of one two-level resample: GROUPS.size() groups drawn with replacement, then each drawn
// group's own size in values drawn with replacement from it. POOL is a reusable buffer.
double grouped_resample_median(const std::vector<std::vector<double>>& groups, Word32Source& bits,
                               std::vector<double>& pool) {
  pool.clear();
  const IndexSampler pick_group(groups.size());
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const auto& group = groups[pick_group(bits)];
    const IndexSampler pick_value(group.size());
    for (std::size_t i = 0; i < group.size(); ++i) pool.push_back(group[pick_value(bits)]);
  }
  return median_in_place(pool);
}

}  // namespace

RatioEstimate ratio_of_medians_grouped(const std::vector<std::vector<double>>& numerator,
                                       const std::vector<std::vector<double>>& denominator,
                                       int resamples, std::uint64_t seed) {
  const auto num = non_empty_groups(numerator);
  const auto den = non_empty_groups(denominator);
  std::vector<double> num_all, den_all;
  for (const auto& g : num) num_all.insert(num_all.end(), g.begin(), g.end());
  for (const auto& g : den) den_all.insert(den_all.end(), g.begin(), g.end());
  // Same validation and point estimate as the pooled version.
  RatioEstimate est = ratio_of_medians(num_all, den_all, 1, seed);
  Word32Source bits(seed);
  std::vector<double> pool, ratios(static_cast<std::size_t>(resamples));
  for (double& r : ratios) {
    const double n = grouped_resample_median(num, bits, pool);
    const double d = grouped_resample_median(den, bits, pool);
    r = n / d;
  }
  std::sort(ratios.begin(), ratios.end());
  const double alpha = 1.0 - kCiConfidence;
  est.ci95 = Interval{percentile_of_sorted(ratios, alpha / 2.0), percentile_of_sorted(ratios, 1.0 - alpha / 2.0)};
  return est;
}

Summary summarize_grouped(const std::vector<std::vector<double>>& groups, int resamples, std::uint64_t seed) {
  const auto kept = non_empty_groups(groups);
  std::vector<double> all;
  for (const auto& g : kept) all.insert(all.end(), g.begin(), g.end());
  Summary summary = summarize(all);
  if (kept.size() < 2) return summary;
  if (resamples < 1) throw std::invalid_argument("summarize_grouped: resamples must be >= 1");
  Word32Source bits(seed);
  std::vector<double> pool, medians(static_cast<std::size_t>(resamples));
  for (double& m : medians) m = grouped_resample_median(kept, bits, pool);
  std::sort(medians.begin(), medians.end());
  const double alpha = 1.0 - kCiConfidence;
  summary.ci95_median = Interval{percentile_of_sorted(medians, alpha / 2.0), percentile_of_sorted(medians, 1.0 - alpha / 2.0)};
  return summary;
}

RatioEstimate geometric_mean_of_grouped_ratios(const std::vector<GroupedRatioInput>& rows, int resamples,
                                               std::uint64_t seed) {
  if (rows.empty()) throw std::invalid_argument("geometric_mean_of_grouped_ratios: no rows");
  if (resamples < 1) throw std::invalid_argument("geometric_mean_of_grouped_ratios: resamples must be >= 1");
  std::vector<std::vector<std::vector<double>>> nums, dens;
  std::vector<double> points;
  for (const auto& row : rows) {
    points.push_back(ratio_of_medians_grouped(row.numerator, row.denominator, 1, seed).ratio);  // validates
    nums.push_back(non_empty_groups(row.numerator));
    dens.push_back(non_empty_groups(row.denominator));
  }
  RatioEstimate est{geometric_mean(points), {0, 0}};
  Word32Source bits(seed);
  std::vector<double> pool, means(static_cast<std::size_t>(resamples));
  for (double& m : means) {
    double log_sum = 0.0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const double n = grouped_resample_median(nums[i], bits, pool);
      const double d = grouped_resample_median(dens[i], bits, pool);
      log_sum += std::log(n / d);
    }
    m = std::exp(log_sum / static_cast<double>(rows.size()));
  }
  std::sort(means.begin(), means.end());
  const double alpha = 1.0 - kCiConfidence;
  est.ci95 = Interval{percentile_of_sorted(means, alpha / 2.0), percentile_of_sorted(means, 1.0 - alpha / 2.0)};
  return est;
}

double geometric_mean(const std::vector<double>& positive_values) {
  require_non_empty(positive_values, "geometric_mean");
  double log_sum = 0.0;
  for (double x : positive_values) {
    if (!(x > 0.0) || !std::isfinite(x)) {
      throw std::invalid_argument(
          "geometric_mean: values must be finite and > 0");
    }
    log_sum += std::log(x);
  }
  return std::exp(log_sum / static_cast<double>(positive_values.size()));
}

Interval geometric_mean_ci(const std::vector<double>& positive_values,
                           int resamples, std::uint64_t seed) {
  geometric_mean(positive_values);  // validates
  if (resamples < 1) {
    throw std::invalid_argument("geometric_mean_ci: resamples must be >= 1");
  }
  std::vector<double> logs;
  logs.reserve(positive_values.size());
  for (double x : positive_values) logs.push_back(std::log(x));
  Word32Source bits(seed);
  const IndexSampler sampler(logs.size());
  std::vector<double> means(static_cast<std::size_t>(resamples));
  for (double& m : means) {
    double sum = 0.0;
    for (std::size_t i = 0; i < logs.size(); ++i) sum += logs[sampler(bits)];
    m = std::exp(sum / static_cast<double>(logs.size()));
  }
  std::sort(means.begin(), means.end());
  const double alpha = 1.0 - kCiConfidence;
  return Interval{percentile_of_sorted(means, alpha / 2.0),
                  percentile_of_sorted(means, 1.0 - alpha / 2.0)};
}

MannWhitney mann_whitney_u(const std::vector<double>& a, const std::vector<double>& b) {
  require_non_empty(a, "mann_whitney_u (a)");
  require_non_empty(b, "mann_whitney_u (b)");
  require_no_nan(a, "mann_whitney_u (a)");
  require_no_nan(b, "mann_whitney_u (b)");
  // Rank the pooled samples, giving tied values their average rank.
  std::vector<std::pair<double, bool>> pooled;  // value, from A
  pooled.reserve(a.size() + b.size());
  for (double x : a) pooled.emplace_back(x, true);
  for (double x : b) pooled.emplace_back(x, false);
  std::sort(pooled.begin(), pooled.end(),
            [](const auto& l, const auto& r) { return l.first < r.first; });
  const double n1 = static_cast<double>(a.size());
  const double n2 = static_cast<double>(b.size());
  const double n = n1 + n2;
  double rank_sum_a = 0.0;
  double tie_term = 0.0;  // sum of t^3 - t over groups of ties
  for (std::size_t i = 0; i < pooled.size();) {
    std::size_t j = i;
    while (j < pooled.size() && pooled[j].first == pooled[i].first) ++j;
    const double t = static_cast<double>(j - i);
    const double average_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
    for (std::size_t k = i; k < j; ++k) {
      if (pooled[k].second) rank_sum_a += average_rank;
    }
    tie_term += t * t * t - t;
    i = j;
  }
  MannWhitney out{};
  out.u = rank_sum_a - n1 * (n1 + 1.0) / 2.0;
  const double mean_u = n1 * n2 / 2.0;
  const double variance = n1 * n2 / 12.0 * ((n + 1.0) - tie_term / (n * (n - 1.0)));
  if (variance <= 0.0) {  // every value equal: no evidence of a difference
    out.z = 0.0;
    out.p_value = 1.0;
    return out;
  }
  // Continuity correction of 0.5 towards the mean.
  const double diff = out.u - mean_u;
  const double corrected = diff > 0 ? std::max(diff - 0.5, 0.0) : std::min(diff + 0.5, 0.0);
  out.z = corrected / std::sqrt(variance);
  out.p_value = std::min(1.0, std::erfc(std::fabs(out.z) / std::sqrt(2.0)));
  return out;
}

double mann_whitney_smallest_p(std::size_t size_a, std::size_t size_b) {
  if (size_a == 0 || size_b == 0) return 1.0;
  // Complete separation: U is 0 (or n1 n2), as far from its mean as it can be; no ties to correct.
  const double n1 = static_cast<double>(size_a), n2 = static_cast<double>(size_b);
  const double distance = std::max(n1 * n2 / 2.0 - 0.5, 0.0);  // with the continuity correction
  const double z = distance / std::sqrt(n1 * n2 * (n1 + n2 + 1.0) / 12.0);
  return std::min(1.0, std::erfc(z / std::sqrt(2.0)));
}

StabilityWarnings check_stability(const Summary& s) {
  StabilityWarnings w{};
  w.unstable = s.stdev > kUnstableStdevFraction * s.mean;
  w.too_short = s.median < kTooShortNs;
  return w;
}

}  // namespace polyhost::stats
