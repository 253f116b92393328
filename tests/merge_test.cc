// polyhost merge: what it refuses (naming files and rows), and what the merged results hold.
#include <catch2/catch.hpp>

#include <map>
#include <sstream>
#include <nlohmann/json.hpp>

#include "host/export/environment_facts.h"
#include "host/export/result_table.h"
#include "host/merge/merge.h"
#include "tests/test_support.h"

using namespace polyhost;

namespace {

Environment machine(const std::string& cpu) {
  Environment env;
  env.polyhost_version = "0.1.0";
  env.git_commit = "abc";
  env.engines = {{"V8", "10.2", ""}, {"CPython", "3.11.7", "/usr/bin/python3"}};
  env.cpu_model = cpu;
  env.cpu_count = 2;
  env.os = "Debian 12, Linux 6.1 x86_64";
  env.start_time = "2026-11-29T10:00:00Z";
  return env;
}

Run merge_run(const std::string& workload, const std::string& config, double sample_ns) {
  Run run;
  run.workload = workload;
  run.config = config;
  run.language = config == "cpython" ? "py" : "js";
  run.size_name = "quick";
  run.size = 100;
  run.samples_ns = {{sample_ns, sample_ns * 1.01}, {sample_ns * 0.99, sample_ns}};
  run.warmup_ns = {{}, {}};
  run.processes = 2;
  run.result.emplace(42);
  run.verified = true;
  run.has_verify = true;
  return run;
}

// One file of a run: WORKLOADS under v8-jit (1 µs) and cpython (COST_NS).
MergeInput input(const std::string& file, const std::vector<std::string>& workloads, double cpython_ns = 4000,
                 const std::string& cpu = "Golden CPU") {
  Results r;
  r.environment = machine(cpu);
  r.config_setups = {{"v8-jit", "V8 10.2", {}, 100.0, std::nullopt}, {"cpython", "CPython 3.11.7", {}, 500.0, std::nullopt}};
  r.settings.size_name = "quick";
  r.settings.processes = 2;
  r.settings.iterations = 2;
  r.settings.configs = {"v8-jit", "cpython"};
  r.settings.wall_seconds = 1.5;
  for (const auto& w : workloads) {
    r.runs.push_back(merge_run(w, "v8-jit", 1000));
    r.runs.push_back(merge_run(w, "cpython", cpython_ns));
  }
  return {file, std::move(r)};
}

// Marks IN as shard K of the plan PLAN.
MergeInput& as_shard(MergeInput& in, int k, const std::vector<std::vector<std::string>>& plan) {
  in.results.settings.shard = ShardRecord{static_cast<int>(plan.size()), {k}, plan, "equal expected time per workload"};
  return in;
}

std::vector<std::string> merge_problems(const std::vector<MergeInput>& inputs, bool allow_mixed = false) {
  try {
    merge_results(inputs, {allow_mixed, "polyhost merge"});
  } catch (const MergeError& e) {
    return e.problems();
  }
  return {};
}

const std::vector<std::vector<std::string>> kPlan{{"a", "d"}, {"b"}, {"c"}};

std::vector<MergeInput> three_shards() {
  std::vector<MergeInput> in{input("s1.json", {"a", "d"}), input("s2.json", {"b"}, 8000), input("s3.json", {"c"}, 2000)};
  for (int k = 0; k < 3; ++k) as_shard(in[static_cast<std::size_t>(k)], k + 1, kPlan);
  in[0].results.config_setups[1].empty_call_ns = 400.0;
  in[2].results.config_setups[1].empty_call_ns = 900.0;
  return in;
}

}  // namespace

