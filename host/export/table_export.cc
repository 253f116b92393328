// write_table: the results as an aligned terminal table, then the geometric mean, the runs that
// were not ok and the warnings. Failures are loud: their status word in capitals, and in red when
// COLOR is set.
#include <algorithm>
#include <string>
#include <vector>

#include "host/export/exporters.h"
#include "host/export/format_units.h"

namespace polyhost {
namespace {

using namespace report_text;

constexpr const char* kChecked = "\u2713";
constexpr std::size_t kMaxMessage = 160;  // code points of a message or warning shown
constexpr const char* kGap = "  ";

constexpr const char* kRed = "\x1b[31m";
constexpr const char* kBold = "\x1b[1m";
constexpr const char* kReset = "\x1b[0m";

std::string paint(const std::string& text, const char* style, bool color) {
  return color ? style + text + kReset : text;
}

std::string time_cell(const RunResult* run) {
  if (run == nullptr) return kNoValue;
  if (run->status != RunStatus::Ok) return to_upper(status_name(run->status));
  if (!run->summary) return kNoValue;
  const stats::Summary& s = *run->summary;
  return format_duration_plus_minus(s.median, s.ci95_median.low, s.ci95_median.high);
}

// "✓" when every run of the row is ok and checked, else what went wrong ("MISMATCH, ERROR").
std::string verdict_cell(const WorkloadRow& row) {
  std::vector<std::string> problems;
  for (const RunResult* run : row.runs) {
    if (run == nullptr || run_checked(*run)) continue;
    std::string word = run->status == RunStatus::Ok ? "UNVERIFIED" : to_upper(status_name(run->status));
    if (std::find(problems.begin(), problems.end(), word) == problems.end()) problems.push_back(word);
  }
  if (problems.empty()) return kChecked;
  std::string cell;
  for (const auto& word : problems) cell += (cell.empty() ? "" : ", ") + word;
  return cell;
}

bool row_failed(const WorkloadRow& row) {
  return std::any_of(row.runs.begin(), row.runs.end(),
                     [](const RunResult* run) { return run != nullptr && !run_checked(*run); });
}

void write_grid(const RunReport& report, const ResultTable& table, std::ostream& out, bool color) {
  // Columns: workload, one per configuration, one ratio per non-baseline configuration, verified.
  const std::size_t ratio_columns = table.configs.empty() ? 0 : table.configs.size() - 1;
  std::vector<std::string> header{"workload"};
  std::vector<bool> right_aligned{false};
  for (const auto& config : table.configs) {
    header.push_back(config);
    right_aligned.push_back(true);
  }
  for (std::size_t i = 1; i < table.configs.size(); ++i) {
    header.push_back(table.configs[i] + "/" + table.baseline);
    right_aligned.push_back(true);
  }
  header.push_back("verified");
  right_aligned.push_back(false);

  std::vector<std::vector<std::string>> rows;
  for (const WorkloadRow& row : table.rows) {
    std::vector<std::string> cells{row.workload};
    for (const RunResult* run : row.runs) cells.push_back(time_cell(run));
    for (std::size_t i = 1; i <= ratio_columns; ++i) {
      cells.push_back(ratio_text(report, row.runs[i]));
    }
    cells.push_back(verdict_cell(row));
    rows.push_back(std::move(cells));
  }

  std::vector<std::size_t> widths(header.size());
  for (std::size_t i = 0; i < header.size(); ++i) {
    widths[i] = display_width(header[i]);
    for (const auto& cells : rows) widths[i] = std::max(widths[i], display_width(cells[i]));
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string text;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i) text += kGap;
      const bool last = i + 1 == cells.size();
      // No trailing spaces after the last, left-aligned column.
      text += right_aligned[i] ? pad_left(cells[i], widths[i]) : last ? cells[i] : pad_right(cells[i], widths[i]);
    }
    return text;
  };

  out << paint(line(header), kBold, color) << '\n';
  std::string rule;
  for (std::size_t i = 0; i < widths.size(); ++i) {
    if (i) rule += kGap;
    for (std::size_t k = 0; k < widths[i]; ++k) rule += "\u2500";
  }
  out << rule << '\n';
  for (std::size_t r = 0; r < rows.size(); ++r)
    out << (row_failed(table.rows[r]) ? paint(line(rows[r]), kRed, color) : line(rows[r])) << '\n';
}

void write_geometric_mean(const RunReport& report, const ResultTable& table, std::ostream& out) {
  std::string means;
  for (std::size_t i = 1; i < table.configs.size(); ++i) {
    const auto it = report.geometric_mean_ratio.find(table.configs[i]);
    if (it == report.geometric_mean_ratio.end()) continue;
    means += (means.empty() ? "" : ", ") + table.configs[i] + "/" + table.baseline + " \u00d7" +
             format_ratio(it->second);
  }
  out << "geometric mean of ratios (ok workloads): " << (means.empty() ? "n/a" : means) << '\n';
}

void write_problems(const RunReport& report, std::ostream& out, bool color) {
  const auto failed = static_cast<std::size_t>(std::count_if(
      report.runs.begin(), report.runs.end(), [](const RunResult& run) { return run.status != RunStatus::Ok; }));
  if (failed > 0) {
    out << '\n' << paint(std::to_string(failed) + (failed == 1 ? " run" : " runs") + " not ok:", kRed, color) << '\n';
    for (const RunResult& run : report.runs) {
      if (run.status == RunStatus::Ok) continue;
      std::string text = "  " + run.workload + " [" + run.config + "]: " + to_upper(status_name(run.status));
      if (!run.message.empty()) text += " \u2014 " + first_line(run.message, kMaxMessage);
      out << paint(text, kRed, color) << '\n';
    }
  }

  bool header_written = false;
  for (const RunResult& run : report.runs) {
    for (const auto& warning : run.warnings) {
      if (!header_written) out << "\nwarnings:\n";
      header_written = true;
      out << "  " << run.workload << " [" << run.config << "]: " << first_line(warning, kMaxMessage) << '\n';
    }
  }
}

}  // namespace

void write_table(const RunReport& report, std::ostream& out, bool color) {
  const ResultTable table = build_result_table(report);
  if (table.rows.empty()) {
    out << "no runs\n";
    return;
  }
  write_grid(report, table, out, color);
  out << '\n';
  write_geometric_mean(report, table, out);
  write_problems(report, out, color);
}

}  // namespace polyhost
