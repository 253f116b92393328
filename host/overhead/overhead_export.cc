// The overhead matrix as JSON, Markdown and a terminal table: rows are cases, columns bindings.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <set>

#include "host/export/format_units.h"
#include "host/overhead/overhead.h"
#include "host/overhead/overhead_runtimes.h"

namespace polyhost {
namespace {

using namespace report_text;
using Json = nlohmann::json;

const OverheadEntry* find_entry(const OverheadReport& report, const std::string& binding, const std::string& case_name) {
  for (const auto& e : report.entries) {
    if (e.binding == binding && e.case_name == case_name) return &e;
  }
  return nullptr;
}

std::vector<std::string> binding_names() {
  std::vector<std::string> names;
  for (const auto& b : overhead_bindings()) names.push_back(b.binding);
  return names;
}

std::string language_of(const std::string& binding) {
  for (const auto& b : overhead_bindings()) {
    if (b.binding == binding) return b.language;
  }
  return "";
}

// Bindings that call C++ from a language (not the pure baselines, not the floor).
std::vector<std::string> native_binding_names() {
  std::vector<std::string> names;
  for (const auto& b : overhead_bindings()) {
    if (b.binding != b.language && b.language != "cpp") names.push_back(b.binding);
  }
  return names;
}

// Cells without a number say why, each with its own marker; the legend under the relative-cost
// table lists the ones it uses.
constexpr const char* kUnsupported = "n/a";
constexpr const char* kFailed = "ERROR";
constexpr const char* kBaselineFree = "\u22480 ns";  // the baseline is too cheap to divide by
constexpr const char* kBaselineMissing = kNoValue;  // the baseline itself was not measured

// How a duration is shown: 3 significant digits in ns, µs, ms or s (as format_duration_ns), but
// below 1 ns with 2 decimals and a sign, since noise around zero (a call inlined away) lands there.
// CI bounds are written in the same unit and with the same decimals as the median.
struct Scale {
  double unit_ns;
  const char* unit;
  int decimals;
};

Scale scale_for(double ns) {
  const double size = std::fabs(ns);
  if (size < 1.0) return {1.0, "ns", 2};
  static const std::pair<double, const char*> kLargerUnits[] = {{1e9, "s"}, {1e6, "ms"}, {1e3, "\u00b5s"}};
  Scale scale{1.0, "ns", 0};
  for (const auto& [unit_ns, unit] : kLargerUnits) {
    if (size / unit_ns >= 0.9995) {  // rounds to at least 1.00 in this unit
      scale = {unit_ns, unit, 0};
      break;
    }
  }
  const double scaled = size / scale.unit_ns;
  scale.decimals = scaled >= 99.95 ? 0 : scaled >= 9.995 ? 1 : 2;
  return scale;
}

std::string number_in(double ns, const Scale& scale) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", scale.decimals, ns / scale.unit_ns);
  return buffer;
}

std::string ns_text(double ns) {
  const Scale scale = scale_for(ns);
  return number_in(ns, scale) + " " + scale.unit;
}

// "12.0 ns [11.9–12.2]" (Markdown) or, compact for the terminal, "12.0 ns ±0.2", where ± is the
// larger distance from the median to a bound of its 95% CI.
enum class CiStyle { interval, plus_minus };

std::string cell(const OverheadEntry* e, CiStyle style) {
  if (!e) return kNoValue;
  if (e->status == "unsupported") return kUnsupported;
  if (e->status != "ok" || !e->summary) return kFailed;
  const double median = e->summary->median, low = e->summary->ci95_median.low, high = e->summary->ci95_median.high;
  const Scale scale = scale_for(median);
  std::string text = ns_text(median);
  if (style == CiStyle::interval) text += " [" + number_in(low, scale) + "\u2013" + number_in(high, scale) + "]";
  if (style == CiStyle::plus_minus) {
    // 2 significant digits are enough for an error bar, and no more decimals than the median has.
    const double half = std::max(high - median, median - low);
    Scale shown = scale;
    if (half > 0) {
      const int two_digits = 1 - static_cast<int>(std::floor(std::log10(half / scale.unit_ns)));
      shown.decimals = std::clamp(two_digits, 0, scale.decimals);
    }
    text += " \u00b1" + number_in(half, shown);
  }
  return text;
}

// Every marker of the relative-cost table with what it means, in the legend's order.
const std::vector<std::pair<std::string, std::string>>& relative_markers() {
  static const std::vector<std::pair<std::string, std::string>> markers = {
      {kUnsupported, "the binding does not support the case (why: under \"not measured\")"},
      {kBaselineFree, "the baseline costs nothing measurable (under " + format_plain_number(kSmallestPureNs) +
                          " ns: the JIT inlined the pure-language call away), so there is no ratio to it"},
      {kBaselineMissing, "the baseline was not measured"},
      {kFailed, "the binding failed the case (under \"not measured\")"},
  };
  return markers;
}

// Printed under the relative-cost table, in two lines on the terminal: what the ratios are against.
constexpr const char* kBaselineNote[] = {
    "Pure baselines: the same functions in each language's cheapest idiomatic form; pure Python's add_i32 also checks",
    "the int32 range to wrap around as the C++ does (Python ints do not overflow), so it costs more than add_f64"};

// The ratio to a baseline, or the marker saying why there is none.
std::string ratio_text(const std::optional<double>& ratio, const OverheadEntry* baseline) {
  if (ratio) return "\u00d7" + format_ratio(*ratio);
  return baseline && baseline->summary ? kBaselineFree : kBaselineMissing;
}

// A relative-cost cell in parts: the ratio to the same language's pure call and to the C++ floor
// ("×0.920", "×12.2", or the marker saying why there is none), or one marker for the whole cell.
std::vector<std::string> relative_parts(const OverheadReport& report, const OverheadEntry* e) {
  if (!e) return {kNoValue};
  if (e->status == "unsupported") return {kUnsupported};
  if (e->status != "ok" || !e->summary) return {kFailed};
  return {ratio_text(e->relative_to_pure, find_entry(report, e->language, e->case_name)),
          ratio_text(e->relative_to_cpp, find_entry(report, "cpp", e->case_name))};
}

// "×0.920 / ×12.2".
std::string relative_cell(const OverheadReport& report, const OverheadEntry* e) {
  std::string text;
  for (const auto& part : relative_parts(report, e)) text += (text.empty() ? "" : " / ") + part;
  return text;
}

// The markers the relative-cost table uses, with what they mean.
std::vector<std::pair<std::string, std::string>> relative_legend(const OverheadReport& report) {
  std::set<std::string> used;
  for (const auto& b : native_binding_names()) {
    for (const auto& c : overhead_cases()) {
      for (auto& part : relative_parts(report, find_entry(report, b, c))) used.insert(std::move(part));
    }
  }
  std::vector<std::pair<std::string, std::string>> legend;
  for (const auto& marker : relative_markers()) {
    if (used.count(marker.first)) legend.push_back(marker);
  }
  return legend;
}

Json optional_number(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }

void write_grid(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows, std::ostream& out) {
  std::vector<std::size_t> widths(header.size());
  for (std::size_t i = 0; i < header.size(); ++i) {
    widths[i] = display_width(header[i]);
    for (const auto& r : rows) widths[i] = std::max(widths[i], display_width(r[i]));
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string text;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      text += i == 0 ? pad_right(cells[i], widths[i]) : "  " + pad_left(cells[i], widths[i]);
    }
    return text;
  };
  out << line(header) << '\n';
  std::string rule;
  for (std::size_t i = 0; i < widths.size(); ++i) {
    if (i) rule += "  ";
    for (std::size_t k = 0; k < widths[i]; ++k) rule += "\u2500";
  }
  out << rule << '\n';
  for (const auto& r : rows) out << line(r) << '\n';
}

