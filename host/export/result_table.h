// The results as a table of workloads x configurations, shared by the terminal, Markdown and CSV
// writers (as hyperfine's export/markup.rs is): which cells there are, which ratio each shows, and
// the few words that describe a run.
#pragma once

#include <string>
#include <vector>

#include "host/model/results.h"

namespace polyhost {

// One row of a results table: a workload and its run under each configuration.
struct WorkloadRow {
  std::string workload;
  std::vector<const Run*> runs;  // parallel to the table's configurations; nullptr if none
};

struct ResultTable {
  std::vector<std::string> configs;  // settings.configs, then any configuration only seen in runs
  std::string baseline;              // configs[0], or "" when there is none
  std::vector<WorkloadRow> rows;     // workloads in order of first appearance in the runs
};

ResultTable build_result_table(const Results& results);

// The comparison of RUN against the baseline to show, or nullptr: none is shown for the baseline
// itself, when RUN or the baseline's run of the same workload is not ok, or when there is no such
// comparison. A ratio involving a failed run is never shown.
const Comparison* shown_comparison(const Results& results, const Run& run);

// The ratio of RUN (may be null) to the baseline as "×12.3 [11.9–12.8]", or an em dash.
std::string ratio_text(const Results& results, const Run* run);

// The geometric mean of CONFIG's ratios as "×12.3", or an em dash.
std::string geometric_mean_text(const Results& results, const std::string& config);

// The warm-up classification of RUN in a few words: "flat", "warmup, steady from it. 4",
// "inconsistent (2 warmup, 1 flat)", "too short"; an em dash when there is none.
std::string warmup_text(const Run* run);

// "v8-ignition / v8-jit" and "×3.05 [2.61–3.57]" for a tier ratio.
std::string tier_pair_text(const TierRatio& ratio);
std::string tier_value_text(const TierRatio& ratio);

}  // namespace polyhost
