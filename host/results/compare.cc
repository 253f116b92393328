#include "host/results/compare.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "host/export/format_units.h"

namespace polyhost {
namespace {

using namespace report_text;

constexpr double kAlpha = 0.05;

std::string percent(double ratio) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%+.1f%%", (ratio - 1.0) * 100.0);
  return buffer;
}

std::string change_text(const CompareRow& row) {
  return percent(row.ratio.ratio) + " [" + percent(row.ratio.ci95.low) + ", " + percent(row.ratio.ci95.high) + "]";
}

std::string verdict_text(const CompareRow& row, double threshold) {
  if (!row.significant) return "no significant change";
  const bool slower = row.ratio.ratio > 1.0;
  std::string text = slower ? "SLOWER" : "faster";
  if (slower && (row.ratio.ratio - 1.0) * 100.0 > threshold) text += " (beyond the threshold)";
  return text;
}

std::string p_text(double p) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, p < 0.001 ? "%.1e" : "%.3f", p);
  return buffer;
}

}  // namespace

std::vector<const CompareRow*> CompareReport::regressions() const {
  std::vector<const CompareRow*> out;
  for (const auto& row : rows) {
    if (row.significant && (row.ratio.ratio - 1.0) * 100.0 > threshold_percent) out.push_back(&row);
  }
  return out;
}

CompareReport compare_results(const LoadedResults& base, const LoadedResults& next, double threshold_percent) {
  CompareReport report;
  report.base_path = base.path;
  report.new_path = next.path;
  report.threshold_percent = threshold_percent;
  std::map<std::pair<std::string, std::string>, const LoadedRun*> base_runs, new_runs;
  for (const auto& r : base.runs) base_runs[{r.workload, r.config}] = &r;
  for (const auto& r : next.runs) new_runs[{r.workload, r.config}] = &r;

  std::vector<double> ratios;
  for (const auto& [key, b] : base_runs) {
    const std::string name = key.first + " [" + key.second + "]";
    auto found = new_runs.find(key);
    if (found == new_runs.end()) {
      report.not_compared.push_back(name + ": only in " + base.path);
      continue;
    }
    const LoadedRun* n = found->second;
    if (b->status != "ok" || n->status != "ok") {
      report.not_compared.push_back(name + ": not ok (" + b->status + " in the base, " + n->status + " in the new run)");
      continue;
    }
    if (b->size != n->size) {
      report.not_compared.push_back(name + ": sizes differ (" + std::to_string(b->size) + " vs " + std::to_string(n->size) +
                                    "), so the runs did different work");
      continue;
    }
    if (b->samples_ns.empty() || n->samples_ns.empty()) {
      report.not_compared.push_back(name + ": no samples");
      continue;
    }
    CompareRow row;
    row.workload = key.first;
    row.config = key.second;
    row.base_median = stats::median(b->samples_ns);
    row.new_median = stats::median(n->samples_ns);
    row.ratio = stats::ratio_of_medians_grouped(n->measured_by_process(), b->measured_by_process());
    row.test = stats::mann_whitney_u(n->samples_ns, b->samples_ns);
    row.significant = row.test.p_value < kAlpha && (row.ratio.ci95.low > 1.0 || row.ratio.ci95.high < 1.0);
    const std::string base_engine = base.engine_of(key.second), new_engine = next.engine_of(key.second);
    if (base_engine != new_engine) row.note = "engine changed: " + base_engine + " -> " + new_engine;
    ratios.push_back(row.ratio.ratio);
    report.rows.push_back(std::move(row));
  }
  for (const auto& [key, n] : new_runs) {
    if (!base_runs.count(key)) report.not_compared.push_back(key.first + " [" + key.second + "]: only in " + next.path);
  }
  if (!ratios.empty()) {
    report.geometric_mean_ratio = stats::geometric_mean(ratios);
    report.geometric_mean_ci = stats::geometric_mean_ci(ratios);
  }
  return report;
}

void write_compare_table(const CompareReport& report, std::ostream& out) {
  out << "base: " << report.base_path << "\nnew:  " << report.new_path << "\n\n";
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"workload", "config", "base median", "new median", "change [95% CI]", "p (Mann-Whitney)", "verdict"});
  for (const auto& r : report.rows) {
    rows.push_back({r.workload, r.config, format_duration_ns(r.base_median), format_duration_ns(r.new_median),
                    change_text(r), p_text(r.test.p_value),
                    verdict_text(r, report.threshold_percent) + (r.note.empty() ? "" : "; " + r.note)});
  }
  std::vector<std::size_t> widths(rows[0].size(), 0);
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], display_width(row[i]));
  }
  for (std::size_t r = 0; r < rows.size(); ++r) {
    std::string line;
    for (std::size_t i = 0; i < rows[r].size(); ++i) {
      const bool numeric = i >= 2 && i <= 5;
      const bool last = i + 1 == rows[r].size();
      line += (i ? "  " : "") + (numeric ? pad_left(rows[r][i], widths[i]) : last ? rows[r][i] : pad_right(rows[r][i], widths[i]));
    }
    out << line << '\n';
    if (r == 0) {
      std::string rule;
      for (std::size_t i = 0; i < widths.size(); ++i) {
        if (i) rule += "  ";
        for (std::size_t k = 0; k < widths[i]; ++k) rule += "\u2500";
      }
      out << rule << '\n';
    }
  }
  if (report.rows.empty()) out << "(no rows could be compared)\n";
  if (report.geometric_mean_ratio > 0) {
    out << "\ngeometric mean of the changes: " << percent(report.geometric_mean_ratio) << " ["
        << percent(report.geometric_mean_ci.low) << ", " << percent(report.geometric_mean_ci.high) << "] over "
        << report.rows.size() << " rows\n";
  }
  if (!report.not_compared.empty()) {
    out << "\nnot compared:\n";
    for (const auto& line : report.not_compared) out << "  " << line << '\n';
  }
  auto regressions = report.regressions();
  out << '\n'
      << (regressions.empty() ? "no significant slowdown beyond " : std::to_string(regressions.size()) +
                                                                         " significant slowdown(s) beyond ")
      << report.threshold_percent << "%\n";
}

void write_compare_markdown(const CompareReport& report, std::ostream& out) {
  out << "# polyhost compare\n\n- base: `" << report.base_path << "`\n- new: `" << report.new_path << "`\n"
      << "- significant: Mann-Whitney U p < 0.05 and the 95% bootstrap CI of the ratio of medians excludes 1\n\n"
      << "| workload | config | base median | new median | change [95% CI] | p | verdict |\n"
      << "| :--- | :--- | ---: | ---: | ---: | ---: | :--- |\n";
  for (const auto& r : report.rows) {
    std::string verdict = verdict_text(r, report.threshold_percent);
    if (r.significant && r.ratio.ratio > 1.0) verdict = "**" + verdict + "**";
    out << "| " << r.workload << " | " << r.config << " | " << format_duration_ns(r.base_median) << " | "
        << format_duration_ns(r.new_median) << " | " << change_text(r) << " | " << p_text(r.test.p_value) << " | " << verdict
        << (r.note.empty() ? "" : "; " + r.note) << " |\n";
  }
  if (report.geometric_mean_ratio > 0) {
    out << "\nGeometric mean of the changes: " << percent(report.geometric_mean_ratio) << " ["
        << percent(report.geometric_mean_ci.low) << ", " << percent(report.geometric_mean_ci.high) << "].\n";
  }
  if (!report.not_compared.empty()) {
    out << "\n## Not compared\n\n";
    for (const auto& line : report.not_compared) out << "- " << line << '\n';
  }
}

}  // namespace polyhost
