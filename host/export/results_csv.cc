// The results as CSV: one row per run, numbers in ns, quoting per RFC 4180.
#include <cmath>
#include <string>
#include <vector>

#include "host/export/exporters.h"
#include "host/export/result_table.h"
#include "host/stats/statistics.h"
#include "host/text/format.h"

namespace polyhost {
namespace {

constexpr const char* kHeader =
    "workload,language,config,status,size,processes,samples,median_ns,mean_ns,stdev_ns,min_ns,"
    "max_ns,ci95_low_ns,ci95_high_ns,ratio_to_baseline,ratio_ci95_low,ratio_ci95_high,cold_median_ns,"
    "warmup_iterations,warmup_seconds,unsteady_processes,cold_ratio_to_baseline,cold_ratio_ci95_low,"
    "cold_ratio_ci95_high,peak_rss_bytes,rss_above_idle_bytes,heap_after_setup_bytes,heap_peak_bytes,"
    "memory_ratio_to_baseline,verified,has_verify,warnings,message";

// TEXT that a spreadsheet would run as a formula (it starts with =, +, -, @, a tab or a carriage
// return: a workload's message can say anything) behind a ' that makes it plain text, as OWASP
// advises against CSV injection. Numbers are written by polyhost itself and never need it.
std::string text_cell(const std::string& text) {
  if (!text.empty() && std::string("=+-@\t\r").find(text.front()) != std::string::npos) return "'" + text;
  return text;
}

// FIELD as is, or in double quotes with inner quotes doubled when it holds a comma, a quote or a
// line break.
std::string csv_field(const std::string& field) {
  if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
  std::string quoted = "\"";
  for (char c : field) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

// VALUE as a number; an empty cell when there is none (a ratio shown without its interval).
std::string number_cell(double value) { return std::isfinite(value) ? text::format_plain_number(value) : ""; }

void write_csv_row(std::ostream& out, const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) out << (i ? "," : "") << csv_field(fields[i]);
  out << '\n';
}

std::vector<std::string> run_row(const Results& results, const Run& run) {
  std::size_t samples = 0;
  for (const auto& process : run.samples_ns) samples += process.size();

  std::vector<std::string> row{text_cell(run.workload), text_cell(run.language), text_cell(run.config), status_name(run.status),
                               std::to_string(run.size), std::to_string(run.processes),
                               std::to_string(samples)};
  if (const auto& s = run.summary) {
    for (double value : {s->median, s->mean, s->stdev, s->min, s->max, s->ci95_median.low,
                         s->ci95_median.high})
      row.push_back(number_cell(value));
  } else {
    row.insert(row.end(), 7, "");
  }
  const Comparison* c = shown_comparison(results, run);
  if (c) {
    for (double value : {c->ratio.ratio, c->ratio.ci95.low, c->ratio.ci95.high}) row.push_back(number_cell(value));
  } else {
    row.insert(row.end(), 3, "");
  }
  auto optional = [&](const std::optional<double>& value) { row.push_back(value ? number_cell(*value) : ""); };
  const std::vector<double> cold = run.cold_ns();
  optional(cold.empty() ? std::nullopt : std::optional<double>(stats::median(cold)));
  optional(run.warmup_iterations());
  optional(run.warmup_seconds());
  row.push_back(run.steady_from.empty() ? "" : std::to_string(run.unsteady_processes()));
  if (c && c->cold_ratio) {
    for (double value : {c->cold_ratio->ratio, c->cold_ratio->ci95.low, c->cold_ratio->ci95.high}) row.push_back(number_cell(value));
  } else {
    row.insert(row.end(), 3, "");
  }
  optional(run.median_memory(&MemoryReading::peak_rss));
  optional(memory_above_idle(results, run));
  optional(run.median_memory(&MemoryReading::heap_after_setup));
  optional(run.median_memory(&MemoryReading::heap_peak));
  optional(c && c->memory_ratio ? std::optional<double>(c->memory_ratio->ratio) : std::nullopt);
  row.push_back(run.verified ? "true" : "false");
  row.push_back(run.has_verify ? "true" : "false");  // verified is false for a workload with nothing to verify
  row.push_back(text::comma_listed(run.warnings, [](const RunWarning& w) { return w.kind; }));  // texts: in the JSON
  row.push_back(text_cell(run.message));
  return row;
}

}  // namespace

void write_results_csv(const Results& results, std::ostream& out) {
  out << kHeader << '\n';
  for (const Run& run : results.runs) write_csv_row(out, run_row(results, run));
}

}  // namespace polyhost
