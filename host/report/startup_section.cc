#include "host/report/startup_section.h"

#include <algorithm>

#include "host/export/startup_view.h"
#include "host/report/svg_charts.h"
#include "host/text/bytes.h"
#include "host/text/format.h"
#include "host/text/html.h"
#include "host/text/layout.h"

namespace polyhost {
namespace {

using text::html_escape;

std::string time_value(double ns) { return text::format_duration_ns(ns); }

// The charts' axes; WHISKERS says what the whiskers are ("95% CI", or "95% CI or range").
struct Axes {
  svg::ValueAxis time, time_log, memory;
};
Axes axes(const std::string& whiskers) {
  return {{"time (median, " + whiskers + ")", time_value, false},
          {"time (median, " + whiskers + "; log scale)", time_value, true},
          {"resident memory (median, " + whiskers + ")", text::format_bytes, false, true}};
}

// A bar for FIGURE when it has samples.
void add_bar(std::vector<svg::ValueBar>& bars, const std::string& label, const StartupFigure& figure, const std::string& color) {
  if (!figure.summary) return;
  bars.push_back({label, figure.summary->median, figure.interval().low, figure.interval().high, color});
}

// The same colour for a runtime wherever it appears.
std::string runtime_color(const std::string& name) {
  if (name.rfind("polyhost --version", 0) == 0) return svg::color_for(7);
  if (name.find(".js") != std::string::npos || name.rfind("V8", 0) == 0) return svg::color_for(0);
  if (name.find(".py") != std::string::npos || name.rfind("CPython", 0) == 0) return svg::color_for(1);
  if (name.rfind("node", 0) == 0) return svg::color_for(2);
  if (name.rfind("pypy3", 0) == 0) return svg::color_for(4);
  if (name.rfind("python3", 0) == 0) return svg::color_for(5);
  return svg::color_for(6);
}

void chart(std::ostream& out, const std::string& title, const std::string& subtitle, const svg::ValueAxis& axis,
           const std::vector<svg::ValueBar>& bars, const std::string& empty_reason) {
  if (bars.empty()) {
    out << "<div class=\"chart-box nothing\"><h3>" << html_escape(title) << "</h3><p><b>Nothing to plot:</b> "
        << html_escape(empty_reason) << "</p></div>";
    return;
  }
  out << "<div class=\"chart-box\">" << svg::value_bar_chart(title, subtitle, axis, bars) << "</div>";
}

void write_startup_section_table(std::ostream& out, const StartupTable& t) {
  if (t.rows.empty()) return;
  out << "<h3>" << html_escape(t.title) << "</h3><table><tr>";
  for (const auto& h : t.header) out << "<th>" << html_escape(h) << "</th>";
  out << "</tr>";
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    out << "<tr>";
    for (std::size_t c = 0; c < t.rows[r].size(); ++c) {
      const bool number = c < t.align.size() && t.align[c] == text::Align::Right;
      const bool problem = t.failed[r] && c + 1 == t.rows[r].size() && t.header.back() == kStartupStatusHeader;
      out << (problem ? "<td class=\"status-bad\">" : number ? "<td class=\"num\">" : "<td>") << html_escape(t.rows[r][c]) << "</td>";
    }
    out << "</tr>";
  }
  out << "</table>";
}

void problems_box(const StartupReport& report, std::ostream& out) {
  const auto problems = report.problems();
  if (problems.empty()) return;
  out << "<section class=\"verdicts\"><h3>" << problems.size() << " start-up row" << (problems.size() == 1 ? "" : "s")
      << " not ok</h3><ul>";
  for (const auto& p : problems) out << "<li>" << html_escape(text::first_line(p, 300)) << "</li>";
  out << "</ul></section>";
}

void skipped_note(const StartupReport& report, std::ostream& out) {
  for (const auto& s : report.skipped()) out << "<p class=\"note\">Skipped: " << html_escape(s) << "</p>";
}

}  // namespace