TEST_CASE("three shards merge into the rows of one run, with every statistic recomputed", "[merge]") {
  const Results merged = merge_results(three_shards(), {false, "polyhost merge s1.json s2.json s3.json -o all.json"});
  std::vector<std::string> rows;
  for (const Run& run : merged.runs) rows.push_back(run.workload + " " + run.config);
  CHECK(rows == std::vector<std::string>{"a v8-jit", "a cpython", "b v8-jit", "b cpython", "c v8-jit", "c cpython",
                                         "d v8-jit", "d cpython"});
  REQUIRE(merged.comparisons.size() == 4);
  CHECK(merged.comparisons[1].workload == "b");
  CHECK(merged.comparisons[1].ratio.ratio == Approx(8.0));
  // Geometric mean of 4, 8, 2, 4.
  CHECK(merged.geometric_mean_ratio.at("cpython") == Approx(4.0));
  REQUIRE(merged.tier_ratios.size() == 1);
  CHECK(merged.tier_ratios[0].workloads == 4);
  CHECK(merged.tier_ratios[0].geometric_mean == Approx(4.0));
  // From 4 workloads the interval is their ratios' range (2 to 8), not a bootstrap CI.
  CHECK_FALSE(merged.tier_ratios[0].has_ci95());
  CHECK(merged.tier_ratios[0].interval.low == Approx(2.0));
  CHECK(merged.tier_ratios[0].interval.high == Approx(8.0));
  for (const Run& run : merged.runs) CHECK(run.summary);
  CHECK(merged.machines.empty());
  CHECK_FALSE(merged.runs[0].machine);
  CHECK(merged.settings.wall_seconds == Approx(4.5));
  REQUIRE(merged.settings.shard);
  CHECK(merged.settings.shard->included == std::vector<int>{1, 2, 3});
  CHECK(merged.settings.shard->plan == kPlan);
  CHECK(merged.environment.cpu_model == "Golden CPU");
  CHECK(merged.environment.command_line == "polyhost merge s1.json s2.json s3.json -o all.json");
  REQUIRE(merged.setup_of("cpython"));
  CHECK(merged.setup_of("cpython")->empty_call_ns == 500.0);  // the median of 400, 500, 900
  CHECK(merged.setup_of("cpython")->engine == "CPython 3.11.7");

  // Written and read back, it is an ordinary results file with its shard record.
  std::stringstream text;
  write_results_json(merged, text);
  const Results again = read_results_json(Json::parse(text.str()), "all.json");
  CHECK(again.runs.size() == 8);
  REQUIRE(again.settings.shard);
  CHECK(again.settings.shard->included == std::vector<int>{1, 2, 3});
  CHECK(again.settings.shard->plan == kPlan);
  CHECK(again.settings.shard->balanced_by == "equal expected time per workload");
  CHECK(text.str().find("\"machines\"") == std::string::npos);
}

TEST_CASE("a missing shard is named, with its workloads", "[merge]") {
  auto in = three_shards();
  in.erase(in.begin() + 1);
  CHECK(merge_problems(in) == std::vector<std::string>{"shard 2 of 3 is missing (its workloads: b)"});
}

TEST_CASE("overlapping rows are refused, naming both files and the rows", "[merge]") {
  auto in = three_shards();
  in.push_back(input("extra.json", {"a"}));
  CHECK(merge_problems(in) == std::vector<std::string>{"s1.json and extra.json both hold 2 rows: a [v8-jit], a [cpython]"});
  auto twice = three_shards();
  twice.push_back(twice[1]);
  CHECK(merge_problems(twice) == std::vector<std::string>{"shard 2 of 3 is in both s2.json and s2.json",
                                                          "s2.json and s2.json both hold 2 rows: b [v8-jit], b [cpython]"});
}

TEST_CASE("shards of different plans, and files holding rows their shard does not plan, are refused", "[merge]") {
  auto in = three_shards();
  in[2].results.settings.shard->plan = {{"a"}, {"b"}, {"c", "d"}};
  CHECK(merge_problems(in) ==
        std::vector<std::string>{"s1.json and s3.json split the plan differently (were they run with the same workloads, "
                                 "configurations and --shard-durations?)",
                                 "shard 3 of 3 is missing (its workloads: c)"});
  auto counts = three_shards();
  counts[1].results.settings.shard->count = 4;
  counts[1].results.settings.shard->plan.push_back({});
  CHECK(merge_problems(counts) == std::vector<std::string>{
                                      "s1.json is a shard of 3 but s2.json is a shard of 4: they are parts of different plans",
                                      "shard 2 of 3 is missing (its workloads: b)"});
  auto foreign = three_shards();
  foreign[2].results.runs.push_back(merge_run("e", "v8-jit", 1000));
  CHECK(merge_problems(foreign) == std::vector<std::string>{"s3.json holds rows its shards do not plan: e [v8-jit]"});
  auto lacking = three_shards();
  lacking[0].results.runs.resize(2);
  CHECK(merge_problems(lacking) == std::vector<std::string>{"s1.json has no rows for workloads its shards plan: d"});
}

