// The start-up figures as a Markdown document.
#include "host/export/environment_facts.h"
#include "host/export/exporters.h"
#include "host/export/startup_view.h"
#include "host/text/markdown.h"

namespace polyhost {
namespace {

using text::markdown::code;
using text::markdown::escape;

void write_startup_markdown_table(const StartupTable& table, std::ostream& out) {
  if (table.rows.empty()) return;
  out << "\n## " << escape(table.title) << "\n\n";
  std::vector<std::vector<std::string>> rows;
  for (const auto& row : table.rows) {
    std::vector<std::string> cells;
    for (const auto& cell : row) cells.push_back(escape(cell));
    rows.push_back(std::move(cells));
  }
  text::markdown::write_table(out, table.header, table.align, rows);
}

}  // namespace

void write_startup_markdown(const StartupReport& report, std::ostream& out) {
  out << "# polyhost start-up and memory\n\n";
  write_environment_markdown(report.environment, out);
  out << "- **Settings:** " << escape(startup_settings_line(report)) << "\n";
  write_startup_markdown_table(startup_phases_table(report), out);
  out << '\n';
  for (const auto& p : report.phases) {
    out << "- " << escape(p.engine) << ", " << escape(startup_phase_label(p)) << ": " << escape(p.description) << '\n';
  }
  write_startup_markdown_table(startup_instances_table(report), out);
  out << '\n';
  for (const auto& i : report.instances) out << "- " << escape(i.engine) << ": " << escape(i.description) << '\n';
  out << "- `each`: per process, the mean over k = 2.." << report.settings.instances << "\n";
  write_startup_markdown_table(startup_processes_table(report), out);
  out << '\n';
  for (const auto& p : report.processes) {
    out << "- " << code(p.name) << ": " << escape(p.description) << '\n';
  }
  write_startup_markdown_table(startup_differences_table(report), out);
  out << '\n';
  for (const auto& d : report.differences) out << "- " << escape(d.name) << ": " << escape(d.description) << '\n';
  write_startup_markdown_table(startup_first_results_table(report, true), out);
  const auto problems = report.problems();
  if (!problems.empty()) out << "\n## Not ok\n\n";
  for (const auto& p : problems) out << "- " << escape(p) << '\n';
  const auto skipped = report.skipped();
  if (!skipped.empty()) out << "\n## Skipped\n\n";
  for (const auto& s : skipped) out << "- " << escape(s) << '\n';
}

}  // namespace polyhost
