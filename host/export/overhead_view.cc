#include "host/export/overhead_view.h"

#include <algorithm>
#include <map>
#include <set>

#include "host/text/format.h"

namespace polyhost {
namespace {

// Cells without a number say why, each with its own marker.
constexpr const char* kUnsupported = "n/a";
constexpr const char* kFailed = "ERROR";
constexpr const char* kInterrupted = "stopped";
constexpr const char* kBaselineFree = "\u22480 ns";     // the baseline is too close to zero to divide by
constexpr const char* kBelowZero = "<0";                 // the figure or its baseline is below zero
constexpr const char* kBaselineMissing = text::kNoValue;  // the baseline itself was not measured

// Every marker of the two tables with what it means, in the legend's order.
const std::vector<std::pair<std::string, std::string>>& relative_markers() {
  static const std::vector<std::pair<std::string, std::string>> markers = {
      {kUnsupported, "the binding does not support the case (why: under \"not measured\")"},
      {kBaselineFree, "the baseline costs nothing measurable (within " + text::format_plain_number(kSmallestPureNs) +
                          " ns of zero: the JIT inlined the pure-language call away), so there is no ratio to it"},
      {kBelowZero, "the figure or its baseline measured below zero (its empty loop cost more than its call loop): no ratio"},
      {kNoisyMark, "before a ratio: of a noisy figure, or to one (under \"noisy\"), so it says little"},
      {kBaselineMissing, "the baseline was not measured"},
      {kFailed, "the binding failed the case (under \"not measured\")"},
      {kInterrupted, "not measured: the run was interrupted before it"},
  };
  return markers;
}

bool noisy(const OverheadCell* cell) { return cell && !cell->noise().empty(); }

// The marker of a cell that has no figure.
const char* status_marker(const OverheadCell& c) {
  switch (c.status) {
    case CellStatus::Unsupported: return kUnsupported;
    case CellStatus::Interrupted: return kInterrupted;
    default: return kFailed;
  }
}

// The ratio of CELL to a baseline, or the marker saying why there is none.
std::string ratio_or_marker(const OverheadCell& cell, const std::optional<double>& ratio, const OverheadCell* baseline,
                            double smallest) {
  if (ratio) return std::string(noisy(&cell) || noisy(baseline) ? kNoisyMark : "") + "\u00d7" + text::format_ratio(*ratio);
  if (!baseline || !baseline->summary) return kBaselineMissing;
  if (cell.summary->median < 0 || baseline->summary->median <= -smallest) return kBelowZero;
  return kBaselineFree;
}

std::vector<std::string> relative_parts(const OverheadMatrix& matrix, const OverheadCell* c) {
  if (!c) return {text::kNoValue};
  if (c->status != CellStatus::Ok || !c->summary) return {status_marker(*c)};
  return {ratio_or_marker(*c, c->relative_to_pure, matrix.find(c->language, c->case_name), kSmallestPureNs),
          ratio_or_marker(*c, c->relative_to_cpp, matrix.find("cpp", c->case_name), kSmallestCppNs)};
}

// A binding and what is said of some of its cases ("1 of 3 processes", "below zero").
using BindingDetail = std::pair<std::string, std::string>;

// "binding (a, b): detail" for each binding and detail, in the order they first appear in KEYED.
std::vector<std::string> grouped_lines(const std::vector<std::pair<BindingDetail, std::string>>& keyed) {
  std::vector<std::pair<BindingDetail, std::string>> groups;  // (binding and detail, "a, b")
  for (const auto& [key, case_name] : keyed) {
    auto group = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == key; });
    if (group == groups.end()) {
      groups.emplace_back(key, case_name);
    } else {
      group->second += ", " + case_name;
    }
  }
  std::vector<std::string> lines;
  for (const auto& [key, cases] : groups) lines.push_back(key.first + " (" + cases + "): " + key.second);
  return lines;
}

}  // namespace

const char* const kPureBaselineNote[2] = {
    "Pure baselines: the same functions in each language's cheapest idiomatic form; pure Python's add_i32 also checks",
    "the int32 range to wrap around as the C++ does (Python ints do not overflow), so it costs more than add_f64"};

std::string overhead_cell_text(const OverheadCell* c, CiStyle style) {
  if (!c) return text::kNoValue;
  if (c->status != CellStatus::Ok || !c->summary) return status_marker(*c);
  const stats::Summary& s = *c->summary;
  return std::string(noisy(c) ? kNoisyMark : "") + (c->unsteady_processes > 0 ? kUnsteadyMark : "") +
         (style == CiStyle::Interval ? text::format_duration_with_ci(s.median, s.ci95_median.low, s.ci95_median.high)
                                     : text::format_duration_error_bar(s.median, s.ci95_median.low, s.ci95_median.high));
}

std::string relative_cell_text(const OverheadMatrix& matrix, const OverheadCell* c) {
  std::string out;
  for (const auto& part : relative_parts(matrix, c)) out += (out.empty() ? "" : " / ") + part;
  return out;
}

