// Reading results files through the model's one reader: what breaks the whole file (with the path
// and field named), and what only takes one run out of the comparison (Run::problem).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <nlohmann/json.hpp>

#include "host/model/results.h"

using namespace polyhost;

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

std::string with_runs(const std::string& runs) {
  return R"({"schema": "polyhost.results/1", "environment": {}, "settings": )" + std::string(kSettings) + R"(, "runs": [)" +
         runs + "]}";
}

// kSettings with FIELD's value replaced by VALUE, or added.
std::string settings_with(const std::string& field, const std::string& value) {
  Json settings = Json::parse(kSettings);
  settings[field] = Json::parse(value);
  return settings.dump();
}

const char* kGoodRun = R"({"workload": "w", "config": "v8-jit", "status": "ok", "size": 5,
  "samples_ns": [10, 20, 30], "process_samples_ns": [[10, 20], [30]]})";

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
  const std::string path = file_with("zero.json", with_runs(std::string(kGoodRun) + R"(,
    {"workload": "v", "config": "v8-jit", "status": "ok", "samples_ns": [5, 0, 7]},
    {"workload": "u", "config": "v8-jit", "status": "ok", "samples_ns": [5, "fast"]},
    {"workload": "t", "config": "v8-jit", "status": "ok", "samples_ns": [5, 1.7e308]},
    {"workload": "s", "config": "v8-jit", "status": "ok", "samples_ns": [5, 5e-324]},
    {"workload": "r", "config": "v8-jit", "status": "ok", "samples_ns": [5, 0.0009]},
    {"workload": "q", "config": "v8-jit", "status": "ok", "samples_ns": [5, 0.001]})"));
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
  const std::string path = file_with("damaged_warm.json", with_runs(R"({"workload": "w", "config": "v8-jit", "status": "ok",
    "size": 5, "samples_ns": [10, 0, 30, 20, 21, 22], "process_samples_ns": [[10, 0, 30], [20, 21, 22]], "warmup": )" +
                                                                     analysis + "}"));
  auto r = read_results_file(path);
  REQUIRE(r.runs.size() == 1);
  CHECK_THAT(r.runs[0].problem, Catch::Contains("runs[0].samples_ns[1]"));
}

TEST_CASE("samples_ns and process_samples_ns must hold the same samples", "[results]") {
  const std::string path = file_with("disagree.json", with_runs(R"({"workload": "w", "config": "v8-jit",
    "status": "ok", "samples_ns": [11, 22, 33], "process_samples_ns": [[10, 20], [30]]})"));
  auto r = read_results_file(path);
  CHECK(r.runs[0].problem == path + ": runs[0].samples_ns and runs[0].process_samples_ns hold different samples");
}

TEST_CASE("two runs of one workload and configuration are both marked", "[results]") {
  const std::string path = file_with("dup.json", with_runs(std::string(kGoodRun) + "," + kGoodRun));
  auto r = read_results_file(path);
  REQUIRE(r.runs.size() == 2);
  CHECK(r.runs[0].problem == path + ": runs[0] and runs[1] are both w [v8-jit]");
  CHECK(r.runs[1].problem == r.runs[0].problem);
}

