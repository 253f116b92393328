// Reading results files through the model's one reader: what breaks the whole file (with the path
// and field named), and what only takes one run out of the comparison (Run::problem).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <nlohmann/json.hpp>

#include "host/model/results.h"
#include "tests/test_support.h"

using namespace polyhost;
using polyhost::testing::kResultsEnvironment;
using polyhost::testing::results_run;

namespace {

// Writes TEXT to a fresh file in the temporary directory and returns its path.
std::string file_with(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / ("polyhost_results_test_" + name);
  std::ofstream(path) << text;
  return path.string();
}

// What run writes in "settings", every field of it required.
const char* kSettings = R"({"size": "quick", "processes": 2, "warmup": 1, "iterations": 5, "configs": ["v8-jit"],
  "wall_seconds": 1.5})";

// A results file with SETTINGS (JSON) and RUNS (JSON objects, comma-separated).
std::string document(const std::string& settings, const std::string& runs = "") {
  return R"({"schema": "polyhost.results/1", "environment": )" + std::string(kResultsEnvironment) + R"(, "settings": )" +
         settings + R"(, "runs": [)" + runs + "]}";
}

std::string with_runs(const std::string& runs) { return document(kSettings, runs); }

// kSettings with FIELD's value replaced by VALUE, or added.
std::string settings_with(const std::string& field, const std::string& value) {
  Json settings = Json::parse(kSettings);
  settings[field] = Json::parse(value);
  return settings.dump();
}

const std::string kGoodRun = results_run(R"({"samples_ns": [10, 20, 30], "process_samples_ns": [[10, 20], [30]]})");