TEST_CASE("a shard's file lacking one planned (workload, configuration) row is refused, naming the row", "[merge]") {
  auto in = three_shards();
  in[0].results.runs.pop_back();  // d [cpython]
  CHECK(merge_problems(in) == std::vector<std::string>{"s1.json lacks rows its shards plan, and no file holds them: d [cpython]"});
  // Measured again elsewhere, in a file that is not a shard, the row is not missing.
  MergeInput again = input("again.json", {"d"});
  again.results.runs.erase(again.results.runs.begin());  // only d [cpython]
  in.push_back(again);
  CHECK(merge_problems(in).empty());
}

TEST_CASE("a row of a configuration its file's settings do not list is refused, sharded or not", "[merge]") {
  auto relabelled = three_shards();
  relabelled[1].results.runs[1].config = "v8-ignition";  // b [cpython] relabelled
  CHECK(merge_problems(relabelled) ==
        std::vector<std::string>{"s2.json holds rows of configurations its settings.configs (v8-jit,cpython) do not list: b [v8-ignition]",
                                 "s2.json lacks rows its shards plan, and no file holds them: b [cpython]"});
  auto extra = three_shards();
  extra[2].results.runs.push_back(merge_run("c", "v8-turbo", 1000));
  CHECK(merge_problems(extra) ==
        std::vector<std::string>{"s3.json holds rows of configurations its settings.configs (v8-jit,cpython) do not list: c [v8-turbo]"});
  MergeInput a = input("a.json", {"a"}), b = input("b.json", {"b"});
  b.results.runs.push_back(merge_run("b", "v8-turbo", 1000));
  CHECK(merge_problems({a, b}) ==
        std::vector<std::string>{"b.json holds rows of configurations its settings.configs (v8-jit,cpython) do not list: b [v8-turbo]"});
}

TEST_CASE("unsharded files must hold every configuration's row of each workload between them", "[merge]") {
  MergeInput a = input("a.json", {"a"}), b = input("b.json", {"b"});
  b.results.runs.pop_back();  // b [cpython]
  CHECK(merge_problems({a, b}) ==
        std::vector<std::string>{"b.json holds rows of b but no file holds b [cpython] (a run writes a row for every "
                                 "configuration in its settings.configs)"});
}

TEST_CASE("results from different machines or builds are refused unless allowed", "[merge]") {
  auto in = three_shards();
  in[1].results.environment.cpu_model = "Other CPU";
  in[2].results.environment.engines[0].version = "11.3";
  in[2].results.config_setups[0].engine = "V8 11.3";
  const auto problems = merge_problems(in);
  REQUIRE(problems.size() == 2);
  CHECK(problems[0] ==
        "s1.json and s2.json come from different machines or builds: cpu_model \"Golden CPU\" vs \"Other CPU\" "
        "(merge --allow-mixed-machines keeps each run's machine and compares none across them)");
  CHECK_THAT(problems[1], Catch::StartsWith("s1.json and s3.json come from different machines or builds: "
                                            "configs.v8-jit.engine \"V8 10.2\" vs \"V8 11.3\"; engine V8 \"10.2\" vs \"11.3\""));
  for (auto field : {&Environment::os, &Environment::polyhost_version, &Environment::git_commit}) {
    auto other = three_shards();
    other[2].results.environment.*field += " (another)";
    CHECK(merge_problems(other).size() == 1);
  }
  auto cores = three_shards();
  cores[2].results.environment.cpu_count = 64;
  CHECK(merge_problems(cores) == std::vector<std::string>{
                                     "s1.json and s3.json come from different machines or builds: cpu_count 2 vs 64 "
                                     "(merge --allow-mixed-machines keeps each run's machine and compares none across them)"});
}

