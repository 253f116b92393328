// Reading overhead files (polyhost.overhead/1) through the model's checked reader: figures that
// contradict each other are refused, naming the field.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <string>

#include "host/model/overhead.h"

using namespace polyhost;

namespace {

const std::string kGolden = std::string(POLYHOST_GOLDEN_DIR) + "/overhead.json";

std::string overhead_read_error(const Json& document) {
  try {
    read_overhead_json(document, "o.json");
  } catch (const FileFormatError& e) {
    return e.what();
  }
  return "(no error)";
}

// The golden file's entry for BINDING and CASE_NAME.
Json& entry(Json& document, const std::string& binding, const std::string& case_name) {
  for (Json& e : document["entries"]) {
    if (e["binding"] == binding && e["case"] == case_name) return e;
  }
  FAIL("no entry " << binding << " " << case_name);
  throw;
}

}  // namespace

TEST_CASE("an overhead entry whose CI does not hold its median is refused", "[overhead]") {
  const Json golden = read_json_file(kGolden);
  CHECK(overhead_read_error(golden) == "(no error)");
  Json edited = golden;
  Json& cell = entry(edited, "cpp", "noop");
  cell.erase("samples_ns");  // the figures as written, not recomputed
  cell["ci95"] = Json::array({500, -500});
  CHECK(overhead_read_error(edited) == "o.json: entries[0].ci95: [500, -500] does not hold ns_per_call 0.3000053289408343");
  // Below zero is how a call hidden by the loop's own overhead is written (shown as "≈0").
  cell["ns_per_call"] = -0.25;
  cell["ci95"] = Json::array({-0.5, -0.1});
  cell["relative_to_cpp"] = nullptr;
  for (Json& e : edited["entries"]) {
    if (e["case"] == "noop" && e["binding"] != "cpp") e["relative_to_cpp"] = nullptr;
  }
  CHECK(overhead_read_error(edited) == "(no error)");
}

TEST_CASE("relative_to_pure and relative_to_cpp must be the medians' ratios", "[overhead]") {
  Json edited = read_json_file(kGolden);
  entry(edited, "js", "add_i32")["relative_to_cpp"] = 2.0;
  CHECK(overhead_read_error(edited) == "o.json: entries[10].relative_to_cpp: 2, but ns_per_call over cpp's gives 26.13227600308709");
  edited = read_json_file(kGolden);
  entry(edited, "js", "noop")["relative_to_pure"] = 0.5;
  CHECK(overhead_read_error(edited) == "o.json: entries[9].relative_to_pure: 0.5, but ns_per_call over js's gives 1");
  // The direct C++ noop (0.3 ns) is no baseline for pure calls: no cell is relative to it.
  edited = read_json_file(kGolden);
  entry(edited, "cpp", "noop")["relative_to_pure"] = 1.0;
  CHECK(overhead_read_error(edited) ==
        "o.json: entries[0].relative_to_pure: expected null (no baseline of at least 0.5 ns for this case, or a figure below zero)");
}

TEST_CASE("a figure below zero has a null ratio, and the negative one files wrote before is read as null", "[overhead]") {
  // Pure Python's make_point below zero, as PyPy's measured -5.76 ns: a baseline for no one, and no
  // ratio to the floor either.
  Json edited = read_json_file(kGolden);
  Json& pure = entry(edited, "py", "make_point");
  pure.erase("samples_ns");
  pure.erase("process_sample_counts");
  pure["ns_per_call"] = -5.76;
  pure["ci95"] = Json::array({-5.87, -5.72});
  const double floor = entry(edited, "cpp", "make_point")["ns_per_call"].get<double>();
  for (Json& e : edited["entries"]) {
    if (e["case"] == "make_point" && e["language"] == "py") e["relative_to_pure"] = nullptr;
  }
  pure["relative_to_cpp"] = -5.76 / floor;  // what polyhost wrote until it wrote null
  CHECK(overhead_read_error(edited) == "(no error)");
  const OverheadMatrix back = read_overhead_json(edited, "o.json");
  const OverheadCell* cell = back.find("py", "make_point");
  REQUIRE(cell);
  CHECK(!cell->relative_to_cpp);
  pure["relative_to_cpp"] = nullptr;
  CHECK(overhead_read_error(edited) == "(no error)");
  pure["relative_to_cpp"] = -1.0;  // no ratio polyhost ever wrote
  CHECK_THAT(overhead_read_error(edited), Catch::EndsWith(".relative_to_cpp: expected null (no baseline of at least 0.05 ns for "
                                                          "this case, or a figure below zero)"));
}

TEST_CASE("an entry's case overhead does not measure is named on its case, before the ratios it upsets", "[overhead]") {
  Json edited = read_json_file(kGolden);
  entry(edited, "cpp", "noop")["case"] = "zzz";
  CHECK_THAT(overhead_read_error(edited), Catch::StartsWith("o.json: entries[0].case: \"zzz\" is not a case polyhost overhead measures (noop, "));
}

TEST_CASE("an overhead file of no processes, or an unsupported entry with a time, is refused", "[overhead]") {
  Json edited = read_json_file(kGolden);
  edited["settings"]["processes"] = 0;
  CHECK(overhead_read_error(edited) == "o.json: settings.processes: expected a whole number from 1 to 2147483647, found 0");
  for (const char* status : {"unsupported", "error", "interrupted"}) {
    edited = read_json_file(kGolden);
    Json& cell = entry(edited, "v8-fast-api", "str_len");
    cell["status"] = status;
    cell["reason"] = "no string parameter";
    CHECK(overhead_read_error(edited) == "(no error)");
    cell["ns_per_call"] = 3.0;
    CHECK_THAT(overhead_read_error(edited), Catch::EndsWith(".ns_per_call: expected null (an " + std::string(status) +
                                                   " entry measured nothing), found 3.0"));
  }
}