std::string load_error(const std::string& path) {
  try {
    read_results_file(path);
  } catch (const FileFormatError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("a well-formed run loads with its samples grouped by process", "[results]") {
  auto r = read_results_file(file_with("good.json", with_runs(kGoodRun)));
  REQUIRE(r.runs.size() == 1);
  CHECK(r.runs[0].problem.empty());
  CHECK(r.runs[0].all_samples_ns() == std::vector<double>{10, 20, 30});
  CHECK(r.runs[0].samples_ns == std::vector<std::vector<double>>{{10, 20}, {30}});
  REQUIRE(r.runs[0].summary);
  CHECK(r.runs[0].summary->median == 20);
}

TEST_CASE("a sample that is not a positive number takes only its run out, naming where it is", "[results]") {
  std::string runs = kGoodRun;
  for (const char* run : {R"({"workload": "v", "samples_ns": [5, 0, 7]})", R"({"workload": "u", "samples_ns": [5, "fast"]})",
                          R"({"workload": "t", "samples_ns": [5, 1.7e308]})", R"({"workload": "s", "samples_ns": [5, 5e-324]})",
                          R"({"workload": "r", "samples_ns": [5, 0.0009]})", R"({"workload": "q", "samples_ns": [5, 0.001]})"}) {
    runs += "," + results_run(run);
  }
  const std::string path = file_with("zero.json", with_runs(runs));
  auto r = read_results_file(path);
  REQUIRE(r.runs.size() == 7);
  CHECK(r.runs[0].problem.empty());
  const std::string expected =
      ": expected a number of nanoseconds from 0.001 (a picosecond) to 1e15 (11.6 days, the longest --timeout), found ";
  CHECK(r.runs[1].problem == path + ": runs[1].samples_ns[1]" + expected + "0");
  CHECK(r.runs[2].problem == path + ": runs[2].samples_ns[1]: expected a number of nanoseconds, found the string \"fast\"");
  CHECK(r.runs[3].problem == path + ": runs[3].samples_ns[1]" + expected + "1.7e+308");  // its statistics would overflow
  // Sub-picosecond samples passed and overflowed compare's and merge's geometric means.
  CHECK(r.runs[4].problem == path + ": runs[4].samples_ns[1]" + expected + "5e-324");
  CHECK(r.runs[5].problem == path + ": runs[5].samples_ns[1]" + expected + "0.0009");
  CHECK(r.runs[6].problem.empty());
}

TEST_CASE("a damaged sample in a run with warm-up analyses still takes only that run out", "[results]") {
  // The damaged sample leaves its process's series one shorter than the analyses describe: they must
  // not be checked against it (that refused the whole file, naming a segment's end).
  const std::string analysis = R"({"classification": "flat", "detail": "2 flat", "steady_iteration": 1, "steady_ns": 20,
    "processes": [{"classification": "flat", "steady_iteration": 1, "steady_ns": 20, "outliers": [],
                   "segments": [{"begin": 0, "end": 3, "mean_ns": 20, "stdev_ns": 1}]},
                  {"classification": "flat", "steady_iteration": 1, "steady_ns": 20, "outliers": [2],
                   "segments": [{"begin": 0, "end": 2, "mean_ns": 20, "stdev_ns": 1}]}]})";
  const std::string path = file_with("damaged_warm.json", with_runs(results_run(R"({"samples_ns": [10, 0, 30, 20, 21, 22],
    "process_samples_ns": [[10, 0, 30], [20, 21, 22]], "warmup": )" + analysis + "}")));
  auto r = read_results_file(path);
  REQUIRE(r.runs.size() == 1);
  CHECK_THAT(r.runs[0].problem, Catch::Contains("runs[0].samples_ns[1]"));
}

TEST_CASE("samples_ns and process_samples_ns must hold the same samples", "[results]") {
  const std::string path = file_with("disagree.json", with_runs(results_run(R"({"samples_ns": [11, 22, 33],
    "process_samples_ns": [[10, 20], [30]]})") + "," + results_run(R"({"workload": "v", "warmup_ns": [5, 6],
    "process_warmup_ns": [[5], [7]], "samples_ns": [10, 20], "process_samples_ns": [[10], [20]]})")));
  auto r = read_results_file(path);
  CHECK(r.runs[0].problem == path + ": runs[0].samples_ns and runs[0].process_samples_ns hold different samples");
  CHECK(r.runs[1].problem == path + ": runs[1].warmup_ns and runs[1].process_warmup_ns hold different samples");
}

TEST_CASE("two runs of one workload and configuration are both marked", "[results]") {
  const std::string path = file_with("dup.json", with_runs(std::string(kGoodRun) + "," + kGoodRun));
  auto r = read_results_file(path);
  REQUIRE(r.runs.size() == 2);
  CHECK(r.runs[0].problem == path + ": runs[0] and runs[1] are both w [v8-jit]");
  CHECK(r.runs[1].problem == r.runs[0].problem);
}

TEST_CASE("a field of the wrong type rejects the file, naming the field", "[results]") {
  CHECK(load_error(file_with("nullmsg.json", with_runs(results_run(R"({"message": null})")))) ==
        std::filesystem::temp_directory_path().string() +
            "/polyhost_results_test_nullmsg.json: runs[0].message: expected a string, found null");
  CHECK_THAT(load_error(file_with("strsize.json", with_runs(results_run(R"({"size": "big"})")))),
             Catch::EndsWith("runs[0].size: expected an integer, found the string \"big\""));
  CHECK_THAT(load_error(file_with("nostatus.json", with_runs(results_run("{}", {"status"})))),
             Catch::EndsWith("runs[0].status: missing"));
}

TEST_CASE("counts, seconds and bytes out of range reject the file, naming the field", "[results]") {
  CHECK_THAT(load_error(file_with("iters.json", document(settings_with("iterations", "-3")))),
             Catch::EndsWith("settings.iterations: expected a whole number from 1 to 2147483647, found -3"));
  CHECK_THAT(load_error(file_with("wall.json", document(settings_with("wall_seconds", "-5")))),
             Catch::EndsWith("settings.wall_seconds: expected a number of at least 0, found -5"));
  CHECK_THAT(load_error(file_with("procs.json", with_runs(results_run(R"({"processes": -1})")))),
             Catch::EndsWith("runs[0].processes: expected a whole number from 0 to 2147483647, found -1"));
  CHECK_THAT(load_error(file_with("rss.json", with_runs(results_run(R"({
    "memory": {"processes": [{"peak_rss_bytes": 0, "rss_after_setup_bytes": null, "heap_after_setup_bytes": null,
    "heap_total_after_setup_bytes": null, "heap_peak_bytes": null, "heap_measure": "none"}]}})")))),
             Catch::EndsWith("runs[0].memory.processes[0].peak_rss_bytes: expected a positive whole number of bytes (or null), found 0"));
}

TEST_CASE("a folder or a missing file is named with the reason it cannot be read", "[results]") {
  CHECK(load_error(std::filesystem::temp_directory_path().string()) ==
        std::filesystem::temp_directory_path().string() + ": cannot read the file (it is a directory)");
  CHECK_THAT(load_error("/nonexistent/polyhost.json"), Catch::EndsWith("cannot read the file (No such file or directory)"));
}

TEST_CASE("invalid JSON is located by line and character, with the parser's reason", "[results]") {
  // "µ" is two bytes: the column counts it once, as an editor does.
  const std::string error = load_error(file_with("utf.json", "{\"schema\": \"polyhost.results/1\",\n \"µµ\" x}"));
  CHECK_THAT(error, Catch::Contains("polyhost_results_test_utf.json:2:7: not valid JSON ("));
  CHECK_THAT(error, Catch::Contains("syntax error"));
}

TEST_CASE("statistics are derived from the samples; written ones that differ mark the run", "[results]") {
  // Samples 10, 20, 30: median and mean 20, standard deviation 10, 3 of them. The CI is not checked:
  // files before the two-level bootstrap hold another interval.
  const auto run_with_stats = [](const char* workload, const std::string& stats) {
    return results_run(R"({"workload": ")" + std::string(workload) + R"(", "samples_ns": [10, 20, 30], "stats": )" + stats + "}");
  };
  const auto stats_with = [](const std::string& field, const std::string& value) {
    Json stats = Json::parse(R"({"median_ns": 20, "mean_ns": 20, "stdev_ns": 10, "min_ns": 10, "max_ns": 30,
      "ci95_ns": [12, 28], "count": 3})");
    stats[field] = Json::parse(value);
    return stats.dump();
  };
  const std::string path = file_with("stats.json", with_runs(
      run_with_stats("a", stats_with("median_ns", "25")) + "," + run_with_stats("b", "null") + "," +
      run_with_stats("c", stats_with("mean_ns", "21")) + "," + run_with_stats("d", stats_with("stdev_ns", "1")) + "," +
      run_with_stats("e", stats_with("min_ns", "5")) + "," + run_with_stats("f", stats_with("max_ns", "300")) + "," +
      run_with_stats("g", stats_with("count", "4")) + "," + run_with_stats("h", stats_with("count", "3"))));
  auto r = read_results_file(path);
  CHECK(r.runs[0].problem == path + ": runs[0].stats.median_ns: 25, but the samples give 20");
  CHECK(r.runs[1].problem.empty());
  REQUIRE(r.runs[1].summary);
  CHECK(r.runs[1].summary->median == 20);
  CHECK(r.runs[2].problem == path + ": runs[2].stats.mean_ns: 21, but the samples give 20");
  CHECK(r.runs[3].problem == path + ": runs[3].stats.stdev_ns: 1, but the samples give 10");
  CHECK(r.runs[4].problem == path + ": runs[4].stats.min_ns: 5, but the samples give 10");
  CHECK(r.runs[5].problem == path + ": runs[5].stats.max_ns: 300, but the samples give 30");
  CHECK(r.runs[6].problem == path + ": runs[6].stats.count: 4, but the file holds 3 samples");
  CHECK(r.runs[7].problem.empty());
}

TEST_CASE("a status polyhost does not know rejects the file", "[results]") {
  CHECK_THAT(load_error(file_with("status.json", with_runs(results_run(R"({"status": "fine"})")))),
             Catch::EndsWith("runs[0].status: expected a run status (ok, error, mismatch, ...), found the string \"fine\""));
}

TEST_CASE("files written before the engines list still name their engines", "[results]") {
  Json environment = Json::parse(kResultsEnvironment);
  environment.erase("engines");
  environment.update(Json::parse(R"({"v8_version": "10.2.154.26-node.37", "python_version": "3.11.7",
    "python_executable": "/usr/bin/python3", "configs": {"v8-jit": {"engine": "V8 10.2", "flags": []}},
    "empty_call_ns": {"v8-jit": 150}})"));
  auto r = read_results_file(file_with("old_env.json", R"({"schema": "polyhost.results/1", "environment": )" +
                                                           environment.dump() + R"(, "settings": )" + kSettings +
                                                           R"(, "runs": []})"));
  REQUIRE(r.environment.engines.size() == 2);
  CHECK(r.environment.engines[0].name == "V8");
  CHECK(r.environment.engines[1].version == "3.11.7");
  CHECK(r.environment.engines[1].executable == "/usr/bin/python3");
  REQUIRE(r.setup_of("v8-jit"));
  CHECK(r.setup_of("v8-jit")->engine == "V8 10.2");
  CHECK(r.setup_of("v8-jit")->empty_call_ns == 150);
}

TEST_CASE("the warm-up policy reads back as written, and older files have no time floor", "[results]") {
  WarmupPolicy policy;
  policy.window = 7;
  policy.max_iterations = 90;
  policy.max_seconds = 3;
  policy.min_steady_seconds = 0.125;
  Json settings = Json::object();
  add_warmup_settings(settings, policy);
  CHECK(settings["warmup_policy"]["min_steady_seconds"] == 0.125);
  const WarmupPolicy back = read_warmup_settings(JsonNode(settings, "r.json", "settings"));
  CHECK(back.automatic);
  CHECK(back.window == 7);
  CHECK(back.max_iterations == 90);
  CHECK(back.max_seconds == 3);
  CHECK(back.min_steady_seconds == 0.125);
  CHECK(warmup_policy_text(back) == "warm-up until steady: 7 steady iterations lasting 0.125 s, at most 90 iterations or 3 s");
  settings["warmup_policy"].erase("min_steady_seconds");
  CHECK(read_warmup_settings(JsonNode(settings, "old.json", "settings")).min_steady_seconds == 0);
}

TEST_CASE("a result nested deeper than a workload may return is refused, naming the run's result", "[results]") {
  const auto run_with_result_nested = [](std::size_t levels) {
    // Put in as text: parsing a result 100,000 levels deep to build the run would overflow the stack.
    std::string run = results_run(R"({"result": "here"})");
    run.replace(run.find("\"here\""), 6, std::string(levels, '[') + std::string(levels, ']'));
    return with_runs(run);
  };
  // 201 arrays: the innermost is 200 steps below the result, as deep as the converters allow.
  const auto deepest = read_results_file(file_with("deep_ok.json", run_with_result_nested(201)));
  REQUIRE(deepest.runs[0].result);
  CHECK(deepest.runs[0].result->is_array());
  const std::string path = file_with("deep.json", run_with_result_nested(202));
  // Levels are counted as the converters count them (README): the 202nd array is 201 levels in.
  CHECK(load_error(path) == path + ": runs[0].result: nested deeper than 200 levels (an array or object 201 levels inside "
                                   "the outermost; the converters allow 201 nested in all)");
  // Far deeper files are refused while parsing (copying or converting them overflowed the stack).
  for (std::size_t levels : {20'000, 100'000}) {
    const std::string very = file_with("very_deep.json", run_with_result_nested(levels));
    CHECK(load_error(very) == very + ": runs[0].result[0][0][0][0][0]…: nested deeper than 256 levels");
  }
}

TEST_CASE("integers beyond their field's range are refused as written, never wrapped or narrowed", "[results]") {
  const auto settings_error = [](const std::string& name, const std::string& settings) {
    return load_error(file_with(name, document(settings)));
  };
  const auto settings_error_with = [&](const std::string& name, const std::string& field, const std::string& value) {
    return settings_error(name, settings_with(field, value));
  };
  CHECK_THAT(load_error(file_with("size_2_63.json", with_runs(results_run(R"({"size": 9223372036854775808})")))),
             Catch::EndsWith("runs[0].size: expected a whole number from 0 to 9007199254740992, found 9223372036854775808"));
  CHECK_THAT(load_error(file_with("size_neg.json", with_runs(results_run(R"({"size": -5})")))),
             Catch::EndsWith("runs[0].size: expected a whole number from 0 to 9007199254740992, found -5"));
  CHECK_THAT(load_error(file_with("procs_2_64.json", with_runs(results_run(R"({"processes": 18446744073709551615})")))),
             Catch::EndsWith("runs[0].processes: expected a whole number from 0 to 2147483647, found 18446744073709551615"));
  // 2^32 + 2 was read as 2 shards, and its plan of 2 accepted.
  CHECK_THAT(settings_error_with("shards.json", "shard", R"({"count": 4294967298, "included": [1], "plan": [[], []]})"),
             Catch::EndsWith("settings.shard.count: expected a whole number from 1 to 2147483647, found 4294967298"));
  // 2^40 warm-up iterations were read as 0, and a negative count was accepted.
  CHECK_THAT(settings_error_with("warmup_2_40.json", "warmup", "1099511627776"),
             Catch::EndsWith("settings.warmup: expected a whole number from 0 to 1000000, found 1099511627776"));
  CHECK_THAT(settings_error_with("warmup_neg.json", "warmup", "-3"),
             Catch::EndsWith("settings.warmup: expected a whole number from 0 to 1000000, found -3"));
  CHECK_THAT(settings_error("window.json", R"({"size": "quick", "processes": 2, "warmup": "auto",
    "warmup_policy": {"window": 4294967306, "max_iterations": 20, "max_seconds": 1}, "iterations": 5, "configs": ["v8-jit"],
    "wall_seconds": 1.5})"),
             Catch::EndsWith("settings.warmup_policy.window: expected a whole number from 5 to 2147483647, found 4294967306"));
  const Json wide = Json::parse("18446744073709551615");
  CHECK_THROWS_WITH(JsonNode(wide, "f.json", "x").integer(),
                    "f.json: x: expected a whole number from -9223372036854775808 to 9223372036854775807, found 18446744073709551615");
}

TEST_CASE("a file without the settings run writes, or with no configurations, is refused", "[results]") {
  const std::string no_settings = file_with("no_settings.json", R"({"schema": "polyhost.results/1", "environment": )" +
                                                                     std::string(kResultsEnvironment) + R"(, "runs": []})");
  CHECK(load_error(no_settings) == no_settings + ": settings: missing");
  for (const char* field : {"size", "processes", "warmup", "iterations", "configs", "wall_seconds"}) {
    Json settings = Json::parse(kSettings);
    settings.erase(field);
    const std::string path = file_with("settings_without.json", document(settings.dump()));
    CHECK(load_error(path) == path + ": settings." + field + ": missing");
  }
  // An empty list made merge drop every ratio without a word.
  const std::string no_configs = file_with("no_configs.json", document(settings_with("configs", "[]")));
  CHECK(load_error(no_configs) ==
        no_configs + ": settings.configs: expected the configurations that were run (at least one), found an array of 0");
}

TEST_CASE("per-process entries must be one per process, and indices within its series", "[results]") {
  // Two processes of 3 iterations each (one warm-up, two measured).
  const auto run_with = [](const std::string& fields) {
    return with_runs(results_run(R"({"processes": 2, "samples_ns": [10, 20, 30, 40], "process_samples_ns": [[10, 20], [30, 40]],
      "warmup_ns": [50, 60], "process_warmup_ns": [[50], [60]])" + fields + "}"));
  };
  const auto process_warmup = [](const std::string& outliers, const std::string& segments) {
    return R"({"classification": "flat", "steady_iteration": 1, "steady_ns": 20, "outliers": )" + outliers +
           R"(, "segments": )" + segments + "}";
  };
  const auto warmup_of = [](const std::string& processes) {
    return R"(, "warmup": {"classification": "flat", "detail": "", "steady_iteration": 1, "steady_ns": 20,
      "processes": [)" + processes + "]}";
  };
  const std::string good = process_warmup("[0]", R"([{"begin": 0, "end": 2, "mean_ns": 20, "stdev_ns": 1}])");
  const auto r = read_results_file(file_with("per_process_ok.json", run_with(R"(, "steady_from": [1, null])" +
                                                                           warmup_of(good + "," + good))));
  CHECK(r.runs[0].steady_from.size() == 2);
  CHECK(r.runs[0].warmup_by_process.size() == 2);

  // 50 entries for 2 processes were accepted and changed the report's table.
  CHECK_THAT(load_error(file_with("steady_many.json", run_with(R"(, "steady_from": [1, 1, 1])"))),
             Catch::EndsWith("runs[0].steady_from: 3 entries for 2 processes"));
  CHECK_THAT(load_error(file_with("warmup_many.json", run_with(warmup_of(good + "," + good + "," + good)))),
             Catch::EndsWith("runs[0].warmup.processes: 3 entries for 2 processes"));
  CHECK_THAT(load_error(file_with("processes_many.json", with_runs(results_run(R"({"processes": 1000000000,
    "samples_ns": [10, 20], "process_samples_ns": [[10], [20]]})")))),
             Catch::EndsWith("runs[0].processes: 1000000000, but process_samples_ns holds 2 processes"));
  // Negative indices were cast to size_t.
  CHECK_THAT(load_error(file_with("outlier_neg.json", run_with(warmup_of(good + "," + process_warmup("[-1]", "[]"))))),
             Catch::EndsWith("runs[0].warmup.processes[1].outliers[0]: expected a whole number from 0 to 2, found -1"));
  CHECK_THAT(load_error(file_with("segment_neg.json", run_with(warmup_of(
                 good + "," + process_warmup("[]", R"([{"begin": -1, "end": 2, "mean_ns": 20, "stdev_ns": 1}])"))))),
             Catch::EndsWith("runs[0].warmup.processes[1].segments[0].begin: expected a whole number from 0 to 3, found -1"));
  CHECK_THAT(load_error(file_with("segment_end.json", run_with(warmup_of(
                 good + "," + process_warmup("[0]", R"([{"begin": 1, "end": 3, "mean_ns": 20, "stdev_ns": 1}])"))))),
             Catch::EndsWith("runs[0].warmup.processes[1].segments[0].end: expected a whole number from 1 to 2, found 3"));
}

TEST_CASE("a break-even's reason for never is kept, and files without it still read", "[results]") {
  Results results = read_results_file(file_with("break_even_base.json", with_runs(kGoodRun)));
  results.break_evens = {{"w", "pypy3", "cpython", std::nullopt, false, true}, {"w", "v8-jit", "v8-ignition", std::nullopt, false, false}};
  std::ostringstream text;
  write_results_json(results, text);
  Json written = Json::parse(text.str());
  CHECK(written["break_evens"][0]["slower_once_warm"] == true);
  const Results again = read_results_json(written, "break_evens.json");
  REQUIRE(again.break_evens.size() == 2);
  CHECK(again.break_evens[0].slower_once_warm);
  CHECK_FALSE(again.break_evens[1].slower_once_warm);
  written["break_evens"][0].erase("slower_once_warm");
  CHECK_FALSE(read_results_json(written, "old.json").break_evens[0].slower_once_warm);
}

TEST_CASE("a tier ratio from fewer workloads than a CI needs is written as a range, and older files still read", "[results]") {
  Results results = read_results_file(file_with("tiers_base.json", with_runs(kGoodRun)));
  results.tier_ratios = {{"q2", "cpython", "v8-jit", 0.311, {0.120, 0.806}, 2}, {"q6", "cpython", "v8-jit", 5.0, {4.0, 6.0}, 6}};
  std::ostringstream text;
  write_results_json(results, text);
  const Json written = Json::parse(text.str());
  CHECK(written["tier_ratios"][0]["ci95"].is_null());
  CHECK(written["tier_ratios"][0]["range"] == Json::array({0.120, 0.806}));
  CHECK(written["tier_ratios"][1]["ci95"] == Json::array({4.0, 6.0}));
  CHECK_FALSE(written["tier_ratios"][1].contains("range"));
  const Results again = read_results_json(written, "tiers.json");
  REQUIRE(again.tier_ratios.size() == 2);
  CHECK(again.tier_ratios[0].interval.low == 0.120);
  CHECK(again.tier_ratios[0].interval.high == 0.806);
  CHECK_FALSE(again.tier_ratios[0].has_ci95());
  CHECK(again.tier_ratios[1].has_ci95());

  Json old = written;  // before "range": ci95 whatever the count
  old["tier_ratios"][0].erase("range");
  old["tier_ratios"][0]["ci95"] = Json::array({0.120, 0.806});
  CHECK(read_results_json(old, "old.json").tier_ratios[0].interval.high == 0.806);

  Json wrong = written;
  wrong["tier_ratios"][1]["range"] = Json::array({4.0, 6.0});
  wrong["tier_ratios"][1]["ci95"] = nullptr;
  CHECK_THROWS_WITH(read_results_json(wrong, "wrong.json"),
                    Catch::Contains("tier_ratios[1].range") && Catch::Contains("only for fewer than 6 workloads"));
  Json both = written;
  both["tier_ratios"][0]["ci95"] = Json::array({0.120, 0.806});
  CHECK_THROWS_WITH(read_results_json(both, "both.json"), Catch::Contains("tier_ratios[0].ci95: expected null beside a range"));
}

TEST_CASE("a field run writes in every file is required: missing, it is named, never read as a default", "[results]") {
  // process_samples_ns missing was reported as "steady_from: 2 entries for 1 processes", process_warmup_ns
  // missing as "cold_ns: not the first iteration ...", and a missing size was read as 0.
  for (const char* field : {"workload", "language", "config", "status", "message", "size_name", "size", "processes",
                            "samples_ns", "warmup_ns", "process_samples_ns", "process_warmup_ns", "verified", "has_verify"}) {
    const std::string path = file_with("run_without.json", with_runs(results_run(R"({"steady_from": [0]})", {field})));
    CHECK(load_error(path) == path + ": runs[0]." + field + ": missing");
  }
  // The environment's fields were read as "" or 0 (merge then took the file for another machine).
  const std::string no_environment = file_with("no_env.json", R"({"schema": "polyhost.results/1", "settings": )" +
                                                                  std::string(kSettings) + R"(, "runs": []})");
  CHECK(load_error(no_environment) == no_environment + ": environment: missing");
  for (const char* field : {"polyhost_version", "git_commit", "engines", "cpu_model", "cpu_count", "os", "command_line",
                            "start_time", "configs", "empty_call_ns"}) {
    Json environment = Json::parse(kResultsEnvironment);
    environment.erase(field);
    const std::string path = file_with("env_without.json", R"({"schema": "polyhost.results/1", "environment": )" +
                                                                environment.dump() + R"(, "settings": )" + kSettings +
                                                                R"(, "runs": []})");
    CHECK(load_error(path) == path + ": environment." + field + ": missing");
  }
}

TEST_CASE("names and words a run or the settings cannot hold refuse the file", "[results]") {
  CHECK_THAT(load_error(file_with("empty_name.json", with_runs(results_run(R"({"workload": ""})")))),
             Catch::EndsWith("runs[0].workload: expected a workload's name, found the string \"\""));
  CHECK_THAT(load_error(file_with("language.json", with_runs(results_run(R"({"language": "rust"})")))),
             Catch::EndsWith("runs[0].language: expected \"js\" or \"py\", found the string \"rust\""));
  CHECK_THAT(load_error(file_with("size_name.json", with_runs(results_run(R"({"size_name": "enormous"})")))),
             Catch::EndsWith("runs[0].size_name: expected \"quick\" or \"default\", found the string \"enormous\""));
  CHECK_THAT(load_error(file_with("settings_size.json", document(settings_with("size", "\"enormous\"")))),
             Catch::EndsWith("settings.size: expected \"quick\" or \"default\", found the string \"enormous\""));
  CHECK_THAT(load_error(file_with("configs_twice.json", document(settings_with("configs", R"(["v8-jit", "cpython", "v8-jit"])")))),
             Catch::EndsWith("settings.configs[2]: \"v8-jit\" again: it is settings.configs[0] too (a configuration is run once)"));
}

TEST_CASE("a run its settings or its own verdict contradict is taken out, naming the field", "[results]") {
  const std::string path = file_with("contradictions.json", with_runs(
      results_run(R"({"workload": "a", "config": "v8-ignition"})") + "," +
      results_run(R"({"workload": "b", "size_name": "default"})") + "," +
      results_run(R"({"workload": "c", "processes": 0, "samples_ns": [], "process_samples_ns": [], "process_warmup_ns": []})") + "," +
      results_run(R"({"workload": "d", "verified": true, "has_verify": false, "result": 1})") + "," +
      results_run(R"({"workload": "e", "verified": false, "has_verify": true, "result": 1})") + "," +
      results_run(R"({"workload": "f", "verified": false, "has_verify": true, "result": null})") + "," +
      results_run(R"({"workload": "g", "status": "error", "processes": 0, "samples_ns": [], "process_samples_ns": [],
                      "process_warmup_ns": [], "has_verify": true})") + "," +
      results_run(R"({"workload": "h", "verified": true, "has_verify": true, "result": 1})")));
  auto r = read_results_file(path);
  REQUIRE(r.runs.size() == 8);
  CHECK(r.runs[0].problem == path + ": runs[0].config: \"v8-ignition\" is not among the configurations run (settings.configs: v8-jit)");
  CHECK(r.runs[1].problem == path + ": runs[1].size_name: \"default\", but the file was run at quick sizes (settings.size)");
  // Read as ok with nothing measured, report said every run was ok.
  CHECK(r.runs[2].problem == path + ": runs[2].samples_ns: none, but the run is ok (an ok run measured at least one iteration)");
  CHECK(r.runs[3].problem == path + ": runs[3].verified: true, but has_verify is false (the workload has no verify() to pass)");
  CHECK(r.runs[4].problem == path + ": runs[4].verified: false, but the run is ok and its workload has a verify() "
                                    "(has_verify), which an ok run has passed");
  // Earlier versions wrote verified false when run() returned null: those files stay readable.
  CHECK(r.runs[5].problem.empty());
  CHECK(r.runs[6].problem.empty());
  CHECK(r.runs[7].problem.empty());
  CHECK_THAT(load_error(file_with("warm_groups.json", with_runs(results_run(R"({"process_warmup_ns": [[], []]})")))),
             Catch::EndsWith("runs[0].process_warmup_ns: 2 entries for 1 processes"));
}

TEST_CASE("one workload's runs in a file run at one size, as merge requires of files, and an ok run knows its size", "[results]") {
  const std::string multi = R"({"polyhost_version": "0.1.0", "git_commit": "abc", "engines": [], "cpu_model": "Test CPU",
    "cpu_count": 2, "os": "Linux", "command_line": "polyhost run", "start_time": "2026-01-01T00:00:00Z",
    "configs": {"v8-jit": {"engine": "V8 10.2", "flags": []}, "cpython": {"engine": "CPython 3.11", "flags": []}},
    "empty_call_ns": {}})";
  const std::string settings = settings_with("configs", R"(["v8-jit", "cpython"])");
  const auto file = [&](const std::string& runs) {
    return R"({"schema": "polyhost.results/1", "environment": )" + multi + R"(, "settings": )" + settings +
           R"(, "runs": [)" + runs + "]}";
  };
  const std::string path = file_with("sizes.json", file(
      results_run(R"({"workload": "queens", "size": 9})") + "," +
      results_run(R"({"workload": "queens", "config": "cpython", "language": "py", "size": 11})") + "," +
      results_run(R"({"workload": "nbody", "status": "error", "processes": 0, "samples_ns": [], "process_samples_ns": [],
                      "process_warmup_ns": [], "size": 0})") + "," +
      results_run(R"({"workload": "nbody", "config": "cpython", "language": "py", "size": 7})") + "," +
      results_run(R"({"workload": "sieve", "size": 0})") + "," +
      // As run writes a workload whose two files give two sizes: both invalid, each at its file's.
      results_run(R"({"workload": "split", "status": "invalid", "processes": 0, "samples_ns": [], "process_samples_ns": [],
                      "process_warmup_ns": [], "size": 2})") + "," +
      results_run(R"({"workload": "split", "config": "cpython", "language": "py", "status": "invalid", "processes": 0,
                      "samples_ns": [], "process_samples_ns": [], "process_warmup_ns": [], "size": 3})")));
  const auto r = read_results_file(path);
  REQUIRE(r.runs.size() == 7);
  CHECK(r.runs[0].problem.empty());
  CHECK(r.runs[1].problem == path + ": runs[1].size: 11, but runs[0] (queens [v8-jit]) ran at 9 (a workload's runs in one "
                                    "file run at one size)");
  // A run that failed before its size was known agrees with any.
  CHECK(r.runs[2].problem.empty());
  CHECK(r.runs[3].problem.empty());
  CHECK(r.runs[4].problem == path + ": runs[4].size: 0, but the run is ok (size 0 is only for a run that failed before "
                                    "its size was known)");
  // Runs that are not ok are never compared (no ratio is taken from them).
  CHECK(r.runs[5].problem.empty());
  CHECK(r.runs[6].problem.empty());
}

