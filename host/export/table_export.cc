// write_table: the results as an aligned terminal table, then the geometric mean, the runs that
// were not ok and the warnings. Failures are loud: their status word in capitals, and in red when
// COLOR is set.
#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "host/export/exporters.h"
#include "host/export/format_units.h"

namespace polyhost {
namespace {

using namespace report_text;

constexpr const char* kChecked = "\u2713";
constexpr std::size_t kMaxMessage = 200;  // code points of a message or warning shown
constexpr const char* kGap = "  ";

constexpr const char* kRed = "\x1b[31m";
constexpr const char* kBold = "\x1b[1m";
constexpr const char* kReset = "\x1b[0m";

// Paths under the current directory shown relative to it: the summary line keeps its reason.
std::string relative_paths(std::string text) {
  std::error_code ec;
  const std::string here = std::filesystem::current_path(ec).string() + "/";
  if (ec || here == "/") return text;
  for (auto at = text.find(here); at != std::string::npos; at = text.find(here, at)) text.erase(at, here.size());
  return text;
}

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

struct Grid {
  std::vector<std::string> header;
  std::vector<bool> right_aligned;
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> failed;  // per row: painted red
};

void render(const Grid& grid, std::ostream& out, bool color) {
  std::vector<std::size_t> widths(grid.header.size());
  for (std::size_t i = 0; i < grid.header.size(); ++i) {
    widths[i] = display_width(grid.header[i]);
    for (const auto& cells : grid.rows) widths[i] = std::max(widths[i], display_width(cells[i]));
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string text;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i) text += kGap;
      const bool last = i + 1 == cells.size();
      // No trailing spaces after the last, left-aligned column.
      text += grid.right_aligned[i] ? pad_left(cells[i], widths[i]) : last ? cells[i] : pad_right(cells[i], widths[i]);
    }
    return text;
  };
  out << paint(line(grid.header), kBold, color) << '\n';
  std::string rule;
  for (std::size_t i = 0; i < widths.size(); ++i) {
    if (i) rule += kGap;
    for (std::size_t k = 0; k < widths[i]; ++k) rule += "\u2500";
  }
  out << rule << '\n';
  for (std::size_t r = 0; r < grid.rows.size(); ++r)
    out << (grid.failed[r] ? paint(line(grid.rows[r]), kRed, color) : line(grid.rows[r])) << '\n';
}

// Up to three configurations: each one's median ± CI, then each ratio to the baseline with its CI.
// More (a tier comparison): the baseline's median, then every other configuration as a bare ratio,
// so the table stays readable; the CIs are in the JSON and Markdown.
void write_grid(const RunReport& report, const ResultTable& table, std::ostream& out, bool color) {
  const bool compact = table.configs.size() > 3;
  Grid grid;
  grid.header = {"workload"};
  grid.right_aligned = {false};
  for (std::size_t i = 0; i < table.configs.size(); ++i) {
    if (compact && i > 0) break;
    grid.header.push_back(table.configs[i]);
    grid.right_aligned.push_back(true);
  }
  for (std::size_t i = 1; i < table.configs.size(); ++i) {
    grid.header.push_back(compact ? table.configs[i] : table.configs[i] + "/" + table.baseline);
    grid.right_aligned.push_back(true);
  }
  grid.header.push_back("verified");
  grid.right_aligned.push_back(false);

  for (const WorkloadRow& row : table.rows) {
    std::vector<std::string> cells{row.workload};
    for (std::size_t i = 0; i < row.runs.size(); ++i) {
      if (compact && i > 0) break;
      cells.push_back(time_cell(row.runs[i]));
    }
    for (std::size_t i = 1; i < row.runs.size(); ++i) {
      const RunResult* run = row.runs[i];
      if (!compact) {
        cells.push_back(ratio_text(report, run));
      } else if (const Comparison* c = run ? shown_comparison(report, *run) : nullptr) {
        cells.push_back("\u00d7" + format_ratio(c->ratio.ratio));
      } else {
        cells.push_back(run && run->status != RunStatus::Ok ? to_upper(status_name(run->status)) : kNoValue);
      }
    }
    cells.push_back(verdict_cell(row));
    grid.rows.push_back(std::move(cells));
    grid.failed.push_back(row_failed(row));
  }
  if (compact) {
    out << "Medians of " << table.baseline << "; every other column is that configuration's median / "
        << table.baseline << "'s (lower is faster).\n";
    std::vector<std::string> mean_row{"geometric mean", ""};
    for (std::size_t i = 1; i < table.configs.size(); ++i) {
      const auto it = report.geometric_mean_ratio.find(table.configs[i]);
      mean_row.push_back(it == report.geometric_mean_ratio.end() ? kNoValue : "\u00d7" + format_ratio(it->second));
    }
    mean_row.push_back("");
    grid.rows.push_back(mean_row);
    grid.failed.push_back(false);
  }
  render(grid, out, color);
}

