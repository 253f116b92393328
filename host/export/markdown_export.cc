// write_markdown: a results document — environment, the workload × configuration table with
// ratios to the baseline, failures and warnings, and the host's own per-call overhead.
#include <algorithm>
#include <string>
#include <string_view>

#include "host/export/exporters.h"
#include "host/export/format_units.h"

namespace polyhost {
namespace {

using namespace report_text;


// TEXT with the characters Markdown would act on backslash-escaped, and line breaks as spaces.
std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\n' || c == '\r') {
      out += ' ';
      continue;
    }
    if (std::string_view("\\`*_[]<>|#").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

// TEXT as an inline code span, with a backtick fence longer than any run of backticks inside.
std::string code(const std::string& text) {
  std::size_t longest = 0, run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(longest + 1, '`');
  const bool pad = !text.empty() && (text.front() == '`' || text.back() == '`');
  return fence + (pad ? " " : "") + text + (pad ? " " : "") + fence;
}

std::string bold(const std::string& text) { return "**" + text + "**"; }

std::string or_unknown(const std::string& text) { return text.empty() ? "unknown" : escape(text); }

void write_environment(const RunReport& report, const ResultTable& table, std::ostream& out) {
  const Environment& env = report.environment;
  out << "- **CPU:** " << or_unknown(env.cpu_model) << '\n'
      << "- **Cores:** " << env.cpu_count << '\n'
      << "- **OS:** " << or_unknown(env.os) << '\n'
      << "- **V8:** " << or_unknown(env.v8_version) << '\n'
      << "- **Python:** " << or_unknown(env.python_version);
  if (!env.python_executable.empty()) out << " (" << code(env.python_executable) << ")";
  out << '\n'
      << "- **polyhost:** " << or_unknown(env.polyhost_version) << ", commit "
      << or_unknown(env.git_commit) << '\n'
      << "- **Date:** " << or_unknown(env.start_time) << '\n'
      << "- **Command:** " << (env.command_line.empty() ? "unknown" : code(env.command_line)) << '\n'
      << "- **Settings:** size " << or_unknown(report.size_name) << ", " << report.processes
      << " processes \u00d7 (" << report.warmup << " warm-up + " << report.iterations
      << " measured iterations), wall time " << format_duration_ns(report.wall_seconds * 1e9) << '\n';

  if (table.configs.empty()) return;
  out << "- **Configurations:**";
  for (std::size_t i = 0; i < table.configs.size(); ++i) {
    const std::string& config = table.configs[i];
    out << (i ? ", " : " ") << code(config);
    std::string details;
    if (auto it = env.config_engines.find(config); it != env.config_engines.end() && !it->second.empty())
      details = escape(it->second);
    if (auto it = env.config_flags.find(config); it != env.config_flags.end() && !it->second.empty()) {
      std::string flags;
      for (const auto& flag : it->second) flags += (flags.empty() ? "" : " ") + flag;
      details += (details.empty() ? "flags " : ", flags ") + code(flags);
    }
    if (i == 0) details += details.empty() ? "baseline" : ", baseline";
    if (!details.empty()) out << " (" << details << ")";
  }
  out << '\n';
}

std::string time_cell(const RunResult* run) {
  if (run == nullptr) return kNoValue;
  if (run->status != RunStatus::Ok) return bold(status_name(run->status));
  if (!run->summary) return kNoValue;
  const stats::Summary& s = *run->summary;
  return format_duration_with_ci(s.median, s.ci95_median.low, s.ci95_median.high);
}

std::string status_cell(const ResultTable& table, const WorkloadRow& row) {
  std::string cell;
  for (std::size_t i = 0; i < table.configs.size(); ++i) {
    const RunResult* run = row.runs[i];
    if (run == nullptr || run_checked(*run)) continue;
    const std::string what = run->status == RunStatus::Ok ? "unverified" : bold(status_name(run->status));
    cell += (cell.empty() ? "" : ", ") + what + " (" + escape(table.configs[i]) + ")";
  }
  return cell.empty() ? "ok" : cell;
}

void write_table_row(std::ostream& out, const std::vector<std::string>& cells) {
  out << '|';
  for (const auto& cell : cells) out << ' ' << cell << " |";
  out << '\n';
}

void write_results(const RunReport& report, const ResultTable& table, std::ostream& out) {
  out << "## Results\n\n";
  if (table.rows.empty()) {
    out << "No runs.\n\n";
    return;
  }
  out << "Median time per iteration with its 95% confidence interval. Ratios divide each "
         "configuration's median by the baseline's ("
      << code(table.baseline) << "), with a bootstrap 95% confidence interval; lower is faster.\n\n";

  std::vector<std::string> header{"workload"}, align{":---"};
  for (const auto& config : table.configs) {
    header.push_back(escape(config) + " median [95% CI]");
    align.push_back("---:");
  }
  for (std::size_t i = 1; i < table.configs.size(); ++i) {
    header.push_back(escape(table.configs[i]) + "/" + escape(table.baseline) + " [95% CI]");
    align.push_back("---:");
  }
  header.push_back("status");
  align.push_back(":---");
  write_table_row(out, header);
  write_table_row(out, align);

  for (const WorkloadRow& row : table.rows) {
    std::vector<std::string> cells{escape(row.workload)};
    for (const RunResult* run : row.runs) cells.push_back(time_cell(run));
    for (std::size_t i = 1; i < table.configs.size(); ++i) {
      cells.push_back(ratio_text(report, row.runs[i]));
    }
    cells.push_back(status_cell(table, row));
    write_table_row(out, cells);
  }

  std::vector<std::string> mean_row{"*geometric mean*"};
  mean_row.insert(mean_row.end(), table.configs.size(), "");
  for (std::size_t i = 1; i < table.configs.size(); ++i) {
    const auto it = report.geometric_mean_ratio.find(table.configs[i]);
    mean_row.push_back(it == report.geometric_mean_ratio.end() ? kNoValue
                                                               : "\u00d7" + format_ratio(it->second));
  }
  mean_row.push_back("");
  write_table_row(out, mean_row);
  out << '\n';
}

// Every configuration's median divided by the baseline's: the tier table.
void write_tier_table(const RunReport& report, const ResultTable& table, std::ostream& out) {
  if (table.configs.size() < 3 || table.rows.empty()) return;
  out << "## Tier table\n\nEach configuration's median divided by " << code(table.baseline)
      << "'s (lower is faster); the last row is the geometric mean over the workloads where both are ok.\n\n";
  std::vector<std::string> header{"workload", escape(table.baseline) + " median"}, align{":---", "---:"};
  for (std::size_t i = 1; i < table.configs.size(); ++i) {
    header.push_back(escape(table.configs[i]));
    align.push_back("---:");
  }
  write_table_row(out, header);
  write_table_row(out, align);
  for (const WorkloadRow& row : table.rows) {
    std::vector<std::string> cells{escape(row.workload), time_cell(row.runs[0])};
    for (std::size_t i = 1; i < row.runs.size(); ++i) {
      const RunResult* run = row.runs[i];
      const Comparison* c = run ? shown_comparison(report, *run) : nullptr;
      if (c) cells.push_back("\u00d7" + format_ratio(c->ratio.ratio));
      else if (run && run->status != RunStatus::Ok) cells.push_back(bold(status_name(run->status)));
      else cells.push_back(kNoValue);
    }
    write_table_row(out, cells);
  }
  std::vector<std::string> mean_row{"*geometric mean*", ""};
  for (std::size_t i = 1; i < table.configs.size(); ++i) {
    const auto it = report.geometric_mean_ratio.find(table.configs[i]);
    mean_row.push_back(it == report.geometric_mean_ratio.end() ? kNoValue : "\u00d7" + format_ratio(it->second));
  }
  write_table_row(out, mean_row);
  out << '\n';
}

void write_tier_ratios(const RunReport& report, std::ostream& out) {
  if (report.tier_ratios.empty()) return;
  out << "## What the tiers say\n\nGeometric mean over the workloads of the ratio of medians, with a 95% "
         "bootstrap confidence interval over the workloads.\n\n";
  write_table_row(out, {"question", "ratio", "geometric mean [95% CI]", "workloads"});
  write_table_row(out, {":---", ":---", "---:", "---:"});
  for (const TierRatio& t : report.tier_ratios) {
    write_table_row(out, {escape(t.question), code(tier_pair_text(t)), tier_value_text(t), std::to_string(t.workloads)});
  }
  out << '\n';
}

void write_warmup(const RunReport& report, const ResultTable& table, std::ostream& out) {
  bool any = std::any_of(report.runs.begin(), report.runs.end(), [](const RunResult& r) { return r.warmup.has_value(); });
  if (!any) return;
  out << "## Warm-up\n\nEach process's in-process series (warm-up and measured iterations) classified after "
         "Barrett et al. (OOPSLA 2017): outliers removed, changepoints found with PELT (penalty 15 log n), then "
         "*flat*, *warmup*, *slowdown* or *no steady state*; *inconsistent* when the processes disagree. "
         "Series shorter than "
      << warmup::kMinimumIterations << " iterations are *too short*; ask for long series with `--iterations`.\n\n";
  std::vector<std::string> header{"workload"}, align{":---"};
  for (const auto& config : table.configs) {
    header.push_back(escape(config));
    align.push_back(":---");
  }
  write_table_row(out, header);
  write_table_row(out, align);
  for (const WorkloadRow& row : table.rows) {
    std::vector<std::string> cells{escape(row.workload)};
    for (const RunResult* run : row.runs) cells.push_back(escape(warmup_text(run)));
    write_table_row(out, cells);
  }
  out << '\n';
}

void write_problems(const RunReport& report, std::ostream& out) {
  out << "## Warnings and failures\n\n";
  bool any = false;
  for (const RunResult& run : report.runs) {
    if (run.status == RunStatus::Ok) continue;
    any = true;
    out << "- " << code(run.workload) << " on " << code(run.config) << ": "
        << bold(status_name(run.status));
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
  for (const RunResult& run : report.runs) {
    for (const auto& warning : run.warnings) {
      any = true;
      out << "- " << code(run.workload) << " on " << code(run.config) << ": warning \u2014 "
          << escape(warning) << '\n';
    }
  }
  if (!any) out << "None.\n";
  out << '\n';
}

void write_overhead(const RunReport& report, const ResultTable& table, std::ostream& out) {
  out << "## Host overhead\n\n";
  const auto& empty_call = report.environment.empty_call_ns;
  if (empty_call.empty()) {
    out << "Not measured.\n";
    return;
  }
  out << "Time to call an empty `run()` through each configuration:\n\n";
  std::vector<std::string> order = table.configs;  // table order first, then any others
  for (const auto& entry : empty_call)
    if (std::find(order.begin(), order.end(), entry.first) == order.end()) order.push_back(entry.first);
  for (const auto& config : order)
    if (auto it = empty_call.find(config); it != empty_call.end())
      out << "- " << code(config) << ": " << format_duration_ns(it->second) << " per call\n";
}

}  // namespace

void write_markdown(const RunReport& report, std::ostream& out) {
  const ResultTable table = build_result_table(report);
  out << "# polyhost results\n\n";
  write_environment(report, table, out);
  out << '\n';
  write_results(report, table, out);
  write_tier_table(report, table, out);
  write_tier_ratios(report, out);
  write_warmup(report, table, out);
  write_problems(report, out);
  write_overhead(report, table, out);
}

}  // namespace polyhost
