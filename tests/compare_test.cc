// polyhost compare on synthetic results: identical, shifted and noisy samples, and the rows that
// must be reported instead of compared.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <tuple>

#include "host/compare/compare.h"
#include "host/text/format.h"

using namespace polyhost;

namespace {

Run compare_run(const std::string& workload, const std::string& config, std::vector<double> samples, std::int64_t size = 100,
                RunStatus status = RunStatus::Ok) {
  Run r;
  r.workload = workload;
  r.config = config;
  r.status = status;
  r.size = size;
  r.samples_ns = {std::move(samples)};
  return r;
}

std::vector<double> samples_around(double level, double spread, unsigned seed, int n = 30) {
  std::mt19937 random(seed);
  std::normal_distribution<double> noise(0.0, spread);
  std::vector<double> out;
  for (int i = 0; i < n; ++i) out.push_back(level * (1.0 + noise(random)));
  return out;
}

struct File {
  std::string path;
  Results results;
};

File results(const std::string& path, std::vector<Run> runs, const std::string& engine = "V8 10.2") {
  File f{path, {}};
  f.results.setup_for("v8-jit").engine = engine;
  f.results.runs = std::move(runs);
  return f;
}

CompareReport compare_results(const File& base, const File& next, double threshold) {
  return polyhost::compare_results(base.results, base.path, next.results, next.path, threshold);
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
  auto samples = samples_around(1e6, 0.02, 1);
  auto report = compare_results(results("a.json", {compare_run("w", "v8-jit", samples)}),
                                results("b.json", {compare_run("w", "v8-jit", samples)}), 5);
  const auto& r = row_of(report, "w");
  CHECK(r.ratio.ratio == Approx(1.0));
  CHECK_FALSE(r.significant);
  CHECK(report.regressions().empty());
  CHECK(report.geometric_mean_ratio == Approx(1.0));
}

TEST_CASE("A 20% slowdown is significant and beyond a 5% threshold; a speed-up is not a regression", "[compare]") {
  auto report = compare_results(
      results("a.json", {compare_run("slow", "v8-jit", samples_around(1e6, 0.02, 1)), compare_run("fast", "v8-jit", samples_around(1e6, 0.02, 2)),
                         compare_run("same", "v8-jit", samples_around(1e6, 0.02, 3))}),
      results("b.json", {compare_run("slow", "v8-jit", samples_around(1.2e6, 0.02, 4)), compare_run("fast", "v8-jit", samples_around(0.8e6, 0.02, 5)),
                         compare_run("same", "v8-jit", samples_around(1e6, 0.02, 6))}),
      5);
  CHECK(row_of(report, "slow").significant);
  CHECK(row_of(report, "slow").ratio.ratio == Approx(1.2).epsilon(0.03));
  CHECK(row_of(report, "fast").significant);
  CHECK_FALSE(row_of(report, "same").significant);
  REQUIRE(report.regressions().size() == 1);
  CHECK(report.regressions()[0]->workload == "slow");
  // The same slowdown under a 25% threshold does not fail the gate.
  auto lenient = compare_results(results("a.json", {compare_run("slow", "v8-jit", samples_around(1e6, 0.02, 1))}),
                                 results("b.json", {compare_run("slow", "v8-jit", samples_around(1.2e6, 0.02, 4))}), 25);
  CHECK(lenient.regressions().empty());
}

std::vector<double> scaled(std::vector<double> samples, double factor) {
  for (double& s : samples) s *= factor;
  return samples;
}

TEST_CASE("A change exactly at the threshold, as printed, is not beyond it; the next printed step is", "[compare]") {
  // (1.05 - 1) * 100 is 5.000000000000004 in doubles: the row prints "+5.0%" and must not fail a 5% gate.
  const auto base = samples_around(1e6, 0.01, 11);
  for (const auto& [factor, threshold, beyond] :
       std::vector<std::tuple<double, double, bool>>{{1.05, 5, false}, {1.051, 5, true}, {1.05, 4.95, true},
                                                     {1.10, 10, false}, {1.101, 10, true}, {1.07, 7, false}}) {
    INFO("x" << factor << " at --threshold " << threshold);
    auto report = compare_results(results("a.json", {compare_run("w", "v8-jit", base)}),
                                  results("b.json", {compare_run("w", "v8-jit", scaled(base, factor))}), threshold);
    const CompareRow& row = row_of(report, "w");
    REQUIRE(row.significant);
    CHECK(report.regressions().size() == (beyond ? 1u : 0u));
    CHECK(report.gate_fails() == beyond);
    CHECK(compare_verdict_text(row, threshold) == (beyond ? "SLOWER (beyond the threshold)" : "SLOWER"));
  }
}

TEST_CASE("Rows printing the same change get the same verdict", "[compare]") {
  std::vector<Run> before, after;
  for (unsigned seed = 1; seed <= 12; ++seed) {
    const auto base = samples_around(1e6 * seed, 0.01, seed);
    before.push_back(compare_run("w" + std::to_string(seed), "v8-jit", base));
    after.push_back(compare_run("w" + std::to_string(seed), "v8-jit", scaled(base, 1.10)));
  }
  auto report = compare_results(results("a.json", before), results("b.json", after), 10);
  REQUIRE(report.rows.size() == 12);
  for (const auto& row : report.rows) {
    INFO(row.workload << " " << compare_change_text(row));
    CHECK(text::format_change(row.ratio.ratio) == "+10.0%");
    CHECK(compare_verdict_text(row, 10) == "SLOWER");
  }
  CHECK(report.regressions().empty());
}

TEST_CASE("Noisy overlapping samples are not called a change", "[compare]") {
  auto report = compare_results(results("a.json", {compare_run("w", "v8-jit", samples_around(1e6, 0.15, 7))}),
                                results("b.json", {compare_run("w", "v8-jit", samples_around(1.01e6, 0.15, 8))}), 5);
  CHECK_FALSE(row_of(report, "w").significant);
}

TEST_CASE("Rows that cannot be compared are reported with the reason", "[compare]") {
  auto report = compare_results(
      results("a.json", {compare_run("only_base", "v8-jit", {1, 2, 3}), compare_run("sizes", "v8-jit", {1, 2, 3}, 100),
                         compare_run("broken", "v8-jit", {1, 2, 3}, 100, RunStatus::Error)}),
      results("b.json", {compare_run("only_new", "v8-jit", {1, 2, 3}), compare_run("sizes", "v8-jit", {1, 2, 3}, 200),
                         compare_run("broken", "v8-jit", {1, 2, 3})}),
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
  auto samples = samples_around(1e6, 0.02, 1);
  auto report = compare_results(results("a.json", {compare_run("w", "v8-jit", samples)}, "V8 10.2"),
                                results("b.json", {compare_run("w", "v8-jit", samples)}, "V8 11.3"), 5);
  CHECK(row_of(report, "w").note == "engine changed: V8 10.2 -> V8 11.3");
}

TEST_CASE("A changed flag set is flagged on the row, and a changed machine on the whole comparison", "[compare]") {
  auto samples = samples_around(1e6, 0.02, 1);
  auto base = results("a.json", {compare_run("w", "v8-jit", samples)});
  auto next = results("b.json", {compare_run("w", "v8-jit", samples)});
  base.results.setup_for("v8-jit").flags = {};
  next.results.setup_for("v8-jit").flags = {"--no-opt"};
  base.results.environment.cpu_model = "CPU A";
  next.results.environment.cpu_model = "CPU B";
  auto report = compare_results(base, next, 5);
  CHECK(row_of(report, "w").note == "flags changed: [] -> [\"--no-opt\"]");
  REQUIRE(report.environment_changes.size() == 1);
  CHECK(report.environment_changes[0] == "cpu_model: \"CPU A\" -> \"CPU B\"");
}

TEST_CASE("A run with a problem in its file is listed with the problem, never compared", "[compare]") {
  auto bad = compare_run("w", "v8-jit", samples_around(1e6, 0.02, 1));
  bad.problem = "b.json: runs[0].samples_ns[4]: expected a positive number of nanoseconds, found 0";
  auto report = compare_results(results("a.json", {compare_run("w", "v8-jit", samples_around(1e6, 0.02, 2))}),
                                results("b.json", {bad}), 5);
  CHECK(report.rows.empty());
  REQUIRE(report.not_compared.size() == 1);
  CHECK(report.not_compared[0] == "w [v8-jit]: " + bad.problem);
}

TEST_CASE("The geometric mean's CI carries each row's measurement noise", "[compare]") {
  // Two unchanged noisy rows: the point estimate is exactly 1, but the CI must not be [1, 1] as
  // a bootstrap over the (identical) row ratios would give.
  auto one = samples_around(1e6, 0.05, 3), two = samples_around(2e6, 0.05, 4);
  auto report = compare_results(results("a.json", {compare_run("x", "v8-jit", one), compare_run("y", "v8-jit", two)}),
                                results("b.json", {compare_run("x", "v8-jit", one), compare_run("y", "v8-jit", two)}), 5);
  CHECK(report.geometric_mean_ratio == Approx(1.0));
  CHECK(report.geometric_mean_ci.low < 0.99);
  CHECK(report.geometric_mean_ci.high > 1.01);
}

TEST_CASE("A threshold that is negative or not finite is refused", "[compare]") {
  auto a = results("a.json", {compare_run("w", "v8-jit", samples_around(1e6, 0.02, 1))});
  CHECK_THROWS_AS(compare_results(a, a, -5), std::invalid_argument);
  CHECK_THROWS_AS(compare_results(a, a, std::nan("")), std::invalid_argument);
  CHECK_THROWS_AS(compare_results(a, a, HUGE_VAL), std::invalid_argument);
  CHECK_NOTHROW(compare_results(a, a, 0));
}

TEST_CASE("A row ok in the base that fails or vanishes in the new run fails the gate", "[compare]") {
  auto samples = samples_around(1e6, 0.02, 1);
  auto report = compare_results(
      results("a.json", {compare_run("breaks", "v8-jit", samples), compare_run("vanishes", "v8-jit", samples),
                         compare_run("was_broken", "v8-jit", samples, 100, RunStatus::Error)}),
      results("b.json", {compare_run("breaks", "v8-jit", samples, 100, RunStatus::Error), compare_run("was_broken", "v8-jit", samples, 100, RunStatus::Error)}),
      5);
  CHECK(report.regressions().empty());
  REQUIRE(report.lost.size() == 2);
  CHECK(report.lost[0] == "breaks [v8-jit]: ok in the base, error in the new run");
  CHECK(report.lost[1] == "vanishes [v8-jit]: ok in the base, missing from b.json");
  CHECK(report.gate_fails());
  auto same = compare_results(results("a.json", {compare_run("w", "v8-jit", samples)}), results("b.json", {compare_run("w", "v8-jit", samples)}), 5);
  CHECK_FALSE(same.gate_fails());
  CHECK(same.gate_line() == "no significant slowdown beyond 5%");
  // Failing for a lost row alone, the verdict's line says so first: it must not read as a pass.
  auto lost_only = compare_results(results("a.json", {compare_run("w", "v8-jit", samples), compare_run("vanishes", "v8-jit", samples)}),
                                   results("b.json", {compare_run("w", "v8-jit", samples)}), 5);
  CHECK(lost_only.gate_fails());
  CHECK(lost_only.gate_line() ==
        "the gate fails: 1 row(s) ok in the base could not be compared (missing, not ok, damaged or of another size); "
        "no significant slowdown beyond 5%");
  CHECK(report.gate_line() ==
        "the gate fails: 2 row(s) ok in the base could not be compared (missing, not ok, damaged or of another size); "
        "nothing was compared");
}

TEST_CASE("A row ok in the base that is damaged or of another size in the new file fails the gate, and so does comparing nothing", "[compare]") {
  auto samples = samples_around(1e6, 0.02, 1);
  auto damaged = compare_run("damaged", "v8-jit", samples);
  damaged.problem = "b.json: runs[0].stats.median_ns: expected 1e6, found 1";
  auto report = compare_results(results("a.json", {compare_run("damaged", "v8-jit", samples), compare_run("resized", "v8-jit", samples, 100)}),
                                results("b.json", {damaged, compare_run("resized", "v8-jit", samples, 200)}), 5);
  CHECK(report.rows.empty());
  REQUIRE(report.lost.size() == 2);
  CHECK(report.lost[0] == "damaged [v8-jit]: ok in the base, damaged in b.json");
  CHECK(report.lost[1] == "resized [v8-jit]: ok in the base, run at another size in the new run");
  CHECK(report.gate_fails());
  CHECK_THAT(report.gate_line(), Catch::Contains("nothing was compared"));
  // Nothing to compare and nothing lost (no row was ok in the base): still no pass.
  auto none = compare_results(results("a.json", {compare_run("w", "v8-jit", samples, 100, RunStatus::Error)}),
                              results("b.json", {compare_run("w", "v8-jit", samples, 100, RunStatus::Error)}), 5);
  CHECK(none.lost.empty());
  CHECK(none.gate_fails());
}

TEST_CASE("Files measured with other settings are a warning above the table", "[compare]") {
  auto samples = samples_around(1e6, 0.02, 1);
  auto base = results("a.json", {compare_run("w", "v8-jit", samples)});
  auto next = results("b.json", {compare_run("w", "v8-jit", samples)});
  base.results.settings.processes = 3;
  next.results.settings.processes = 1;
  auto report = compare_results(base, next, 5);
  REQUIRE(report.environment_changes.size() == 1);
  CHECK(report.environment_changes[0] == "measured differently: processes 3 vs 1");
}

TEST_CASE("A row damaged in the base vouches for nothing: missing or damaged in the new file, it is not lost", "[compare]") {
  auto samples = samples_around(1e6, 0.02, 1);
  auto damaged = compare_run("w", "v8-jit", samples);
  damaged.problem = "a.json: runs[0].stats.median_ns: expected 1e6, found 1";
  auto report = compare_results(results("a.json", {damaged}), results("b.json", {}), 5);
  CHECK(report.lost.empty());
  CHECK(report.not_compared.size() == 1);
}

TEST_CASE("The smallest p the Mann-Whitney test can give depends on the sample counts alone", "[compare]") {
  CHECK(stats::mann_whitney_smallest_p(3, 3) == Approx(0.0809).margin(0.0005));
  CHECK(stats::mann_whitney_smallest_p(3, 3) ==
        Approx(stats::mann_whitney_u({4, 5, 6}, {1, 2, 3}).p_value));  // complete separation reaches it
  CHECK(stats::mann_whitney_smallest_p(4, 4) < 0.05);
  CHECK(stats::mann_whitney_smallest_p(1, 1000) > 0.05);  // one sample on a side never can
  CHECK(stats::mann_whitney_smallest_p(0, 5) == 1.0);
}

TEST_CASE("Too few samples to test: a slowdown beyond the threshold as measured fails, other changes pass for want of samples", "[compare]") {
  // One process of 3 iterations a side: p cannot go below 0.081.
  auto report = compare_results(results("a.json", {compare_run("slow", "v8-jit", {100, 101, 102}),
                                                   compare_run("same", "v8-jit", {100, 101, 102}),
                                                   compare_run("fast", "v8-jit", {100, 101, 102})}),
                                results("b.json", {compare_run("slow", "v8-jit", {980, 981, 982}),
                                                   compare_run("same", "v8-jit", {100.5, 101, 101.5}),
                                                   compare_run("fast", "v8-jit", {50, 51, 52})}),
                                5);
  const auto& slow = row_of(report, "slow");
  CHECK_FALSE(slow.significant);
  CHECK(slow.untestable());
  CHECK(slow.smallest_p == Approx(0.0809).margin(0.0005));
  CHECK(compare_verdict_text(slow, 5) == "SLOWER as measured (beyond the threshold), too few samples to test (3 and 3: p >= 0.081 unless values tie)");
  CHECK(compare_verdict_text(row_of(report, "same"), 5) ==
        "untested, too few samples to test (3 and 3: p >= 0.081 unless values tie): passes for want of samples");
  CHECK(compare_verdict_text(row_of(report, "fast"), 5) ==
        "untested, too few samples to test (3 and 3: p >= 0.081 unless values tie): passes for want of samples");
  CHECK(report.regressions().empty());
  CHECK(report.untestable().size() == 3);
  REQUIRE(report.untested_slowdowns().size() == 1);
  CHECK(report.untested_slowdowns()[0]->workload == "slow");
  CHECK(report.gate_fails());
  CHECK(report.gate_line() ==
        "the gate fails: 1 slowdown(s) beyond 5% as measured, with too few samples to test; no significant slowdown "
        "beyond 5%; 2 row(s) passed for want of samples to test, not for want of a change");
  CHECK(report.untestable_warning().find("3 rows have too few samples for the Mann-Whitney test to reach p < 0.05 "
                                         "(3 and 3 samples: p >= 0.081 unless values tie)") == 0);

  // Without the slowdown the gate passes, and says why.
  auto passing = compare_results(results("a.json", {compare_run("same", "v8-jit", {100, 101, 102})}),
                                 results("b.json", {compare_run("same", "v8-jit", {100.5, 101, 101.5})}), 5);
  CHECK_FALSE(passing.gate_fails());
  CHECK(passing.gate_line() == "no significant slowdown beyond 5%; 1 row(s) passed for want of samples to test, not for want of a change");
  // One sample against many: still untestable.
  auto single = compare_results(results("a.json", {compare_run("w", "v8-jit", {100})}),
                                results("b.json", {compare_run("w", "v8-jit", samples_around(36000, 0.01, 3))}), 5);
  CHECK(row_of(single, "w").untestable());
  CHECK(single.gate_fails());
}

TEST_CASE("Enough samples, or ties that bring p under 0.05, are tested as usual", "[compare]") {
  auto enough = compare_results(results("a.json", {compare_run("w", "v8-jit", {100, 101, 102, 103})}),
                                results("b.json", {compare_run("w", "v8-jit", {200, 201, 202, 203})}), 5);
  CHECK_FALSE(row_of(enough, "w").untestable());
  CHECK(enough.untestable_warning().empty());
  // 3 equal samples a side: the tie correction takes p to 0.047 < 0.05.
  auto tied = compare_results(results("a.json", {compare_run("w", "v8-jit", {100, 100, 100})}),
                              results("b.json", {compare_run("w", "v8-jit", {100.2, 100.2, 100.2})}), 5);
  CHECK(row_of(tied, "w").test.p_value < 0.05);
  CHECK_FALSE(row_of(tied, "w").untestable());
  CHECK(compare_verdict_text(row_of(tied, "w"), 5) != "no significant change");
}
