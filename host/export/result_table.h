// The results as a table of workloads x configurations, shared by the terminal, Markdown and CSV
// writers (as hyperfine's export/markup.rs is): which cells there are, which ratio each shows, and
// the few words that describe a run.
#pragma once

#include <functional>
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

// Marks a run's median when its measured samples mix states: a process without a steady state, or
// a change of speed among the measured samples (its warnings say which).
inline constexpr const char* kMixedStatesMark = "~";
bool mixes_states(const Run& run);
// The legend of kMixedStatesMark, after the mark.
inline constexpr const char* kMixedStatesLegend =
    "the median mixes states (a process without a steady state, or a change of speed among the measured samples: see "
    "the warnings)";
bool any_mixes_states(const Results& results);

// The warm-up classification of RUN in a few words: "flat", "warmup, steady from it. 4",
// "inconsistent (2 warmup, 1 flat)", "too short"; an em dash when there is none.
std::string warmup_text(const Run* run);

// A table with one cell per configuration for each workload (CELL), then, when WITH_RATIOS, one
// column per configuration but the baseline (RATIO, headed "RATIO_NAME config/baseline"). Headers
// are plain text: a writer escapes them as its format needs.
struct PerConfigTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};
PerConfigTable per_config_table(const Results& results, const ResultTable& table,
                                const std::function<std::string(const Run*)>& cell, const std::string& ratio_name,
                                const std::function<std::string(const Run*)>& ratio, bool with_ratios);

// RUN's cold and warm-up figures in a few words: "22.3 ms; 6 it. (71.2 ms)" (the median first
// iteration; iterations and time until steady), "22.3 ms; no steady state (2 of 3)", "22.3 ms; too
// short to tell (3 of 3)" (series too short to classify); an em dash when there is nothing.
std::string cold_warmup_text(const Run* run);

// The cold ratio of RUN to the baseline as "×12.3 [11.9–12.8]", or an em dash.
std::string cold_ratio_text(const Results& results, const Run* run);

// RUN's memory in a few words: "45.1 MiB (+12.3 MiB); heap 8.20 MiB": the median peak resident
// memory of its processes, what of it lies above an idle worker of its configuration, and the
// engine's own heap peak; the status word of a failed run; an em dash when nothing was read.
std::string memory_text(const Results& results, const Run* run);
// Peak resident memory over an idle worker's of the same configuration (its resident memory with an
// empty workload loaded, before any call): the median, in bytes, when known.
std::optional<double> memory_above_idle(const Results& results, const Run& run);
// An idle worker's resident memory for CONFIG ("34.6 MiB"), or an em dash.
std::string idle_memory_text(const Results& results, const std::string& config);
// The memory ratio of RUN to the baseline as "×1.52 [1.40–1.61]", or an em dash.
std::string memory_ratio_text(const Results& results, const Run* run);

// "after 4 iterations", "after ~1200 iterations (extrapolated)", "never (not measurably faster once warm)".
std::string break_even_text(const BreakEven& b);

// Warnings grouped by kind, each kind's worst first.
struct WarningGroup {
  std::string kind;
  std::vector<std::pair<const Run*, const RunWarning*>> cases;  // worst first
};
std::vector<WarningGroup> group_warnings(const Results& results);

// What a kind of warning means, without one run's own figures (those are in the files).
std::string warning_explanation(const std::string& kind);

// "v8-ignition / v8-jit" and "×3.05 [2.61–3.57]" for a tier ratio ("×3.05 (no CI from one workload)").
std::string tier_pair_text(const TierRatio& ratio);
std::string tier_value_text(const TierRatio& ratio);  // "×3.50 [3.00–4.00]", "×0.311 [range 0.120–0.806]"
// What a tier ratio's interval is, for a heading: "95% bootstrap CI over the workloads; from fewer than 6 ...".
std::string tier_interval_words();

}  // namespace polyhost