// A row per case (its name first), a cell per binding from CELL_TEXT.
using Rows = std::vector<std::vector<std::string>>;
Rows matrix_rows(const OverheadReport& report, const std::vector<std::string>& bindings,
                 const std::function<std::string(const OverheadEntry*)>& cell_text) {
  Rows rows;
  for (const auto& c : overhead_cases()) {
    std::vector<std::string> row{c};
    for (const auto& b : bindings) row.push_back(cell_text(find_entry(report, b, c)));
    rows.push_back(row);
  }
  return rows;
}

// "v8-fast-api: str_len, str_repeat: V8 10.2's fast API has no string parameter type", grouped by reason.
std::vector<std::string> unsupported_lines(const OverheadReport& report) {
  std::vector<std::string> lines;
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> by_reason;
  std::vector<std::pair<std::string, std::string>> order;
  for (const auto& e : report.entries) {
    if (e.status == "ok") continue;
    auto key = std::make_pair(e.binding, (e.status == "error" ? "ERROR: " : "") + e.reason);
    if (!by_reason.count(key)) order.push_back(key);
    by_reason[key].push_back(e.case_name);
  }
  for (const auto& key : order) {
    std::string cases;
    for (const auto& c : by_reason[key]) cases += (cases.empty() ? "" : ", ") + c;
    if (by_reason[key].size() == overhead_cases().size()) cases = "all cases";
    lines.push_back(key.first + " (" + cases + "): " + key.second);
  }
  return lines;
}

}  // namespace

