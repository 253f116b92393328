#include "host/report/scale_section.h"

#include "host/export/environment_facts.h"
#include "host/export/scale_view.h"
#include "host/report/svg_charts.h"
#include "host/text/format.h"
#include "host/text/html.h"
#include "host/text/layout.h"

namespace polyhost {
namespace {

using text::html_escape;

void chart_for(const ScaleReport& report, const std::string& workload, const std::vector<std::string>& modes,
               std::ostream& out) {
  std::vector<svg::SpeedupSeries> series;
  std::vector<std::string> left_out;
  std::string size;
  for (std::size_t i = 0; i < modes.size(); ++i) {
    svg::SpeedupSeries s{modes[i], {}, svg::color_for(i)};
    for (int t : report.settings.thread_counts) {
      const ScaleRun* run = report.find(workload, modes[i], t);
      if (!run) continue;
      if (size.empty() && run->size != 0) size = run->size_name + " size, n = " + std::to_string(run->size);
      if (run->status == RunStatus::Skipped) continue;
      if (run->status != RunStatus::Ok || !run->speedup) {
        left_out.push_back(modes[i] + " at T=" + std::to_string(t) + ": " +
                           (run->status != RunStatus::Ok ? text::to_upper(status_name(run->status)) : "no T=1 to compare with"));
        continue;
      }
      s.points.push_back({t, run->speedup->ratio, run->speedup->ci95.low, run->speedup->ci95.high, format_speedup(*run)});
    }
    if (!s.points.empty()) series.push_back(std::move(s));
  }
  out << "<div class=\"chart-box\">"
      << svg::speedup_chart(workload, size, series, report.settings.thread_counts,
                            report.settings.usable_cpus > 0 ? report.settings.usable_cpus : report.environment.cpu_count);
  for (const auto& n : left_out) out << "<p class=\"note\">not plotted: " << html_escape(n) << "</p>";
  out << "</div>";
}

void write_scale_section_table(const ScaleReport& report, const std::vector<std::string>& modes, std::ostream& out) {
  out << "<table><tr><th>workload</th><th>mode</th>";
  for (int t : report.settings.thread_counts) out << "<th>T=" << t << "</th>";
  out << "</tr>";
  for (const auto& workload : report.workload_names()) {
    for (const auto& mode : modes) {
      out << "<tr><td>" << html_escape(workload) << "</td><td><code>" << html_escape(mode) << "</code></td>";
      for (int t : report.settings.thread_counts) {
        const ScaleRun* run = report.find(workload, mode, t);
        const bool bad = run && run->status != RunStatus::Ok && run->status != RunStatus::Skipped;
        std::string title;
        if (run && run->throughput_per_s) title = format_throughput(*run);
        out << "<td class=\"num" << (bad ? " status-bad" : "") << "\"" << (title.empty() ? "" : " title=\"" + html_escape(title) + "\"")
            << ">" << html_escape(scale_cell(run)) << "</td>";
      }
      out << "</tr>";
    }
  }
  out << "</table>";
}

}  // namespace

void write_scale_section(const std::string& name, const ScaleReport& report, std::ostream& out) {
  const auto modes = scale_modes_in_order(report);
  out << "<h2>Scaling with threads: " << html_escape(name) << "</h2><p>Weak scaling: every thread makes the same "
         "<code>run(n)</code> calls at once. Speedup = throughput (calls per second over all threads) / the same "
         "mode's throughput with one thread, median over fresh processes, whiskers for its interval; the "
         "dashed diagonal is the ideal (T threads, T times the work). Intervals: "
      << html_escape(scale_interval_legend(report)) << ".</p><ul>";
  for (const auto& note : report.notes) out << "<li>" << html_escape(note) << "</li>";
  out << "</ul>";
  auto list_section = [&out](const char* kind, const std::string& heading, const std::string& note,
                             const std::vector<std::string>& lines) {
    if (lines.empty()) return;
    out << "<section class=\"" << kind << "\"><h3>" << heading << "</h3>";
    if (!note.empty()) out << "<p>" << html_escape(note) << "</p>";
    out << "<ul>";
    for (const auto& line : lines) out << "<li>" << html_escape(line) << "</li>";
    out << "</ul></section>";
  };
  list_section("verdicts", "Runs that are not ok", "", scale_problem_lines(report));
  list_section("warnings", "Modes that did not run", "", scale_skipped_lines(report));
  list_section("warnings", "Fewer processes", kScaleFewerProcessesNote, scale_fewer_processes_lines(report));
  list_section("warnings", "Short measured part", kScaleShortMeasuredNote, scale_short_measured_lines(report));
  out << "<div class=\"charts\">";
  for (const auto& workload : report.workload_names()) chart_for(report, workload, modes, out);
  out << "</div><p>T=1: throughput; T&gt;1: speedup [interval] and efficiency (speedup / T); throughput with its "
         "interval on hover.</p>";
  write_scale_section_table(report, modes, out);
  out << "<table>";
  for (const auto& fact : environment_facts(report.environment)) {
    out << "<tr><th>" << html_escape(fact.label) << "</th><td>" << html_escape(fact.text);
    if (!fact.code.empty()) out << (fact.text.empty() ? "" : " (") << "<code>" << html_escape(fact.code) << "</code>" << (fact.text.empty() ? "" : ")");
    out << "</td></tr>";
  }
  out << "</table><ul>";
  for (const auto& m : report.modes) {
    out << "<li><code>" << html_escape(m.name) << "</code>" << (m.engine.empty() ? "" : " (" + html_escape(m.engine) + ")")
        << (m.flags.empty() ? "" : " <code>" + html_escape(text::join_words(m.flags)) + "</code>") << ": " << html_escape(m.what) << "; " << html_escape(m.parallelism) << "</li>";
  }
  out << "</ul>";
}

}  // namespace polyhost