TEST_CASE("another executable of an embedded engine is another build", "[merge]") {
  auto in = three_shards();
  in[1].results.environment.engines[1].executable = "/root/.pyenv/versions/3.11.7/bin/python3.11";
  CHECK(merge_problems(in) == std::vector<std::string>{
                                  "s1.json and s2.json come from different machines or builds: engine CPython executable "
                                  "\"/usr/bin/python3\" vs \"/root/.pyenv/versions/3.11.7/bin/python3.11\" "
                                  "(merge --allow-mixed-machines keeps each run's machine and compares none across them)"});
  in[1].results.environment.engines[1].executable = "";
  CHECK(merge_problems(in)[0].find("engine CPython executable \"/usr/bin/python3\" vs (not recorded)") != std::string::npos);
  // Allowed, each machine keeps its own, and the top level lists both.
  in[1].results.environment.engines[1].executable = "/opt/python3";
  const Results mixed = merge_results(in, {true, "polyhost merge --allow-mixed-machines"});
  REQUIRE(mixed.machines.size() == 2);
  CHECK(mixed.machines[1].environment.engines[1].executable == "/opt/python3");
  CHECK(mixed.environment.engines[1].executable == "/usr/bin/python3 | /opt/python3");
}

// Marks every run of CONFIG in IN interrupted before its first worker, as run writes it, and its
// engine unrecorded (its calibration worker never reported).
void interrupt_before_first_worker(MergeInput& in, const std::string& config) {
  for (Run& run : in.results.runs) {
    if (run.config != config) continue;
    Run interrupted;
    interrupted.workload = run.workload;
    interrupted.language = run.language;
    interrupted.config = run.config;
    interrupted.size_name = run.size_name;
    run = std::move(interrupted);
    run.status = RunStatus::Interrupted;
    run.message = "not finished: the run was interrupted (Ctrl-C)";
  }
  for (ConfigSetup& setup : in.results.config_setups) {
    if (setup.name == config) setup.engine = "";
  }
}

TEST_CASE("a configuration's engine a file does not record is no other machine; the summary says why", "[merge]") {
  auto in = three_shards();
  interrupt_before_first_worker(in[1], "cpython");
  CHECK(merge_problems(in).empty());
  const Results merged = merge_results(in, {false, "polyhost merge"});
  CHECK(merged.machines.empty());
  REQUIRE(merged.setup_of("cpython"));
  CHECK(merged.setup_of("cpython")->engine == "CPython 3.11.7");
  CHECK(has_failed_runs(merged));
  CHECK(merge_summary(in, merged) ==
        std::vector<std::string>{"merged 3 files (shards 1, 2, 3 of 3): 4 workloads x 2 configurations, 8 runs",
                                 "1 run not ok: 1 interrupted (in s2.json)",
                                 "s2.json records no engine for cpython, as no worker of it reported there (its runs of it: "
                                 "1 interrupted): the merged file has the other files' (CPython 3.11.7)"});
  // Allowed to differ, the machines are still one.
  CHECK(merge_results(in, {true, "polyhost merge --allow-mixed-machines"}).machines.empty());
  // A recorded engine that differs is still another build, named against the file that records it.
  auto other = three_shards();
  interrupt_before_first_worker(other[0], "cpython");
  other[2].results.config_setups[1].engine = "CPython 3.12.1";
  CHECK(merge_problems(other) == std::vector<std::string>{
                                  "s2.json and s3.json come from different machines or builds: configs.cpython.engine "
                                  "\"CPython 3.11.7\" vs \"CPython 3.12.1\" "
                                  "(merge --allow-mixed-machines keeps each run's machine and compares none across them)"});
}

