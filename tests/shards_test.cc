// run --shard: parsing K/N, reading the schedulers' variables, the cost models and the split.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "host/runner/shards.h"
#include "host/workload.h"

using namespace polyhost;

namespace {

GetEnv environment(std::map<std::string, std::string> variables) {
  return [variables](const char* name) -> std::optional<std::string> {
    auto it = variables.find(name);
    if (it == variables.end()) return std::nullopt;
    return it->second;
  };
}

std::string shard_error(const std::function<void()>& action) {
  try {
    action();
  } catch (const ShardError& e) {
    return e.what();
  }
  return "(no error)";
}

std::string env_error(std::map<std::string, std::string> variables, std::optional<int> count = std::nullopt) {
  return shard_error([&] { shard_from_environment(environment(std::move(variables)), count); });
}

std::vector<double> totals(const std::vector<std::vector<std::size_t>>& shards, const std::vector<double>& costs) {
  std::vector<double> out;
  for (const auto& shard : shards) {
    double total = 0;
    for (std::size_t i : shard) total += costs[i];
    out.push_back(total);
  }
  return out;
}

// Every index in exactly one shard, each shard in ascending order.
void check_partition(const std::vector<std::vector<std::size_t>>& shards, std::size_t n) {
  std::multiset<std::size_t> seen;
  for (const auto& shard : shards) {
    CHECK(std::is_sorted(shard.begin(), shard.end()));
    seen.insert(shard.begin(), shard.end());
  }
  CHECK(seen.size() == n);
  for (std::size_t i = 0; i < n; ++i) CHECK(seen.count(i) == 1);
}

Run run_with(const std::string& workload, const std::string& config, std::vector<std::vector<double>> samples,
             std::vector<std::vector<double>> warmup = {}) {
  Run run;
  run.workload = workload;
  run.config = config;
  run.samples_ns = std::move(samples);
  run.warmup_ns = warmup.empty() ? std::vector<std::vector<double>>(run.samples_ns.size()) : std::move(warmup);
  run.processes = static_cast<int>(run.samples_ns.size());
  return run;
}

}  // namespace

TEST_CASE("shard K/N is 1-based, and anything else is a usage error naming it", "[shards]") {
  CHECK(parse_shard("2/3").index == 2);
  CHECK(parse_shard("2/3").count == 3);
  CHECK(parse_shard("1/1").count == 1);
  for (const char* bad : {"0/3", "4/3", "1/0", "0/0"}) {
    CHECK(shard_error([&] { parse_shard(bad); }) == std::string("--shard ") + bad + ": K must be from 1 to N (shards are numbered from 1)");
  }
  for (const char* bad : {"3", "a/b", "-1/3", " 1/3", "1/3/", "1/", "/3", "1.5/3", "automatic"}) {
    CHECK(shard_error([&] { parse_shard(bad); }) == std::string("--shard ") + bad + ": expected K/N (shard K of N, from 1/N to N/N) or auto");
  }
}

TEST_CASE("shard auto in a Kubernetes Indexed Job: JOB_COMPLETION_INDEX is 0-based and needs --shard-count", "[shards]") {
  auto spec = shard_from_environment(environment({{"JOB_COMPLETION_INDEX", "0"}}), 3);
  CHECK((spec.index == 1 && spec.count == 3));
  spec = shard_from_environment(environment({{"JOB_COMPLETION_INDEX", "2"}}), 3);
  CHECK((spec.index == 3 && spec.count == 3));
  CHECK_THAT(env_error({{"JOB_COMPLETION_INDEX", "1"}}), Catch::Contains("no --shard-count") && Catch::Contains("completions"));
  CHECK(env_error({{"JOB_COMPLETION_INDEX", "3"}}, 3) ==
        "JOB_COMPLETION_INDEX=3 is not below --shard-count 3 (indices run from 0 to 2): --shard-count must be the Job's completions");
  CHECK(env_error({{"JOB_COMPLETION_INDEX", "one"}}, 3) == "JOB_COMPLETION_INDEX='one': expected a whole number >= 0");
  CHECK(env_error({{"JOB_COMPLETION_INDEX", ""}}, 3) == "JOB_COMPLETION_INDEX='': expected a whole number >= 0");
  CHECK(env_error({{"JOB_COMPLETION_INDEX", "0"}}, 0) == "--shard-count 0: expected at least 1");
}