std::vector<std::pair<std::string, std::string>> relative_legend(const OverheadMatrix& matrix) {
  std::set<std::string> used;
  for (const auto& b : native_binding_names(matrix)) {
    for (const auto& c : matrix.case_names()) {
      for (auto& part : relative_parts(matrix, matrix.find(b, c))) {
        if (part.rfind(kNoisyMark, 0) == 0) used.insert(kNoisyMark);
        used.insert(std::move(part));
      }
    }
  }
  for (const auto& c : matrix.cells) {  // the figures' table: pure baselines and the floor too
    if (c.status != CellStatus::Ok || !c.summary) used.insert(status_marker(c));
  }
  std::vector<std::pair<std::string, std::string>> legend;
  for (const auto& marker : relative_markers()) {
    if (used.count(marker.first)) legend.push_back(marker);
  }
  return legend;
}

std::vector<std::string> all_binding_names(const OverheadMatrix& matrix) {
  std::vector<std::string> names;
  for (const auto& b : matrix.bindings) names.push_back(b.binding);
  return names;
}

std::vector<std::vector<std::string>> bindings_by_family(const OverheadMatrix& matrix, const std::vector<std::string>& names) {
  std::vector<std::string> families;
  for (const auto& b : matrix.bindings) {
    if (!b.family.empty() && b.language != "cpp" && std::find(families.begin(), families.end(), b.family) == families.end())
      families.push_back(b.family);
  }
  if (families.size() < 2) return {names};
  std::vector<std::vector<std::string>> groups;
  for (const auto& family : families) {
    std::vector<std::string> group;
    for (const auto& b : matrix.bindings) {
      const bool wanted = b.family == family || b.language == "cpp";
      if (wanted && std::find(names.begin(), names.end(), b.binding) != names.end()) group.push_back(b.binding);
    }
    groups.push_back(std::move(group));
  }
  return groups;
}

std::vector<std::string> ran_in_lines(const OverheadMatrix& matrix) {
  std::vector<std::pair<std::string, std::string>> groups;  // (engine, its bindings), in column order
  for (const auto& b : matrix.bindings) {
    if (b.engine.empty()) continue;
    auto group = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == b.engine; });
    if (group == groups.end()) {
      groups.emplace_back(b.engine, b.binding);
    } else {
      group->second += ", " + b.binding;
    }
  }
  std::vector<std::string> lines;
  for (const auto& [engine, bindings] : groups) lines.push_back(bindings + ": " + engine);
  return lines;
}

std::vector<std::string> native_binding_names(const OverheadMatrix& matrix) {
  std::vector<std::string> names;
  for (const auto& b : matrix.bindings) {
    if (b.binding != b.language && b.language != "cpp") names.push_back(b.binding);
  }
  return names;
}

std::vector<std::vector<std::string>> matrix_rows(const OverheadMatrix& matrix, const std::vector<std::string>& bindings,
                                                  const std::function<std::string(const OverheadCell*)>& cell_text) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& c : matrix.case_names()) {
    std::vector<std::string> row{c};
    for (const auto& b : bindings) row.push_back(cell_text(matrix.find(b, c)));
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<std::string> not_measured_lines(const OverheadMatrix& matrix) {
  std::vector<std::string> lines;
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> by_reason;
  std::vector<std::pair<std::string, std::string>> order;
  for (const auto& c : matrix.cells) {
    if (c.status == CellStatus::Ok) continue;
    auto key = std::make_pair(c.binding, (c.status == CellStatus::Error ? "ERROR: " : "") + c.reason);
    if (!by_reason.count(key)) order.push_back(key);
    by_reason[key].push_back(c.case_name);
  }
  for (const auto& key : order) {
    const std::string cases =
        by_reason[key].size() == matrix.case_names().size() ? "all cases" : text::comma_listed(by_reason[key]);
    lines.push_back(key.first + " (" + cases + "): " + key.second);
  }
  return lines;
}

std::vector<std::string> unsteady_lines(const OverheadMatrix& matrix) {
  std::vector<std::pair<BindingDetail, std::string>> keyed;
  for (const auto& c : matrix.cells) {
    if (c.unsteady_processes == 0) continue;
    keyed.push_back({{c.binding, std::to_string(c.unsteady_processes) + " of " + std::to_string(matrix.settings.processes) + " processes"},
                     c.case_name});
  }
  return grouped_lines(keyed);
}

const char* const kNoisyMeaning =
    "the figure is below zero or its interval is wider than it: the loops' noise is as large as the call, so the "
    "figure says little (it is shown as measured)";

std::vector<std::string> noisy_lines(const OverheadMatrix& matrix) {
  std::vector<std::pair<BindingDetail, std::string>> keyed;
  for (const auto& c : matrix.cells) {
    if (const auto reasons = c.noise(); !reasons.empty()) keyed.push_back({{c.binding, text::comma_listed(reasons)}, c.case_name});
  }
  return grouped_lines(keyed);
}

}  // namespace polyhost
