// Golden outputs: the fixed results and overhead files in tests/golden/ are read through the model's
// one reader, written again by its one writer (which must give the same file), and rendered by
// every exporter; each output is compared byte for byte with its stored file. They prove that a
// change of the code behind the exporters changes nothing a user sees. POLYHOST_UPDATE_GOLDEN=1
// rewrites the stored files instead (then review the diff). The HTML report and compare are
// checked the same way by tests/cli/golden_cases.py.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <nlohmann/json.hpp>

#include "host/export/exporters.h"
#include "host/model/overhead.h"
#include "host/model/results.h"
#include "tests/test_support.h"

namespace {

using namespace polyhost;
using polyhost::testing::read_all;
using polyhost::testing::render;

const std::string kGoldenDir = POLYHOST_GOLDEN_DIR;

void check_golden(const std::string& name, const std::string& actual) {
  const std::string path = kGoldenDir + "/" + name;
  if (std::getenv("POLYHOST_UPDATE_GOLDEN")) {
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  INFO("golden file " << path << " (POLYHOST_UPDATE_GOLDEN=1 rewrites it)");
  CHECK(read_all(path) == actual);
}

void check_run_outputs(const std::string& stem) {
  const Results results = read_results_file(kGoldenDir + "/" + stem + ".results.json");
  for (const auto& run : results.runs) CHECK(run.problem.empty());
  check_golden(stem + ".results.json", render([&](std::ostream& o) { write_results_json(results, o); }));
  check_golden(stem + ".table.txt", render([&](std::ostream& o) { write_results_table(results, o, false); }));
  check_golden(stem + ".table-color.txt", render([&](std::ostream& o) { write_results_table(results, o, true); }));
  check_golden(stem + ".md", render([&](std::ostream& o) { write_results_markdown(results, o); }));
  check_golden(stem + ".csv", render([&](std::ostream& o) { write_results_csv(results, o); }));
}

}  // namespace

TEST_CASE("Golden outputs of run: two configurations", "[golden]") {
  check_run_outputs("two");
  const Results slower = read_results_file(kGoldenDir + "/two-slower.results.json");
  check_golden("two-slower.results.json", render([&](std::ostream& o) { write_results_json(slower, o); }));
}

TEST_CASE("Golden outputs of run: the tier table", "[golden]") { check_run_outputs("tiers"); }

TEST_CASE("Golden outputs of overhead", "[golden]") {
  const std::string path = kGoldenDir + "/overhead.json";
  const OverheadMatrix matrix = read_overhead_json(read_json_file(path), path);
  check_golden("overhead.json", render([&](std::ostream& o) { write_overhead_json(matrix, o); }));
  check_golden("overhead.table.txt", render([&](std::ostream& o) { write_overhead_table(matrix, o); }));
  check_golden("overhead.md", render([&](std::ostream& o) { write_overhead_markdown(matrix, o); }));
}
