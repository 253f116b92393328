// The rule that gives a run more processes when its processes disagree (runner/extra_processes.h):
// which runs, in which order, and within what time. No timing is measured here.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "host/runner/extra_processes.h"
#include "host/stats/statistics.h"

using namespace polyhost;

namespace {

// A run of WORKLOAD whose processes' samples have MEDIANS (one process per median).
Run run_of(std::vector<double> medians, RunStatus status = RunStatus::Ok, const std::string& workload = "w") {
  Run run;
  run.workload = workload;
  run.config = "v8-jit";
  run.status = status;
  for (double m : medians) run.samples_ns.push_back({m * 0.99, m, m * 1.01});
  run.processes = static_cast<int>(medians.size());
  return run;
}

}  // namespace

TEST_CASE("Student's t factor is the table's to 30 degrees of freedom and the normal's beyond", "[extra processes]") {
  CHECK(stats::student_t_975(1) == Approx(12.706));
  CHECK(stats::student_t_975(2) == Approx(4.303));
  CHECK(stats::student_t_975(30) == Approx(2.042));
  CHECK(stats::student_t_975(40) == Approx(2.021).margin(0.001));
  CHECK(stats::student_t_975(120) == Approx(1.980).margin(0.001));
  CHECK(stats::student_t_975(100000) == Approx(1.960).margin(0.001));
  CHECK_THROWS_AS(stats::student_t_975(0), std::invalid_argument);
}

TEST_CASE("a run's imprecision is the 95% t interval of its process medians' mean, over the mean", "[extra processes]") {
  CHECK_FALSE(process_imprecision(run_of({100})).has_value());
  CHECK(*process_imprecision(run_of({100, 100, 100})) == 0);
  // medians 100, 110, 120: mean 110, sd 10, t(2) = 4.303
  CHECK(*process_imprecision(run_of({100, 110, 120})) == Approx(4.303 * 10 / std::sqrt(3.0) / 110));
  Run with_empty = run_of({100, 110, 120});
  with_empty.samples_ns.push_back({});  // a process that measured nothing does not count
  CHECK(*process_imprecision(with_empty) == Approx(*process_imprecision(run_of({100, 110, 120}))));
}

TEST_CASE("extra processes go to imprecise ok runs under the cap, the most imprecision per second first", "[extra processes]") {
  std::vector<Run> runs;
  runs.push_back(run_of({100, 100.5, 101}, RunStatus::Ok, "a"));                  // 0: precise: none
  runs.push_back(run_of({100, 120, 140}, RunStatus::Ok, "b"));                    // 1: imprecise, slow processes
  runs.push_back(run_of({100, 110, 120}, RunStatus::Ok, "c"));                    // 2: less imprecise, fast processes
  runs.push_back(run_of({100, 150, 200}, RunStatus::Crash, "d"));                 // 3: failed: none
  runs.push_back(run_of({100, 130, 160, 190, 220}, RunStatus::Ok, "e"));          // 4: at the cap of 5: none
  const std::vector<double> seconds = {1, 10, 0.5, 1, 1};
  CHECK(extra_process_order(runs, seconds, 5) == std::vector<std::size_t>{2, 1});
  // Run 1's processes as cheap as run 2's: its wider interval goes first.
  CHECK(extra_process_order(runs, {1, 0.5, 0.5, 1, 1}, 5) == std::vector<std::size_t>{1, 2});
  // A cap at the planned count turns them off.
  CHECK(extra_process_order(runs, seconds, 3).empty());
  // The precision is the threshold: just inside it, no more.
  const double sd_at_threshold = kProcessPrecision * 100 * std::sqrt(3.0) / stats::student_t_975(2);
  CHECK(extra_process_order({run_of({100 - sd_at_threshold * 0.99, 100, 100 + sd_at_threshold * 0.99})}, {1}, 9).empty());
  CHECK(extra_process_order({run_of({100 - sd_at_threshold * 1.01, 100, 100 + sd_at_threshold * 1.01})}, {1}, 9).size() == 1);
}

TEST_CASE("no extra process for a workload with a failed run, and a lone process gets a second first", "[extra processes]") {
  std::vector<Run> runs;
  runs.push_back(run_of({100, 150, 200}, RunStatus::Ok, "broken"));      // its other language failed: no ratio
  runs.push_back(run_of({100}, RunStatus::Error, "broken"));
  runs.push_back(run_of({100, 200, 300}, RunStatus::Ok, "wide"));
  runs.push_back(run_of({100}, RunStatus::Ok, "lone"));                 // one process: no spread yet
  CHECK(extra_process_order(runs, {1, 1, 0.1, 100}, 9) == std::vector<std::size_t>{3, 2});
  CHECK(extra_process_order({run_of({100})}, {1}, 1).empty());  // a cap of 1: none
}

TEST_CASE("a workload's two ok runs get extra processes when a third configuration was skipped or failed", "[extra processes]") {
  std::vector<Run> runs;
  runs.push_back(run_of({100, 200, 300}, RunStatus::Ok, "three"));  // cpython
  runs.push_back(run_of({}, RunStatus::Skipped, "three"));          // node, not installed
  runs.push_back(run_of({100, 180, 260}, RunStatus::Ok, "three"));  // python3: python3/cpython is a ratio
  runs.push_back(run_of({100, 150, 200}, RunStatus::Ok, "one_ok"));     // its other language crashed: none
  runs.push_back(run_of({}, RunStatus::Skipped, "one_ok"));
  runs.push_back(run_of({100}, RunStatus::Crash, "one_ok"));
  runs.push_back(run_of({100, 160, 220}, RunStatus::Ok, "failed_third"));  // a third configuration failed
  runs.push_back(run_of({100, 170, 240}, RunStatus::Ok, "failed_third"));
  runs.push_back(run_of({100}, RunStatus::Error, "failed_third"));
  runs.push_back(run_of({100, 140, 180}, RunStatus::Ok, "alone"));         // its other configuration skipped
  runs.push_back(run_of({}, RunStatus::Skipped, "alone"));
  CHECK(extra_process_order(runs, std::vector<double>(runs.size(), 1.0), 9) == std::vector<std::size_t>{0, 2, 7, 6, 9});
}

TEST_CASE("the extra rounds' budget is a share of the planned rounds' time, with a floor", "[extra processes]") {
  CHECK(extra_process_budget(200) == Approx(200 * kExtraProcessTimeShare));
  CHECK(extra_process_budget(1) == kExtraProcessFloorSeconds);
}