TEST_CASE("shard auto in a Slurm job array: the task id within the array's contiguous ids", "[shards]") {
  auto spec = shard_from_environment(environment({{"SLURM_ARRAY_TASK_ID", "0"}, {"SLURM_ARRAY_TASK_COUNT", "3"},
                                                  {"SLURM_ARRAY_TASK_MIN", "0"}, {"SLURM_ARRAY_TASK_MAX", "2"}}),
                                     std::nullopt);
  CHECK((spec.index == 1 && spec.count == 3));
  // --array=1-3: ids from 1.
  spec = shard_from_environment(environment({{"SLURM_ARRAY_TASK_ID", "3"}, {"SLURM_ARRAY_TASK_COUNT", "3"},
                                             {"SLURM_ARRAY_TASK_MIN", "1"}, {"SLURM_ARRAY_TASK_MAX", "3"}}),
                                3);
  CHECK((spec.index == 3 && spec.count == 3));

  CHECK(env_error({{"SLURM_ARRAY_TASK_ID", "1"}}) ==
        "SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not: is this a job array?");
  CHECK(env_error({{"SLURM_ARRAY_TASK_ID", "1"}, {"SLURM_ARRAY_TASK_COUNT", "3"}}, 4) ==
        "--shard-count 4 disagrees with SLURM_ARRAY_TASK_COUNT=3");
  CHECK_THAT(env_error({{"SLURM_ARRAY_TASK_ID", "4"}, {"SLURM_ARRAY_TASK_COUNT", "3"}, {"SLURM_ARRAY_TASK_MIN", "0"},
                        {"SLURM_ARRAY_TASK_MAX", "8"}}),
             Catch::StartsWith("the job array's ids are not one contiguous range") && Catch::Contains("--array=0-2"));
  CHECK(env_error({{"SLURM_ARRAY_TASK_ID", "0"}, {"SLURM_ARRAY_TASK_COUNT", "3"}, {"SLURM_ARRAY_TASK_MIN", "1"},
                   {"SLURM_ARRAY_TASK_MAX", "3"}}) == "SLURM_ARRAY_TASK_ID=0 is outside the job array's ids 1..3");
  CHECK(env_error({{"SLURM_ARRAY_TASK_ID", "0"}, {"SLURM_ARRAY_TASK_COUNT", "0"}}) ==
        "SLURM_ARRAY_TASK_COUNT=0: a job array has at least one task");
  CHECK(env_error({{"SLURM_ARRAY_TASK_ID", "x"}, {"SLURM_ARRAY_TASK_COUNT", "3"}}) ==
        "SLURM_ARRAY_TASK_ID='x': expected a whole number >= 0");
}

TEST_CASE("shard auto in a Slurm job array: each of the array's variables is required, as Slurm sets them all", "[shards]") {
  // Without MIN the ids were taken to start at 0, and task 1 of --array=1-2 ran shard 2 of 2 twice.
  CHECK(env_error({{"SLURM_ARRAY_TASK_ID", "1"}, {"SLURM_ARRAY_TASK_COUNT", "2"}, {"SLURM_ARRAY_TASK_MAX", "2"}}) ==
        "SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_MIN is not: is this a job array?");
  CHECK(env_error({{"SLURM_ARRAY_TASK_ID", "1"}, {"SLURM_ARRAY_TASK_COUNT", "2"}, {"SLURM_ARRAY_TASK_MIN", "1"}}) ==
        "SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_MAX is not: is this a job array?");
  CHECK(env_error({{"SLURM_ARRAY_TASK_ID", "1"}, {"SLURM_ARRAY_TASK_COUNT", "2"}, {"SLURM_ARRAY_TASK_MIN", "one"},
                   {"SLURM_ARRAY_TASK_MAX", "2"}}) == "SLURM_ARRAY_TASK_MIN='one': expected a whole number >= 0");
  CHECK(env_error({{"SLURM_ARRAY_TASK_ID", "1"}, {"SLURM_ARRAY_TASK_COUNT", "2"}, {"SLURM_ARRAY_TASK_MIN", "1"},
                   {"SLURM_ARRAY_TASK_MAX", ""}}) == "SLURM_ARRAY_TASK_MAX='': expected a whole number >= 0");
}

