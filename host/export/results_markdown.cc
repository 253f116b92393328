// The results as a Markdown document: environment, the workload x configuration table with ratios
// to the baseline, the tier table and questions, warm-up, failures and warnings, and the host's own
// per-call overhead.
#include <algorithm>
#include <string>

#include "host/export/environment_facts.h"
#include "host/export/exporters.h"
#include "host/export/result_table.h"
#include "host/stats/statistics.h"
#include "host/text/bytes.h"
#include "host/text/format.h"
#include "host/text/markdown.h"

namespace polyhost {
namespace {

using text::Align;
using text::kNoValue;
using text::markdown::bold;
using text::markdown::code;
using text::markdown::escape;

void write_environment(const Results& results, const ResultTable& table, std::ostream& out) {
  write_environment_markdown(results.environment, out);
  const Settings& s = results.settings;
  out << "- **Settings:** size " << (s.size_name.empty() ? "unknown" : escape(s.size_name)) << ", " << escape(processes_text(s))
      << " \u00d7 (" << warmup_policy_text(s.warmup) << " + " << measured_text(s)
      << "), wall time " << text::format_duration_ns(s.wall_seconds * 1e9) << '\n';
  if (const std::string runs = runs_with_extra_processes(results); !runs.empty()) {
    out << "- **More processes** where a run's processes disagreed: " << escape(runs) << '\n';
  }

  if (table.configs.empty()) return;
  out << "- **Configurations:**";
  for (std::size_t i = 0; i < table.configs.size(); ++i) {
    const std::string& config = table.configs[i];
    out << (i ? ", " : " ") << code(config);
    std::string details;
    if (const ConfigSetup* setup = results.setup_of(config)) {
      if (!setup->engine.empty()) details = escape(setup->engine);
      if (!setup->flags.empty()) {
        details += (details.empty() ? "flags " : ", flags ") + code(text::join_words(setup->flags));
      }
    }
    if (i == 0) details += details.empty() ? "baseline" : ", baseline";
    if (!details.empty()) out << " (" << details << ")";
  }
  out << '\n';
}

std::string markdown_time_cell(const Run* run) {
  if (run == nullptr) return kNoValue;
  if (run->status != RunStatus::Ok) return bold(status_name(run->status));
  if (!run->summary) return kNoValue;
  const stats::Summary& s = *run->summary;
  return (mixes_states(*run) ? escape(kMixedStatesMark) : "") + text::format_duration_with_ci(s.median, s.ci95_median.low, s.ci95_median.high);
}

std::string status_cell(const ResultTable& table, const WorkloadRow& row) {
  std::string cell;
  for (std::size_t i = 0; i < table.configs.size(); ++i) {
    const Run* run = row.runs[i];
    if (run == nullptr || run->checked()) continue;
    const std::string what = run->status == RunStatus::Ok ? "unverified" : bold(status_name(run->status));
    cell += (cell.empty() ? "" : ", ") + what + " (" + escape(table.configs[i]) + ")";
  }
  return cell.empty() ? "ok" : cell;
}

void write_results(const Results& results, const ResultTable& table, std::ostream& out) {
  out << "## Results\n\n";
  if (table.rows.empty()) {
    out << "No runs.\n\n";
    return;
  }
  out << "Median time per iteration with its 95% confidence interval. Ratios divide each "
         "configuration's median by the baseline's ("
      << code(table.baseline) << "), with a bootstrap 95% confidence interval; lower is faster.\n\n";

  std::vector<std::string> header{"workload"};
  std::vector<Align> align{Align::Left};
  for (const auto& config : table.configs) {
    header.push_back(escape(config) + " median [95% CI]");
    align.push_back(Align::Right);
  }
  for (std::size_t i = 1; i < table.configs.size(); ++i) {
    header.push_back(escape(table.configs[i]) + "/" + escape(table.baseline) + " [95% CI]");
    align.push_back(Align::Right);
  }
  header.push_back("status");
  align.push_back(Align::Left);

  std::vector<std::vector<std::string>> rows;
  for (const WorkloadRow& row : table.rows) {
    std::vector<std::string> cells{escape(row.workload)};
    for (const Run* run : row.runs) cells.push_back(markdown_time_cell(run));
    for (std::size_t i = 1; i < table.configs.size(); ++i) cells.push_back(ratio_text(results, row.runs[i]));
    cells.push_back(status_cell(table, row));
    rows.push_back(std::move(cells));
  }
  std::vector<std::string> mean_row{"*geometric mean*"};
  mean_row.insert(mean_row.end(), table.configs.size(), "");
  for (std::size_t i = 1; i < table.configs.size(); ++i) mean_row.push_back(geometric_mean_text(results, table.configs[i]));
  mean_row.push_back("");
  rows.push_back(std::move(mean_row));
  text::markdown::write_table(out, header, align, rows);
  out << '\n';
  if (any_mixes_states(results)) out << escape(kMixedStatesMark) << " " << escape(kMixedStatesLegend) << ".\n\n";
}

// Every configuration's median divided by the baseline's: the tier table.
void write_tier_table(const Results& results, const ResultTable& table, std::ostream& out) {
  if (table.configs.size() < 3 || table.rows.empty()) return;
  out << "## Tier table\n\nEach configuration's median divided by " << code(table.baseline)
      << "'s (lower is faster); the last row is the geometric mean over the workloads where both are ok.\n\n";
  std::vector<std::string> header{"workload", escape(table.baseline) + " median"};
  std::vector<Align> align{Align::Left, Align::Right};
  for (std::size_t i = 1; i < table.configs.size(); ++i) {
    header.push_back(escape(table.configs[i]));
    align.push_back(Align::Right);
  }
  std::vector<std::vector<std::string>> rows;
  for (const WorkloadRow& row : table.rows) {
    std::vector<std::string> cells{escape(row.workload), markdown_time_cell(row.runs[0])};
    for (std::size_t i = 1; i < row.runs.size(); ++i) {
      const Run* run = row.runs[i];
      const Comparison* c = run ? shown_comparison(results, *run) : nullptr;
      if (c) cells.push_back("\u00d7" + text::format_ratio(c->ratio.ratio));
      else if (run && run->status != RunStatus::Ok) cells.push_back(bold(status_name(run->status)));
      else cells.push_back(kNoValue);
    }
    rows.push_back(std::move(cells));
  }
  std::vector<std::string> mean_row{"*geometric mean*", ""};
  for (std::size_t i = 1; i < table.configs.size(); ++i) mean_row.push_back(geometric_mean_text(results, table.configs[i]));
  rows.push_back(std::move(mean_row));
  text::markdown::write_table(out, header, align, rows);
  out << '\n';
}

void write_tier_ratio_section(const Results& results, std::ostream& out) {
  if (results.tier_ratios.empty()) return;
  out << "## What the tiers say\n\nGeometric mean over the workloads of the ratio of medians, with a 95% "
         "bootstrap confidence interval over the workloads; from fewer than "
      << kFewestWorkloadsForTierCi << " workloads, the range of their ratios instead (marked *range*).\n\n";
  std::vector<std::vector<std::string>> rows;
  for (const TierRatio& t : results.tier_ratios) {
    rows.push_back({escape(t.question), code(tier_pair_text(t)), tier_value_text(t), std::to_string(t.workloads)});
  }
  text::markdown::write_table(out, {"question", "ratio", "geometric mean [95% CI or range]", "workloads"},
                              {Align::Left, Align::Left, Align::Right, Align::Right}, rows);
  out << '\n';
}

void write_warmup_markdown(const Results& results, const ResultTable& table, std::ostream& out) {
  const bool any = std::any_of(results.runs.begin(), results.runs.end(), [](const Run& r) { return r.warmup.has_value(); });
  if (!any) return;
  out << "## Warm-up\n\nEach process's in-process series (warm-up and measured iterations) classified after "
         "Barrett et al. (OOPSLA 2017): outliers removed, changepoints found with PELT (penalty 15 log n), then "
         "*flat*, *warmup*, *slowdown* or *no steady state*; *inconsistent* when the processes disagree. "
         "Series shorter than "
      << warmup::kMinimumIterations << " iterations are *too short*; ask for long series with `--iterations`.\n\n";
  std::vector<std::string> header{"workload"};
  std::vector<Align> align{Align::Left};
  for (const auto& config : table.configs) {
    header.push_back(escape(config));
    align.push_back(Align::Left);
  }
  std::vector<std::vector<std::string>> rows;
  for (const WorkloadRow& row : table.rows) {
    std::vector<std::string> cells{escape(row.workload)};
    for (const Run* run : row.runs) cells.push_back(escape(warmup_text(run)));
    rows.push_back(std::move(cells));
  }
  text::markdown::write_table(out, header, align, rows);
  out << '\n';
}

// PER_CONFIG as a Markdown table: its headers escaped, the workload left-aligned, every figure right.
void write_figures_table(const PerConfigTable& per_config, std::vector<std::vector<std::string>> extra_rows, std::ostream& out) {
  std::vector<std::string> header;
  for (const auto& h : per_config.header) header.push_back(escape(h));
  std::vector<Align> align(header.size(), Align::Right);
  align[0] = Align::Left;
  std::vector<std::vector<std::string>> rows;
  for (auto row : per_config.rows) {
    row[0] = escape(row[0]);
    rows.push_back(std::move(row));
  }
  for (auto& row : extra_rows) {
    row.resize(header.size());
    rows.push_back(std::move(row));
  }
  text::markdown::write_table(out, header, align, rows);
  out << '\n';
}

void write_cold_and_warmup_markdown(const Results& results, const ResultTable& table, std::ostream& out) {
  const bool any = std::any_of(results.runs.begin(), results.runs.end(), [](const Run& r) { return !r.samples_ns.empty(); });
  if (!any) return;
  out << "## Cold start and warm-up\n\nEach cell: the median first iteration of a process (parsing, compiling, first "
         "execution); then the iterations and the time each process ran before its steady state (median over the "
         "processes that reached one). Cold ratios divide by "
      << code(table.baseline) << "'s first iteration, with a bootstrap 95% CI over processes when each side has at least "
      << stats::kFewestForMedianCi << " (with fewer, the ratio alone).\n\n";
  const auto ratio = [&](const Run* run) { return cold_ratio_text(results, run); };
  write_figures_table(per_config_table(results, table, cold_warmup_text, "cold", ratio, true), {}, out);
}

void write_memory_markdown(const Results& results, const ResultTable& table, std::ostream& out) {
  const bool any = std::any_of(results.runs.begin(), results.runs.end(), [](const Run& r) { return !r.memory.empty(); });
  if (!any) return;
  out << "## Memory\n\nEach cell: the median over processes of the worker's peak resident memory (`VmHWM`), in "
         "brackets the part above an idle worker of the same configuration (its resident memory with an empty workload "
         "loaded), then the engine's own heap peak after any iteration (V8: used heap + external; CPython: pymalloc's "
         "allocated blocks + malloc in use, read without tracemalloc). Memory ratios divide the peak resident memory by "
      << code(table.baseline) << "'s, with a bootstrap 95% CI over processes when each side has at least " << stats::kFewestForMedianCi
      << " (with fewer, the ratio alone).\n\n";
  std::vector<std::string> idle{"*idle worker*"}, mean{"*geometric mean*"};
  for (const auto& config : table.configs) {
    idle.push_back(idle_memory_text(results, config));
    mean.push_back("");
  }
  for (std::size_t i = 1; i < table.configs.size(); ++i) {
    idle.push_back("");
    const auto it = results.geometric_mean_memory_ratio.find(table.configs[i]);
    mean.push_back(it == results.geometric_mean_memory_ratio.end() ? kNoValue : "\u00d7" + text::format_ratio(it->second));
  }
  const auto cell = [&](const Run* run) { return memory_text(results, run); };
  const auto ratio = [&](const Run* run) { return memory_ratio_text(results, run); };
  write_figures_table(per_config_table(results, table, cell, "memory", ratio, true), {idle, mean}, out);
}

void write_break_even_section(const Results& results, std::ostream& out) {
  if (results.break_evens.empty()) return;
  out << "## Break-even\n\nAfter how many iterations a JIT's cumulative time (its cold and warm-up iterations "
         "included) drops below an interpreter's of the same language for good: from the median iteration times of "
         "the processes, and past the measured iterations from the two steady speeds (*extrapolated*).\n\n";
  std::vector<std::vector<std::string>> rows;
  for (const BreakEven& b : results.break_evens) {
    rows.push_back({escape(b.workload), code(b.jit), code(b.interpreter), escape(break_even_text(b))});
  }
  text::markdown::write_table(out, {"workload", "JIT", "interpreter", "break-even"},
                              {Align::Left, Align::Left, Align::Left, Align::Left}, rows);
  out << '\n';
}

void write_problems_markdown(const Results& results, std::ostream& out) {
  out << "## Warnings and failures\n\n";
  bool any = false;
  for (const Run& run : results.runs) {
    if (run.status == RunStatus::Ok) continue;
    any = true;
    out << "- " << code(run.workload) << " on " << code(run.config) << ": " << bold(status_name(run.status));
    if (run.message.find('\n') == std::string::npos) {
      if (!run.message.empty()) out << " \u2014 " << escape(run.message);
      out << '\n';
    } else {  // a multi-line message (a traceback, a diff) keeps its lines in a code block
      std::string fence = "```";
      while (run.message.find(fence) != std::string::npos) fence += '`';
      out << "\n\n  " << fence << '\n';
      std::size_t start = 0;
      while (start <= run.message.size()) {
        const auto end = std::min(run.message.find('\n', start), run.message.size());
        out << "  " << run.message.substr(start, end - start) << '\n';
        start = end + 1;
      }
      out << "  " << fence << '\n';
    }
  }
  for (const Run& run : results.runs) {
    for (const auto& warning : run.warnings) {
      any = true;
      out << "- " << code(run.workload) << " on " << code(run.config) << ": warning \u2014 " << escape(warning.text) << '\n';
    }
  }
  if (!any) out << "None.\n";
  out << '\n';
}

void write_host_overhead(const Results& results, const ResultTable& table, std::ostream& out) {
  out << "## Host overhead\n\n";
  const bool measured = std::any_of(results.config_setups.begin(), results.config_setups.end(),
                                    [](const ConfigSetup& s) { return s.empty_call_ns.has_value(); });
  if (!measured) {
    out << "Not measured.\n";
    return;
  }
  out << "Time to call an empty `run()` through each configuration:\n\n";
  std::vector<std::string> order = table.configs;  // table order first, then any others
  for (const auto& setup : results.config_setups)
    if (std::find(order.begin(), order.end(), setup.name) == order.end()) order.push_back(setup.name);
  for (const auto& config : order) {
    const ConfigSetup* setup = results.setup_of(config);
    if (setup && setup->empty_call_ns) {
      out << "- " << code(config) << ": " << text::format_duration_ns(*setup->empty_call_ns) << " per call\n";
    }
  }
}

}  // namespace

void write_results_markdown(const Results& results, std::ostream& out) {
  const ResultTable table = build_result_table(results);
  out << "# polyhost results\n\n";
  write_environment(results, table, out);
  out << '\n';
  write_results(results, table, out);
  write_tier_table(results, table, out);
  write_tier_ratio_section(results, out);
  write_break_even_section(results, out);
  write_cold_and_warmup_markdown(results, table, out);
  write_memory_markdown(results, table, out);
  write_warmup_markdown(results, table, out);
  write_problems_markdown(results, out);
  write_host_overhead(results, table, out);
}

}  // namespace polyhost
