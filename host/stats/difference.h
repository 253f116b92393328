// The difference of two medians, for a cost shown apart as one measurement minus another (a
// launcher script's own time: the program through it minus the program itself).
#pragma once

#include <cstdint>
#include <vector>

#include "host/stats/statistics.h"

namespace polyhost::stats {

struct DifferenceEstimate {
  double difference;  // median(a) - median(b)
  Interval ci95;
};

// median(A) - median(B) with a 95% percentile-bootstrap CI: each side is resampled independently
// with replacement RESAMPLES times (the samples of A and B come from different processes), and the
// interval is the 2.5th..97.5th percentile of the resampled differences (Hyndman-Fan type 7).
// Deterministic for a given seed. Throws std::invalid_argument on an empty side, a non-finite
// sample, or resamples < 1.
DifferenceEstimate difference_of_medians(const std::vector<double>& a, const std::vector<double>& b,
                                         int resamples = 2000, std::uint64_t seed = 1);

}  // namespace polyhost::stats