TEST_CASE("a plan is split into at most 10000 shards, however the count is given", "[shards]") {
  CHECK(parse_shard("1/10000").count == 10000);
  CHECK(shard_error([] { parse_shard("1/10001"); }) ==
        "--shard 1/10001: at most 10000 shards (a results file records every shard's workloads in settings.shard.plan)");
  CHECK(shard_error([] { parse_shard("1/2000000"); }) ==
        "--shard 1/2000000: at most 10000 shards (a results file records every shard's workloads in settings.shard.plan)");
  CHECK_THAT(env_error({{"JOB_COMPLETION_INDEX", "0"}}, 10001), Catch::StartsWith("--shard-count 10001: at most 10000 shards"));
  CHECK_THAT(env_error({{"SLURM_ARRAY_TASK_ID", "0"}, {"SLURM_ARRAY_TASK_COUNT", "10001"}, {"SLURM_ARRAY_TASK_MIN", "0"},
                        {"SLURM_ARRAY_TASK_MAX", "10000"}}),
             Catch::StartsWith("SLURM_ARRAY_TASK_COUNT=10001: at most 10000 shards"));
}

TEST_CASE("shard auto with no scheduler's variables, or two schedulers', is a usage error", "[shards]") {
  CHECK_THAT(env_error({}), Catch::StartsWith("--shard auto: neither JOB_COMPLETION_INDEX") && Catch::Contains("--shard K/N"));
  CHECK_THAT(env_error({{"JOB_COMPLETION_INDEX", "0"}, {"SLURM_ARRAY_TASK_ID", "0"}, {"SLURM_ARRAY_TASK_COUNT", "1"}}, 1),
             Catch::Contains("found both JOB_COMPLETION_INDEX (Kubernetes) and SLURM_ARRAY_TASK_ID (Slurm)"));
}

TEST_CASE("the split keeps every workload in exactly one shard and is deterministic", "[shards]") {
  const std::vector<double> costs{5, 1, 3, 3, 2, 8, 1, 1, 4};
  const auto shards = split_into_shards(costs, 3);
  REQUIRE(shards.size() == 3);
  check_partition(shards, costs.size());
  CHECK(split_into_shards(costs, 3) == shards);
  // Longest first: 8 | 5 | 4, then the 3s to the 4 and the 5, the 2 to the 7, the 1s to the least loaded.
  CHECK(totals(shards, costs) == std::vector<double>{10, 9, 9});
  // More shards than workloads: the rest are empty, not an error.
  const auto many = split_into_shards({1, 1}, 4);
  check_partition(many, 2);
  CHECK((many[0].size() == 1 && many[1].size() == 1 && many[2].empty() && many[3].empty()));
  CHECK(split_into_shards({}, 2) == std::vector<std::vector<std::size_t>>(2));
  // One shard: the whole plan.
  CHECK(split_into_shards(costs, 1) == std::vector<std::vector<std::size_t>>{{0, 1, 2, 3, 4, 5, 6, 7, 8}});
}

TEST_CASE("shard_imbalance is the costliest shard over the cheapest, less one", "[shards]") {
  CHECK(shard_imbalance({{0}, {1}}, {2, 2}) == 0);
  CHECK(shard_imbalance({{0}, {1}}, {3, 2}) == Approx(0.5));
  CHECK(shard_imbalance({{0, 1}, {}}, {3, 2}) == std::numeric_limits<double>::infinity());
}

