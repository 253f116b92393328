// The overhead matrix as JSON, Markdown and a terminal table: rows are cases, columns bindings.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>

#include "host/export/format_units.h"
#include "host/overhead/overhead.h"

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

std::string ns_text(double ns) {
  if (std::fabs(ns) < 1.0) {  // format_duration_ns would say "0.4 ns" as "0 ns" or refuse negatives
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.2f ns", ns);
    return buffer;
  }
  return ns < 0 ? "-" + format_duration_ns(-ns) : format_duration_ns(ns);
}

std::string cell(const OverheadEntry* e, bool with_ci) {
  if (!e) return kNoValue;
  if (e->status == "unsupported") return "n/a";
  if (e->status != "ok" || !e->summary) return "ERROR";
  std::string text = ns_text(e->summary->median);
  if (with_ci) text += " [" + ns_text(e->summary->ci95_median.low) + "\u2013" + ns_text(e->summary->ci95_median.high) + "]";
  return text;
}

std::string relative_cell(const OverheadEntry* e) {
  if (!e || !e->summary) return kNoValue;
  std::string pure = e->relative_to_pure ? "\u00d7" + format_ratio(*e->relative_to_pure) : std::string(kNoValue);
  std::string floor = e->relative_to_cpp ? "\u00d7" + format_ratio(*e->relative_to_cpp) : std::string(kNoValue);
  return pure + " / " + floor;
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

std::vector<std::string> binding_names() {
  std::vector<std::string> names;
  for (const auto& b : overhead_bindings()) names.push_back(b.binding);
  return names;
}

// Bindings that call C++ from a language (not the pure baselines, not the floor).
std::vector<std::string> native_binding_names() {
  std::vector<std::string> names;
  for (const auto& b : overhead_bindings()) {
    if (b.binding != b.language && b.language != "cpp") names.push_back(b.binding);
  }
  return names;
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
  out << "ns per call (median over " << report.processes << " processes x " << report.repeats
      << " calibrated loops; 95% CIs in --json / --markdown)\n";
  std::vector<std::string> header{"case"};
  for (const auto& b : binding_names()) header.push_back(b);
  std::vector<std::vector<std::string>> rows;
  for (const auto& c : overhead_cases()) {
    std::vector<std::string> row{c};
    for (const auto& b : binding_names()) row.push_back(cell(find_entry(report, b, c), false));
    rows.push_back(row);
  }
  write_grid(header, rows, out);

  out << "\nrelative cost: x the same call in the pure language / x the direct C++ call\n";
  header = {"case"};
  for (const auto& b : native_binding_names()) header.push_back(b);
  rows.clear();
  for (const auto& c : overhead_cases()) {
    std::vector<std::string> row{c};
    for (const auto& b : native_binding_names()) row.push_back(relative_cell(find_entry(report, b, c)));
    rows.push_back(row);
  }
  write_grid(header, rows, out);

  auto unsupported = unsupported_lines(report);
  if (!unsupported.empty()) out << "\nnot measured:\n";
  for (const auto& line : unsupported) out << "  " << line << '\n';
  for (const auto& [binding, note] : report.notes) out << "\nnote: " << binding << ": " << note << '\n';
}

void write_overhead_markdown(const OverheadReport& report, std::ostream& out) {
  const Environment& env = report.environment;
  out << "# polyhost extension-call overhead\n\n"
      << "- CPU: " << env.cpu_model << ", " << env.cpu_count << " cores; " << env.os << "\n"
      << "- V8 " << env.v8_version << ", CPython " << env.python_version << " (" << env.python_executable << ")\n"
      << "- polyhost " << env.polyhost_version << " at " << env.git_commit << ", " << env.start_time << "\n"
      << "- " << report.processes << " fresh processes per binding x " << report.repeats
      << " calibrated loops of ~" << format_duration_ns(report.target_ns) << " each\n\n"
      << "## Nanoseconds per call\n\nMedian with its 95% confidence interval; `n/a` cells are explained below.\n\n";
  auto row = [&](const std::vector<std::string>& cells) {
    out << '|';
    for (const auto& c : cells) out << ' ' << c << " |";
    out << '\n';
  };
  // One matrix: a row per case, a column per binding, cells from CELL_TEXT.
  auto matrix = [&](const std::vector<std::string>& bindings, const std::function<std::string(const OverheadEntry*)>& cell_text) {
    std::vector<std::string> header{"case"}, align{":---"};
    for (const auto& b : bindings) {
      header.push_back("`" + b + "`");
      align.push_back("---:");
    }
    row(header);
    row(align);
    for (const auto& c : overhead_cases()) {
      std::vector<std::string> cells{"`" + c + "`"};
      for (const auto& b : bindings) cells.push_back(cell_text(find_entry(report, b, c)));
      row(cells);
    }
  };
  matrix(binding_names(), [](const OverheadEntry* e) { return cell(e, true); });
  out << "\n## Relative cost\n\n× the same call in the pure language / × the direct C++ call.\n\n";
  matrix(native_binding_names(), relative_cell);
  auto unsupported = unsupported_lines(report);
  if (!unsupported.empty()) out << "\n## Not measured\n\n";
  for (const auto& line : unsupported) out << "- " << line << '\n';
  for (const auto& [binding, note] : report.notes) out << "\nNote (`" << binding << "`): " << note << '\n';
  out << "\n## Bindings\n\n";
  for (const auto& b : overhead_bindings()) out << "- `" << b.binding << "` (" << b.language << "): " << b.description << '\n';
}

}  // namespace polyhost
