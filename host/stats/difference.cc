#include "host/stats/difference.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>
#include <string>

namespace polyhost::stats {
namespace {

void require_usable(const std::vector<double>& v, const char* side) {
  if (v.empty()) throw std::invalid_argument(std::string("difference_of_medians (") + side + "): empty sample set");
  for (double x : v) {
    if (!std::isfinite(x)) throw std::invalid_argument(std::string("difference_of_medians (") + side + "): non-finite sample");
  }
}

// A uniform index below N from the generator's raw output, by rejection (no modulo bias, and the
// same sequence on every platform, which std::uniform_int_distribution does not promise).
std::size_t uniform_index(std::mt19937_64& bits, std::size_t n) {
  const std::uint64_t range = n;
  const std::uint64_t limit = std::mt19937_64::max() - std::mt19937_64::max() % range;
  for (;;) {
    const std::uint64_t x = bits();
    if (x < limit) return static_cast<std::size_t>(x % range);
  }
}

double resampled_median(const std::vector<double>& values, std::mt19937_64& bits, std::vector<double>& buffer) {
  buffer.resize(values.size());
  for (double& x : buffer) x = values[uniform_index(bits, values.size())];
  return median(buffer);
}

// Type 7 percentile of sorted values, P in [0, 1].
double percentile(const std::vector<double>& sorted, double p) {
  const double h = p * static_cast<double>(sorted.size() - 1);
  const auto low = static_cast<std::size_t>(std::floor(h));
  const std::size_t high = std::min(low + 1, sorted.size() - 1);
  return sorted[low] + (h - static_cast<double>(low)) * (sorted[high] - sorted[low]);
}

}  // namespace

DifferenceEstimate difference_of_medians(const std::vector<double>& a, const std::vector<double>& b, int resamples,
                                         std::uint64_t seed) {
  require_usable(a, "first");
  require_usable(b, "second");
  if (resamples < 1) throw std::invalid_argument("difference_of_medians: resamples must be >= 1");
  std::mt19937_64 bits(seed);
  std::vector<double> buffer, differences(static_cast<std::size_t>(resamples));
  for (double& d : differences) {
    const double from_a = resampled_median(a, bits, buffer);
    d = from_a - resampled_median(b, bits, buffer);
  }
  std::sort(differences.begin(), differences.end());
  return {median(a) - median(b), {percentile(differences, 0.025), percentile(differences, 0.975)}};
}

}  // namespace polyhost::stats