TEST_CASE("the 19 suite workloads in 3 shards: expected times within 25% of each other", "[shards]") {
  const auto suite = find_workloads({});
  std::vector<std::string> names;
  for (const auto& w : suite) names.push_back(w.name);
  REQUIRE(names.size() == 19);

  SECTION("by the default model (every workload alike)") {
    const ShardCosts costs = equal_costs(names);
    const auto shards = split_into_shards(costs.cost, 3);
    check_partition(shards, names.size());
    CHECK(totals(shards, costs.cost) == std::vector<double>{7, 6, 6});
    CHECK(shard_imbalance(shards, costs.cost) <= 0.25);
  }
  SECTION("by the suite's recorded durations, the default for the suite's workloads") {
    const std::string file = (default_suite_dir() / kSuiteDurationsFile).string();
    const ShardCosts costs = costs_from_results(names, {"v8-jit", "cpython"}, read_results_file(file), file);
    CHECK(costs.estimated.empty());
    const auto shards = split_into_shards(costs.cost, 3);
    check_partition(shards, names.size());
    CHECK(shard_imbalance(shards, costs.cost) <= 0.25);
    // The workloads' recorded times differ several-fold, so a split by count would not be balanced.
    CHECK(*std::max_element(costs.cost.begin(), costs.cost.end()) > 2 * *std::min_element(costs.cost.begin(), costs.cost.end()));

    for (int k = 1; k <= 3; ++k) {
      const auto selection = select_shard({std::to_string(k) + "/3", std::nullopt, "", default_suite_dir()}, suite,
                                          {"v8-jit", "cpython"}, environment({}));
      REQUIRE(selection);
      CHECK(selection->record.balanced_by == "durations recorded in " + file);
      std::vector<std::string> mine;
      for (std::size_t i : shards[static_cast<std::size_t>(k - 1)]) mine.push_back(names[i]);
      CHECK(selection->record.plan[static_cast<std::size_t>(k - 1)] == mine);
    }
  }
}

TEST_CASE("durations from an earlier results file: iterations plus each worker's share of the time outside them",
          "[shards]") {
  Results previous;
  previous.settings.configs = {"v8-jit", "cpython"};
  // 2 processes each; iterations: a 100 + 300, b 40 + 60 (no cpython run: its configuration's mean).
  previous.runs.push_back(run_with("a", "v8-jit", {{10, 10}, {10, 10}}, {{30}, {30}}));      // 100
  previous.runs.push_back(run_with("a", "cpython", {{50, 50}, {50, 50}}, {{50}, {50}}));     // 300
  previous.runs.push_back(run_with("b", "v8-jit", {{10}, {10}}, {{10}, {10}}));              // 40
  Run skipped;
  skipped.workload = "b";
  skipped.config = "cpython";
  skipped.status = RunStatus::Skipped;
  previous.runs.push_back(skipped);
  // Wall: iterations (440 ns) + 8 workers' starts at 20 ns (6 processes and 2 calibrations).
  previous.settings.wall_seconds = (440 + 8 * 20) * 1e-9;

  const ShardCosts costs = costs_from_results({"a", "b", "c"}, {"v8-jit", "cpython"}, previous, "old.json");
  CHECK(costs.balanced_by == "durations recorded in old.json");
  REQUIRE(costs.cost.size() == 3);
  CHECK(costs.cost[0] == Approx(100 + 40 + 300 + 40));           // a: both runs, 2 workers each
  CHECK(costs.cost[1] == Approx(40 + 40 + (300 + 40)));          // b: cpython from a's (the only one)
  CHECK(costs.cost[2] == Approx((140 + 80) / 2.0 + (300 + 40)));  // c: each configuration's mean
  CHECK(costs.estimated == std::vector<std::string>{"c"});

  // A damaged run's samples are not taken.
  previous.runs[0].problem = "old.json: runs[0].samples_ns[0]: expected a positive number of nanoseconds, found 0";
  const double per_worker = (600 - 340) / 6.0;  // 4 processes and 2 calibrations now share the rest
  const ShardCosts without_damaged = costs_from_results({"a"}, {"v8-jit"}, previous, "old.json");
  CHECK(without_damaged.cost[0] == Approx(40 + 2 * per_worker));
  // ... and the damaged run is named, with why and what the plan takes instead.
  CHECK(without_damaged.not_used ==
        std::vector<std::string>{"a [v8-jit]: old.json: runs[0].samples_ns[0]: expected a positive number of nanoseconds, "
                                 "found 0; planned with the mean of the file's v8-jit runs"});
  CHECK(costs_from_results({"b"}, {"cpython"}, previous, "old.json").not_used ==
        std::vector<std::string>{"a [v8-jit]: old.json: runs[0].samples_ns[0]: expected a positive number of nanoseconds, "
                                 "found 0"});
  CHECK(costs.not_used.empty());
  Results empty;
  CHECK(shard_error([&] { costs_from_results({"a"}, {"v8-jit"}, empty, "old.json"); }) ==
        "--shard-durations old.json: the file has no run with samples to take durations from");
}

