// The start-up model: its one writer and one checked reader (a file read back is what was written;
// a damaged one is refused naming the file and the JSON path), the worker and helper messages, the
// difference of medians, byte formatting and the value bar chart.
#include <catch2/catch.hpp>

#include <sstream>
#include <nlohmann/json.hpp>

#include "host/export/startup_view.h"
#include "host/model/spawn_measurement.h"
#include "host/model/startup.h"
#include "host/model/startup_worker_message.h"
#include "host/report/startup_section.h"
#include "host/report/svg_charts.h"
#include "host/stats/difference.h"
#include "host/text/bytes.h"
#include "host/text/format.h"

using namespace polyhost;

namespace {

StartupReport sample_report() {
  StartupReport r;
  r.environment.polyhost_version = "0.1.0";
  r.settings = {true, 6, 6, 3, "quick", {"v8-jit", "cpython"}, 12.5};
  StartupPhase phase;
  phase.engine = "V8";
  phase.phase = "platform";
  phase.description = "V8 platform initialization";
  phase.time_ns = StartupFigure::of({1.5e6, 1.2e6, 1.3e6, 1.4e6, 1.25e6, 1.35e6});
  phase.rss_after_bytes = StartupFigure::of({3e7, 3.1e7, 3e7, 3.05e7, 3e7, 3.02e7});
  r.phases.push_back(phase);
  StartupInstances group;
  group.engine = "CPython";
  group.description = "sub-interpreter";
  group.count = 3;
  for (int k = 2; k <= 3; ++k) {
    StartupInstanceStep step;
    step.index = k;
    step.time_ns = StartupFigure::of({5e6, 6e6});
    step.rss_added_bytes = StartupFigure::of({-4096, 1e6});  // memory given back is a negative amount
    step.rss_after_bytes = StartupFigure::of({4e7, 4.1e7});
    group.steps.push_back(step);
  }
  group.mean_time_ns = StartupFigure::of({5.5e6, 5.6e6});
  group.mean_rss_added_bytes = StartupFigure::of({5e5, 6e5});
  r.instances.push_back(group);
  StartupProcess node;
  node.name = "node -e 0";
  node.description = "/usr/bin/node";
  node.argv = {"/usr/bin/node", "-e", "0"};
  node.time_ns = StartupFigure::of({5.4e7, 5.5e7, 5.3e7, 5.6e7, 5.2e7, 5.45e7});
  node.peak_rss_bytes = StartupFigure::of({4e7, 4e7, 4.1e7, 4e7, 4e7, 4e7});
  r.processes.push_back(node);
  StartupProcess pypy = node;
  pypy.name = "pypy3 -c pass";
  pypy.status = StartupStatus::Skipped;
  pypy.message = "pypy3 is not on PATH";
  pypy.argv.clear();
  pypy.time_ns = StartupFigure::of({});
  pypy.peak_rss_bytes = StartupFigure::of({});
  r.processes.push_back(pypy);
  StartupProcess python = node;
  python.name = "python3 -c pass";
  python.time_ns = StartupFigure::of({2e7, 2.1e7, 1.9e7, 2.2e7, 2e7, 2.05e7});
  r.processes.push_back(python);
  StartupDifference difference{"gap", "node minus python", "node -e 0", "python3 -c pass", std::nullopt};
  estimate_difference(r, difference);
  r.differences.push_back(difference);
  StartupFirstResult first;
  first.workload = "fib";
  first.config = "cpython";
  first.engine = "CPython 3.11.7";
  first.size = 20;
  first.status = StartupStatus::Error;
  first.message = "fib.py:3:1: ZeroDivisionError";
  for (auto* f : {&first.start_ns, &first.engine_ns, &first.load_ns, &first.setup_ns, &first.run_ns, &first.total_ns, &first.rss_after_bytes,
                  &first.peak_rss_bytes}) {
    *f = StartupFigure::of({});
  }
  r.first_results.push_back(first);
  return r;
}

Json written(const StartupReport& r) {
  std::ostringstream out;
  write_startup_json(r, out);
  return Json::parse(out.str());
}

std::string startup_read_error(const Json& doc) {
  try {
    read_startup_json(doc, "s.json");
  } catch (const FileFormatError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("a startup file reads back as written", "[startup]") {
  const StartupReport original = sample_report();
  const Json doc = written(original);
  CHECK(doc["schema"] == kStartupSchema);
  const StartupReport back = read_startup_json(doc, "s.json");
  REQUIRE(back.phases.size() == 1);
  CHECK(back.phases[0].time_ns.samples == original.phases[0].time_ns.samples);
  REQUIRE(back.phases[0].time_ns.summary);
  CHECK(back.phases[0].time_ns.summary->median == original.phases[0].time_ns.summary->median);
  REQUIRE(back.instances.size() == 1);
  CHECK(back.instances[0].steps.size() == 2);
  CHECK(back.instances[0].steps[0].rss_added_bytes.samples[0] == -4096);
  CHECK(back.processes.size() == 3);
  CHECK(back.processes[1].status == StartupStatus::Skipped);
  CHECK(back.processes[1].message == "pypy3 is not on PATH");
  CHECK_FALSE(back.processes[1].time_ns.summary);
  REQUIRE(back.differences.size() == 1);
  REQUIRE(back.differences[0].estimate);
  CHECK(back.differences[0].estimate->difference == original.differences[0].estimate->difference);
  REQUIRE(back.first_results.size() == 1);
  CHECK(back.first_results[0].status == StartupStatus::Error);
  CHECK(back.settings.configs == std::vector<std::string>{"v8-jit", "cpython"});
  // Written again, it is the same document.
  CHECK(written(back) == doc);
  // Problems list the error, not the skipped program.
  REQUIRE(back.problems().size() == 1);
  CHECK(back.problems()[0] == "fib [cpython]: error: fib.py:3:1: ZeroDivisionError");
}

TEST_CASE("a startup file whose figures disagree with their samples is refused, naming the place", "[startup]") {
  Json doc = written(sample_report());
  doc["phases"][0]["time_ns"]["median"] = 1;
  CHECK(startup_read_error(doc) == "s.json: phases[0].time_ns.median: differs from the median of the samples");

  doc = written(sample_report());
  doc["processes"][0]["peak_rss_bytes"]["ci95"] = {1, 2};
  CHECK(startup_read_error(doc) == "s.json: processes[0].peak_rss_bytes.ci95: differs from the 95% CI of the samples' median");

  doc = written(sample_report());
  doc["processes"][0]["time_ns"]["samples"][2] = -5;
  CHECK(startup_read_error(doc) == "s.json: processes[0].time_ns.samples[2]: expected a number >= 0");

  doc = written(sample_report());
  doc["differences"][0]["median_ns"] = 12345;
  CHECK(startup_read_error(doc) == "s.json: differences[0].median_ns: differs from what the two processes' samples give");
}

TEST_CASE("figures from fewer than 6 processes (an interrupted run) are labelled a range, not a 95% CI", "[startup]") {
  StartupReport r = sample_report();
  // The sample's instance steps have 2 processes; its phase and programs 6.
  const StartupFigure& few = r.instances[0].steps[0].time_ns;
  const StartupFigure& enough = r.phases[0].time_ns;
  CHECK_FALSE(few.has_ci95());
  CHECK(enough.has_ci95());
  CHECK(startup_time_text(few) == "5.50 ms [range 5.00\u20136.00]");
  CHECK(startup_time_text(enough).find("range") == std::string::npos);
  CHECK_THAT(startup_settings_line(r),
             Catch::StartsWith("median [95% CI, or \"range\": the lowest to the highest process, not a 95% CI: fewer than 6 "
                               "processes (interrupted, or ended short)] over fresh processes"));
  CHECK(startup_difference_text(r.differences[0]).find("interval") == std::string::npos);

  Json doc = written(r);
  const Json& step = doc["instances"][0]["steps"][0]["time_ns"];
  CHECK(step["ci95"].is_null());
  CHECK(step["range"] == Json::array({5e6, 6e6}));
  CHECK_FALSE(doc["phases"][0]["time_ns"].contains("range"));
  CHECK(read_startup_json(doc, "s.json").instances[0].steps[0].time_ns.samples == few.samples);

  // A file written before "range" holds such a figure's range as its ci95: still read.
  Json old = doc;
  old["instances"][0]["steps"][0]["time_ns"]["ci95"] = {5e6, 6e6};
  old["instances"][0]["steps"][0]["time_ns"].erase("range");
  CHECK(startup_read_error(old) == "(no error)");
  // A range beside enough samples for a CI, or one that is not the samples', is refused.
  Json wrong = doc;
  wrong["phases"][0]["time_ns"]["range"] = {1.2e6, 1.5e6};
  wrong["phases"][0]["time_ns"]["ci95"] = nullptr;
  CHECK(startup_read_error(wrong) == "s.json: phases[0].time_ns.range: a range is written only for fewer than 6 samples; 6 give a "
                             "95% CI (ci95)");
  wrong = doc;
  wrong["instances"][0]["steps"][0]["time_ns"]["range"] = {5e6, 7e6};
  CHECK(startup_read_error(wrong) == "s.json: instances[0].steps[0].time_ns.range: differs from the lowest and highest sample");

  // A difference with a side of fewer than 6 processes: its bootstrap interval is no 95% CI either.
  r.processes[2].time_ns = StartupFigure::of({2e7, 2.1e7, 1.9e7});
  estimate_difference(r, r.differences[0]);
  CHECK_FALSE(r.differences[0].has_ci95);
  CHECK_THAT(startup_difference_text(r.differences[0]), Catch::Contains(" [interval +"));
  CHECK_THAT(startup_differences_table(r).title, Catch::Contains("\"interval\": a bootstrap interval from fewer than 6"));
  doc = written(r);
  CHECK(doc["differences"][0]["ci95_ns"].is_null());
  REQUIRE(doc["differences"][0]["interval_ns"].is_array());
  const StartupReport back = read_startup_json(doc, "s.json");
  CHECK_FALSE(back.differences[0].has_ci95);
  CHECK(written(back) == doc);
  old = doc;
  old["differences"][0]["ci95_ns"] = old["differences"][0]["interval_ns"];
  old["differences"][0].erase("interval_ns");
  CHECK(startup_read_error(old) == "(no error)");
}

TEST_CASE("a startup file with a broken structure is refused, naming the place", "[startup]") {
  Json doc = written(sample_report());
  doc["schema"] = "polyhost.results/1";
  CHECK(startup_read_error(doc) == "s.json: not a polyhost startup file (expected \"schema\": \"polyhost.startup/1\")");

  doc = written(sample_report());
  doc["differences"][0]["minuend"] = "deno run";
  CHECK(startup_read_error(doc) == "s.json: differences[0]: names \"deno run\", which is not among the processes");

  doc = written(sample_report());
  doc["phases"].push_back(doc["phases"][0]);
  CHECK(startup_read_error(doc) == "s.json: phases[1]: a second entry for phase \"platform\" of V8");

  doc = written(sample_report());
  doc["instances"][0]["steps"][0]["index"] = 1;
  CHECK(startup_read_error(doc) == "s.json: instances[0].steps[0].index: expected 2 (steps count up from 2)");

  doc = written(sample_report());
  doc["first_results"][0]["status"] = "fine";
  CHECK(startup_read_error(doc) ==
        "s.json: first_results[0].status: expected \"ok\", \"error\", \"skipped\", \"interrupted\", \"timeout\", "
        "\"out-of-memory\" or \"invalid\", found \"fine\"");

  doc = written(sample_report());
  doc["first_results"][0].erase("message");
  CHECK(startup_read_error(doc) == "s.json: first_results[0].message: missing");
}

TEST_CASE("a first result that timed out or ran out of memory keeps that verdict in the file and the table", "[startup]") {
  StartupReport r = sample_report();
  StartupFirstResult second = r.first_results[0];
  r.first_results[0].status = StartupStatus::Timeout;
  r.first_results[0].message = "fib.py: the script was stopped after its time ran out (--timeout 3 s)";
  second.config = "v8-jit";
  second.status = StartupStatus::OutOfMemory;
  r.first_results.push_back(second);
  const StartupReport back = read_startup_json(written(r), "s.json");
  REQUIRE(back.first_results.size() == 2);
  CHECK(back.first_results[0].status == StartupStatus::Timeout);
  CHECK(back.first_results[1].status == StartupStatus::OutOfMemory);
  CHECK(back.problems()[0] == "fib [cpython]: timeout: fib.py: the script was stopped after its time ran out (--timeout 3 s)");
  const StartupTable table = startup_first_results_table(back, false);
  CHECK(table.header.back() == "status");
  CHECK(table.rows[0].back() == "TIMEOUT");
  CHECK(table.rows[1].back() == "OUT-OF-MEMORY");
  // The report marks those rows' status cells (it looked for an unnamed last column).
  std::ostringstream page;
  write_startup_section("s.json", back, page);
  CHECK(page.str().find("<td class=\"status-bad\">TIMEOUT</td>") != std::string::npos);
  CHECK(page.str().find("<td class=\"status-bad\">OUT-OF-MEMORY</td>") != std::string::npos);

  StartupWorkerMessage m;
  m.ok = false;
  m.failure = "timeout";
  CHECK(read_startup_worker_message(write_startup_worker_message(m)).failure == "timeout");
  Json doc = Json::parse(write_startup_worker_message(m));
  doc["failure"] = "slow";
  CHECK_THROWS_WITH(read_startup_worker_message(doc.dump()),
                    "startup worker message: failure: expected \"error\", \"timeout\" or \"out-of-memory\", found \"slow\"");
}

TEST_CASE("the startup worker's message and the spawn helper's read back as written", "[startup]") {
  StartupWorkerMessage m;
  m.engine = "V8 10.2";
  m.steps = {{"platform", 1.5e6, 30000000}, {"isolate", 2e6, 32000000}};
  m.instances = {{"isolate_and_context", 1e6, 33000000}};
  m.peak_rss_bytes = 34000000;
  m.size = 7;
  m.has_setup = true;
  const StartupWorkerMessage back = read_startup_worker_message(write_startup_worker_message(m));
  REQUIRE(back.steps.size() == 2);
  CHECK(back.steps[1].name == "isolate");
  CHECK(back.steps[1].ns == 2e6);
  CHECK(back.steps[1].rss_after_bytes == 32000000);
  CHECK(back.instances.size() == 1);
  CHECK(back.peak_rss_bytes == 34000000);
  CHECK(back.has_setup);
  CHECK_THROWS_WITH(read_startup_worker_message(R"({"ok": true})"), "startup worker message: message: missing");
  CHECK_THROWS_WITH(read_startup_worker_message("{\"ok\": true, \"message\": \"\", \"engine\": \"\", \"steps\": "
                                                "[{\"name\": \"x\", \"ns\": -1, \"rss_after_bytes\": 0}]}"),
                    "startup worker message: steps[0].ns: expected a duration >= 0");

  SpawnMeasurement s;
  s.wall_ns = 54000000;
  s.max_rss_kib = 40000;
  s.spawner_max_rss_kib = 3500;
  s.exit_status = 0;
  const SpawnMeasurement spawn = read_spawn_measurement(write_spawn_measurement(s));
  CHECK(spawn.wall_ns == s.wall_ns);
  CHECK(spawn.max_rss_kib == 40000);
  CHECK(max_rss_is_the_childs(spawn));
  s.max_rss_kib = 3000;  // below the helper's own peak: the kernel's figure is the helper's
  CHECK_FALSE(max_rss_is_the_childs(s));
  s.max_rss_kib = 3600;  // just above it: possibly the helper's peak grown by the spawn itself
  CHECK_FALSE(max_rss_is_the_childs(s));
  CHECK_THROWS_WITH(read_spawn_measurement("{}"), "spawn measurement: wall_ns: missing");
}

TEST_CASE("difference_of_medians: the difference of the medians with a bootstrap CI around it", "[startup][stats]") {
  const std::vector<double> a{10, 12, 11, 13, 12, 11, 12, 14};
  const std::vector<double> b{5, 6, 5, 7, 6, 5, 6, 6};
  const auto d = stats::difference_of_medians(a, b);
  CHECK(d.difference == Approx(12 - 6));
  CHECK(d.ci95.low <= d.difference);
  CHECK(d.ci95.high >= d.difference);
  CHECK(d.ci95.low > 0);  // the two sets do not overlap
  const auto again = stats::difference_of_medians(a, b);
  CHECK(again.ci95.low == d.ci95.low);  // deterministic for a seed
  CHECK(stats::difference_of_medians(b, a).difference == Approx(-6));
  CHECK_THROWS_AS(stats::difference_of_medians({}, b), std::invalid_argument);
  CHECK_THROWS_AS(stats::difference_of_medians(a, {1, std::nan("")}), std::invalid_argument);
}

TEST_CASE("format_bytes: binary units with 3 significant digits", "[startup][text]") {
  CHECK(text::format_bytes(0) == "0 B");
  CHECK(text::format_bytes(512) == "512 B");
  CHECK(text::format_bytes(1536) == "1.50 KiB");
  CHECK(text::format_bytes(35651584) == "34.0 MiB");
  CHECK(text::format_bytes(1023.7 * 1024) == "1024 KiB");
  CHECK(text::format_bytes(1.5 * 1024 * 1024 * 1024) == "1.50 GiB");
  CHECK(text::format_bytes(-1.2 * 1024 * 1024) == "-1.20 MiB");
  CHECK(text::format_bytes(std::nan("")) == "n/a");
  CHECK(text::format_bytes_with_ci(35651584, 35000000, 36000000) == "34.0 MiB [33.4\u201334.3]");
}

TEST_CASE("value_bar_chart: a titled chart with labelled bars, whiskers and a labelled axis", "[startup][report]") {
  const svg::ValueAxis axis{"resident memory (median, 95% CI)", [](double v) { return text::format_bytes(v); }, false};
  const std::string chart = svg::value_bar_chart("Peak memory", "6 processes", axis,
                                                 {{"node -e 0", 4e7, 3.9e7, 4.1e7, "#000"}, {"python3 -c pass", 1e7, 9e6, 1.1e7, "#111"}});
  CHECK(chart.rfind("<svg", 0) == 0);
  CHECK(chart.find("<title>Peak memory</title>") != std::string::npos);
  CHECK(chart.find("node -e 0") != std::string::npos);
  CHECK(chart.find("resident memory (median, 95% CI)") != std::string::npos);
  CHECK(chart.find("class=\"whisker\"") != std::string::npos);
  CHECK(chart.find("38.1 MiB") != std::string::npos);  // 4e7 bytes, the first bar's value
  const svg::ValueAxis log_axis{"time (log scale)", [](double v) { return text::format_duration_ns(v); }, true};
  const std::string log_chart = svg::value_bar_chart("Steps", "", log_axis, {{"a", 1e3, 9e2, 1.1e3, "#000"}, {"b", 1e7, 9e6, 1.1e7, "#111"}});
  CHECK(log_chart.find("1.00 \u00b5s") != std::string::npos);
  CHECK(log_chart.find("10.0 ms") != std::string::npos);
}
