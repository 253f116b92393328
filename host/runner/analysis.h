// What the runner concludes from the samples: the cross-language check of results, and the
// statistics, warm-up classifications, ratios to the baseline and tier ratios of a Results.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "host/model/results.h"

namespace polyhost {

// The runs of one workload (one per configuration): marks them all invalid when the two files give
// different sizes (SIZES per configuration that loaded), and every ok run a mismatch when the
// results of two configurations disagree.
void cross_check(const std::vector<Run*>& runs, const std::map<std::string, std::map<std::string, std::int64_t>>& sizes);

// Fills summaries, warnings, warm-up classifications, comparisons, geometric means and tier ratios
// from the runs' samples and statuses.
void compute_statistics(Results& results);

}  // namespace polyhost