void write_overhead_json(const OverheadReport& report, std::ostream& out) {
  const Environment& env = report.environment;
  Json bindings = Json::array();
  for (const auto& b : overhead_bindings()) {
    Json item{{"language", b.language}, {"binding", b.binding}, {"description", b.description}};
    if (auto it = env.config_engines.find(b.binding); it != env.config_engines.end()) item["engine"] = it->second;
    if (auto it = env.config_flags.find(b.binding); it != env.config_flags.end()) item["flags"] = it->second;
    bindings.push_back(item);
  }
  Json entries = Json::array();
  for (const auto& e : report.entries) {
    Json item{{"language", e.language}, {"binding", e.binding}, {"case", e.case_name}, {"status", e.status}};
    if (e.summary) {
      item["ns_per_call"] = e.summary->median;
      item["ci95"] = {e.summary->ci95_median.low, e.summary->ci95_median.high};
      item["samples_ns"] = e.samples_ns;
    } else {
      item["ns_per_call"] = nullptr;
      item["ci95"] = nullptr;
      item["reason"] = e.reason;
    }
    item["relative_to_pure"] = optional_number(e.relative_to_pure);
    item["relative_to_cpp"] = optional_number(e.relative_to_cpp);
    entries.push_back(item);
  }
  Json notes = Json::array();
  for (const auto& [binding, note] : report.notes) notes.push_back({{"binding", binding}, {"note", note}});
  Json doc{{"schema", "polyhost.overhead/1"},
           {"environment", {{"polyhost_version", env.polyhost_version}, {"git_commit", env.git_commit},
                            {"v8_version", env.v8_version}, {"python_version", env.python_version},
                            {"python_executable", env.python_executable}, {"cpu_model", env.cpu_model},
                            {"cpu_count", env.cpu_count}, {"os", env.os}, {"command_line", env.command_line},
                            {"start_time", env.start_time}}},
           {"settings", {{"quick", report.quick}, {"processes", report.processes}, {"repeats", report.repeats},
                         {"loop_target_ns", report.target_ns}, {"wall_seconds", report.wall_seconds},
                         {"method", "ns per call = (time of a loop of n calls - time of the same loop without the "
                                    "call) / n; n doubled until the loop takes loop_target_ns; median over "
                                    "repetitions in fresh processes, 95% distribution-free CI of the median"}}},
           {"bindings", bindings},
           {"entries", entries},
           {"notes", notes}};
  out << doc.dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
}

