#include "host/runner/extra_processes.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <numeric>

#include "host/stats/statistics.h"

namespace polyhost {

std::optional<double> process_imprecision(const Run& run) {
  std::vector<double> medians;
  for (const auto& samples : run.samples_ns) {
    if (!samples.empty()) medians.push_back(stats::median(samples));
  }
  if (medians.size() < 2) return std::nullopt;
  const double n = static_cast<double>(medians.size());
  const double mean = std::accumulate(medians.begin(), medians.end(), 0.0) / n;
  if (!(mean > 0)) return std::nullopt;
  double squares = 0;
  for (double m : medians) squares += (m - mean) * (m - mean);
  const double sd = std::sqrt(squares / (n - 1));
  return stats::student_t_975(medians.size() - 1) * sd / std::sqrt(n) / mean;
}

std::vector<std::size_t> extra_process_order(const std::vector<Run>& runs, const std::vector<double>& seconds_per_process,
                                             int max_processes) {
  // A workload whose one ok run is all a failure left has no ratio to sharpen (its other language
  // failed). A skipped configuration (not installed) counts as not asked for, and with a third
  // configuration failed the two ok runs still have their ratio.
  std::map<std::string, int> ok_runs, failed_runs;
  for (const Run& run : runs) {
    if (run.status == RunStatus::Ok) ok_runs[run.workload]++;
    else if (run.status != RunStatus::Skipped) failed_runs[run.workload]++;
  }
  const auto comparable = [&](const std::string& workload) { return ok_runs[workload] >= 2 || failed_runs[workload] == 0; };
  struct Candidate {
    std::size_t index;
    double value;  // imprecision per second of a process
  };
  std::vector<Candidate> candidates;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const Run& run = runs[i];
    if (run.status != RunStatus::Ok || run.processes >= max_processes || !comparable(run.workload)) continue;
    const double seconds = i < seconds_per_process.size() && seconds_per_process[i] > 0 ? seconds_per_process[i] : 1.0;
    if (run.processes == 1) {  // one process says nothing of the others: a second first
      candidates.push_back({i, std::numeric_limits<double>::infinity()});
      continue;
    }
    const auto imprecision = process_imprecision(run);
    if (!imprecision || *imprecision <= kProcessPrecision) continue;
    candidates.push_back({i, *imprecision / seconds});
  }
  std::stable_sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) { return a.value > b.value; });
  std::vector<std::size_t> out;
  for (const Candidate& c : candidates) out.push_back(c.index);
  return out;
}

double extra_process_budget(double planned_seconds) {
  return std::max(kExtraProcessTimeShare * planned_seconds, kExtraProcessFloorSeconds);
}

}  // namespace polyhost