void write_startup_section(const std::string& name, const StartupReport& report, std::ostream& out) {
  const std::string every = std::to_string(report.settings.processes) + " fresh processes per bar";
  const bool ranges = has_figures_without_ci95(report);
  const Axes axis = axes(ranges ? "95% CI or range" : "95% CI");
  out << "<h2>Start-up and memory: " << html_escape(name) << "</h2><p>Every figure is a median over fresh processes with "
      << (ranges ? "its 95% confidence interval (whiskers), or from fewer than " + std::to_string(stats::kFewestForMedianCi) +
                       " processes their range, which is not one"
                 : std::string("its 95% confidence interval (whiskers)"))
      << ": " << html_escape(startup_settings_line(report))
      << ". Start-up times are sensitive to everything else the machine does: compare them only with figures taken "
         "on the same, otherwise idle machine.</p>";
  problems_box(report, out);
  skipped_note(report, out);

  std::vector<svg::ValueBar> time, memory;
  for (const auto& p : report.processes) {
    add_bar(time, p.name, p.time_ns, runtime_color(p.name));
    add_bar(memory, p.name, p.peak_rss_bytes, runtime_color(p.name));
  }
  out << "<div class=\"charts\">";
  chart(out, "Whole programs: spawn to exit", every, axis.time, time, "no program was measured");
  chart(out, "Whole programs: peak resident memory", every + " (wait4)", axis.memory, memory, "no program was measured");
  out << "</div>";

  time.clear();
  memory.clear();
  for (const auto& p : report.phases) {
    const std::string label = p.engine + ": " + startup_phase_label(p);
    add_bar(time, label, p.time_ns, runtime_color(p.engine));
    add_bar(memory, label, p.rss_after_bytes, runtime_color(p.engine));
  }
  for (const auto& i : report.instances) {
    const std::string label = i.engine + ": each further " + (i.engine == "V8" ? "isolate + context" : "sub-interpreter");
    add_bar(time, label, i.mean_time_ns, runtime_color(i.engine));
  }
  std::vector<svg::ValueBar> added;
  for (const auto& i : report.instances) {
    add_bar(added, i.engine + ": each further " + (i.engine == "V8" ? "isolate + context" : "sub-interpreter"),
            i.mean_rss_added_bytes, runtime_color(i.engine));
  }
  out << "<div class=\"charts\">";
  chart(out, "In one process, step by step: time", every, axis.time_log, time, "no in-process step was measured");
  chart(out, "In one process: resident memory after each step", every, axis.memory, memory, "no in-process step was measured");
  chart(out, "Memory each further instance adds", "mean over the 2nd.." + std::to_string(report.settings.instances) +
        "th instance in a process", axis.memory, added, "no further instance was measured");
  out << "</div>";

  time.clear();
  memory.clear();
  for (const auto& f : report.first_results) {
    const std::string label = f.workload + " \u00b7 " + f.config;
    const auto index = static_cast<std::size_t>(
        std::find(report.settings.configs.begin(), report.settings.configs.end(), f.config) - report.settings.configs.begin());
    add_bar(time, label, f.total_ns, svg::color_for(index));
    add_bar(memory, label, f.rss_after_bytes, svg::color_for(index));
  }
  const std::string first_subtitle = std::to_string(report.settings.first_result_processes) + " fresh processes per bar, " +
                                     report.settings.size_name + " sizes";
  out << "<div class=\"charts\">";
  chart(out, "Time to first result: engine start + load + setup + first run", first_subtitle, axis.time_log, time,
        "no workload gave a first result");
  chart(out, "Resident memory at the first result", first_subtitle, axis.memory, memory, "no workload gave a first result");
  out << "</div>";

  out << "<p>What each row is:</p><ul>";
  for (const auto& p : report.phases) {
    out << "<li>" << html_escape(p.engine + ": " + startup_phase_label(p)) << ": " << html_escape(p.description) << "</li>";
  }
  for (const auto& i : report.instances) out << "<li>" << html_escape(i.engine) << " further instances: " << html_escape(i.description) << "</li>";
  for (const auto& p : report.processes) {
    out << "<li><code>" << html_escape(p.name) << "</code>: " << html_escape(p.description) << "</li>";
  }
  for (const auto& d : report.differences) out << "<li>" << html_escape(d.name) << ": " << html_escape(d.description) << "</li>";
  out << "</ul>";
  write_startup_section_table(out, startup_phases_table(report));
  write_startup_section_table(out, startup_instances_table(report));
  write_startup_section_table(out, startup_processes_table(report));
  write_startup_section_table(out, startup_differences_table(report));
  write_startup_section_table(out, startup_first_results_table(report, true));
}

}  // namespace polyhost
