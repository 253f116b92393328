#include "host/export/scale_view.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "host/text/format.h"
#include "host/text/layout.h"

namespace polyhost {

std::string format_rate(double per_s) {
  if (!std::isfinite(per_s)) return "n/a";
  if (per_s >= 1e6) return text::format_ratio(per_s / 1e6) + "M/s";
  if (per_s >= 1e3) return text::format_ratio(per_s / 1e3) + "k/s";
  return text::format_ratio(per_s) + "/s";
}

namespace {

// "[" for a 95% CI, "[range " for the processes' range.
std::string opening_bracket(ScaleInterval kind) { return kind == ScaleInterval::Range ? "[range " : "["; }

}  // namespace

std::string format_rate_with_interval(double per_s, const stats::Interval& interval, ScaleInterval kind) {
  // The bounds in the median's unit, so "[771–792]" reads against "780/s".
  const double unit = per_s >= 1e6 ? 1e6 : per_s >= 1e3 ? 1e3 : 1;
  return format_rate(per_s) + " " + opening_bracket(kind) + text::format_ratio(interval.low / unit) + "\u2013" +
         text::format_ratio(interval.high / unit) + "]";
}

std::string format_throughput(const ScaleRun& run) {
  if (!run.throughput_per_s) return text::kNoValue;
  return format_rate_with_interval(*run.throughput_per_s, run.throughput_interval, run.interval);
}

std::string format_speedup(const ScaleRun& run) {
  if (!run.speedup) return text::kNoValue;
  const std::string text = text::format_ratio_with_ci(*run.speedup);
  return run.interval == ScaleInterval::Range ? text::labelled_as_range(text) : text;
}

std::string format_efficiency(double efficiency) {
  return std::to_string(static_cast<long long>(std::llround(efficiency * 100))) + "%";
}

std::string format_efficiency_interval(const ScaleRun& run) {
  if (!run.efficiency) return "";
  return " " + opening_bracket(run.interval) + format_efficiency(run.efficiency->ci95.low) + "\u2013" +
         format_efficiency(run.efficiency->ci95.high) + "]";
}

std::string scale_interval_legend(const ScaleReport& report) {
  bool ci = false, range = false;
  for (const auto& r : report.runs) {
    if (r.status != RunStatus::Ok || !r.throughput_per_s) continue;
    (r.interval == ScaleInterval::Range ? range : ci) = true;
  }
  const std::string why = "fewer than " + std::to_string(stats::kFewestForMedianCi) +
                          " processes give no 95% CI; for a speedup, the lowest over the highest T=1 process to the highest over the lowest";
  if (!range) return "95% CI";
  if (!ci) return "range of the processes, not a 95% CI: " + why;
  return "95% CI, or \"range\": the range of the processes, not a 95% CI: " + why;
}

std::string scale_cell(const ScaleRun* run) {
  if (!run) return text::kNoValue;
  if (run->status != RunStatus::Ok) return text::to_upper(status_name(run->status));
  if (!run->throughput_per_s) return text::kNoValue;
  if (run->threads == 1) return format_rate(*run->throughput_per_s);
  if (!run->speedup) return format_rate(*run->throughput_per_s) + " (no T=1)";
  return format_speedup(*run) + " " + format_efficiency(run->efficiency->ratio);
}

std::vector<std::string> scale_modes_in_order(const ScaleReport& report) {
  std::vector<std::string> out = report.settings.modes;
  for (const auto& r : report.runs) {
    if (std::find(out.begin(), out.end(), r.mode) == out.end()) out.push_back(r.mode);
  }
  return out;
}

std::vector<std::string> scale_problem_lines(const ScaleReport& report) {
  std::vector<std::string> lines;
  for (const auto& r : report.runs) {
    if (r.status == RunStatus::Ok || r.status == RunStatus::Skipped) continue;
    lines.push_back(r.workload + " | " + r.mode + " | T=" + std::to_string(r.threads) + ": " +
                    text::to_upper(status_name(r.status)) + ": " + text::first_line(r.message, 300));
  }
  return lines;
}

std::vector<std::string> scale_skipped_lines(const ScaleReport& report) {
  std::vector<std::string> lines;
  std::set<std::string> modes;
  for (const auto& r : report.runs) {
    if (r.status == RunStatus::Skipped && modes.insert(r.mode).second) lines.push_back(r.mode + ": " + r.message);
  }
  return lines;
}

namespace {

std::vector<std::string> warning_lines(const ScaleReport& report, const std::string& kind) {
  std::vector<std::string> lines;
  for (const auto& r : report.runs) {
    if (r.status != RunStatus::Ok) continue;  // a failed run is listed as such, not for its figures' quality
    for (const auto& w : r.warnings) {
      if (w.kind != kind) continue;
      lines.push_back(r.workload + " | " + r.mode + " | T=" + std::to_string(r.threads) + ": " + w.figure);
    }
  }
  return lines;
}

}  // namespace

std::vector<std::string> scale_unsteady_lines(const ScaleReport& report) { return warning_lines(report, "no steady state"); }

std::vector<std::string> scale_short_measured_lines(const ScaleReport& report) {
  return warning_lines(report, "short measured part");
}

std::vector<std::string> scale_fewer_processes_lines(const ScaleReport& report) {
  return warning_lines(report, "fewer processes");
}

std::vector<ScaleSummaryRow> scale_summary(const ScaleReport& report) {
  std::vector<ScaleSummaryRow> rows;
  for (const auto& mode : scale_modes_in_order(report)) {
    ScaleSummaryRow row{mode, {}, {}};
    for (int threads : report.settings.thread_counts) {
      std::vector<double> speedups;
      for (const auto& r : report.runs) {
        if (r.mode == mode && r.threads == threads && r.status == RunStatus::Ok && r.speedup && r.speedup->ratio > 0) {
          speedups.push_back(r.speedup->ratio);
        }
      }
      row.speedup.push_back(speedups.empty() ? std::nullopt : std::optional<double>(stats::geometric_mean(speedups)));
      row.workloads.push_back(static_cast<int>(speedups.size()));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace polyhost