TEST_CASE("the summary counts the runs that are not ok by verdict and file", "[merge]") {
  auto in = three_shards();
  const Results clean = merge_results(in, {false, "polyhost merge"});
  CHECK(merge_summary(in, clean) == std::vector<std::string>{"merged 3 files (shards 1, 2, 3 of 3): 4 workloads x 2 configurations, 8 runs"});
  CHECK_FALSE(has_failed_runs(clean));
  for (Run& run : in[0].results.runs) {
    run.status = RunStatus::Interrupted;
    run.processes = 0;
    run.samples_ns.clear();
    run.warmup_ns.clear();
    run.result.reset();
  }
  in[1].results.runs[0].status = RunStatus::Interrupted;
  in[1].results.runs[0].samples_ns.clear();
  in[1].results.runs[0].warmup_ns.clear();
  in[2].results.runs[1].status = RunStatus::Skipped;
  in[2].results.runs[1].samples_ns.clear();
  in[2].results.runs[1].warmup_ns.clear();
  const Results merged = merge_results(in, {false, "polyhost merge"});
  CHECK(merge_summary(in, merged) ==
        std::vector<std::string>{"merged 3 files (shards 1, 2, 3 of 3): 4 workloads x 2 configurations, 8 runs",
                                 "6 runs not ok: 1 skipped (in s3.json), 5 interrupted (4 in s1.json, 1 in s2.json)"});
  CHECK(has_failed_runs(merged));
  // Skipped alone (the program is not installed) is no failure, as for run.
  auto skipped = three_shards();
  skipped[2].results.runs[1].status = RunStatus::Skipped;
  skipped[2].results.runs[1].samples_ns.clear();
  skipped[2].results.runs[1].warmup_ns.clear();
  CHECK_FALSE(has_failed_runs(merge_results(skipped, {false, "polyhost merge"})));
}

TEST_CASE("a merged file's start and load average are labelled as the earliest and the largest of its files'", "[merge]") {
  auto in = three_shards();
  in[0].results.environment.load_average = 0.25;
  in[1].results.environment.load_average = 0.45;
  in[2].results.environment.load_average = 0.5;
  in[2].results.environment.start_time = "2026-11-29T09:00:00Z";
  const Results merged = merge_results(in, {false, "polyhost merge"});
  CHECK(merged.environment.merged_files == 3);
  std::stringstream text;
  write_results_json(merged, text);
  const Results again = read_results_json(Json::parse(text.str()), "all.json");
  CHECK(again.environment.merged_files == 3);
  std::map<std::string, std::string> facts;
  for (const auto& fact : environment_facts(again.environment)) facts[fact.label] = fact.text;
  CHECK(facts["Load average"] == "0.5 (1 minute: the largest of the 3 merged files', each at its start)");
  CHECK(facts["Started"] == "2026-11-29T09:00:00Z (the earliest of the 3 merged files')");
  std::stringstream markdown;
  write_environment_markdown(again.environment, markdown);
  CHECK(markdown.str().find("- **Load average:** 0.5 (1 minute: the largest of the 3 merged files', each at its start)") !=
        std::string::npos);
  // A command's own environment: its own start.
  std::map<std::string, std::string> own;
  for (const auto& fact : environment_facts(in[0].results.environment)) own[fact.label] = fact.text;
  CHECK(own["Load average"] == "0.25 (1 minute, at the start)");
  CHECK(own["Started"] == "2026-11-29T10:00:00Z");
  // Each machine of a mixed merge: the largest of its own files'.
  in[2].results.environment.cpu_model = "Other CPU";
  in[1].results.environment.cpu_model = "Other CPU";
  const Results mixed = merge_results(in, {true, "polyhost merge --allow-mixed-machines"});
  REQUIRE(mixed.machines.size() == 2);
  CHECK(mixed.machines[0].environment.merged_files == 1);
  CHECK(mixed.machines[0].environment.load_average == 0.25);
  CHECK(mixed.machines[1].environment.merged_files == 2);
  CHECK(mixed.machines[1].environment.load_average == 0.5);
}

MemoryReading idle_rss(double bytes) {
  MemoryReading m;
  m.rss_after_setup = bytes;
  return m;
}

void set_peaks(MergeInput& in, double bytes) {
  for (Run& run : in.results.runs) run.memory = {MemoryReading{bytes, {}, {}, {}, {}, ""}, MemoryReading{bytes, {}, {}, {}, {}, ""}};
}

