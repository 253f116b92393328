// The overhead matrix as a Markdown document.
#include "host/export/environment_facts.h"
#include "host/export/exporters.h"
#include "host/export/overhead_peers.h"
#include "host/export/overhead_view.h"
#include "host/text/format.h"
#include "host/text/markdown.h"

namespace polyhost {
namespace {

using text::markdown::code;
using text::markdown::escape;

void write_markdown_matrix(const std::vector<std::string>& bindings, std::vector<std::vector<std::string>> rows, std::ostream& out) {
  std::vector<std::string> header{"case"};
  std::vector<text::Align> align{text::Align::Left};
  for (const auto& b : bindings) {
    header.push_back(code(b));
    align.push_back(text::Align::Right);
  }
  for (auto& row : rows) row[0] = code(row[0]);
  text::markdown::write_table(out, header, align, rows);
}

}  // namespace

void write_overhead_markdown(const OverheadMatrix& matrix, std::ostream& out) {
  out << "# polyhost extension-call overhead\n\n";
  write_environment_markdown(matrix.environment, out);
  out << "- **Settings:** " << matrix.settings.processes << " fresh processes per binding x " << matrix.settings.repeats
      << " calibrated loops of ~" << text::format_duration_ns(matrix.settings.loop_target_ns) << " each\n";
  for (const auto& line : ran_in_lines(matrix)) out << "- **Ran in:** " << escape(line) << '\n';
  out << '\n'
      << "## Nanoseconds per call\n\nMedian [" << overhead_interval_name(matrix) << "]; `n/a` cells are explained below.\n\n";
  const auto all = all_binding_names(matrix);
  write_markdown_matrix(
      all, matrix_rows(matrix, all, [](const OverheadCell* c) { return overhead_cell_text(c, CiStyle::Interval); }), out);
  out << "\n## Relative cost\n\n× the same call in the pure language / × the direct C++ call.\n\n";
  const auto native = native_binding_names(matrix);
  write_markdown_matrix(
      native, matrix_rows(matrix, native, [&](const OverheadCell* c) { return relative_cell_text(matrix, c); }), out);
  const auto legend = relative_legend(matrix);
  if (!legend.empty()) out << '\n';
  for (const auto& [marker, meaning] : legend) out << "- `" << marker << "`: " << meaning << '\n';
  out << "\n" << kPureBaselineNote[0] << ' ' << kPureBaselineNote[1] << ".\n";
  const auto unsteady = unsteady_lines(matrix);
  if (!unsteady.empty()) {
    out << "\n## Not a steady state\n\nFigures marked `" << kUnsteadyMark << "`: in these processes the loops never settled, "
        << "so the figure mixes states.\n\n";
  }
  for (const auto& line : unsteady) out << "- " << escape(line) << '\n';
  const auto noisy = noisy_lines(matrix);
  if (!noisy.empty()) out << "\n## Noisy figures\n\nFigures marked `" << kNoisyMark << "`: " << escape(kNoisyMeaning) << ".\n\n";
  for (const auto& line : noisy) out << "- " << escape(line) << '\n';
  const auto not_measured = not_measured_lines(matrix);
  if (!not_measured.empty()) out << "\n## Not measured\n\n";
  for (const auto& line : not_measured) out << "- " << escape(line) << '\n';
  for (const auto& [binding, note] : matrix.notes) out << "\nNote (" << code(binding) << "): " << escape(note) << '\n';
  if (has_peers(matrix)) write_peer_markdown(matrix, out);
  out << "\n## Bindings\n\n";
  for (const auto& b : matrix.bindings) {
    out << "- " << code(b.binding) << " (" << escape(call_direction_label(b)) << "): " << escape(b.description) << '\n';
  }
}

}  // namespace polyhost
