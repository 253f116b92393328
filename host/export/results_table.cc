// The results as an aligned terminal table, then the geometric mean, the tier ratios, the warm-up
// classifications, the runs that were not ok and the warnings. Failures are loud: their status word
// in capitals, and in red when COLOR is set.
#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "host/export/exporters.h"
#include "host/export/result_table.h"
#include "host/text/bytes.h"
#include "host/text/format.h"
#include "host/text/grid.h"
#include "host/text/layout.h"

namespace polyhost {
namespace {

using text::Align;
using text::kNoValue;

constexpr const char* kChecked = "\u2713";
constexpr std::size_t kMaxMessage = 200;  // display columns of a message or warning shown

// Paths under the current directory shown relative to it: the summary line keeps its reason.
std::string relative_paths(std::string message) {
  std::error_code ec;
  const std::string here = std::filesystem::current_path(ec).string() + "/";
  if (ec || here == "/") return message;
  for (auto at = message.find(here); at != std::string::npos; at = message.find(here, at)) message.erase(at, here.size());
  return message;
}

std::string status_word(const Run& run) { return text::to_upper(status_name(run.status)); }

std::string time_cell(const Run* run) {
  if (run == nullptr) return kNoValue;
  if (run->status != RunStatus::Ok) return status_word(*run);
  if (!run->summary) return kNoValue;
  const stats::Summary& s = *run->summary;
  // The interval's own bounds: a bootstrap CI is often lopsided (towers [v8-jit]: 2.11 ms in
  // [2.08-2.97]), which a "± half its width" hid.
  return (mixes_states(*run) ? kMixedStatesMark : "") + text::format_duration_with_ci(s.median, s.ci95_median.low, s.ci95_median.high);
}

// "✓" when every run of the row is ok and checked, else what went wrong ("MISMATCH, ERROR").
std::string verdict_cell(const WorkloadRow& row) {
  std::vector<std::string> problems;
  for (const Run* run : row.runs) {
    if (run == nullptr || run->checked()) continue;
    std::string word = run->status == RunStatus::Ok ? "UNVERIFIED" : status_word(*run);
    if (std::find(problems.begin(), problems.end(), word) == problems.end()) problems.push_back(word);
  }
  if (problems.empty()) return kChecked;
  return text::comma_listed(problems);
}

bool row_failed(const WorkloadRow& row) {
  return std::any_of(row.runs.begin(), row.runs.end(), [](const Run* run) { return run != nullptr && !run->checked(); });
}

// Up to three configurations: each one's median ± CI, then each ratio to the baseline with its CI.
// More (a tier comparison): the baseline's median, then every other configuration as a bare ratio,
// so the table stays readable; the CIs are in the JSON and Markdown.
void write_main_grid(const Results& results, const ResultTable& table, std::ostream& out, bool color) {
  const bool compact = table.configs.size() > 3;
  text::Grid grid;
  grid.header = {"workload"};
  grid.align = {Align::Left};
  for (std::size_t i = 0; i < table.configs.size(); ++i) {
    if (compact && i > 0) break;
    grid.header.push_back(table.configs[i]);
    grid.align.push_back(Align::Right);
  }
  for (std::size_t i = 1; i < table.configs.size(); ++i) {
    grid.header.push_back(compact ? table.configs[i] : table.configs[i] + "/" + table.baseline);
    grid.align.push_back(Align::Right);
  }
  grid.header.push_back("verified");
  grid.align.push_back(Align::Left);

  for (const WorkloadRow& row : table.rows) {
    std::vector<std::string> cells{row.workload};
    for (std::size_t i = 0; i < row.runs.size(); ++i) {
      if (compact && i > 0) break;
      cells.push_back(time_cell(row.runs[i]));
    }
    for (std::size_t i = 1; i < row.runs.size(); ++i) {
      const Run* run = row.runs[i];
      if (!compact) {
        cells.push_back(ratio_text(results, run));
      } else if (const Comparison* c = run ? shown_comparison(results, *run) : nullptr) {
        cells.push_back("\u00d7" + text::format_ratio(c->ratio.ratio));
      } else {
        cells.push_back(run && run->status != RunStatus::Ok ? status_word(*run) : kNoValue);
      }
    }
    cells.push_back(verdict_cell(row));
    grid.add_row(std::move(cells), row_failed(row));
  }
  if (compact) {
    out << "Medians of " << table.baseline << "; every other column is that configuration's median / " << table.baseline
        << "'s (lower is faster).\n";
    std::vector<std::string> mean_row{"geometric mean", ""};
    for (std::size_t i = 1; i < table.configs.size(); ++i) mean_row.push_back(geometric_mean_text(results, table.configs[i]));
    mean_row.push_back("");
    grid.add_row(mean_row);
  }
  text::write_grid(grid, out, color);
}

// A grid of PER_CONFIG's cells: the workload left-aligned, every figure right-aligned.
text::Grid figures_grid(const PerConfigTable& per_config) {
  text::Grid grid;
  grid.header = per_config.header;
  grid.align.assign(grid.header.size(), Align::Right);
  grid.align[0] = Align::Left;
  for (const auto& row : per_config.rows) grid.add_row(row);
  return grid;
}

// The first iteration and the warm-up of every run, and cold ratios to the baseline.
void write_cold_and_warmup_terminal(const Results& results, const ResultTable& table, std::ostream& out, bool color) {
  const bool any = std::any_of(results.runs.begin(), results.runs.end(), [](const Run& r) { return !r.samples_ns.empty(); });
  if (!any) return;
  out << "\ncold start and warm-up (median first iteration; iterations and time until steady; it. = iteration):\n";
  const auto ratio = [&](const Run* run) { return cold_ratio_text(results, run); };
  text::write_grid(figures_grid(per_config_table(results, table, cold_warmup_text, "cold", ratio, table.configs.size() <= 3)),
                   out, color);
}

// Each run's memory, the memory ratios to the baseline and their geometric means.
void write_memory_terminal(const Results& results, const ResultTable& table, std::ostream& out, bool color) {
  const bool any = std::any_of(results.runs.begin(), results.runs.end(), [](const Run& r) { return !r.memory.empty(); });
  if (!any) return;
  const bool with_ratios = table.configs.size() <= 3;
  out << "\nmemory (median over processes: peak resident; in brackets, above an idle worker of the configuration; "
         "the engine's heap peak):\n";
  const auto cell = [&](const Run* run) { return memory_text(results, run); };
  const auto ratio = [&](const Run* run) { return memory_ratio_text(results, run); };
  text::Grid grid = figures_grid(per_config_table(results, table, cell, "memory", ratio, with_ratios));
  std::vector<std::string> idle{"idle worker"};
  for (const auto& config : table.configs) idle.push_back(idle_memory_text(results, config));
  idle.resize(grid.header.size());
  grid.add_row(std::move(idle));
  text::write_grid(grid, out, color);
  std::string means;
  for (std::size_t i = 1; i < table.configs.size(); ++i) {
    const auto it = results.geometric_mean_memory_ratio.find(table.configs[i]);
    if (it == results.geometric_mean_memory_ratio.end()) continue;
    means += (means.empty() ? "" : ", ") + table.configs[i] + "/" + table.baseline + " \u00d7" + text::format_ratio(it->second);
  }
  if (!means.empty()) out << "geometric mean of peak-memory ratios: " << means << '\n';
}

void write_break_evens(const Results& results, std::ostream& out) {
  if (results.break_evens.empty()) return;
  out << "\nbreak-even (after how many iterations the JIT's total time, warm-up included, stays below the interpreter's):\n";
  for (const BreakEven& b : results.break_evens) {
    out << "  " << b.jit << " vs " << b.interpreter << "  " << text::escape_controls(b.workload) << ": " << break_even_text(b) << '\n';
  }
}

void write_warmup_terminal(const Results& results, const ResultTable& table, std::ostream& out, bool color) {
  const bool any = std::any_of(results.runs.begin(), results.runs.end(),
                               [](const Run& r) { return r.warmup && r.warmup->classification != "too short"; });
  if (!any) return;
  out << "\nwarm-up (per process, Barrett et al.: flat / warmup / slowdown / no steady state; it. = iteration):\n";
  text::Grid grid;
  grid.header = {"workload"};
  grid.align = {Align::Left};
  for (const auto& config : table.configs) {
    grid.header.push_back(config);
    grid.align.push_back(Align::Left);
  }
  for (const WorkloadRow& row : table.rows) {
    std::vector<std::string> cells{row.workload};
    for (const Run* run : row.runs) cells.push_back(warmup_text(run));
    grid.add_row(std::move(cells));
  }
  text::write_grid(grid, out, color);
}

void write_tier_ratios(const Results& results, std::ostream& out) {
  if (results.tier_ratios.empty()) return;
  out << "\nwhat the tiers say (geometric mean over workloads; " << tier_interval_words() << "):\n";
  std::size_t question_width = 0, pair_width = 0;
  for (const TierRatio& t : results.tier_ratios) {
    question_width = std::max(question_width, text::display_width(t.question));
    pair_width = std::max(pair_width, text::display_width(tier_pair_text(t)));
  }
  for (const TierRatio& t : results.tier_ratios) {
    out << "  " << text::pad_right(t.question, question_width) << "  " << text::pad_right(tier_pair_text(t), pair_width)
        << "  " << tier_value_text(t) << "  (" << t.workloads << (t.workloads == 1 ? " workload)" : " workloads)") << '\n';
  }
}

void write_geometric_mean(const Results& results, const ResultTable& table, std::ostream& out) {
  std::string means;
  for (std::size_t i = 1; i < table.configs.size(); ++i) {
    if (!results.geometric_mean_ratio.count(table.configs[i])) continue;
    means += (means.empty() ? "" : ", ") + table.configs[i] + "/" + table.baseline + " " +
             geometric_mean_text(results, table.configs[i]);
  }
  out << "geometric mean of ratios (ok workloads): " << (means.empty() ? "n/a" : means) << '\n';
}

void write_extra_processes(const Results& results, std::ostream& out) {
  const std::string runs = runs_with_extra_processes(results);
  if (runs.empty()) return;
  out << "\nmore processes where a run's processes disagreed (" << results.settings.processes << " planned, up to "
      << results.settings.most_processes() << "):\n  "
      << text::escape_controls(runs) << '\n';
}

void write_problems_terminal(const Results& results, std::ostream& out, bool color) {
  const auto failed = static_cast<std::size_t>(
      std::count_if(results.runs.begin(), results.runs.end(), [](const Run& run) { return run.status != RunStatus::Ok; }));
  if (failed > 0) {
    out << '\n' << text::paint_red(std::to_string(failed) + (failed == 1 ? " run" : " runs") + " not ok:", color) << '\n';
    for (const Run& run : results.runs) {
      if (run.status == RunStatus::Ok) continue;
      std::string line = "  " + run.workload + " [" + run.config + "]: " + status_word(run);
      if (!run.message.empty()) line += " \u2014 " + text::first_line(relative_paths(run.message), kMaxMessage);
      out << text::paint_red(text::escape_controls(line), color) << '\n';
    }
  }

  // One line per kind of warning, with a count and the worst cases; the full list is in the files.
  const auto groups = group_warnings(results);
  if (!groups.empty()) out << "\nwarnings (one line per kind, the worst first; all of them in --json / --markdown):\n";
  constexpr std::size_t kWorst = 3;
  for (const auto& group : groups) {
    std::string worst;
    for (std::size_t i = 0; i < group.cases.size() && i < kWorst; ++i) {
      const auto& [run, warning] = group.cases[i];
      worst += (worst.empty() ? "" : ", ") + run->workload + " [" + run->config + "]" +
               (warning->figure.empty() ? "" : " " + warning->figure);
    }
    if (group.cases.size() > kWorst) worst += ", +" + std::to_string(group.cases.size() - kWorst) + " more";
    out << "  " << group.kind << " (" << group.cases.size() << "): " << warning_explanation(group.kind) << '\n'
        << "    " << text::escape_controls(worst) << '\n';
  }
}

}  // namespace

void write_results_table(const Results& results, std::ostream& out, bool color) {
  const ResultTable table = build_result_table(results);
  if (table.rows.empty()) {
    out << "no runs\n";
    return;
  }
  write_main_grid(results, table, out, color);
  if (any_mixes_states(results)) out << "  " << kMixedStatesMark << "  " << kMixedStatesLegend << '\n';
  out << '\n';
  if (table.configs.size() <= 3) write_geometric_mean(results, table, out);
  write_tier_ratios(results, out);
  write_break_evens(results, out);
  write_cold_and_warmup_terminal(results, table, out, color);
  write_memory_terminal(results, table, out, color);
  write_warmup_terminal(results, table, out, color);
  write_extra_processes(results, out);
  write_problems_terminal(results, out, color);
}

}  // namespace polyhost