TEST_CASE("each merged run's memory above idle is over the idle worker measured with it", "[merge]") {
  // Each shard measured its own idle workers: 10, 20 and (cpython) none at all; every peak is 50.
  auto shards = three_shards();
  shards[0].results.config_setups[0].idle_memory = idle_rss(10);
  shards[0].results.config_setups[1].idle_memory = idle_rss(10);
  shards[1].results.config_setups[0].idle_memory = idle_rss(20);
  shards[1].results.config_setups[1].idle_memory = idle_rss(20);
  shards[2].results.config_setups[0].idle_memory = idle_rss(30);
  for (auto& shard : shards) set_peaks(shard, 50);
  const Results merged = merge_results(shards, {false, "polyhost merge"});
  std::stringstream text;
  write_results_json(merged, text);
  const Results again = read_results_json(Json::parse(text.str()), "all.json");
  for (const Results* r : {&merged, &again}) {
    for (const Run& run : r->runs) {
      INFO(run.workload << " [" << run.config << "]");
      if (run.workload == "a" || run.workload == "d") CHECK(memory_above_idle(*r, run) == 40.0);
      if (run.workload == "b") CHECK(memory_above_idle(*r, run) == 30.0);
      if (run.workload == "c" && run.config == "v8-jit") CHECK(memory_above_idle(*r, run) == 20.0);
      // s3.json measured no idle cpython worker: not s1.json's instead.
      if (run.workload == "c" && run.config == "cpython") CHECK_FALSE(memory_above_idle(*r, run));
    }
  }
  // Merged from several machines, the same: each run's own, not its machine's first file's.
  shards[1].results.environment.cpu_model = "Slow CPU";
  shards[2].results.environment.cpu_model = "Slow CPU";
  const Results mixed = merge_results(shards, {true, "polyhost merge --allow-mixed-machines"});
  for (const Run& run : mixed.runs) {
    if (run.workload == "c" && run.config == "v8-jit") CHECK(memory_above_idle(mixed, run) == 20.0);
  }
}

TEST_CASE("with mixed machines allowed every run keeps its machine and no ratio crosses machines", "[merge]") {
  // Workload w: its v8-jit row measured on one machine, its cpython row on another.
  MergeInput fast = input("fast.json", {"a", "w"});
  MergeInput slow = input("slow.json", {"b"}, 8000, "Slow CPU");
  slow.results.environment.cpu_count = 8;
  slow.results.runs.push_back(merge_run("w", "cpython", 3000));
  fast.results.runs.pop_back();  // w [cpython]
  const Results merged = merge_results({fast, slow}, {true, "polyhost merge --allow-mixed-machines"});
  REQUIRE(merged.machines.size() == 2);
  CHECK(merged.machines[0].environment.cpu_model == "Golden CPU");
  CHECK(merged.machines[0].files == std::vector<std::string>{"fast.json"});
  CHECK(merged.machines[1].environment.cpu_model == "Slow CPU");
  CHECK(merged.environment.cpu_model == "Golden CPU | Slow CPU");
  CHECK(merged.environment.cpu_count == 0);  // the machines differ: each machine has its own
  for (const Run& run : merged.runs) {
    REQUIRE(run.machine);
    CHECK(*run.machine == (run.workload == "b" || (run.workload == "w" && run.config == "cpython") ? 1u : 0u));
  }
  // a and b are each compared within their machine; w is not compared at all.
  std::vector<std::string> compared;
  for (const auto& c : merged.comparisons) compared.push_back(c.workload);
  CHECK(compared == std::vector<std::string>{"a", "b"});
  REQUIRE(merged.tier_ratios.size() == 1);
  CHECK(merged.tier_ratios[0].workloads == 2);

  std::stringstream text;
  write_results_json(merged, text);
  const Results again = read_results_json(Json::parse(text.str()), "mixed.json");
  CHECK(again.environment.cpu_count == 0);
  REQUIRE(again.machines.size() == 2);
  CHECK(again.machines[1].environment.cpu_model == "Slow CPU");
  CHECK(again.machines[1].files == std::vector<std::string>{"slow.json"});
  REQUIRE(again.machines[1].config_setups.size() == 2);
  CHECK(again.machines[1].config_setups[1].empty_call_ns == 500.0);
  for (std::size_t i = 0; i < again.runs.size(); ++i) CHECK(again.runs[i].machine == merged.runs[i].machine);
  // A merged file of several machines is not merged again: its runs' machines would need renumbering.
  CHECK(merge_problems({{"mixed.json", again}, input("c.json", {"c"})}, true) ==
        std::vector<std::string>{"mixed.json already holds runs of several machines; merge the files it was merged from instead"});
}

