#include "host/report/html_report.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

#include "host/export/environment_facts.h"
#include "host/export/result_table.h"
#include "host/report/file_labels.h"
#include "host/report/startup_section.h"
#include "host/report/scale_section.h"
#include "host/report/svg_charts.h"
#include "host/text/bytes.h"
#include "host/text/format.h"
#include "host/text/html.h"
#include "host/text/layout.h"

namespace polyhost {
namespace {

using text::html_escape;
using ResultsFile = ReportInputs::ResultsFile;
using OverheadFile = ReportInputs::OverheadFile;

constexpr const char* kStyle = R"(
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 1340px; color: #222; padding: 0 16px; }
h1 { margin-bottom: 0; } h2 { margin-top: 36px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.subtitle { color: #666; margin-top: 4px; }
table { border-collapse: collapse; margin: 8px 0 16px; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.verdicts { border: 2px solid #c62828; background: #fdecea; padding: 8px 16px; border-radius: 6px; }
.verdicts h2, .verdicts h3 { color: #c62828; border: none; margin-top: 8px; }
.warnings { border: 2px solid #b26a00; background: #fff4e5; padding: 8px 16px; border-radius: 6px; margin-top: 12px; }
.warnings h2 { color: #8a5300; border: none; margin-top: 8px; }
.all-ok { border: 2px solid #2e7d32; background: #edf7ed; padding: 8px 16px; border-radius: 6px; }
.status-bad { color: #c62828; font-weight: bold; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; }
.chart-box { border: 1px solid #eee; border-radius: 6px; padding: 4px; max-width: 640px; }
.chart-box .note { color: #c62828; font-size: 12px; margin: 0 8px 6px; }
.chart-box .caution { color: #8a5300; font-size: 12px; margin: 0 8px 6px; }
.chart-box .aside { color: #555; font-size: 12px; margin: 0 8px 6px; }
.nothing { width: 632px; background: #fdecea; border-color: #f5c2c0; }
.nothing h3 { margin: 8px; font-size: 13px; text-align: center; }
.nothing h3 small { font-weight: normal; color: #666; }
.nothing p, .nothing ul { margin: 6px 8px; } .nothing li { color: #c62828; }
svg text { font: 12px system-ui, sans-serif; fill: #333; }
svg .chart-title { font-weight: bold; font-size: 13px; }
svg .chart-subtitle { font-size: 11px; fill: #666; }
svg .grid { stroke: #eee; } svg .axis { stroke: #999; }
svg .whisker { stroke: #222; stroke-width: 1.5; }
svg .steady { stroke-dasharray: 4 3; stroke-width: 1.2; }
svg .detected { stroke-dasharray: 1 3; stroke-width: 1.6; }
svg .tick, svg .legend { font-size: 11px; fill: #555; }
.heat td.num { min-width: 70px; }
.heat td.na { color: #777; background: #f3f3f3; text-align: center; }
.heat td.error { color: #fff; background: #c62828; font-weight: bold; text-align: center; }
.heat td.missing { color: #c62828; background: repeating-linear-gradient(45deg, #fff, #fff 4px, #f6e0e0 4px, #f6e0e0 8px); text-align: center; }
code { background: #f4f4f4; padding: 0 3px; border-radius: 3px; }
pre.message { background: #fff; color: #222; border: 1px solid #ddd; padding: 6px 8px; overflow-x: auto; white-space: pre-wrap; }
details summary { cursor: pointer; }
)";

std::string td(const std::string& content, bool numeric = false) {
  return std::string(numeric ? "<td class=\"num\">" : "<td>") + html_escape(content) + "</td>";
}

// Each input's label (file_labels): its name, or as much of its path as tells it apart.
using Labels = std::map<std::string, std::string>;

// SUMMARY (HTML: who failed, how, SHOWN: as much of MESSAGE as fits, its first line or less), and
// when MESSAGE is more than SHOWN (a traceback, a diff, a long line), all of it in a <details> that
// SUMMARY opens, as the Markdown export keeps it.
std::string failure_html(const std::string& summary, const std::string& message, const std::string& shown) {
  if (shown == message) return summary;
  std::string lines;  // escaped line by line: html_escape shows a line break as the two characters \n
  for (std::size_t start = 0; start <= message.size();) {
    const std::size_t end = std::min(message.find('\n', start), message.size());
    lines += (start == 0 ? "" : "\n") + html_escape(message.substr(start, end - start));
    start = end + 1;
  }
  return "<details><summary>" + summary + "</summary><pre class=\"message\">" + lines + "</pre></details>";
}

std::string upper(RunStatus status) { return text::to_upper(status_name(status)); }

// "unstable: the standard deviation is 71% of the mean" from the warning's full sentence.
std::string warning_headline(const std::string& warning) {
  return warning.substr(0, std::min(warning.find(" ("), warning.find(';')));
}

std::string estimate_text(const stats::RatioEstimate& r) {
  return std::isfinite(r.ratio) && std::isfinite(r.ci95.low) && std::isfinite(r.ci95.high) ? text::format_ratio_with_ci(r)
                                                                                             : "n/a (not finite)";
}

// One results file as the sections see it.
struct FileView {
  const Results* results = nullptr;
  std::string name;
  std::map<std::pair<std::string, std::string>, std::string> ratio_text;  // (workload, config) -> "×5.06 [1.49–6.54]"
};

FileView view_of(const ResultsFile& f, const Labels& labels) {
  FileView v{&f.results, labels.at(f.path), {}};
  for (const auto& c : f.results.comparisons) v.ratio_text[{c.workload, c.config}] = estimate_text(c.ratio);
  return v;
}

// The values of FIELD (workload or config) in order of first appearance over all files.
std::vector<std::string> names_in_file_order(const std::vector<FileView>& all, std::string Run::*field) {
  std::vector<std::string> out;
  for (const auto& f : all) {
    for (const auto& run : f.results->runs) {
      if (std::find(out.begin(), out.end(), run.*field) == out.end()) out.push_back(run.*field);
    }
  }
  return out;
}
std::vector<std::string> workload_order(const std::vector<FileView>& all) { return names_in_file_order(all, &Run::workload); }
std::vector<std::string> config_order(const std::vector<FileView>& all) { return names_in_file_order(all, &Run::config); }

std::string size_text(const Run& run) {
  return "n = " + std::to_string(run.size) + (run.size_name.empty() ? "" : ", " + run.size_name + " size");
}

// The first process's iterations, warm-up included.
std::vector<double> first_series(const Run& run) {
  std::vector<double> series = run.warmup_ns.empty() ? std::vector<double>{} : run.warmup_ns[0];
  if (!run.samples_ns.empty()) series.insert(series.end(), run.samples_ns[0].begin(), run.samples_ns[0].end());
  return series;
}

// Where the classification of the first process's whole series (Barrett et al.) puts its steady
// state (1-based), when not at the first iteration.
std::optional<std::size_t> classified_steady_iteration(const Run& run) {
  if (run.warmup_by_process.empty()) return std::nullopt;
  const auto& first = run.warmup_by_process[0].steady_iteration;
  if (!first || *first <= 1) return std::nullopt;
  return first;
}

// Where the auto warm-up's detector found the first process's steady state while it ran (1-based),
// when not at the first iteration. A fixed warm-up has no detector: its steady_from is the classification's.
std::optional<std::size_t> detected_steady_iteration(const Run& run, const WarmupPolicy& policy) {
  if (!policy.automatic || run.steady_from.empty() || !run.steady_from[0] || *run.steady_from[0] == 0) return std::nullopt;
  return *run.steady_from[0] + 1;
}

// --- Sections ------------------------------------------------------------------------------------

// Every run that is not ok, and every overhead measurement that failed: green only when there is none.
void verdicts_section(const std::vector<FileView>& all, const std::optional<OverheadFile>& overhead, std::ostream& out) {
  std::vector<std::string> problems, unstable, failed_cells;
  if (overhead) {
    for (const auto& c : overhead->matrix.cells) {
      if (c.status != CellStatus::Error) continue;
      failed_cells.push_back("<li>" +
                             failure_html("<b>" + html_escape(c.binding) + "</b> \u00d7 " + html_escape(c.case_name) +
                                              " <span class=\"status-bad\">ERROR</span> — " +
                                              html_escape(text::first_line(c.reason, 200)),
                                          c.reason, text::first_line(c.reason, 200)) +
                             "</li>");
    }
  }
  std::size_t total = 0;
  for (const auto& f : all) {
    const std::string from = all.size() > 1 ? " <i>(" + html_escape(f.name) + ")</i>" : "";
    for (const auto& run : f.results->runs) {
      ++total;
      const std::string who = "<b>" + html_escape(run.workload) + "</b> [" + html_escape(run.config) + "]";
      for (const auto& w : run.warnings) unstable.push_back("<li>" + who + " " + html_escape(w.text) + from + "</li>");
      if (run.status == RunStatus::Ok) continue;
      const std::string shown = run.message.substr(0, run.message.find('\n'));
      problems.push_back("<li>" +
                         failure_html(who + " <span class=\"status-bad\">" + html_escape(upper(run.status)) + "</span> — " +
                                          html_escape(shown) + from,
                                      run.message, shown) +
                         "</li>");
    }
  }
  if (total == 0 && failed_cells.empty()) {
    // Nothing to vouch for: an empty shard, or only overhead, startup or scale files.
    if (!all.empty()) out << "<p>The results file" << (all.size() == 1 ? " holds" : "s hold") << " no runs: nothing was measured.</p>";
  } else if (problems.empty() && failed_cells.empty()) {
    out << "<p class=\"all-ok\">All " << total << " runs are <b>ok</b>: measured, verified and in agreement across languages.</p>";
  } else {
    out << "<section class=\"verdicts\">";
    if (!problems.empty()) {
      out << "<h2>" << problems.size() << " of " << total << " runs are not ok (never ranked)</h2><ul>";
      for (const auto& p : problems) out << p;
      out << "</ul>";
    } else if (total > 0) {
      out << "<h2>All " << total << " runs are ok, but not everything measured</h2>";
    } else {
      out << "<h2>Not everything measured</h2>";
    }
    if (!failed_cells.empty()) {
      out << "<h3>" << failed_cells.size() << " overhead measurement" << (failed_cells.size() == 1 ? "" : "s")
          << " failed (see the heat map)</h3><ul>";
      for (const auto& c : failed_cells) out << c;
      out << "</ul>";
    }
    out << "</section>";
  }
  if (!unstable.empty()) {
    out << "<section class=\"warnings\"><h2>" << unstable.size() << " stability warning" << (unstable.size() == 1 ? "" : "s")
        << "</h2><p>These numbers are less trustworthy than their confidence intervals suggest:</p><ul>";
    for (const auto& u : unstable) out << u;
    out << "</ul></section>";
  }
}

// The geometric means and the tier ratios, when the file has any: nothing at all otherwise.
void summary_section(const FileView& f, std::ostream& out) {
  const Results& r = *f.results;
  if (r.geometric_mean_ratio.empty() && r.tier_ratios.empty() && r.break_evens.empty()) return;
  const std::string baseline = !r.settings.configs.empty() ? r.settings.configs[0]
                               : !r.comparisons.empty()     ? r.comparisons[0].baseline
                                                            : std::string("the baseline");
  out << "<h2>Summary: " << html_escape(f.name) << "</h2>";
  if (!r.geometric_mean_ratio.empty()) {
    out << "<p>Geometric mean over the workloads of each configuration's median divided by <code>" << html_escape(baseline)
        << "</code>'s (lower is faster):</p><table><tr><th>configuration</th><th>geometric mean ratio</th></tr>";
    for (const auto& [config, value] : r.geometric_mean_ratio) {
      out << "<tr>" << td(config) << td(std::isfinite(value) ? "\u00d7" + text::format_ratio(value) : "n/a (not finite)", true)
          << "</tr>";
    }
    out << "</table>";
  }
  if (!r.tier_ratios.empty()) {
    out << "<p>What the tiers say (geometric mean over workloads; " << html_escape(tier_interval_words())
        << "):</p><table><tr><th>question</th><th>ratio</th><th>geometric mean [95% CI or range]</th><th>workloads</th></tr>";
    for (const auto& t : r.tier_ratios) {
      out << "<tr>" << td(t.question) << "<td><code>" << html_escape(t.numerator + " / " + t.denominator) << "</code></td>"
          << td(std::isfinite(t.geometric_mean) ? tier_value_text(t) : "n/a (not finite)", true) << td(std::to_string(t.workloads), true) << "</tr>";
    }
    out << "</table>";
  }
  if (!r.break_evens.empty()) {
    out << "<p>Break-even: after how many iterations a JIT's cumulative time (its cold and warm-up iterations "
           "included) stays below the interpreter's of the same language:</p>"
           "<table><tr><th>workload</th><th>JIT</th><th>interpreter</th><th>break-even</th></tr>";
    for (const auto& b : r.break_evens) {
      out << "<tr>" << td(b.workload) << "<td><code>" << html_escape(b.jit) << "</code></td><td><code>" << html_escape(b.interpreter)
          << "</code></td>" << td(break_even_text(b)) << "</tr>";
    }
    out << "</table>";
  }
}

// One workload's bar chart, or, when none of its runs is ok, a box saying there is nothing to plot
// and why. Notes under the chart: runs left out, stability warnings, and sizes that differ.
void workload_bars(const std::vector<FileView>& all, const std::string& workload, const std::vector<std::string>& configs,
                   std::ostream& out) {
  std::vector<svg::Bar> bars;
  std::vector<std::string> cautions;
  struct LeftOut {
    std::string what;     // the run, its status and as much of its message as fits
    std::string message;  // all of it
    std::string shown;    // the part of it in WHAT
  };
  std::vector<LeftOut> left_out;  // what is not plotted and why
  std::map<std::string, std::vector<std::string>> labels_by_size;  // size text -> bar labels
  for (const auto& f : all) {
    for (const auto& run : f.results->runs) {
      if (run.workload != workload) continue;
      const std::string label = run.config + (all.size() > 1 ? " \u00b7 " + f.name : "");
      labels_by_size[size_text(run)].push_back(label);
      for (const auto& w : run.warnings) cautions.push_back("\u26a0 " + label + ": " + warning_headline(w.text));
      if (run.status != RunStatus::Ok || !run.summary) {
        const std::string shown = text::first_line(run.message, 120);
        left_out.push_back({label + ": " + upper(run.status) + (run.message.empty() ? "" : " \u2014 " + shown), run.message, shown});
        continue;
      }
      const auto index = static_cast<std::size_t>(std::find(configs.begin(), configs.end(), run.config) - configs.begin());
      const stats::Summary& s = *run.summary;
      bars.push_back({label, s.median, s.ci95_median.low, s.ci95_median.high, svg::color_for(index)});
    }
  }
  const bool sizes_differ = labels_by_size.size() > 1;
  const std::string subtitle = sizes_differ ? "sizes differ (see below)" : labels_by_size.begin()->first;
  if (bars.empty()) {
    out << "<div class=\"chart-box nothing\"><h3>" << html_escape(workload) << "<br><small>" << html_escape(subtitle)
        << "</small></h3><p><b>Nothing to plot:</b> no run of this workload is ok.</p><ul>";
    for (const auto& l : left_out) out << "<li>" << failure_html(html_escape(l.what), l.message, l.shown) << "</li>";
    out << "</ul></div>";
    return;
  }
  out << "<div class=\"chart-box\">" << svg::bar_chart(workload, subtitle, bars);
  for (const auto& l : left_out) {
    out << "<div class=\"note\">" << failure_html(html_escape("not plotted: " + l.what), l.message, l.shown) << "</div>";
  }
  for (const auto& c : cautions) out << "<p class=\"caution\">" << html_escape(c) << "</p>";
  if (sizes_differ) {
    std::string sizes;
    for (const auto& [size, labels] : labels_by_size) {
      sizes += (sizes.empty() ? "" : "; ") + size + ": " + text::comma_listed(labels);
    }
    out << "<p class=\"note\">Different sizes: " << html_escape(sizes)
        << ". These runs did different amounts of work, so their bars are not comparable.</p>";
  }
  out << "</div>";
}

void charts_section(const std::vector<FileView>& all, std::ostream& out) {
  const auto configs = config_order(all);
  out << "<h2>Time per iteration, by workload</h2><p>Median of every measured iteration with its 95% confidence "
         "interval (whiskers), on a logarithmic axis. Only ok runs are plotted.</p><div class=\"charts\">";
  for (const auto& workload : workload_order(all)) workload_bars(all, workload, configs, out);
  out << "</div>";
}

void warmup_section(const FileView& f, std::ostream& out) {
  const auto configs = config_order({f});
  out << "<h2>Warm-up: " << html_escape(f.name) << "</h2><p>Every iteration of the first worker process of each "
         "configuration, warm-up included. A dashed line marks where the classification of the whole series "
         "(Barrett et al.) puts the steady state; with <code>--warmup auto</code>, a dotted line marks where the "
         "warm-up detector found it while the process ran, which decided when measuring began (the two differ when "
         "the speed changed after that decision). Neither is drawn at the first iteration. Runs that are not ok are "
         "drawn dotted and faded: their times are not valid measurements.</p><div class=\"charts\">";
  std::vector<std::string> without_series;  // workloads with no curve to draw, and why
  for (const auto& workload : workload_order({f})) {
    std::vector<svg::Series> series;
    std::vector<std::string> notes;
    for (const auto& run : f.results->runs) {
      if (run.workload != workload) continue;
      const bool ok = run.status == RunStatus::Ok;
      const std::vector<double> ys = first_series(run);
      if (ys.empty()) {
        notes.push_back(run.config + ": " + (ok ? "no iterations recorded" : upper(run.status) + ", no iterations recorded"));
        continue;
      }
      svg::Series s;
      s.label = run.config + (ok ? "" : " (" + upper(run.status) + ", not a measurement)");
      s.ys_ns = ys;
      s.failed = !ok;
      s.color = svg::color_for(static_cast<std::size_t>(std::find(configs.begin(), configs.end(), run.config) - configs.begin()));
      s.steady_iteration = classified_steady_iteration(run);
      s.detected_iteration = detected_steady_iteration(run, f.results->settings.warmup);
      if (!ok) notes.push_back(run.config + " is " + upper(run.status) + ": its curve is dotted and not a valid measurement");
      series.push_back(std::move(s));
    }
    if (series.empty()) {
      std::string why;
      for (const auto& n : notes) why += (why.empty() ? "" : "; ") + n;
      without_series.push_back(workload + " (" + why + ")");
      continue;
    }
    out << "<div class=\"chart-box\">" << svg::line_chart(workload, series);
    for (const auto& n : notes) out << "<p class=\"note\">" << html_escape(n) << "</p>";
    out << "</div>";
  }
  out << "</div>";
  if (!without_series.empty()) {
    out << "<p class=\"status-bad\">No warm-up curve to draw for:</p><ul>";
    for (const auto& w : without_series) out << "<li>" << html_escape(w) << "</li>";
    out << "</ul>";
  }
}

void overhead_section(const OverheadFile& file, const Labels& labels, std::ostream& out) {
  const OverheadMatrix& o = file.matrix;
  std::vector<std::string> cases, bindings;
  std::map<std::pair<std::string, std::string>, const OverheadCell*> cells;
  for (const auto& e : o.cells) {
    if (std::find(cases.begin(), cases.end(), e.case_name) == cases.end()) cases.push_back(e.case_name);
    if (std::find(bindings.begin(), bindings.end(), e.binding) == bindings.end()) bindings.push_back(e.binding);
    cells[{e.case_name, e.binding}] = &e;
  }
  double lo = INFINITY, hi = 0;
  for (const auto& e : o.cells) {
    if (e.status == CellStatus::Ok && e.summary->median > 0.1) {
      lo = std::min(lo, e.summary->median);
      hi = std::max(hi, e.summary->median);
    }
  }
  auto shade = [&](double ns) {  // white (cheap) to red (costly), on a log scale
    if (!(hi > lo) || !(ns > 0.1)) return std::string("#ffffff");
    double t = std::clamp((std::log10(ns) - std::log10(lo)) / (std::log10(hi) - std::log10(lo)), 0.0, 1.0);
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "#%02x%02x%02x", 255, static_cast<int>(255 - 170 * t), static_cast<int>(255 - 200 * t));
    return std::string(buffer);
  };
  out << "<h2>Extension-call overhead: " << html_escape(labels.at(file.path)) << "</h2><p>Nanoseconds per call (median; "
      << html_escape(overhead_interval_name(o)) << " on hover), from white (cheapest) to red (costliest) on a log scale. <code>cpp</code> is the direct C++ call, "
         "the floor; <code>js</code> and <code>py</code> are the same function in the pure language. "
         "<b>n/a</b>: the binding cannot express the case; <b>ERROR</b>: the measurement failed; <b>stopped</b>: not "
         "measured, the run was interrupted; <b>~</b>: the loops of a process never settled; <b>?</b>: a noisy figure "
         "(below zero, or its interval wider than it), shown as measured.</p>"
         "<table class=\"heat\"><tr><th>case</th>";
  for (const auto& b : bindings) out << "<th>" << html_escape(b) << "</th>";
  out << "</tr>";
  std::size_t missing = 0;
  for (const auto& c : cases) {
    out << "<tr><th>" << html_escape(c) << "</th>";
    for (const auto& b : bindings) {
      const auto it = cells.find({c, b});
      if (it == cells.end()) {
        ++missing;
        out << "<td class=\"missing\" title=\"the file has no entry for this cell\">no entry</td>";
        continue;
      }
      const OverheadCell& e = *it->second;
      if (e.status == CellStatus::Ok) {
        const auto noise = e.noise();
        out << "<td class=\"num\" style=\"background:" << shade(e.summary->median) << "\" title=\""
            << html_escape(text::format_duration_with_ci(e.summary->median, e.summary->ci95_median.low, e.summary->ci95_median.high) +
                           (noise.empty() ? "" : "; noisy: " + text::comma_listed(noise)))
            << "\">" << (noise.empty() ? "" : "?") << (e.unsteady_processes > 0 ? "~" : "")
            << text::format_duration_ns(e.summary->median) << "</td>";
      } else if (e.status == CellStatus::Error) {
        out << "<td class=\"error\" title=\"" << html_escape(e.reason) << "\">ERROR</td>";
      } else if (e.status == CellStatus::Interrupted) {
        out << "<td class=\"na\" title=\"" << html_escape(e.reason) << "\">stopped</td>";
      } else {
        out << "<td class=\"na\" title=\"" << html_escape(e.reason) << "\">n/a</td>";
      }
    }
    out << "</tr>";
  }
  out << "</table>";

  std::vector<const OverheadCell*> errors;
  std::size_t interrupted = 0;
  std::vector<std::pair<std::pair<std::string, std::string>, std::string>> unsupported;  // ((binding, reason), cases)
  for (const auto& e : o.cells) {
    if (e.status == CellStatus::Error) errors.push_back(&e);
    if (e.status == CellStatus::Interrupted) ++interrupted;
    if (e.status != CellStatus::Unsupported) continue;
    auto same = std::find_if(unsupported.begin(), unsupported.end(),
                             [&](const auto& u) { return u.first == std::make_pair(e.binding, e.reason); });
    if (same == unsupported.end()) {
      unsupported.push_back({{e.binding, e.reason}, e.case_name});
    } else {
      same->second += ", " + e.case_name;
    }
  }
  if (!errors.empty() || missing > 0 || interrupted > 0 || std::find(bindings.begin(), bindings.end(), "cpp") == bindings.end()) {
    out << "<section class=\"verdicts\"><h3>"
        << (errors.empty() ? std::string("The overhead file has gaps")
                           : std::to_string(errors.size()) + " measurement" + (errors.size() == 1 ? "" : "s") + " failed")
        << "</h3><ul>";
    for (const auto* e : errors) {
      out << "<li><span class=\"status-bad\">ERROR</span> <code>" << html_escape(e->binding) << "</code> \u00d7 <code>"
          << html_escape(e->case_name) << "</code>: " << html_escape(e->reason.empty() ? "no reason recorded" : e->reason) << "</li>";
    }
    if (missing > 0) out << "<li>" << missing << " cell" << (missing == 1 ? " has" : "s have") << " no entry in the file</li>";
    if (interrupted > 0) {
      out << "<li>" << interrupted << " cell" << (interrupted == 1 ? " was" : "s were")
          << " not measured: the run was interrupted (<b>stopped</b>)</li>";
    }
    if (std::find(bindings.begin(), bindings.end(), "cpp") == bindings.end()) {
      out << "<li>no <code>cpp</code> entries: the C++ floor is missing</li>";
    }
    out << "</ul></section>";
  }
  if (!unsupported.empty()) {
    out << "<p>Why cells are n/a:</p><ul>";
    for (const auto& [key, which] : unsupported) {
      out << "<li><code>" << html_escape(key.first) << "</code> (" << html_escape(which)
          << "): " << html_escape(key.second.empty() ? "no reason recorded" : key.second) << "</li>";
    }
    out << "</ul>";
  }
  if (!o.notes.empty()) {
    out << "<p>Notes from the measurement:</p><ul>";
    for (const auto& [binding, note] : o.notes) out << "<li><code>" << html_escape(binding) << "</code>: " << html_escape(note) << "</li>";
    out << "</ul>";
  }
}

void text_tables_section(const std::vector<FileView>& all, std::ostream& out) {
  out << "<h2>The numbers, as text</h2>";
  for (const auto& f : all) {
    out << "<h3>" << html_escape(f.name) << "</h3><table><tr><th>workload</th><th>config</th><th>size</th><th>status</th>"
           "<th>median (steady)</th><th>95% CI</th><th>ratio to baseline [95% CI]</th><th>cold; warm-up</th>"
           "<th>cold ratio [95% CI with 6+ processes a side]</th><th>memory: peak (above idle); heap peak</th><th>warm-up class</th><th>samples</th>"
           "<th>warnings</th></tr>";
    for (const auto& run : f.results->runs) {
      std::string median, ci, ratio, warnings;
      if (run.summary) {
        median = (mixes_states(run) ? kMixedStatesMark : "") + text::format_duration_ns(run.summary->median);
        ci = text::format_duration_ns(run.summary->ci95_median.low) + " \u2013 " +
             text::format_duration_ns(run.summary->ci95_median.high);
      }
      if (auto it = f.ratio_text.find({run.workload, run.config}); it != f.ratio_text.end() && run.status == RunStatus::Ok) {
        ratio = it->second;
      }
      for (const auto& w : run.warnings) warnings += (warnings.empty() ? "" : "; ") + warning_headline(w.text);
      out << "<tr>" << td(run.workload) << td(run.config) << td(std::to_string(run.size), true)
          << (run.status == RunStatus::Ok ? td("ok") : "<td class=\"status-bad\">" + html_escape(status_name(run.status)) + "</td>")
          << td(median, true) << td(ci, true) << td(ratio, true) << td(cold_warmup_text(&run), true)
          << td(run.status == RunStatus::Ok ? cold_ratio_text(*f.results, &run) : "", true)
          << td(run.status == RunStatus::Ok ? memory_text(*f.results, &run) : "", true)
          << td(run.warmup ? run.warmup->classification : "")
          << td(std::to_string(run.all_samples_ns().size()), true) << td(warnings) << "</tr>";
    }
    out << "</table>";
    if (any_mixes_states(*f.results)) out << "<p>" << kMixedStatesMark << " " << html_escape(kMixedStatesLegend) << ".</p>";
  }
}

// The machine and the build, as rows of a table.
void environment_rows(const Environment& env, std::ostream& out) {
  for (const auto& fact : environment_facts(env)) {
    out << "<tr><th>" << html_escape(fact.label) << "</th><td>" << html_escape(fact.text);
    if (!fact.code.empty()) out << (fact.text.empty() ? "" : " (") << "<code>" << html_escape(fact.code) << "</code>" << (fact.text.empty() ? "" : ")");
    out << "</td></tr>";
  }
}

// A file merged from several machines: each machine, its files and the rows measured on it.
void machines_section(const Results& r, std::ostream& out) {
  if (r.machines.empty()) return;
  out << "<p>These runs come from " << r.machines.size()
      << " machines; a ratio is computed only between runs of one machine.</p>";
  for (std::size_t m = 0; m < r.machines.size(); ++m) {
    const std::string files = text::comma_listed(r.machines[m].files);
    std::string rows;
    for (const Run& run : r.runs) {
      if (run.machine == m) rows += (rows.empty() ? "" : ", ") + run.workload + " [" + run.config + "]";
    }
    out << "<h3>Machine " << m + 1 << " (" << html_escape(files) << ")</h3><table>";
    environment_rows(r.machines[m].environment, out);
    out << "<tr><th>runs</th>" << td(rows) << "</tr></table>";
  }
}

void environment_section(const FileView& f, std::ostream& out) {
  const Results& r = *f.results;
  const Settings& s = r.settings;
  out << "<h2>Environment: " << html_escape(f.name) << "</h2><table>";
  environment_rows(r.environment, out);
  out << "<tr><th>settings</th>"
      << td((s.size_name.empty() ? std::string("?") : s.size_name) + " sizes, " + processes_text(s) +
            " x (" + warmup_policy_text(s.warmup) + " + " + measured_text(s) + ")")
      << "</tr></table>";
  out << "<table><tr><th>configuration</th><th>engine</th><th>flags</th><th>empty <code>run()</code> (host cost)</th></tr>";
  for (const auto& c : r.config_setups) {
    const std::string flags = text::join_words(c.flags);
    out << "<tr>" << td(c.name) << td(c.engine.empty() ? "not recorded" : c.engine) << "<td>"
        << (flags.empty() ? std::string() : "<code>" + html_escape(flags) + "</code>") << "</td>"
        << td(c.empty_call_ns ? text::format_duration_ns(*c.empty_call_ns) : "", true) << "</tr>";
  }
  out << "</table>";
  machines_section(r, out);
}

void overhead_environment_section(const OverheadFile& o, const Labels& labels, std::ostream& out) {
  out << "<h2>Environment: " << html_escape(labels.at(o.path)) << "</h2><table>";
  environment_rows(o.matrix.environment, out);
  out << "</table>";
}

std::string subtitle(const ReportInputs& inputs, const Labels& labels) {
  std::vector<std::string> source_labels;
  for (const auto& r : inputs.results) source_labels.push_back(labels.at(r.path));
  if (inputs.overhead) source_labels.push_back(labels.at(inputs.overhead->path));
  if (inputs.startup) source_labels.push_back(labels.at(inputs.startup->path));
  for (const auto& f : inputs.scale) source_labels.push_back(labels.at(f.path));
  const std::string sources = text::comma_listed(source_labels);
  std::string what;
  if (inputs.results.empty() && !inputs.overhead) {
    what = "How throughput grows with threads: V8 isolates, CPython threads, sub-interpreters and processes";
  } else if (!inputs.results.empty()) {
    what = "JavaScript (V8) and Python (CPython) running the same workloads";
    if (inputs.overhead) what += ", and what it costs to call C++ from each";
  } else if (inputs.overhead) {
    what = "What it costs to call C++ from JavaScript (V8) and Python (CPython)";
  } else {
    what = "How fast JavaScript (V8) and Python (CPython) start, and how much memory they take";
  }
  if (inputs.startup && (!inputs.results.empty() || inputs.overhead)) what += "; start-up and memory";
  return what + ", from " + sources;
}

// Every run's peak resident memory (median over processes; the whiskers span the processes), and an
// idle worker's of each configuration, so the workload's own share shows.
void memory_section(const FileView& f, std::ostream& out) {
  const Results& r = *f.results;
  const auto configs = config_order({f});
  std::vector<svg::ValueBar> bars;
  for (const auto& config : configs) {
    const ConfigSetup* setup = r.setup_of(config);
    if (!setup || !setup->idle_memory || !setup->idle_memory->rss_after_setup) continue;
    const double idle = *setup->idle_memory->rss_after_setup;
    const auto index = static_cast<std::size_t>(std::find(configs.begin(), configs.end(), config) - configs.begin());
    bars.push_back({"idle worker \u00b7 " + config, idle, idle, idle, svg::color_for(index)});
  }
  for (const auto& run : r.runs) {
    std::vector<double> peaks;
    for (const auto& m : run.memory) {
      if (m.peak_rss) peaks.push_back(*m.peak_rss);
    }
    if (run.status != RunStatus::Ok || peaks.empty()) continue;
    const auto index = static_cast<std::size_t>(std::find(configs.begin(), configs.end(), run.config) - configs.begin());
    bars.push_back({run.workload + " \u00b7 " + run.config, stats::median(peaks), *std::min_element(peaks.begin(), peaks.end()),
                    *std::max_element(peaks.begin(), peaks.end()), svg::color_for(index)});
  }
  if (bars.empty()) return;
  static const svg::ValueAxis kPeakAxis{"peak resident memory (median; whiskers: the processes' range)", text::format_bytes, false, true};
  out << "<h2>Memory: " << html_escape(f.name) << "</h2><p>Each worker process's peak resident memory (its own "
         "<code>VmHWM</code>), the median over the processes of a run; the idle workers of each configuration "
         "(an empty <code>run()</code>) show what the engine alone takes. The engines' own heap figures are in the "
         "text table below and in the JSON.</p><div class=\"charts\"><div class=\"chart-box\">"
      << svg::value_bar_chart("Peak resident memory", "per run and per idle worker", kPeakAxis, bars) << "</div></div>";
}

}  // namespace

std::string render_html_report(const ReportInputs& inputs) {
  std::vector<std::string> paths;
  for (const auto& r : inputs.results) paths.push_back(r.path);
  if (inputs.overhead) paths.push_back(inputs.overhead->path);
  if (inputs.startup) paths.push_back(inputs.startup->path);
  for (const auto& f : inputs.scale) paths.push_back(f.path);
  const Labels labels = file_labels(paths);
  std::vector<FileView> files;
  for (const auto& r : inputs.results) files.push_back(view_of(r, labels));

  std::ostringstream out;
  out << "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
         "content=\"width=device-width, initial-scale=1\"><title>polyhost report</title><style>"
      << kStyle << "</style></head><body><h1>polyhost report</h1><p class=\"subtitle\">" << html_escape(subtitle(inputs, labels))
      << "</p>";
  if (!files.empty()) {
    verdicts_section(files, inputs.overhead, out);
    for (const auto& f : files) summary_section(f, out);
    charts_section(files, out);
    for (const auto& f : files) warmup_section(f, out);
    for (const auto& f : files) memory_section(f, out);
  }
  if (inputs.overhead) overhead_section(*inputs.overhead, labels, out);
  if (inputs.startup) write_startup_section(labels.at(inputs.startup->path), inputs.startup->report, out);
  for (const auto& f : inputs.scale) write_scale_section(labels.at(f.path), f.report, out);
  if (!files.empty()) text_tables_section(files, out);
  for (const auto& f : files) environment_section(f, out);
  if (inputs.overhead) overhead_environment_section(*inputs.overhead, labels, out);
  if (inputs.startup) {
    out << "<h2>Environment: " << html_escape(labels.at(inputs.startup->path)) << "</h2><table>";
    environment_rows(inputs.startup->report.environment, out);
    out << "</table>";
  }
  out << "</body></html>\n";
  return out.str();
}

}  // namespace polyhost