void write_overhead_table(const OverheadReport& report, std::ostream& out) {
  out << "ns per call: median \u00b1 the wider side of its 95% CI (" << report.processes << " processes x "
      << report.repeats << " calibrated loops; the intervals themselves in --json / --markdown)\n";
  auto with_error_bar = [](const OverheadEntry* e) { return cell(e, CiStyle::plus_minus); };
  auto relative = [&](const OverheadEntry* e) { return relative_cell(report, e); };
  // One grid per side, JavaScript's columns and Python's (the floor in both): all sixteen columns
  // in one grid would be over 250 characters wide.
  auto grids = [&](const std::vector<std::string>& bindings, const std::function<std::string(const OverheadEntry*)>& text) {
    for (bool javascript : {true, false}) {
      std::vector<std::string> side, header{"case"};
      for (const auto& b : bindings) {
        const std::string language = language_of(b);
        if (language == "cpp" || (language == "js" || language == "node") == javascript) side.push_back(b);
      }
      header.insert(header.end(), side.begin(), side.end());
      if (!javascript) out << '\n';
      write_grid(header, matrix_rows(report, side, text), out);
    }
  };
  grids(binding_names(), with_error_bar);

  out << "\nrelative cost: x the same call in the pure language / x the direct C++ call\n";
  grids(native_binding_names(), relative);
  const auto legend = relative_legend(report);
  std::size_t marker_width = 0;
  for (const auto& [marker, meaning] : legend) marker_width = std::max(marker_width, display_width(marker));
  for (const auto& [marker, meaning] : legend) out << "  " << pad_right(marker, marker_width) << "  " << meaning << '\n';
  for (const auto& line : kBaselineNote) out << "  " << line << '\n';

  auto unsupported = unsupported_lines(report);
  if (!unsupported.empty()) out << "\nnot measured:\n";
  for (const auto& line : unsupported) out << "  " << line << '\n';
  for (const auto& [binding, note] : report.notes) out << "\nnote: " << binding << ": " << note << '\n';
  const auto runtimes = overhead_runtime_lines(report);
  if (!runtimes.empty()) out << "\nran in:\n";
  for (const auto& line : runtimes) out << "  " << line << '\n';
}

void write_overhead_markdown(const OverheadReport& report, std::ostream& out) {
  const Environment& env = report.environment;
  out << "# polyhost extension-call overhead\n\n"
      << "- CPU: " << env.cpu_model << ", " << env.cpu_count << " cores; " << env.os << "\n"
      << "- V8 " << env.v8_version << ", CPython " << env.python_version << " (" << env.python_executable << ")\n"
      << "- polyhost " << env.polyhost_version << " at " << env.git_commit << ", " << env.start_time << "\n"
      << "- " << report.processes << " fresh processes per binding x " << report.repeats
      << " calibrated loops of ~" << format_duration_ns(report.target_ns) << " each\n";
  for (const auto& line : overhead_runtime_lines(report)) out << "- ran in: " << line << '\n';
  out << '\n'
      << "## Nanoseconds per call\n\nMedian [95% confidence interval]; `n/a` cells are explained below.\n\n";
  auto row = [&](const std::vector<std::string>& cells) {
    out << '|';
    for (const auto& c : cells) out << ' ' << c << " |";
    out << '\n';
  };
  auto matrix = [&](const std::vector<std::string>& bindings, const Rows& rows) {
    std::vector<std::string> header{"case"}, align{":---"};
    for (const auto& b : bindings) {
      header.push_back("`" + b + "`");
      align.push_back("---:");
    }
    row(header);
    row(align);
    for (auto cells : rows) {
      cells[0] = "`" + cells[0] + "`";
      row(cells);
    }
  };
  auto with_interval = [](const OverheadEntry* e) { return cell(e, CiStyle::interval); };
  auto relative = [&](const OverheadEntry* e) { return relative_cell(report, e); };
  matrix(binding_names(), matrix_rows(report, binding_names(), with_interval));
  out << "\n## Relative cost\n\n× the same call in the pure language / × the direct C++ call.\n\n";
  matrix(native_binding_names(), matrix_rows(report, native_binding_names(), relative));
  const auto legend = relative_legend(report);
  if (!legend.empty()) out << '\n';
  for (const auto& [marker, meaning] : legend) out << "- `" << marker << "`: " << meaning << '\n';
  out << "\n" << kBaselineNote[0] << ' ' << kBaselineNote[1] << ".\n";
  auto unsupported = unsupported_lines(report);
  if (!unsupported.empty()) out << "\n## Not measured\n\n";
  for (const auto& line : unsupported) out << "- " << line << '\n';
  for (const auto& [binding, note] : report.notes) out << "\nNote (`" << binding << "`): " << note << '\n';
  out << "\n## Bindings\n\n";
  for (const auto& b : overhead_bindings()) out << "- `" << b.binding << "` (" << b.language << "): " << b.description << '\n';
}

}  // namespace polyhost