TEST_CASE("a field of the wrong type rejects the file, naming the field", "[results]") {
  CHECK(load_error(file_with("nullmsg.json", with_runs(R"({"workload": "w", "config": "c", "status": "ok",
    "message": null})"))) == std::filesystem::temp_directory_path().string() +
                                 "/polyhost_results_test_nullmsg.json: runs[0].message: expected a string, found null");
  CHECK_THAT(load_error(file_with("strsize.json", with_runs(R"({"workload": "w", "config": "c", "status": "ok",
    "size": "big"})"))), Catch::EndsWith("runs[0].size: expected an integer, found the string \"big\""));
  CHECK_THAT(load_error(file_with("nostatus.json", with_runs(R"({"workload": "w", "config": "c"})"))),
             Catch::EndsWith("runs[0].status: missing"));
}

TEST_CASE("counts, seconds and bytes out of range reject the file, naming the field", "[results]") {
  CHECK_THAT(load_error(file_with("iters.json", R"({"schema": "polyhost.results/1", "environment": {},
    "settings": )" + settings_with("iterations", "-3") + R"(, "runs": []})")), Catch::EndsWith("settings.iterations: expected a whole number from 1 to 2147483647, found -3"));
  CHECK_THAT(load_error(file_with("wall.json", R"({"schema": "polyhost.results/1", "environment": {},
    "settings": )" + settings_with("wall_seconds", "-5") + R"(, "runs": []})")), Catch::EndsWith("settings.wall_seconds: expected a number of at least 0, found -5"));
  CHECK_THAT(load_error(file_with("procs.json", with_runs(R"({"workload": "w", "config": "c", "status": "ok", "processes": -1})"))),
             Catch::EndsWith("runs[0].processes: expected a whole number from 0 to 2147483647, found -1"));
  CHECK_THAT(load_error(file_with("rss.json", with_runs(R"({"workload": "w", "config": "c", "status": "ok",
    "memory": {"processes": [{"peak_rss_bytes": 0, "rss_after_setup_bytes": null, "heap_after_setup_bytes": null,
    "heap_total_after_setup_bytes": null, "heap_peak_bytes": null, "heap_measure": "none"}]}})"))),
             Catch::EndsWith("runs[0].memory.processes[0].peak_rss_bytes: expected a positive number of bytes (or null), found 0"));
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
  const std::string path = file_with("stats.json", with_runs(R"({"workload": "w", "config": "v8-jit", "status": "ok",
    "samples_ns": [10, 20, 30], "stats": {"median_ns": 25, "mean_ns": 20, "stdev_ns": 10, "min_ns": 10, "max_ns": 30,
    "ci95_ns": [10, 30], "count": 3}},
    {"workload": "v", "config": "v8-jit", "status": "ok", "samples_ns": [10, 20, 30], "stats": null})"));
  auto r = read_results_file(path);
  CHECK(r.runs[0].problem == path + ": runs[0].stats.median_ns: 25, but the samples give 20");
  CHECK(r.runs[1].problem.empty());
  REQUIRE(r.runs[1].summary);
  CHECK(r.runs[1].summary->median == 20);
}

TEST_CASE("a status polyhost does not know rejects the file", "[results]") {
  CHECK_THAT(load_error(file_with("status.json", with_runs(R"({"workload": "w", "config": "c", "status": "fine"})"))),
             Catch::EndsWith("runs[0].status: expected a run status (ok, error, mismatch, ...), found the string \"fine\""));
}

TEST_CASE("files written before the engines list still name their engines", "[results]") {
  auto r = read_results_file(file_with("old_env.json", R"({"schema": "polyhost.results/1", "environment": {
    "v8_version": "10.2.154.26-node.37", "python_version": "3.11.7", "python_executable": "/usr/bin/python3",
    "configs": {"v8-jit": {"engine": "V8 10.2", "flags": []}}, "empty_call_ns": {"v8-jit": 150}}, "settings": )" +
                                             std::string(kSettings) + R"(, "runs": []})"));
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
    return with_runs(R"({"workload": "w", "config": "v8-jit", "status": "ok", "result": )" + std::string(levels, '[') +
                     std::string(levels, ']') + "}");
  };
  // 201 arrays: the innermost is 200 steps below the result, as deep as the converters allow.
  const auto deepest = read_results_file(file_with("deep_ok.json", run_with_result_nested(201)));
  REQUIRE(deepest.runs[0].result);
  CHECK(deepest.runs[0].result->is_array());
  const std::string path = file_with("deep.json", run_with_result_nested(202));
  CHECK(load_error(path) == path + ": runs[0].result: nested deeper than 200 levels");
  // Far deeper files are refused while parsing (copying or converting them overflowed the stack).
  for (std::size_t levels : {20'000, 100'000}) {
    const std::string very = file_with("very_deep.json", run_with_result_nested(levels));
    CHECK(load_error(very) == very + ": runs[0].result[0][0][0][0][0]…: nested deeper than 256 levels");
  }
}

TEST_CASE("integers beyond their field's range are refused as written, never wrapped or narrowed", "[results]") {
  const auto settings_error = [](const std::string& name, const std::string& settings) {
    return load_error(file_with(name, R"({"schema": "polyhost.results/1", "environment": {}, "settings": )" + settings +
                                          R"(, "runs": []})"));
  };
  const auto settings_error_with = [&](const std::string& name, const std::string& field, const std::string& value) {
    return settings_error(name, settings_with(field, value));
  };
  CHECK_THAT(load_error(file_with("size_2_63.json", with_runs(R"({"workload": "w", "config": "c", "status": "ok",
    "size": 9223372036854775808})"))),
             Catch::EndsWith("runs[0].size: expected a whole number from 0 to 9007199254740992, found 9223372036854775808"));
  CHECK_THAT(load_error(file_with("size_neg.json", with_runs(R"({"workload": "w", "config": "c", "status": "ok", "size": -5})"))),
             Catch::EndsWith("runs[0].size: expected a whole number from 0 to 9007199254740992, found -5"));
  CHECK_THAT(load_error(file_with("procs_2_64.json", with_runs(R"({"workload": "w", "config": "c", "status": "ok",
    "processes": 18446744073709551615})"))),
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
  const std::string no_settings = file_with("no_settings.json", R"({"schema": "polyhost.results/1", "environment": {}, "runs": []})");
  CHECK(load_error(no_settings) == no_settings + ": settings: missing");
  for (const char* field : {"size", "processes", "warmup", "iterations", "configs", "wall_seconds"}) {
    Json settings = Json::parse(kSettings);
    settings.erase(field);
    const std::string path = file_with("settings_without.json", R"({"schema": "polyhost.results/1", "environment": {},
      "settings": )" + settings.dump() + R"(, "runs": []})");
    CHECK(load_error(path) == path + ": settings." + field + ": missing");
  }
  // An empty list made merge drop every ratio without a word.
  const std::string no_configs = file_with("no_configs.json", R"({"schema": "polyhost.results/1", "environment": {},
    "settings": )" + settings_with("configs", "[]") + R"(, "runs": []})");
  CHECK(load_error(no_configs) ==
        no_configs + ": settings.configs: expected the configurations that were run (at least one), found an array of 0");
}

TEST_CASE("per-process entries must be one per process, and indices within its series", "[results]") {
  // Two processes of 3 iterations each (one warm-up, two measured).
  const auto run_with = [](const std::string& fields) {
    return with_runs(R"({"workload": "w", "config": "v8-jit", "status": "ok", "processes": 2,
      "samples_ns": [10, 20, 30, 40], "process_samples_ns": [[10, 20], [30, 40]], "process_warmup_ns": [[50], [60]])" +
                     fields + "}");
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
  CHECK_THAT(load_error(file_with("processes_many.json", with_runs(R"({"workload": "w", "config": "v8-jit",
    "status": "ok", "processes": 1000000000, "samples_ns": [10, 20], "process_samples_ns": [[10], [20]]})"))),
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
