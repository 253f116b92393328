#include "host/results/compare.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>
#include <stdexcept>

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

// What a configuration ran as: its engine and flags as the results file records them.
std::string config_field(const LoadedResults& r, const std::string& config, const char* field) {
  const auto& env = r.document.value("environment", nlohmann::json::object());
  const auto configs = env.value("configs", nlohmann::json::object());
  if (!configs.is_object() || !configs.contains(config) || !configs[config].is_object() ||
      !configs[config].contains(field)) {
    return "(not recorded)";
  }
  const auto& v = configs[config][field];
  return v.is_string() ? v.get<std::string>() : v.dump();
}

// "engine changed: A -> B; flags changed: [] -> [\"--no-opt\"]", or empty when the setup matches.
std::string setup_change(const LoadedResults& base, const LoadedResults& next, const std::string& config) {
  std::string note;
  for (const char* field : {"engine", "flags"}) {
    const std::string before = config_field(base, config, field), after = config_field(next, config, field);
    if (before != after) note += (note.empty() ? "" : "; ") + std::string(field) + " changed: " + before + " -> " + after;
  }
  return note;
}

// Differences in the machine or build that make every row's change suspect.
std::vector<std::string> environment_changes(const LoadedResults& base, const LoadedResults& next) {
  std::vector<std::string> out;
  const auto& a = base.document.value("environment", nlohmann::json::object());
  const auto& b = next.document.value("environment", nlohmann::json::object());
  for (const char* field : {"cpu_model", "cpu_count", "os", "polyhost_version", "python_executable"}) {
    const auto before = a.value(field, nlohmann::json()), after = b.value(field, nlohmann::json());
    if (before != after) out.push_back(std::string(field) + ": " + before.dump() + " -> " + after.dump());
  }
  return out;
}

}  // namespace

namespace {

std::string gate_line(const CompareReport& report) {
  std::ostringstream text;
  const auto regressions = report.regressions();
  text << (regressions.empty() ? "no significant slowdown beyond "
                               : std::to_string(regressions.size()) + " significant slowdown(s) beyond ")
       << report.threshold_percent << "%";
  if (!report.lost.empty()) text << "; " << report.lost.size() << " row(s) ok in the base are not ok or missing now";
  return text.str();
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
  if (!std::isfinite(threshold_percent) || threshold_percent < 0) {
    throw std::invalid_argument("the threshold must be a finite percentage >= 0");
  }
  CompareReport report;
  report.base_path = base.path;
  report.new_path = next.path;
  report.threshold_percent = threshold_percent;
  report.environment_changes = environment_changes(base, next);
  std::map<std::pair<std::string, std::string>, const LoadedRun*> base_runs, new_runs;
  for (const auto& r : base.runs) base_runs.emplace(std::make_pair(r.workload, r.config), &r);
  for (const auto& r : next.runs) new_runs.emplace(std::make_pair(r.workload, r.config), &r);

  std::vector<stats::GroupedRatioInput> compared;
  for (const auto& [key, b] : base_runs) {
    const std::string name = key.first + " [" + key.second + "]";
    auto found = new_runs.find(key);
    if (found == new_runs.end()) {
      report.not_compared.push_back(name + ": only in " + base.path);
      if (b->status == "ok") report.lost.push_back(name + ": ok in the base, missing from " + next.path);
      continue;
    }
    const LoadedRun* n = found->second;
    if (!b->problem.empty() || !n->problem.empty()) {
      report.not_compared.push_back(name + ": " + (b->problem.empty() ? n->problem : b->problem));
      continue;
    }
    if (b->status != "ok" || n->status != "ok") {
      report.not_compared.push_back(name + ": not ok (" + b->status + " in the base, " + n->status + " in the new run)");
      if (b->status == "ok") report.lost.push_back(name + ": ok in the base, " + n->status + " in the new run");
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
    row.note = setup_change(base, next, key.second);
    compared.push_back({n->measured_by_process(), b->measured_by_process()});
    report.rows.push_back(std::move(row));
  }
  for (const auto& [key, n] : new_runs) {
    if (!base_runs.count(key)) report.not_compared.push_back(key.first + " [" + key.second + "]: only in " + next.path);
  }
  if (!compared.empty()) {
    const auto mean = stats::geometric_mean_of_grouped_ratios(compared);
    report.geometric_mean_ratio = mean.ratio;
    report.geometric_mean_ci = mean.ci95;
  }
  return report;
}

void write_compare_table(const CompareReport& report, std::ostream& out) {
  out << "base: " << report.base_path << "\nnew:  " << report.new_path << "\n\n";
  if (!report.environment_changes.empty()) {
    out << "WARNING: the two runs were not made on the same setup, so a change may not be the code's:\n";
    for (const auto& line : report.environment_changes) out << "  " << line << '\n';
    out << '\n';
  }
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
        << report.rows.size() << " rows (95% CI from the rows' measurement noise)\n";
  }
  if (!report.not_compared.empty()) {
    out << "\nnot compared:\n";
    for (const auto& line : report.not_compared) out << "  " << line << '\n';
  }
  out << '\n' << gate_line(report) << '\n';
}

void write_compare_markdown(const CompareReport& report, std::ostream& out) {
  out << "# polyhost compare\n\n- base: `" << report.base_path << "`\n- new: `" << report.new_path << "`\n"
      << "- significant: Mann-Whitney U p < 0.05 and the 95% bootstrap CI of the ratio of medians excludes 1\n"
      << "- threshold: " << report.threshold_percent << "%\n- **" << gate_line(report) << "**\n\n";
  if (!report.environment_changes.empty()) {
    out << "**Warning:** the two runs were not made on the same setup, so a change may not be the code's:\n\n";
    for (const auto& line : report.environment_changes) out << "- `" << line << "`\n";
    out << '\n';
  }
  out
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
        << percent(report.geometric_mean_ci.low) << ", " << percent(report.geometric_mean_ci.high)
        << "] (95% CI from the rows' measurement noise).\n";
  }
  if (!report.not_compared.empty()) {
    out << "\n## Not compared\n\n";
    for (const auto& line : report.not_compared) out << "- " << line << '\n';
  }
}

}  // namespace polyhost