TEST_CASE("different settings, sizes or results, and damaged runs, are refused", "[merge]") {
  auto settings = three_shards();
  settings[1].results.settings.iterations = 10;
  settings[2].results.settings.size_name = "default";
  settings[2].results.settings.configs = {"cpython", "v8-jit", "pypy3"};
  auto floors = three_shards();
  floors[2].results.settings.warmup.min_steady_seconds = 0.05;
  REQUIRE(merge_problems(floors).size() == 1);
  CHECK(merge_problems(floors)[0].find("s1.json and s3.json were run with different settings: warm-up") == 0);
  CHECK(merge_problems(floors)[0].find("lasting 0.05 s") != std::string::npos);
  CHECK(merge_problems(settings) ==
        std::vector<std::string>{"s1.json and s2.json were run with different settings: iterations 2 vs 10",
                                 "s1.json and s3.json were run with different settings: sizes quick vs default; "
                                 "configurations v8-jit,cpython vs cpython,v8-jit,pypy3",
                                 "s3.json lacks rows its shards plan, and no file holds them: c [pypy3]"});
  // One workload's rows in two files (no overlap) must have the same size and agree.
  MergeInput js = input("js.json", {"w"});
  MergeInput py = input("py.json", {"w"});
  js.results.runs.pop_back();
  py.results.runs.erase(py.results.runs.begin());
  CHECK(merge_problems({js, py}).empty());
  py.results.runs[0].size = 200;
  CHECK(merge_problems({js, py}) == std::vector<std::string>{"w: size 100 in js.json [v8-jit] but 200 in py.json [cpython]"});
  py.results.runs[0].size = 100;
  py.results.runs[0].result = Value(static_cast<std::int64_t>(41));
  CHECK(merge_problems({js, py}) ==
        std::vector<std::string>{"w: js.json [v8-jit] and py.json [cpython] returned different results: result: 42 vs 41"});

  auto damaged = three_shards();
  damaged[1].results.runs[0].problem = "s2.json: runs[0].samples_ns[1]: expected a positive number of nanoseconds, found 0";
  CHECK(merge_problems(damaged) ==
        std::vector<std::string>{"s2.json: runs[0].samples_ns[1]: expected a positive number of nanoseconds, found 0"});
  CHECK(merge_problems({}) == std::vector<std::string>{"no results files to merge"});
}

TEST_CASE("the reader checks a shard record and the runs' machines", "[merge]") {
  const std::string base = R"({"schema": "polyhost.results/1", "environment": )" + std::string(testing::kResultsEnvironment) + ", ";
  const std::string settings = R"("settings": {"size": "quick", "processes": 1, "warmup": 1, "iterations": 5,
    "configs": ["v8-jit"], "wall_seconds": 1, )";
  auto load_error = [](const std::string& text) -> std::string {
    try {
      read_results_json(Json::parse(text), "r.json");
    } catch (const FileFormatError& e) {
      return e.what();
    }
    return "(no error)";
  };
  CHECK(load_error(base + settings + R"("shard": {"count": 2, "included": [3], "plan": [[], []]}}, "runs": []})") ==
        "r.json: settings.shard.included[0]: shard 3 is not one of 1..2");
  CHECK(load_error(base + settings + R"("shard": {"count": 2, "included": [2, 1], "plan": [[], []]}}, "runs": []})") ==
        "r.json: settings.shard.included[1]: expected shard numbers in ascending order, each once, found the number 1");
  CHECK(load_error(base + settings + R"("shard": {"count": 3, "included": [1], "plan": [["a"]]}}, "runs": []})") ==
        "r.json: settings.shard.plan: expected the workloads of each of the 3 shards, found an array of 1");
  CHECK(load_error(base + settings + R"("shard": {"count": 0, "included": [], "plan": []}}, "runs": []})") ==
        "r.json: settings.shard.count: expected a whole number from 1 to 2147483647, found 0");
  CHECK(load_error(base + settings + R"("shard": null}, "runs": [)" + testing::results_run(R"({"machine": 0})") + "]}") ==
        "r.json: runs[0].machine: machine 0 is not in \"machines\" (0 recorded)");
}
