// polyhost compare on synthetic results: identical, shifted and noisy samples, and the rows that
// must be reported instead of compared.
#include <catch2/catch.hpp>

#include <random>

#include "host/results/compare.h"

using namespace polyhost;

namespace {

LoadedRun run(const std::string& workload, const std::string& config, std::vector<double> samples, std::int64_t size = 100,
              const std::string& status = "ok") {
  LoadedRun r;
  r.workload = workload;
  r.config = config;
  r.status = status;
  r.size = size;
  r.samples_ns = std::move(samples);
  return r;
}

std::vector<double> noisy(double level, double spread, unsigned seed, int n = 30) {
  std::mt19937 random(seed);
  std::normal_distribution<double> noise(0.0, spread);
  std::vector<double> out;
  for (int i = 0; i < n; ++i) out.push_back(level * (1.0 + noise(random)));
  return out;
}

LoadedResults results(const std::string& path, std::vector<LoadedRun> runs, const std::string& engine = "V8 10.2") {
  LoadedResults r;
  r.path = path;
  r.document = {{"environment", {{"configs", {{"v8-jit", {{"engine", engine}}}}}}}};
  r.runs = std::move(runs);
  return r;
}

const CompareRow& row_of(const CompareReport& report, const std::string& workload) {
  for (const auto& r : report.rows) {
    if (r.workload == workload) return r;
  }
  FAIL("no compared row for " << workload);
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("Identical samples show no change", "[compare]") {
  auto samples = noisy(1e6, 0.02, 1);
  auto report = compare_results(results("a.json", {run("w", "v8-jit", samples)}),
                                results("b.json", {run("w", "v8-jit", samples)}), 5);
  const auto& r = row_of(report, "w");
  CHECK(r.ratio.ratio == Approx(1.0));
  CHECK_FALSE(r.significant);
  CHECK(report.regressions().empty());
  CHECK(report.geometric_mean_ratio == Approx(1.0));
}

TEST_CASE("A 20% slowdown is significant and beyond a 5% threshold; a speed-up is not a regression", "[compare]") {
  auto report = compare_results(
      results("a.json", {run("slow", "v8-jit", noisy(1e6, 0.02, 1)), run("fast", "v8-jit", noisy(1e6, 0.02, 2)),
                         run("same", "v8-jit", noisy(1e6, 0.02, 3))}),
      results("b.json", {run("slow", "v8-jit", noisy(1.2e6, 0.02, 4)), run("fast", "v8-jit", noisy(0.8e6, 0.02, 5)),
                         run("same", "v8-jit", noisy(1e6, 0.02, 6))}),
      5);
  CHECK(row_of(report, "slow").significant);
  CHECK(row_of(report, "slow").ratio.ratio == Approx(1.2).epsilon(0.03));
  CHECK(row_of(report, "fast").significant);
  CHECK_FALSE(row_of(report, "same").significant);
  REQUIRE(report.regressions().size() == 1);
  CHECK(report.regressions()[0]->workload == "slow");
  // The same slowdown under a 25% threshold does not fail the gate.
  auto lenient = compare_results(results("a.json", {run("slow", "v8-jit", noisy(1e6, 0.02, 1))}),
                                 results("b.json", {run("slow", "v8-jit", noisy(1.2e6, 0.02, 4))}), 25);
  CHECK(lenient.regressions().empty());
}

TEST_CASE("Noisy overlapping samples are not called a change", "[compare]") {
  auto report = compare_results(results("a.json", {run("w", "v8-jit", noisy(1e6, 0.15, 7))}),
                                results("b.json", {run("w", "v8-jit", noisy(1.01e6, 0.15, 8))}), 5);
  CHECK_FALSE(row_of(report, "w").significant);
}

TEST_CASE("Rows that cannot be compared are reported with the reason", "[compare]") {
  auto report = compare_results(
      results("a.json", {run("only_base", "v8-jit", {1, 2, 3}), run("sizes", "v8-jit", {1, 2, 3}, 100),
                         run("broken", "v8-jit", {1, 2, 3}, 100, "error")}),
      results("b.json", {run("only_new", "v8-jit", {1, 2, 3}), run("sizes", "v8-jit", {1, 2, 3}, 200),
                         run("broken", "v8-jit", {1, 2, 3})}),
      5);
  CHECK(report.rows.empty());
  std::string all;
  for (const auto& line : report.not_compared) all += line + "\n";
  CHECK_THAT(all, Catch::Contains("only_base [v8-jit]: only in a.json"));
  CHECK_THAT(all, Catch::Contains("only_new [v8-jit]: only in b.json"));
  CHECK_THAT(all, Catch::Contains("sizes [v8-jit]: sizes differ (100 vs 200)"));
  CHECK_THAT(all, Catch::Contains("broken [v8-jit]: not ok (error in the base"));
}

TEST_CASE("A changed engine version is flagged on the row", "[compare]") {
  auto samples = noisy(1e6, 0.02, 1);
  auto report = compare_results(results("a.json", {run("w", "v8-jit", samples)}, "V8 10.2"),
                                results("b.json", {run("w", "v8-jit", samples)}, "V8 11.3"), 5);
  CHECK(row_of(report, "w").note == "engine changed: V8 10.2 -> V8 11.3");
}
