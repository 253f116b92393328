// More processes where a run's processes disagree. V8 draws a different steady speed in different
// processes of one workload (richards: 1.43 ms in about one process in five, 1.7-1.9 ms in the
// others), so three processes can give a median that the next three do not repeat. After the
// planned rounds, the runs whose process medians leave their median imprecise get more processes
// in extra rounds (one process each, the run that gains most for the cost first), up to a cap and
// within a time budget (Kalibera and Jones, "Rigorous benchmarking in reasonable time", 2013:
// repeat most at the level that varies most).
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "host/model/results.h"

namespace polyhost {

// The precision a run aims for: the 95% CI of the mean of its process medians (Student's t) within
// this share of that mean.
inline constexpr double kProcessPrecision = 0.03;
// The extra processes together take at most this share of the planned rounds' time, or
// kExtraProcessFloorSeconds, whichever is more (a run of one short workload still gets some). The
// orchestrator starts one only when its run's slowest process so far still fits: a prediction,
// which one process can overrun (up to the warm-up cap and --timeout).
inline constexpr double kExtraProcessTimeShare = 0.15;
inline constexpr double kExtraProcessFloorSeconds = 5;

// The half-width of that CI over the mean, from RUN's processes' medians; nullopt with fewer than 2.
std::optional<double> process_imprecision(const Run& run);

// The runs (indices into RUNS) that should get one more process in the next extra round, the best
// value first: an ok run with fewer than MAX_PROCESSES processes, of a workload whose runs are all
// ok (a ratio to sharpen), whose imprecision is above kProcessPrecision, ordered by imprecision per
// second of one of its processes (SECONDS_PER_PROCESS, one per run; none recorded counts as 1 s).
// A run of one process comes first: it needs a second before its spread can be judged.
std::vector<std::size_t> extra_process_order(const std::vector<Run>& runs, const std::vector<double>& seconds_per_process,
                                             int max_processes);

// How many seconds the extra processes may take after planned rounds that took PLANNED_SECONDS.
double extra_process_budget(double planned_seconds);

}  // namespace polyhost