void write_warmup(const RunReport& report, const ResultTable& table, std::ostream& out, bool color) {
  bool any = std::any_of(report.runs.begin(), report.runs.end(), [](const RunResult& r) {
    return r.warmup && r.warmup->classification != "too short";
  });
  if (!any) return;
  out << "\nwarm-up (per process, Barrett et al.: flat / warmup / slowdown / no steady state; it. = iteration):\n";
  Grid grid;
  grid.header = {"workload"};
  grid.right_aligned = {false};
  for (const auto& config : table.configs) {
    grid.header.push_back(config);
    grid.right_aligned.push_back(false);
  }
  for (const WorkloadRow& row : table.rows) {
    std::vector<std::string> cells{row.workload};
    for (const RunResult* run : row.runs) cells.push_back(warmup_text(run));
    grid.rows.push_back(std::move(cells));
    grid.failed.push_back(false);
  }
  render(grid, out, color);
}

void write_tier_ratios(const RunReport& report, std::ostream& out) {
  if (report.tier_ratios.empty()) return;
  out << "\nwhat the tiers say (geometric mean over workloads, 95% bootstrap CI):\n";
  std::size_t question_width = 0, pair_width = 0;
  for (const TierRatio& t : report.tier_ratios) {
    question_width = std::max(question_width, display_width(t.question));
    pair_width = std::max(pair_width, display_width(tier_pair_text(t)));
  }
  for (const TierRatio& t : report.tier_ratios) {
    out << "  " << pad_right(t.question, question_width) << kGap << pad_right(tier_pair_text(t), pair_width) << kGap
        << tier_value_text(t) << "  (" << t.workloads << (t.workloads == 1 ? " workload)" : " workloads)") << '\n';
  }
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

// What a kind of warning means, without one run's own figures (those are in the JSON).
std::string generic_explanation(const std::string& kind, const std::string& first_text) {
  if (kind == "unstable") return " standard deviation over 10% of the mean; more processes or iterations, or a quieter machine, would help";
  if (kind == "too short") return " median iteration under 1 ms, so timer and host overhead weigh in; use a larger size";
  return first_text;
}

void write_problems(const RunReport& report, std::ostream& out, bool color) {
  const auto failed = static_cast<std::size_t>(std::count_if(
      report.runs.begin(), report.runs.end(), [](const RunResult& run) { return run.status != RunStatus::Ok; }));
  if (failed > 0) {
    out << '\n' << paint(std::to_string(failed) + (failed == 1 ? " run" : " runs") + " not ok:", kRed, color) << '\n';
    for (const RunResult& run : report.runs) {
      if (run.status == RunStatus::Ok) continue;
      std::string text = "  " + run.workload + " [" + run.config + "]: " + to_upper(status_name(run.status));
      if (!run.message.empty()) text += " \u2014 " + first_line(relative_paths(run.message), kMaxMessage);
      out << paint(text, kRed, color) << '\n';
    }
  }

  // Warnings grouped by kind ("unstable", "too short"), naming the runs, so a long suite stays readable.
  std::vector<std::string> kinds;
  std::map<std::string, std::vector<std::string>> runs_by_kind;
  std::map<std::string, std::string> explanation;
  for (const RunResult& run : report.runs) {
    for (const auto& warning : run.warnings) {
      const auto colon = warning.find(':');
      const std::string kind = warning.substr(0, colon);
      if (!runs_by_kind.count(kind)) {
        kinds.push_back(kind);
        explanation[kind] = colon == std::string::npos ? "" : first_line(generic_explanation(kind, warning.substr(colon + 1)), kMaxMessage);
      }
      runs_by_kind[kind].push_back(run.workload + " [" + run.config + "]");
    }
  }
  if (!kinds.empty()) out << "\nwarnings:\n";
  for (const auto& kind : kinds) {
    out << "  " << kind << " (" << runs_by_kind[kind].size() << "):" << explanation[kind] << '\n';
    std::string line = "   ";
    for (const auto& name : runs_by_kind[kind]) {
      if (display_width(line) + display_width(name) + 2 > 100) {
        out << line << '\n';
        line = "   ";
      }
      line += " " + name + ",";
    }
    line.pop_back();
    out << line << '\n';
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
  if (table.configs.size() <= 3) write_geometric_mean(report, table, out);
  write_tier_ratios(report, out);
  write_warmup(report, table, out, color);
  write_problems(report, out, color);
}

}  // namespace polyhost