TEST_CASE("a key written twice in one object is refused as the file is parsed, naming the object", "[results]") {
  std::string run = results_run(R"({"status": "crash", "message": "died"})");
  run.replace(run.find("\"message\""), 0, R"("status": "ok", )");
  const std::string path = file_with("dupkey.json", with_runs(run));
  CHECK(load_error(path) == path + ": runs[0]: duplicate key \"status\" (a key is written once in an object)");
  const std::string top = file_with("dupkey_top.json", R"({"schema": "polyhost.results/1", "schema": "x"})");
  CHECK(load_error(top) == top + ": the document: duplicate key \"schema\" (a key is written once in an object)");
  // The same key in different objects, and in an array's objects, is fine.
  CHECK(load_error(file_with("samekey.json", with_runs(kGoodRun + "," + results_run(R"({"workload": "v"})")))) == "(no error)");
}

TEST_CASE("fields that contradict each other or what a measurement can be refuse the file or take the run out", "[results]") {
  // Refused: the file as a whole is wrong.
  std::string no_cores = document(kSettings);
  no_cores.replace(no_cores.find("\"cpu_count\": 2"), 14, "\"cpu_count\": 0");
  CHECK_THAT(load_error(file_with("cpus.json", no_cores)),
             Catch::EndsWith("environment.cpu_count: expected a whole number from 1 to 2147483647, found 0"));
  // (0 is merge's "the machines differ", in a file with a machines list: the merge tests read one.)
  CHECK_THAT(load_error(file_with("noenvconfig.json", document(settings_with("configs", R"(["v8-jit", "cpython"])")))),
             Catch::EndsWith("environment.configs.cpython: missing, but settings.configs lists it (run records every "
                             "configuration it runs)"));
  CHECK_THAT(load_error(file_with("rss_half.json", with_runs(results_run(R"({
    "memory": {"processes": [{"peak_rss_bytes": 1.5, "rss_after_setup_bytes": null, "heap_after_setup_bytes": null,
    "heap_total_after_setup_bytes": null, "heap_peak_bytes": null, "heap_measure": "none"}]}})")))),
             Catch::EndsWith("runs[0].memory.processes[0].peak_rss_bytes: expected a positive whole number of bytes (or null), "
                             "found 1.5"));
  // With warm-up until steady every process has the detector's decision; a fixed warm-up may have none.
  const std::string auto_settings = settings_with("warmup", "\"auto\"");
  CHECK_THAT(load_error(file_with("steady_empty.json", document(auto_settings, results_run(R"({"steady_from": []})")))),
             Catch::EndsWith("runs[0].steady_from: 0 entries for 1 processes"));
  CHECK(load_error(file_with("steady_empty_fixed.json", with_runs(results_run(R"({"steady_from": []})")))) == "(no error)");
  // Taken out: the run contradicts its configuration.
  const std::string path = file_with("language.json", with_runs(results_run(R"({"language": "py"})")));
  CHECK(read_results_file(path).runs[0].problem == path + ": runs[0].language: \"py\", but v8-jit runs js files");
}

TEST_CASE("max_processes reads back, older files have the planned count, and no run may exceed it", "[results]") {
  const Results old_file = read_results_file(file_with("old_max.json", with_runs(kGoodRun)));
  CHECK(old_file.settings.max_processes == 2);
  CHECK(processes_text(old_file.settings) == "2 processes");

  const std::string three = results_run(R"({"samples_ns": [10, 20, 30], "process_samples_ns": [[10], [20], [30]]})");
  const std::string path = file_with("max.json", document(settings_with("max_processes", "3"), three));
  Results r = read_results_file(path);
  CHECK(r.settings.max_processes == 3);
  CHECK(r.runs[0].problem.empty());
  CHECK(processes_text(r.settings) == "2 processes (up to 3 where they disagree)");
  CHECK(runs_with_extra_processes(r) == "w [v8-jit] 3");
  std::ostringstream out;
  write_results_json(r, out);
  CHECK(Json::parse(out.str())["settings"]["max_processes"] == 3);

  const std::string over = file_with("over_max.json", with_runs(three));
  CHECK(read_results_file(over).runs[0].problem ==
        over + ": runs[0].processes: 3, but the file's runs had at most 2 (settings.max_processes)");
  const std::string below = file_with("below_max.json", document(settings_with("max_processes", "1"), kGoodRun));
  CHECK_THAT(load_error(below), Catch::Contains("settings.max_processes"));

  Settings fixed = r.settings, more = r.settings;
  fixed.max_processes = 2;
  CHECK(measurement_difference(fixed, more) == "processes 2 vs 2 up to 3");
}

TEST_CASE("min_measure_seconds reads back, older files have none, and a difference is named", "[results]") {
  CHECK(read_results_file(file_with("old_floor.json", with_runs(kGoodRun))).settings.min_measure_seconds == 0);
  const std::string path = file_with("floor.json", document(settings_with("min_measure_seconds", "0.25"), kGoodRun));
  Results r = read_results_file(path);
  CHECK(r.settings.min_measure_seconds == 0.25);
  CHECK(measured_text(r.settings) ==
        "5 measured iterations or more: as many as last 0.25 s in a run's first process, and as many in its others");
  std::ostringstream out;
  write_results_json(r, out);
  CHECK(Json::parse(out.str())["settings"]["min_measure_seconds"] == 0.25);
  CHECK_THAT(load_error(file_with("bad_floor.json", document(settings_with("min_measure_seconds", "-1"), kGoodRun))),
             Catch::Contains("settings.min_measure_seconds"));
  Settings none = r.settings;
  none.min_measure_seconds = 0;
  CHECK(measurement_difference(none, r.settings) ==
        "5 measured iterations vs 5 measured iterations or more: as many as last 0.25 s in a run's first process, and "
        "as many in its others");
}

TEST_CASE("the load average at the start is kept, read back, and a busy machine is noted", "[results]") {
  Json doc = Json::parse(with_runs(kGoodRun));
  auto loaded = read_results_file(file_with("no_load.json", doc.dump()));  // files written before it
  CHECK_FALSE(loaded.environment.load_average);
  CHECK(busy_machine_note(loaded.environment).empty());
  doc["environment"]["load_average"] = 3.4;
  doc["environment"]["cpu_count"] = 2;
  loaded = read_results_file(file_with("load.json", doc.dump()));
  REQUIRE(loaded.environment.load_average);
  CHECK(*loaded.environment.load_average == 3.4);
  CHECK(environment_to_json(loaded.environment)["load_average"] == 3.4);
  CHECK(busy_machine_note(loaded.environment) ==
        "the machine is busy (load average 3.40 on 2 cores when this started): figures will be noisier than on an idle machine");
  loaded.environment.load_average = 1.0;  // half of 2 cores: not busy
  CHECK(busy_machine_note(loaded.environment).empty());
  doc["environment"]["load_average"] = -1;
  CHECK_THAT(load_error(file_with("bad_load.json", doc.dump())), Catch::Contains("load_average"));
}
