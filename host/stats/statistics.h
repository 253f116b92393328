// Statistics used by the polyhost benchmark runner.
//
// All timing samples are expected in nanoseconds. Every function is pure and
// thread-safe (no shared mutable state); the bootstrap is deterministic for a
// given seed on every platform because it only relies on std::mt19937_64, whose
// output sequence is fully specified by the C++ standard.
#ifndef POLYHOST_HOST_STATS_STATISTICS_H_
#define POLYHOST_HOST_STATS_STATISTICS_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace polyhost::stats {

// Closed interval [low, high].
struct Interval {
  double low;
  double high;
};

struct Summary {
  std::size_t count;
  double median;
  double mean;
  double stdev;  // sample standard deviation (n - 1 denominator); 0 for n == 1
  double min;
  double max;
  Interval ci95_median;  // distribution-free 95% CI of the median
};

// Descriptive statistics of `samples`.
// Throws std::invalid_argument on empty input or if any sample is NaN.
Summary summarize(std::vector<double> samples);

// Median (mean of the two middle values for even sizes).
// Throws std::invalid_argument on empty input or if any sample is NaN.
double median(std::vector<double> samples);

// Distribution-free confidence interval of the population median built from
// order statistics: [x_(k), x_(n+1-k)] (1-based ranks) with the largest k such
// that P(k <= B <= n-k) >= confidence, where B ~ Binomial(n, 1/2).
// When even k = 1 does not reach the requested confidence (tiny n), [min, max]
// is returned. The input should be sorted ascending; unsorted input is sorted
// internally. Throws std::invalid_argument on empty input, NaN samples, or a
// confidence outside the open interval (0, 1).
Interval median_ci(std::vector<double> sorted_samples, double confidence = 0.95);
// The fewest samples whose order statistics give a 95% CI of the median (1 - 2 * 0.5^6 = 0.969).
inline constexpr std::size_t kFewestForMedianCi = 6;

// The 97.5th percentile of Student's t distribution with DEGREES_OF_FREEDOM (at least 1): the
// factor of a two-sided 95% confidence interval of a mean from that many + 1 values. Exact to three
// decimals up to 30, then the Cornish-Fisher expansion (within 0.001). Throws std::invalid_argument on 0.
double student_t_975(std::size_t degrees_of_freedom);

struct RatioEstimate {
  double ratio;
  Interval ci95;
};

// median(numerator) / median(denominator) with a 95% percentile bootstrap
// confidence interval: each group is resampled independently with replacement
// `resamples` times, and the interval is the 2.5th..97.5th percentile of the
// resampled ratios (linear interpolation between order statistics, i.e.
// Hyndman-Fan type 7 as in R/NumPy). Deterministic for a given seed.
// Throws std::invalid_argument if either input is empty, any value is not
// finite, any denominator value is <= 0, or resamples < 1.
RatioEstimate ratio_of_medians(const std::vector<double>& numerator,
                               const std::vector<double>& denominator,
                               int resamples = 2000, std::uint64_t seed = 1);

// exp(mean(log(x))). Throws std::invalid_argument on empty input or on any
// value that is not a finite, strictly positive number.
double geometric_mean(const std::vector<double>& positive_values);

// The same ratio, with a two-level (hierarchical) bootstrap for samples that come in groups, one
// group per worker process: each resample draws processes with replacement, then iterations with
// replacement within each drawn process. Iterations of one process are not independent of each
// other, so this CI also carries the process-to-process variance that pooling would hide.
// Empty groups are ignored; throws like ratio_of_medians when a side has no samples at all.
RatioEstimate ratio_of_medians_grouped(const std::vector<std::vector<double>>& numerator,
                                       const std::vector<std::vector<double>>& denominator,
                                       int resamples = 2000, std::uint64_t seed = 1);

// Descriptive statistics of all the samples of GROUPS (one group per worker process), with the 95%
// CI of the median across processes: the two-level bootstrap above (processes, then iterations)
// when there are several groups, the distribution-free CI when there is one. Empty groups are
// ignored; throws like summarize when there is no sample at all.
Summary summarize_grouped(const std::vector<std::vector<double>>& groups, int resamples = 2000, std::uint64_t seed = 1);

// The geometric mean of several such ratios (one per row: numerator groups over denominator
// groups) with a 95% CI from measurement noise alone: the rows stay fixed, and each resample
// redraws every row's ratio with the two-level bootstrap above. It answers "did these workloads
// change", where geometric_mean_ci answers "would other workloads like these differ".
struct GroupedRatioInput {
  std::vector<std::vector<double>> numerator, denominator;
};
RatioEstimate geometric_mean_of_grouped_ratios(const std::vector<GroupedRatioInput>& rows, int resamples = 2000,
                                               std::uint64_t seed = 1);

// Percentile bootstrap 95% CI of the geometric mean, resampling the values
// themselves (for a suite: "how much would the mean move with other
// workloads like these"). Same validation as geometric_mean; deterministic
// given seed.
Interval geometric_mean_ci(const std::vector<double>& positive_values,
                           int resamples = 2000, std::uint64_t seed = 1);

// Two-sided Mann-Whitney U test of "A and B come from the same distribution", with the normal
// approximation and a correction for ties (fine from about 8 samples a side). u is the U of A;
// p_value is two-sided. Throws std::invalid_argument on empty input.
struct MannWhitney {
  double u;
  double z;
  double p_value;
};
MannWhitney mann_whitney_u(const std::vector<double>& a, const std::vector<double>& b);
// The smallest p_value mann_whitney_u can give for samples of these sizes without ties: when every
// value of one side is below every value of the other. 0.081 for 3 and 3; 1 with an empty side.
// Where it is not below a significance level, no data of these sizes can reach it.
double mann_whitney_smallest_p(std::size_t size_a, std::size_t size_b);

struct StabilityWarnings {
  bool unstable;   // stdev > 10% of mean (the threshold pyperf warns at)
  bool too_short;  // median < 1 ms, i.e. < 1'000'000 ns
};

StabilityWarnings check_stability(const Summary& s);

}  // namespace polyhost::stats

#endif  // POLYHOST_HOST_STATS_STATISTICS_H_