TEST_CASE("select_shard: the shard's workloads, the record of the whole plan, and misplaced options", "[shards]") {
  std::vector<Workload> plan;
  for (const char* name : {"a", "b", "c", "d", "e"}) plan.push_back(Workload{name, {}, {}, {}});
  const GetEnv none = environment({});
  CHECK_FALSE(select_shard({}, plan, {"v8-jit"}, none));

  const auto second = select_shard({"2/2", std::nullopt, "", {}}, plan, {"v8-jit"}, none);
  REQUIRE(second);
  std::vector<std::string> names;
  for (const auto& w : second->workloads) names.push_back(w.name);
  CHECK(names == std::vector<std::string>{"b", "d"});
  CHECK(second->record.count == 2);
  CHECK(second->record.included == std::vector<int>{2});
  CHECK(second->record.plan == std::vector<std::vector<std::string>>{{"a", "c", "e"}, {"b", "d"}});
  CHECK(second->record.balanced_by == "equal expected time per workload");
  CHECK(second->summary == "Shard 2 of 2: 2 of 5 workloads, 40% of the expected time (equal expected time per workload): b, d");

  const auto first = select_shard({"auto", 2, "", {}}, plan, {"v8-jit"}, environment({{"JOB_COMPLETION_INDEX", "0"}}));
  REQUIRE(first);
  CHECK(first->record.included == std::vector<int>{1});
  CHECK(first->record.plan == second->record.plan);

  const auto empty = select_shard({"7/7", std::nullopt, "", {}}, plan, {"v8-jit"}, none);
  REQUIRE(empty);
  CHECK(empty->workloads.empty());
  CHECK(empty->summary == "Shard 7 of 7: 0 of 5 workloads, 0% of the expected time (equal expected time per workload)");

  CHECK(shard_error([&] { select_shard({"", 3, "", {}}, plan, {"v8-jit"}, none); }) == "--shard-count goes with --shard auto");
  CHECK(shard_error([&] { select_shard({"1/3", 3, "", {}}, plan, {"v8-jit"}, none); }) ==
        "--shard-count goes with --shard auto (--shard K/N already says N)");
  CHECK(shard_error([&] { select_shard({"", std::nullopt, "old.json", {}}, plan, {"v8-jit"}, none); }) ==
        "--shard-durations goes with --shard");
  CHECK_THAT(shard_error([&] { select_shard({"1/2", std::nullopt, "/nonexistent/old.json", {}}, plan, {"v8-jit"}, none); }),
             Catch::StartsWith("--shard-durations: /nonexistent/old.json: cannot read the file"));
  // Workloads that are not the suite's are not balanced by the suite's durations.
  const auto outside = select_shard({"1/2", std::nullopt, "", default_suite_dir()}, plan, {"v8-jit"}, none);
  REQUIRE(outside);
  CHECK(outside->record.balanced_by == "equal expected time per workload");
}
