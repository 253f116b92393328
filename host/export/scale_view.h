// What the terminal table and the Markdown of `polyhost scale` share: the cells of the mode x
// threads tables, the runs that are not ok, and the summary over workloads. Reads the model only.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "host/model/scale.h"

namespace polyhost {

// "780/s", "12.3k/s", "4.56M/s": run(n) calls per second, 3 significant digits.
std::string format_rate(double per_s);
// "780/s [771–792]" for a 95% CI, "780/s [range 771–792]" for the processes' range.
std::string format_rate_with_interval(double per_s, const stats::Interval& interval, ScaleInterval kind);
// RUN's throughput with its interval.
std::string format_throughput(const ScaleRun& run);
// "×1.96 [1.93–1.99]", or "×1.96 [range 1.93–1.99]": RUN's speedup with its interval.
std::string format_speedup(const ScaleRun& run);
// " [98–99%]" or " [range 98–99%]": the interval of RUN's efficiency.
std::string format_efficiency_interval(const ScaleRun& run);

// The cell of RUN in a mode x threads table: the throughput at T=1; the speedup over T=1 with its
// interval and the efficiency above that ("×1.96 [1.93–1.99] 98%"); the verdict in capitals when
// the run is not ok; an em dash when there is no run.
std::string scale_cell(const ScaleRun* run);

// What the brackets of REPORT's cells are, for a legend: "95% CI"; or, when some runs have fewer
// than 6 processes, what their "range" brackets are instead.
std::string scale_interval_legend(const ScaleReport& report);
// The efficiency as a percentage: "98%".
std::string format_efficiency(double efficiency);

// The modes in the order asked for (settings.modes, else first appearance in the runs).
std::vector<std::string> scale_modes_in_order(const ScaleReport& report);

// "nbody | cpython-threads | T=2: ERROR: thread 2 of 2: ..." for every run that is neither ok nor
// skipped.
std::vector<std::string> scale_problem_lines(const ScaleReport& report);
// "node-workers: node is not installed (not found on PATH)" once for each skipped mode: a mode that
// cannot run here is no failure (the exit status stays 0).
std::vector<std::string> scale_skipped_lines(const ScaleReport& report);

// "nbody | cpython-threads | T=2: 1 of 4 threads" for every ok run with a "no steady state" warning:
// threads that reached a warm-up cap without settling, so its figures mix states.
std::vector<std::string> scale_unsteady_lines(const ScaleReport& report);
inline constexpr const char* kScaleUnsteadyNote =
    "no steady state: these threads reached a warm-up cap without settling, so their measured calls mix states";

// "nbody | cpython-threads | T=2: 1 of 1 processes" for every ok run with a "short measured part"
// warning: its lanes started or ended so far apart that the wall time is mostly their skew.
std::vector<std::string> scale_short_measured_lines(const ScaleReport& report);
inline constexpr const char* kScaleShortMeasuredNote =
    "short measured part: the threads' measured calls together filled less than half of the measured part's wall "
    "time (the lanes started or ended that far apart), so these throughputs and speedups mostly measure that skew; "
    "raise --min-time or --iterations";

// "nbody | cpython-threads | T=2: 1 of 3" for every ok run with a "fewer processes" warning: an
// interrupt came before all its processes finished, so its figures rest on fewer.
std::vector<std::string> scale_fewer_processes_lines(const ScaleReport& report);
inline constexpr const char* kScaleFewerProcessesNote =
    "fewer processes: the run was interrupted before all planned processes of these runs finished; their figures "
    "rest on those that did";

// The geometric mean over workloads of each mode's speedup at each thread count (ok runs only).
struct ScaleSummaryRow {
  std::string mode;
  std::vector<std::optional<double>> speedup;  // per settings.thread_counts
  std::vector<int> workloads;                  // how many workloads each mean is over
};
std::vector<ScaleSummaryRow> scale_summary(const ScaleReport& report);

}  // namespace polyhost
