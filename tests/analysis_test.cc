// What the runner concludes from samples (host/runner/analysis.h).
#include <catch2/catch.hpp>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "host/export/exporters.h"
#include "host/export/result_table.h"
#include "host/runner/analysis.h"
#include "host/stats/statistics.h"

using namespace polyhost;

namespace {

// A run of PROCESSES processes, each with 8 measured iterations at LEVEL ns (the first one slower:
// its cold iteration) and a peak resident size of PEAK bytes.
Run analysis_run(const std::string& config, int processes, double level, double peak) {
  Run r;
  r.workload = "w";
  r.config = config;
  r.processes = processes;
  r.verified = true;
  for (int p = 0; p < processes; ++p) {
    std::vector<double> series{level * (3.0 + 0.1 * p)};
    for (int i = 0; i < 7; ++i) series.push_back(level * (1.0 + 0.01 * ((i + p) % 3)));
    r.samples_ns.push_back(series);
    MemoryReading m;
    m.peak_rss = peak * (1.0 + 0.01 * p);
    r.memory.push_back(m);
  }
  return r;
}

Results results_of(int processes) {
  Results results;
  results.settings.processes = processes;
  results.settings.iterations = 8;
  results.settings.configs = {"v8-jit", "cpython"};
  results.runs = {analysis_run("v8-jit", processes, 1e6, 50e6), analysis_run("cpython", processes, 20e6, 30e6)};
  compute_statistics(results);
  return results;
}

}  // namespace

TEST_CASE("Cold and memory ratios carry a 95% CI only with enough processes a side", "[analysis]") {
  for (int processes : {1, 3, static_cast<int>(stats::kFewestForMedianCi) - 1}) {
    INFO(processes << " processes");
    const Results results = results_of(processes);
    REQUIRE(results.comparisons.size() == 1);
    const Comparison& c = results.comparisons[0];
    REQUIRE(c.cold_ratio);
    REQUIRE(c.memory_ratio);
    CHECK(c.cold_ratio->ratio == Approx(20.0).epsilon(0.02));
    CHECK(c.memory_ratio->ratio == Approx(0.6).epsilon(0.02));
    CHECK(std::isnan(c.cold_ratio->ci95.low));
    CHECK(std::isnan(c.cold_ratio->ci95.high));
    CHECK(std::isnan(c.memory_ratio->ci95.low));
  }
  const Results enough = results_of(static_cast<int>(stats::kFewestForMedianCi));
  const Comparison& c = enough.comparisons.at(0);
  CHECK(c.cold_ratio->ci95.low <= c.cold_ratio->ratio);
  CHECK(c.cold_ratio->ratio <= c.cold_ratio->ci95.high);
  CHECK(c.memory_ratio->ci95.low <= c.memory_ratio->ratio);
  CHECK(c.memory_ratio->ratio <= c.memory_ratio->ci95.high);
}

TEST_CASE("A ratio without its interval is shown and written without one", "[analysis][export]") {
  const Results few = results_of(3);
  const Run& cpython = few.runs[1];
  CHECK(cold_ratio_text(few, &cpython).find('[') == std::string::npos);
  CHECK(memory_ratio_text(few, &cpython).find('[') == std::string::npos);
  std::ostringstream csv;
  write_results_csv(few, csv);
  CHECK(csv.str().find("nan") == std::string::npos);

  // A file written before the analysis dropped such intervals still has them: they are not shown.
  Results old = few;
  old.comparisons[0].cold_ratio->ci95 = {19.0, 21.0};
  old.comparisons[0].memory_ratio->ci95 = {0.5, 0.7};
  CHECK(cold_ratio_text(old, &old.runs[1]).find('[') == std::string::npos);
  CHECK(memory_ratio_text(old, &old.runs[1]).find('[') == std::string::npos);

  const Results enough = results_of(static_cast<int>(stats::kFewestForMedianCi));
  CHECK(cold_ratio_text(enough, &enough.runs[1]).find('[') != std::string::npos);
  CHECK(memory_ratio_text(enough, &enough.runs[1]).find('[') != std::string::npos);
}
