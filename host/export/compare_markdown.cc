// compare as a Markdown document.
#include "host/export/exporters.h"
#include "host/text/format.h"
#include "host/text/markdown.h"

namespace polyhost {

void write_compare_markdown(const CompareReport& report, std::ostream& out) {
  using text::markdown::bold;
  using text::markdown::code;
  using text::markdown::escape;
  out << "# polyhost compare\n\n- base: " << code(report.base_path) << "\n- new: " << code(report.new_path) << "\n"
      << "- significant: Mann-Whitney U p < 0.05 and the 95% bootstrap CI of the ratio of medians excludes 1\n"
      << "- threshold: " << report.threshold_percent << "%\n- " << bold(report.gate_line()) << "\n\n";
  if (!report.environment_changes.empty()) {
    out << "**Warning:** the two runs were not made on the same setup, so a change may not be the code's:\n\n";
    for (const auto& line : report.environment_changes) out << "- " << code(line) << "\n";
    out << '\n';
  }
  if (const std::string warning = report.untestable_warning(); !warning.empty()) {
    out << "**Warning:** " << escape(warning) << "\n\n";
  }
  using text::Align;
  std::vector<std::vector<std::string>> rows;
  for (const auto& r : report.rows) {
    std::string verdict = compare_verdict_text(r, report.threshold_percent);
    const bool untested_slowdown = r.untestable() && slower_beyond_threshold(r, report.threshold_percent);
    if ((r.significant && r.ratio.ratio > 1.0) || untested_slowdown) verdict = bold(verdict);
    rows.push_back({escape(r.workload), escape(r.config), text::format_duration_ns(r.base_median),
                    text::format_duration_ns(r.new_median), compare_change_text(r), compare_p_text(r.test.p_value),
                    verdict + (r.note.empty() ? "" : "; " + escape(r.note))});
  }
  text::markdown::write_table(out, {"workload", "config", "base median", "new median", "change [95% CI]", "p", "verdict"},
                              {Align::Left, Align::Left, Align::Right, Align::Right, Align::Right, Align::Right, Align::Left},
                              rows);
  if (report.geometric_mean_ratio > 0) {
    out << "\nGeometric mean of the changes: " << text::format_change(report.geometric_mean_ratio) << " ["
        << text::format_change(report.geometric_mean_ci.low) << ", " << text::format_change(report.geometric_mean_ci.high)
        << "] (95% CI from the rows' measurement noise).\n";
  }
  if (!report.not_compared.empty()) {
    out << "\n## Not compared\n\n";
    for (const auto& line : report.not_compared) out << "- " << escape(line) << '\n';
  }
}

}  // namespace polyhost
