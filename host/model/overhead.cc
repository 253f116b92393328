#include "host/model/overhead.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <nlohmann/json.hpp>

#include "host/overhead/catalogue.h"
#include "host/text/format.h"

namespace polyhost {
namespace {

constexpr const char* kOverheadMethod =
    "ns per call = (time of a loop of n calls - time of the same loop without the call) / n; n doubled until "
    "the loop takes loop_target_ns twice in a row; the steady loops of each fresh process (process_sample_counts of "
    "samples_ns each), their median, and its 95% CI by a two-level bootstrap (processes, then loops), which is one "
    "from 6 processes on (with fewer, the same bootstrap gives an interval that holds the median less often)";

std::vector<std::string> names_in_cell_order(const std::vector<OverheadCell>& cells, std::string OverheadCell::*field) {
  std::vector<std::string> out;
  for (const auto& c : cells) {
    if (std::find(out.begin(), out.end(), c.*field) == out.end()) out.push_back(c.*field);
  }
  return out;
}

// CELL's median over BASELINE's, as files before polyhost wrote null for a figure below zero gave it.
std::optional<double> ratio_written_before(const OverheadCell& cell, const OverheadCell* baseline, double smallest) {
  if (!cell.summary || !baseline || !baseline->summary || baseline->summary->median < smallest) return std::nullopt;
  return cell.summary->median / baseline->summary->median;
}

// CELL's median over BASELINE's, when both have one, the baseline is at least SMALLEST (closer to
// zero is noise, below zero is no cost to divide by) and the cell's median is not below zero.
std::optional<double> relative(const OverheadCell& cell, const OverheadCell* baseline, double smallest) {
  if (cell.summary && cell.summary->median < 0) return std::nullopt;
  return ratio_written_before(cell, baseline, smallest);
}

// RELATIVE (the entry's relative_to_pure or relative_to_cpp, when the file has the key) must be
// EXPECTED, what polyhost's runner writes (OverheadMatrix::relative_to_pure, relative_to_cpp).
// A file written before a figure below zero had a null ratio may have BEFORE, its negative ratio.
void check_relative(const JsonNode& relative, const std::optional<double>& expected, const std::optional<double>& before,
                    const std::string& baseline, double smallest) {
  const std::optional<double> written = relative.number_or_null();
  if (!expected) {
    if (written && !(before && *written == *before)) {
      relative.fail("expected null (no baseline of at least " + json_number(smallest).dump() +
                    " ns for this case, or a figure below zero)");
    }
    return;
  }
  if (!written || std::fabs(*written - *expected) > 1e-9 * std::fabs(*expected)) {
    relative.fail((written ? json_number(*written).dump() : std::string("null")) + ", but ns_per_call over " + baseline +
                  "'s gives " + json_number(*expected).dump());
  }
}

// An entry's case, one polyhost measures: first, so that a case renamed is named as such, not as a
// ratio missing its C++ baseline.
std::string read_case(const JsonNode& node) {
  std::string name = node.string();
  const auto& cases = overhead_cases();
  if (std::find(cases.begin(), cases.end(), name) == cases.end()) {
    node.fail("\"" + name + "\" is not a case polyhost overhead measures (" + text::comma_listed(cases) + ")");
  }
  return name;
}

}  // namespace

const char* cell_status_name(CellStatus status) {
  switch (status) {
    case CellStatus::Ok: return "ok";
    case CellStatus::Unsupported: return "unsupported";
    case CellStatus::Error: return "error";
    case CellStatus::Interrupted: return "interrupted";
  }
  return "?";
}

namespace {

// The language a baseline key is written in: "node" and "js" are JavaScript, "pypy" and "py" Python.
std::string language_name(const std::string& language) {
  if (language == "cpp") return "C++";
  if (language == "js" || language == "node") return "JavaScript";
  if (language == "py" || language == "pypy") return "Python";
  return language;
}

}  // namespace

CallDirection call_direction(const OverheadBinding& b) {
  if (b.family.empty()) return {};
  const std::string own = language_name(b.language);
  if (b.binding == b.language || b.language == "cpp") return {b.family, own};  // a pure call, or the floor
  // A binding called from its baseline's language calls C++; one called from another language is a
  // bridge to that language (js->py, the peers), whose pure call is its baseline.
  return {b.family, b.family == own ? "C++" : own};
}

std::string call_direction_label(const OverheadBinding& b) {
  const CallDirection d = call_direction(b);
  if (d.caller.empty()) return b.language;
  return d.caller == d.callee ? d.caller : d.caller + " \u2192 " + d.callee;
}

std::vector<std::string> OverheadCell::noise() const {
  if (status != CellStatus::Ok || !summary) return {};
  const double median = summary->median;
  const double wider_side = std::max(summary->ci95_median.high - median, median - summary->ci95_median.low);
  std::vector<std::string> out;
  if (median < -kSmallestPureNs) out.emplace_back(kNoiseBelowZero);
  if (2 * wider_side > std::max(std::fabs(median), kSmallestPureNs)) out.emplace_back(kNoiseWideInterval);
  return out;
}

const OverheadCell* OverheadMatrix::find(const std::string& binding, const std::string& case_name) const {
  for (const auto& c : cells) {
    if (c.binding == binding && c.case_name == case_name) return &c;
  }
  return nullptr;
}

std::optional<double> OverheadMatrix::relative_to_pure(const OverheadCell& cell) const {
  return relative(cell, cell.language == "cpp" ? nullptr : find(cell.language, cell.case_name), kSmallestPureNs);
}

std::optional<double> OverheadMatrix::relative_to_cpp(const OverheadCell& cell) const {
  return relative(cell, find("cpp", cell.case_name), kSmallestCppNs);
}

std::string overhead_interval_name(const OverheadMatrix& matrix) {
  std::size_t fewest = static_cast<std::size_t>(std::max(matrix.settings.processes, 0));
  for (const auto& c : matrix.cells) {
    if (c.summary && !c.process_sample_counts.empty()) fewest = std::min(fewest, c.process_sample_counts.size());
  }
  if (fewest >= stats::kFewestForMedianCi) return "95% CI";
  return "interval (not a 95% CI: fewer than " + std::to_string(stats::kFewestForMedianCi) + " processes)";
}

std::vector<std::vector<double>> OverheadCell::samples_by_process() const {
  std::size_t total = 0;
  for (const std::size_t count : process_sample_counts) total += count;
  if (process_sample_counts.empty() || total != samples_ns.size()) return {samples_ns};
  std::vector<std::vector<double>> groups;
  auto next = samples_ns.begin();
  for (const std::size_t count : process_sample_counts) {
    groups.emplace_back(next, next + static_cast<long>(count));
    next += static_cast<long>(count);
  }
  return groups;
}

std::vector<std::string> OverheadMatrix::case_names() const { return names_in_cell_order(cells, &OverheadCell::case_name); }
std::vector<std::string> OverheadMatrix::binding_names() const { return names_in_cell_order(cells, &OverheadCell::binding); }

void write_overhead_json(const OverheadMatrix& m, std::ostream& out) {
  Json bindings = Json::array();
  for (const auto& b : m.bindings) {
    Json item{{"language", b.language}, {"binding", b.binding}, {"family", b.family}, {"description", b.description}};
    if (!b.engine.empty()) item["engine"] = b.engine;
    if (b.flags) item["flags"] = *b.flags;
    if (b.peer) item["peer"] = true;
    if (const CallDirection d = call_direction(b); !d.caller.empty()) {
      item["caller"] = d.caller;
      item["callee"] = d.callee;
    }
    bindings.push_back(std::move(item));
  }
  Json entries = Json::array();
  for (const auto& c : m.cells) {
    Json item{{"language", c.language}, {"binding", c.binding}, {"case", c.case_name}, {"status", cell_status_name(c.status)}};
    if (c.summary) {
      item["ns_per_call"] = c.summary->median;
      item["ci95"] = {c.summary->ci95_median.low, c.summary->ci95_median.high};
      item["samples_ns"] = c.samples_ns;
      if (!c.process_sample_counts.empty()) item["process_sample_counts"] = c.process_sample_counts;
    } else {
      item["ns_per_call"] = nullptr;
      item["ci95"] = nullptr;
      item["reason"] = c.reason;
    }
    item["unsteady_processes"] = c.unsteady_processes;
    item["noisy"] = c.noise();
    item["relative_to_pure"] = json_optional_number(c.relative_to_pure);
    item["relative_to_cpp"] = json_optional_number(c.relative_to_cpp);
    entries.push_back(std::move(item));
  }
  Json notes = Json::array();
  for (const auto& [binding, note] : m.notes) notes.push_back({{"binding", binding}, {"note", note}});
  const OverheadSettings& s = m.settings;
  Json doc{{"schema", kOverheadSchema},
           {"environment", environment_to_json(m.environment)},
           {"settings", {{"quick", s.quick}, {"processes", s.processes}, {"repeats", s.repeats},
                         {"loop_target_ns", s.loop_target_ns}, {"wall_seconds", s.wall_seconds}, {"method", kOverheadMethod}}},
           {"bindings", bindings},
           {"entries", entries},
           {"notes", notes}};
  out << doc.dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
}

OverheadMatrix read_overhead_json(const Json& document, const std::string& file) {
  const JsonNode root(document, file);
  if (!document.is_object() || !document.contains("schema") || document["schema"] != kOverheadSchema) {
    throw FileFormatError(file + ": not a polyhost overhead file (expected \"schema\": \"" + kOverheadSchema + "\")");
  }
  OverheadMatrix m;
  if (auto env = root.find_non_null("environment")) m.environment = environment_from_json(*env);
  if (auto s = root.find_non_null("settings")) {
    if (auto v = s->find_non_null("quick")) m.settings.quick = v->boolean();
    if (auto v = s->find_non_null("processes")) m.settings.processes = v->count(1);
    if (auto v = s->find_non_null("repeats")) m.settings.repeats = v->count(0);
    if (auto v = s->find_non_null("loop_target_ns")) m.settings.loop_target_ns = v->number();
    if (auto v = s->find_non_null("wall_seconds")) m.settings.wall_seconds = v->number();
  }
  if (auto bindings = root.find_non_null("bindings")) {
    for (const auto& b : bindings->elements()) {
      OverheadBinding binding{b.at("language").string(), b.at("binding").string(), "", b.at("description").string(), "",
                              std::nullopt, false};
      if (auto family = b.find_non_null("family")) binding.family = family->string();
      if (auto engine = b.find_non_null("engine")) binding.engine = engine->string();
      if (auto flags = b.find_non_null("flags")) binding.flags = flags->strings();
      if (auto peer = b.find_non_null("peer")) binding.peer = peer->boolean();
      m.bindings.push_back(std::move(binding));
    }
  }
  std::set<std::pair<std::string, std::string>> seen;
  const auto entries = root.at("entries").elements();
  for (const auto& e : entries) {
    OverheadCell cell;
    cell.language = e.at("language").string();
    cell.binding = e.at("binding").string();
    cell.case_name = read_case(e.at("case"));
    const JsonNode status = e.at("status");
    const std::string name = status.string();
    if (name == "ok") {
      const double ns = e.at("ns_per_call").number();
      const auto [low, high] = e.at("ci95").interval();
      if (auto samples = e.find_non_null("samples_ns")) {
        for (const auto& s : samples->elements()) cell.samples_ns.push_back(s.number());
      }
      if (auto counts = e.find_non_null("process_sample_counts")) {  // files before it have one pool
        std::size_t total = 0;
        for (const auto& count : counts->elements()) {
          cell.process_sample_counts.push_back(static_cast<std::size_t>(count.count(1)));
          total += cell.process_sample_counts.back();
        }
        if (total != cell.samples_ns.size()) {
          counts->fail("adds up to " + std::to_string(total) + " samples, but samples_ns has " + std::to_string(cell.samples_ns.size()));
        }
      }
      if (!cell.samples_ns.empty()) {
        cell.summary = stats::summarize(cell.samples_ns);
        if (cell.summary->median != ns) e.at("ns_per_call").fail("differs from the median of samples_ns");
      } else {
        cell.summary = stats::Summary{0, ns, ns, 0, ns, ns, {low, high}};
      }
      cell.summary->ci95_median = {low, high};
      // A 95% CI of the median holds the median (it may be below zero: a call the loop's own
      // overhead hides, shown as "≈0").
      if (!(low <= ns && ns <= high)) {
        e.at("ci95").fail("[" + json_number(low).dump() + ", " + json_number(high).dump() + "] does not hold ns_per_call " +
                          json_number(ns).dump());
      }
    } else if (name == "unsupported" || name == "error" || name == "interrupted") {
      cell.status = name == "error" ? CellStatus::Error : name == "interrupted" ? CellStatus::Interrupted : CellStatus::Unsupported;
      cell.reason = e.at("reason").string();
      if (auto ns = e.find_non_null("ns_per_call")) {
        ns->fail("expected null (an " + name + " entry measured nothing), found " + ns->json().dump());
      }
    } else {
      status.fail("expected \"ok\", \"unsupported\", \"error\" or \"interrupted\", found " + status.json().dump());
    }
    if (auto v = e.find_non_null("unsteady_processes")) cell.unsteady_processes = v->count(0);
    if (auto v = e.find("relative_to_pure")) cell.relative_to_pure = v->number_or_null();
    if (auto v = e.find("relative_to_cpp")) cell.relative_to_cpp = v->number_or_null();
    if (!seen.insert({cell.case_name, cell.binding}).second) {
      e.fail("a second entry for case \"" + cell.case_name + "\" and binding \"" + cell.binding + "\"");
    }
    m.cells.push_back(std::move(cell));
  }
  for (std::size_t i = 0; i < entries.size(); ++i) {
    OverheadCell& cell = m.cells[i];
    const OverheadCell* pure = cell.language == "cpp" ? nullptr : m.find(cell.language, cell.case_name);
    // A ratio checked is read as expected: null where a file before null ratios for figures below
    // zero wrote a negative one.
    if (auto v = entries[i].find("relative_to_pure")) {
      const auto expected = m.relative_to_pure(cell);
      check_relative(*v, expected, ratio_written_before(cell, pure, kSmallestPureNs), cell.language, kSmallestPureNs);
      cell.relative_to_pure = expected;
    }
    if (auto v = entries[i].find("relative_to_cpp")) {
      const auto expected = m.relative_to_cpp(cell);
      check_relative(*v, expected, ratio_written_before(cell, m.find("cpp", cell.case_name), kSmallestCppNs), "cpp", kSmallestCppNs);
      cell.relative_to_cpp = expected;
    }
  }
  if (auto notes = root.find_non_null("notes")) {
    for (const auto& n : notes->elements()) m.notes.emplace_back(n.at("binding").string(), n.at("note").string());
  }
  return m;
}

}  // namespace polyhost
