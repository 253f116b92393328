// Unit tests for how the overhead matrix is shown (host/export/overhead_view.cc and the terminal,
// Markdown and JSON writers): the markers of cells without a figure or a ratio, noisy figures, and
// the bindings' labels.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "host/export/exporters.h"
#include "host/export/overhead_view.h"
#include "host/model/overhead.h"
#include "tests/test_support.h"

using namespace polyhost;
using polyhost::testing::render;

namespace {

bool has_text(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

OverheadCell measured(const std::string& language, const std::string& binding, const std::string& case_name, double median,
                      double low, double high) {
  OverheadCell c;
  c.language = language;
  c.binding = binding;
  c.case_name = case_name;
  c.summary = stats::Summary{2, median, median, 0, low, high, {low, high}};
  return c;
}

OverheadCell not_measured(const std::string& language, const std::string& binding, const std::string& case_name,
                          CellStatus status, const std::string& reason) {
  OverheadCell c;
  c.language = language;
  c.binding = binding;
  c.case_name = case_name;
  c.status = status;
  c.reason = reason;
  return c;
}

// The C++ floor, PyPy's pure call and PyPy's cffi on make_point, as a run on 2026-12-01 measured
// them: the pure call below zero (its empty loop read a dict the call loop's escape analysis removed).
OverheadMatrix pypy_make_point() {
  OverheadMatrix m;
  m.settings.processes = 2;
  m.bindings = {{"cpp", "cpp", "C++", "the floor", "", std::nullopt, false},
                {"pypy", "pypy", "Python", "plain Python under PyPy", "", std::nullopt, false},
                {"pypy", "pypy-cffi", "Python", "PyPy's cffi", "", std::nullopt, false}};
  m.cells = {measured("cpp", "cpp", "make_point", 1.011, 1.0, 1.02), measured("pypy", "pypy", "make_point", -5.76, -5.87, -5.72),
             measured("pypy", "pypy-cffi", "make_point", 127.5, 126, 129)};
  for (auto& c : m.cells) {
    c.relative_to_pure = m.relative_to_pure(c);
    c.relative_to_cpp = m.relative_to_cpp(c);
  }
  return m;
}

}  // namespace

TEST_CASE("A baseline below zero has its own marker and legend, and no ratio is negative", "[overhead]") {
  const OverheadMatrix m = pypy_make_point();
  const OverheadCell& pure = *m.find("pypy", "make_point");
  CHECK(!pure.relative_to_cpp);  // -5.70 before: a negative ratio in the JSON
  CHECK(!m.find("pypy-cffi", "make_point")->relative_to_pure);
  // Not "≈0 ns / ×126": the baseline is not too cheap to divide by, it is below zero.
  CHECK(relative_cell_text(m, m.find("pypy-cffi", "make_point")) == "<0 / \u00d7126");
  const auto legend = relative_legend(m);
  REQUIRE(legend.size() == 1);
  CHECK(legend[0].first == "<0");
  CHECK(has_text(legend[0].second, "below zero"));
  const Json written = Json::parse(render([&](std::ostream& o) { write_overhead_json(m, o); }));
  for (const auto& e : written["entries"]) {
    for (const char* key : {"relative_to_pure", "relative_to_cpp"}) {
      if (e[key].is_number()) CHECK(e[key].get<double>() >= 0);
    }
  }
}

TEST_CASE("A baseline within 0.5 ns of zero is shown as costing nothing, on either side of zero", "[overhead]") {
  OverheadMatrix m = pypy_make_point();
  m.cells[1] = measured("pypy", "pypy", "make_point", -0.3, -0.4, -0.2);
  m.cells[2].relative_to_pure = m.relative_to_pure(m.cells[2]);
  CHECK(relative_cell_text(m, m.find("pypy-cffi", "make_point")) == "\u22480 ns / \u00d7126");
}

TEST_CASE("Cells an interrupted run never measured say so, not ERROR", "[overhead]") {
  OverheadMatrix m = pypy_make_point();
  m.cells[2] = not_measured("pypy", "pypy-cffi", "make_point", CellStatus::Interrupted,
                            "not measured: the run was interrupted (Ctrl-C)");
  CHECK(overhead_cell_text(&m.cells[2], CiStyle::ErrorBar) == "stopped");
  CHECK(relative_cell_text(m, &m.cells[2]) == "stopped");
  const auto legend = relative_legend(m);
  REQUIRE(legend.size() == 1);
  CHECK(legend[0] == std::make_pair(std::string("stopped"), std::string("not measured: the run was interrupted before it")));
  CHECK(not_measured_lines(m) == std::vector<std::string>{"pypy-cffi (all cases): not measured: the run was interrupted (Ctrl-C)"});
  const std::string table = render([&](std::ostream& o) { write_overhead_table(m, o); });
  const std::string markdown = render([&](std::ostream& o) { write_overhead_markdown(m, o); });
  CHECK(!has_text(table, "ERROR"));
  CHECK(!has_text(markdown, "ERROR"));
  CHECK(has_text(markdown, "- `stopped`: not measured: the run was interrupted before it"));

  // The file says "interrupted", and reads back as such.
  const std::string json = render([&](std::ostream& o) { write_overhead_json(m, o); });
  const Json document = Json::parse(json);
  CHECK(document["entries"][2]["status"] == "interrupted");
  const OverheadMatrix back = read_overhead_json(document, "o.json");
  CHECK(back.cells[2].status == CellStatus::Interrupted);
  CHECK(back.cells[2].reason == "not measured: the run was interrupted (Ctrl-C)");
}

TEST_CASE("A figure below zero, or with an interval wider than itself, is marked noisy everywhere", "[overhead]") {
  OverheadMatrix m;
  m.settings.processes = 1;
  m.bindings = {{"cpp", "cpp", "C++", "the floor", "", std::nullopt, false},
                {"py", "py", "Python", "plain Python", "", std::nullopt, false},
                {"py", "capi", "Python", "C-API", "", std::nullopt, false}};
  // One process's figures of 2026-12-01 (int.json): steady to the classifier, but no figure at all.
  m.cells = {measured("cpp", "cpp", "add_i32", 1.01, 1.0, 1.02),   measured("cpp", "cpp", "add_f64", 1.35, 1.33, 1.37),
             measured("py", "py", "add_i32", 155.0, 62.1, 184.9), measured("py", "py", "add_f64", -92.0, -99.1, 22.5),
             measured("py", "capi", "add_i32", 22.1, 22.0, 22.4), measured("py", "capi", "add_f64", 19.9, 19.7, 20.0)};
  for (auto& c : m.cells) {
    c.relative_to_pure = m.relative_to_pure(c);
    c.relative_to_cpp = m.relative_to_cpp(c);
  }
  CHECK(m.find("py", "add_i32")->noise() == std::vector<std::string>{kNoiseWideInterval});
  CHECK(m.find("py", "add_f64")->noise() == std::vector<std::string>{kNoiseBelowZero, kNoiseWideInterval});
  CHECK(m.find("capi", "add_i32")->noise().empty());
  CHECK(m.find("cpp", "add_i32")->noise().empty());
  CHECK(overhead_cell_text(m.find("py", "add_i32"), CiStyle::ErrorBar) == "?155 ns \u00b193");
  CHECK(overhead_cell_text(m.find("py", "add_f64"), CiStyle::Interval) == "?-92.0 ns [-99.1\u201322.5]");
  // A ratio to a noisy baseline is marked too; the one to the floor is not.
  CHECK(relative_cell_text(m, m.find("capi", "add_i32")) == "?\u00d70.143 / \u00d721.9");
  CHECK(relative_cell_text(m, m.find("capi", "add_f64")) == "<0 / \u00d714.7");
  CHECK(noisy_lines(m) == std::vector<std::string>{"py (add_i32): interval wider than the figure",
                                                   "py (add_f64): below zero, interval wider than the figure"});

  const std::string table = render([&](std::ostream& o) { write_overhead_table(m, o); });
  CHECK(has_text(table, "\nnoisy (?): the figure is below zero or its interval is wider than it"));
  CHECK(has_text(table, "  py (add_f64): below zero, interval wider than the figure\n"));
  const std::string markdown = render([&](std::ostream& o) { write_overhead_markdown(m, o); });
  CHECK(has_text(markdown, "## Noisy figures"));
  CHECK(has_text(markdown, "- py (add\\_i32): interval wider than the figure\n"));
  const Json json = Json::parse(render([&](std::ostream& o) { write_overhead_json(m, o); }));
  CHECK(json["entries"][3]["noisy"] == Json::array({"below zero", "interval wider than the figure"}));
  CHECK(json["entries"][4]["noisy"] == Json::array());
}

TEST_CASE("A figure within noise of zero with a narrow interval is not noisy", "[overhead]") {
  // A call TurboFan inlined away: -0.00046 ns [-0.00335, 0.00245] is nothing, not a noisy something.
  CHECK(measured("js", "js", "noop", -0.00046, -0.00335, 0.00245).noise().empty());
  CHECK(measured("js", "js", "noop", 0.1, -0.6, 0.5).noise() == std::vector<std::string>{kNoiseWideInterval});
}

TEST_CASE("The bindings are labelled caller to callee", "[overhead]") {
  OverheadMatrix m;
  m.bindings = {{"cpp", "cpp", "C++", "the floor", "", std::nullopt, false},
                {"py", "py", "Python", "plain Python", "", std::nullopt, false},
                {"py", "capi", "Python", "C-API", "", std::nullopt, false},
                {"node", "node-api", "JavaScript", "Node-API", "", std::nullopt, false},
                {"py", "js->py", "JavaScript", "the bridge", "", std::nullopt, false},
                {"js", "py->js", "Python", "the bridge", "", std::nullopt, false},
                {"py", "pythonia", "JavaScript", "a peer", "", std::nullopt, true},
                {"py", "old", "", "a file without families", "", std::nullopt, false}};
  std::vector<std::string> labels;
  for (const auto& b : m.bindings) labels.push_back(call_direction_label(b));
  CHECK(labels == std::vector<std::string>{"C++", "Python", "Python \u2192 C++", "JavaScript \u2192 C++",
                                           "JavaScript \u2192 Python", "Python \u2192 JavaScript", "JavaScript \u2192 Python",
                                           "py"});
  const std::string markdown = render([&](std::ostream& o) { write_overhead_markdown(m, o); });
  CHECK(has_text(markdown, "- `js->py` (JavaScript \u2192 Python): the bridge\n"));
  CHECK(has_text(markdown, "- `py->js` (Python \u2192 JavaScript): the bridge\n"));
  const Json json = Json::parse(render([&](std::ostream& o) { write_overhead_json(m, o); }));
  CHECK(json["bindings"][4]["caller"] == "JavaScript");
  CHECK(json["bindings"][4]["callee"] == "Python");
  CHECK(!json["bindings"][7].contains("caller"));
}
