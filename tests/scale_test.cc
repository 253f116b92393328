// polyhost scale without engines: the statistics derived from per-process samples, the model's one
// writer and checked reader, the coordinator of lanes (on plain threads), and the speedup chart.
#include <catch2/catch.hpp>

#include <algorithm>

#include <sstream>
#include <thread>
#include <nlohmann/json.hpp>

#include "host/export/exporters.h"
#include "host/scale/scale_modes.h"
#include "host/model/scale.h"
#include "host/model/scale_worker_message.h"
#include "host/report/svg_charts.h"
#include "host/runner/usable_cpus.h"
#include "host/scale/lane_link.h"

using namespace polyhost;

namespace {

// A process of T threads that made ITERATIONS calls each in WALL_NS.
ScaleProcess process(int threads, int iterations, double wall_ns) {
  ScaleProcess p;
  p.iterations = iterations;
  p.wall_ns = wall_ns;
  for (int t = 0; t < threads; ++t) {
    ScaleThread thread;
    thread.samples_ns.assign(static_cast<std::size_t>(iterations), wall_ns / iterations);
    p.threads.push_back(thread);
  }
  return p;
}

ScaleRun scale_run(const std::string& mode, int threads, std::vector<double> walls_ns) {
  ScaleRun r;
  r.workload = "w";
  r.mode = mode;
  r.language = "js";
  r.threads = threads;
  r.size_name = "quick";
  r.size = 10;
  for (double wall : walls_ns) r.processes.push_back(process(threads, 10, wall));
  return r;
}

// T=1: 10 calls in 100 ms (100/s); T=2: 20 calls in 100-110 ms (about 190/s), in three processes each.
ScaleReport two_thread_counts() {
  ScaleReport report;
  report.settings.thread_counts = {1, 2};
  report.settings.modes = {"v8-isolates"};
  report.runs.push_back(scale_run("v8-isolates", 1, {100e6, 100e6, 100e6}));
  report.runs.push_back(scale_run("v8-isolates", 2, {100e6, 105e6, 110e6}));
  derive_scale_statistics(report);
  return report;
}

std::string reading_error(const std::string& text) {
  try {
    read_scale_json(Json::parse(text), "s.json");
  } catch (const FileFormatError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("throughput, speedup and efficiency come from the processes' wall times", "[scale]") {
  const ScaleReport report = two_thread_counts();
  const ScaleRun& single = report.runs[0];
  const ScaleRun& two = report.runs[1];
  REQUIRE(single.throughput_per_s);
  CHECK(*single.throughput_per_s == Approx(100));
  CHECK(single.speedup->ratio == 1);
  CHECK(*two.throughput_per_s == Approx(20 / 0.105));  // the median process
  CHECK(two.speedup->ratio == Approx(20 / 0.105 / 100));
  CHECK(two.speedup->ci95.low <= two.speedup->ratio);
  CHECK(two.speedup->ci95.high >= two.speedup->ratio);
  CHECK(two.speedup->ci95.low >= Approx(20 / 0.110 / 100));
  CHECK(two.efficiency->ratio == Approx(two.speedup->ratio / 2));
}

TEST_CASE("six processes give 95% CIs, which the reader checks against the processes", "[scale]") {
  ScaleReport report;
  report.settings.thread_counts = {1, 2};
  report.settings.modes = {"v8-isolates"};
  report.runs.push_back(scale_run("v8-isolates", 1, {100e6, 101e6, 99e6, 100e6, 102e6, 98e6}));
  report.runs.push_back(scale_run("v8-isolates", 2, {100e6, 105e6, 110e6, 104e6, 103e6, 108e6}));
  derive_scale_statistics(report);
  std::ostringstream out;
  write_scale_json(report, out);
  const Json good = Json::parse(out.str());
  REQUIRE(good["runs"][1]["ci95"].is_object());
  CHECK_NOTHROW(read_scale_json(good, "s.json"));
  Json edited = good;
  edited["runs"][1]["ci95"]["speedup"][0] = 0.5;
  CHECK(reading_error(edited.dump()).find("s.json: runs[1].ci95.speedup: differs") != std::string::npos);
  // A file from before failed runs got null: an empty object reads as none.
  edited = good;
  edited["runs"][0]["status"] = "error";
  edited["runs"][0]["throughput_per_s"] = nullptr;
  edited["runs"][0]["speedup"] = nullptr;
  edited["runs"][0]["efficiency"] = nullptr;
  edited["runs"][0]["ci95"] = Json::object();
  edited["runs"][1]["speedup"] = nullptr;
  edited["runs"][1]["efficiency"] = nullptr;
  edited["runs"][1]["ci95"].erase("speedup");
  edited["runs"][1]["ci95"].erase("efficiency");
  CHECK(reading_error(edited.dump()) == "(no error)");
}

TEST_CASE("a failed run writes null intervals, not an empty object", "[scale]") {
  ScaleReport report = two_thread_counts();
  for (auto& run : report.runs) run.status = RunStatus::Error;
  derive_scale_statistics(report);
  std::ostringstream out;
  write_scale_json(report, out);
  const Json doc = Json::parse(out.str());
  for (const auto& run : doc["runs"]) {
    CHECK(run["ci95"].is_null());
    CHECK(run["range"].is_null());
  }
}

TEST_CASE("a run that is not ok, or whose T=1 is not, gets no speedup", "[scale]") {
  ScaleReport report = two_thread_counts();
  report.runs[0].status = RunStatus::Error;
  derive_scale_statistics(report);
  CHECK_FALSE(report.runs[0].throughput_per_s);
  CHECK(report.runs[1].throughput_per_s);
  CHECK_FALSE(report.runs[1].speedup);
  CHECK_FALSE(report.runs[1].efficiency);
}

TEST_CASE("a scale file reads back as written", "[scale]") {
  ScaleReport report = two_thread_counts();
  report.notes = {"a note"};
  report.modes = {{"v8-isolates", "js", "V8 10.2", "T isolates", "nothing shared", {"--no-opt", "--jitless"}}};
  report.runs[1].processes[0].threads[1].message = "fine";
  std::ostringstream out;
  write_scale_json(report, out);
  const ScaleReport back = read_scale_json(Json::parse(out.str()), "s.json");
  REQUIRE(back.runs.size() == 2);
  CHECK(back.notes == report.notes);
  CHECK(back.modes[0].parallelism == "nothing shared");
  CHECK(back.modes[0].flags == report.modes[0].flags);
  CHECK(back.runs[1].processes.size() == 3);
  CHECK(back.runs[1].processes[0].threads[1].message == "fine");
  CHECK(*back.runs[1].throughput_per_s == *report.runs[1].throughput_per_s);
  CHECK(back.runs[1].speedup->ci95.low == report.runs[1].speedup->ci95.low);
}

TEST_CASE("the scale reader names what is wrong", "[scale]") {
  std::ostringstream out;
  write_scale_json(two_thread_counts(), out);
  const Json good = Json::parse(out.str());

  Json other = good;
  other["schema"] = "polyhost.results/1";
  CHECK(reading_error(other.dump()).find("not a polyhost scale file") != std::string::npos);

  Json edited = good;
  edited["runs"][1]["speedup"] = 3.0;
  CHECK(reading_error(edited.dump()).find("s.json: runs[1].speedup: differs") != std::string::npos);

  // The intervals are checked as the figures are: three processes give ranges.
  edited = good;
  edited["runs"][1]["range"]["speedup"][1] = 9.0;
  CHECK(reading_error(edited.dump()).find("s.json: runs[1].range.speedup: differs") != std::string::npos);
  edited = good;
  edited["runs"][1]["range"]["throughput_per_s"][0] = 1.0;
  CHECK(reading_error(edited.dump()).find("s.json: runs[1].range.throughput_per_s: differs") != std::string::npos);
  edited = good;
  edited["runs"][1]["ci95"] = edited["runs"][1]["range"];
  CHECK(reading_error(edited.dump()).find("s.json: runs[1].ci95: present, though") != std::string::npos);
  edited = good;
  edited["runs"][1]["range"].erase("efficiency");
  CHECK(reading_error(edited.dump()).find("s.json: runs[1].range.efficiency: missing") != std::string::npos);

  Json wrong_threads = good;
  wrong_threads["runs"][1]["processes"][0]["threads"].erase(1);
  CHECK(reading_error(wrong_threads.dump()).find("runs[1].processes[0].threads: expected 2 threads") != std::string::npos);

  Json twice = good;
  twice["runs"][1] = good["runs"][0];
  CHECK(reading_error(twice.dump()).find("a second run of workload") != std::string::npos);

  Json negative = good;
  negative["runs"][0]["processes"][0]["threads"][0]["samples_ns"][0] = -1;
  CHECK(reading_error(negative.dump()).find("samples_ns[0]") != std::string::npos);

  Json status = good;
  status["runs"][0]["status"] = "fine";
  CHECK(reading_error(status.dump()).find("runs[0].status") != std::string::npos);
}

TEST_CASE("fewer than 6 processes give the processes' range, labelled so, not a 95% CI", "[scale]") {
  const ScaleReport few = two_thread_counts();  // 3 processes per run: [min, max] covers the median 75% of the time
  const ScaleRun& two = few.runs[1];
  CHECK(two.interval == ScaleInterval::Range);
  CHECK(two.throughput_interval.low == Approx(20 / 0.110));
  CHECK(two.throughput_interval.high == Approx(20 / 0.100));
  CHECK(two.speedup->ci95.low == Approx(20 / 0.110 / 100));
  CHECK(two.speedup->ci95.high == Approx(20 / 0.100 / 100));
  std::ostringstream json, table, markdown;
  write_scale_json(few, json);
  const Json written = Json::parse(json.str());
  CHECK(written["runs"][1]["ci95"].is_null());
  CHECK(written["runs"][1]["range"]["speedup"][0] == Approx(20 / 0.110 / 100));
  CHECK(written["runs"][1]["range"].contains("throughput_per_s"));
  CHECK(read_scale_json(written, "s.json").runs[1].interval == ScaleInterval::Range);
  write_scale_table(few, table, false);
  CHECK(table.str().find("\u00d71.90 [range 1.82\u20132.00] 95%") != std::string::npos);
  CHECK(table.str().find("range of the processes, not a 95% CI") != std::string::npos);
  CHECK(table.str().find("95% CI]") == std::string::npos);
  write_scale_markdown(few, markdown);
  CHECK(markdown.str().find("190/s [range 182\u2013200]") != std::string::npos);

  // A file written before the range existed (a ci95 object from 3 processes) reads, as a range.
  Json old = written;
  for (auto& run : old["runs"]) {
    run["ci95"] = run["range"];
    run.erase("range");
  }
  CHECK(read_scale_json(old, "s.json").runs[1].interval == ScaleInterval::Range);

  ScaleReport enough;
  enough.settings.thread_counts = {1, 2};
  enough.runs.push_back(scale_run("v8-isolates", 1, {100e6, 100e6, 100e6, 101e6, 99e6, 100e6}));
  enough.runs.push_back(scale_run("v8-isolates", 2, {100e6, 105e6, 110e6, 104e6, 106e6, 103e6}));
  derive_scale_statistics(enough);
  CHECK(enough.runs[1].interval == ScaleInterval::Ci95);
  std::ostringstream enough_json, enough_table;
  write_scale_json(enough, enough_json);
  CHECK(Json::parse(enough_json.str())["runs"][1]["range"].is_null());
  CHECK(Json::parse(enough_json.str())["runs"][1]["ci95"].contains("speedup"));
  write_scale_table(enough, enough_table, false);
  CHECK(enough_table.str().find("range") == std::string::npos);
  CHECK(enough_table.str().find("intervals: 95% CI") != std::string::npos);
}

TEST_CASE("a measured part that is mostly the lanes' start skew is flagged, and old files without the flag read", "[scale]") {
  ScaleReport report = two_thread_counts();
  report.settings.warmup = WarmupPolicy{false, 2, 8, 15, 4};  // a fixed warm-up: no "no steady state"
  // In the T=2 run's second process the threads' calls together cover a fifth of the wall time.
  for (auto& thread : report.runs[1].processes[1].threads) {
    for (double& ns : thread.samples_ns) ns /= 10;
  }
  // T=1's calls filling as little: one lane has no skew (what they leave is the loop around them).
  for (double& ns : report.runs[0].processes[0].threads[0].samples_ns) ns /= 10;
  derive_scale_statistics(report);
  CHECK(report.runs[0].warnings.empty());
  REQUIRE(report.runs[1].warnings.size() == 1);
  CHECK(report.runs[1].warnings[0].kind == "short measured part");
  CHECK(report.runs[1].warnings[0].figure == "1 of 3 processes");
  std::ostringstream json, table;
  write_scale_json(report, json);
  Json written = Json::parse(json.str());
  CHECK(read_scale_json(written, "s.json").runs[1].warnings.size() == 1);
  written["runs"][1]["warnings"] = Json::array();  // as written before the warning existed
  CHECK(read_scale_json(written, "s.json").runs[1].warnings.size() == 1);
  // As written on the morning of 2026-11-30, when single-thread runs got it too: still read, without it.
  written["runs"][0]["warnings"] = Json::array({Json::parse(json.str())["runs"][1]["warnings"][0]});
  CHECK(read_scale_json(written, "s.json").runs[0].warnings.empty());
  write_scale_table(report, table, false);
  CHECK(table.str().find("short measured part") != std::string::npos);
  CHECK(table.str().find("w | v8-isolates | T=2: 1 of 3 processes") != std::string::npos);
}

namespace {

// TWO with auto warm-up: every thread settled at its warm-up call 2 of 3, except thread 2 of the
// T=2 run's first process, which reached a cap.
ScaleReport auto_warmup_report() {
  ScaleReport report = two_thread_counts();
  report.settings.warmup = WarmupPolicy{true, 0, 8, 15, 4};
  for (auto& run : report.runs) {
    for (auto& p : run.processes) {
      for (auto& t : p.threads) {
        t.warmup_ns = {3e6, 2e6, 1e6};
        t.steady_from = 2;
      }
    }
  }
  report.runs[1].processes[0].threads[1].steady_from.reset();
  derive_scale_statistics(report);
  return report;
}

}  // namespace

TEST_CASE("auto warm-up: the policy and each thread's steady_from read back; a thread at a cap is flagged", "[scale]") {
  const ScaleReport report = auto_warmup_report();
  CHECK(report.runs[0].warnings.empty());
  REQUIRE(report.runs[1].warnings.size() == 1);
  CHECK(report.runs[1].warnings[0].kind == "no steady state");
  CHECK(report.runs[1].warnings[0].figure == "1 of 6 threads");
  CHECK(report.runs[1].warnings[0].text.find("at most 15 calls or 4 s") == std::string::npos);
  CHECK(report.runs[1].warnings[0].text.find("(15 calls or 4 s)") != std::string::npos);
  std::ostringstream out;
  write_scale_json(report, out);
  const Json doc = Json::parse(out.str());
  CHECK(doc["settings"]["warmup"] == "auto");
  CHECK(doc["settings"]["warmup_policy"]["max_iterations"] == 15);
  CHECK(doc["runs"][1]["processes"][0]["threads"][1]["steady_from"].is_null());
  const ScaleReport back = read_scale_json(doc, "s.json");
  CHECK(back.settings.warmup.automatic);
  CHECK(back.settings.warmup.window == 8);
  CHECK(back.settings.warmup.max_seconds == 4);
  CHECK(back.runs[1].processes[0].threads[0].steady_from == std::optional<std::size_t>(2));
  CHECK_FALSE(back.runs[1].processes[0].threads[1].steady_from);
  CHECK(back.runs[1].unsteady_threads() == 1);
  CHECK(back.runs[1].warnings.size() == 1);
}

TEST_CASE("a fixed warm-up writes its count and no steady_from, and flags nothing", "[scale]") {
  ScaleReport report = auto_warmup_report();
  report.settings.warmup = WarmupPolicy{false, 3, 10, 200, 20};
  derive_scale_statistics(report);
  CHECK(report.runs[1].warnings.empty());
  std::ostringstream out;
  write_scale_json(report, out);
  const Json doc = Json::parse(out.str());
  CHECK(doc["settings"]["warmup"] == 3);
  CHECK_FALSE(doc["settings"].contains("warmup_policy"));
  CHECK_FALSE(doc["runs"][0]["processes"][0]["threads"][0].contains("steady_from"));
  const ScaleReport back = read_scale_json(doc, "s.json");
  CHECK_FALSE(back.settings.warmup.automatic);
  CHECK(back.settings.warmup.fixed_iterations == 3);
}

TEST_CASE("the scale reader refuses a steady_from outside the warm-up and a warning the threads do not give", "[scale]") {
  std::ostringstream out;
  write_scale_json(auto_warmup_report(), out);
  const Json good = Json::parse(out.str());

  Json outside = good;
  outside["runs"][0]["processes"][0]["threads"][0]["steady_from"] = 3;
  CHECK(reading_error(outside.dump()).find("runs[0].processes[0].threads[0].steady_from: expected an index") !=
        std::string::npos);

  Json hidden = good;
  hidden["runs"][1]["warnings"] = Json::array();
  CHECK(reading_error(hidden.dump()).find("runs[1].warnings: differs") != std::string::npos);

  Json invented = good;
  invented["runs"][0]["warnings"] = good["runs"][1]["warnings"];
  CHECK(reading_error(invented.dump()).find("runs[0].warnings: differs") != std::string::npos);
}

TEST_CASE("a lane's steady_from travels in its report and in the worker's message", "[scale]") {
  ScaleLaneReport lane;
  lane.thread.warmup_ns = {5, 4, 3};
  lane.thread.samples_ns = {3};
  lane.thread.steady_from = 1;
  CHECK(read_scale_lane_report(write_scale_lane_report(lane)).thread.steady_from == std::optional<std::size_t>(1));
  lane.thread.steady_from.reset();
  CHECK_FALSE(read_scale_lane_report(write_scale_lane_report(lane)).thread.steady_from);

  ScaleWorkerMessage message;
  message.threads = {lane.thread, lane.thread};
  message.threads[1].steady_from = 2;
  const ScaleWorkerMessage back = read_scale_worker_message(write_scale_worker_message(message));
  REQUIRE(back.threads.size() == 2);
  CHECK_FALSE(back.threads[0].steady_from);
  CHECK(back.threads[1].steady_from == std::optional<std::size_t>(2));
  // Reference scripts write no steady_from: the host's watches fill it in.
  Json doc = Json::parse(write_scale_worker_message(message));
  doc["threads"][1].erase("steady_from");
  CHECK_FALSE(read_scale_worker_message(doc.dump()).threads[1].steady_from);
}

namespace {

// Lanes on plain threads: each says it is ready after WARMUP_NS, then (if told to go) reports
// RESULTS[k] with as many samples as it was told; a lane with FAIL set fails before the gate.
// With WARM_UNTIL_STOPPED the other lanes keep warming up until they are told to stop (or 30 s
// pass: the stop never came), and then report LATE_STATUS when it is set (a failure of their own,
// later than the first lane's), or the stop.
struct FakeLanes {
  std::vector<double> warmup_ns;
  std::vector<Value> results;
  int fail = 0;  // 1-based lane that fails before the gate; 0: none
  bool warm_until_stopped = false;
  std::optional<RunStatus> late_status{};

  static std::optional<LaneGo> wait_for_stop(LaneChannel& channel) {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < give_up) {
      if (auto stop = channel.stopped_early()) return stop;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return std::nullopt;
  }

  ScaleWorkerMessage coordinate(const CoordinatorSettings& settings) {
    std::vector<LaneLink> links;
    std::vector<std::thread> threads;
    for (std::size_t k = 0; k < warmup_ns.size(); ++k) {
      auto [channel, link] = make_lane_pipes();
      links.push_back(std::move(link));
      threads.emplace_back([this, k, channel = std::move(channel)]() mutable {
        ScaleLaneReport report;
        if (fail == static_cast<int>(k + 1)) {
          report.thread.status = RunStatus::Error;
          report.thread.message = "boom";
          channel.finish(report);
          return;
        }
        if (warm_until_stopped) {
          const std::optional<LaneGo> stop = wait_for_stop(channel);
          report.thread.status = late_status ? *late_status : stop ? stop->status : RunStatus::Ok;
          report.thread.message = late_status ? "later" : stop ? stop->message : "never stopped";
          channel.finish(report);
          return;
        }
        const LaneGo go = channel.ready(warmup_ns[k]);
        report.thread.status = go.status;
        report.thread.message = go.message;
        if (go.status == RunStatus::Ok) {
          report.thread.samples_ns.assign(static_cast<std::size_t>(go.iterations), 1000);
          report.result = results[k];
          report.started_ns = 1000 * static_cast<std::int64_t>(k + 1);
          report.ended_ns = 50000 + report.started_ns;
          report.verified = true;
        }
        channel.finish(report);
      });
    }
    ScaleWorkerMessage message = coordinate_lanes(links, settings);
    for (auto& t : threads) t.join();
    return message;
  }
};

CoordinatorSettings settings_for(int threads) {
  CoordinatorSettings s;
  s.threads = threads;
  s.min_iterations = 2;
  s.min_time_s = 0.001;  // 1 ms: 10 calls of the slowest lane's 100 µs
  s.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  s.grace_seconds = 1;
  s.timeout_seconds = 30;
  return s;
}

}  // namespace

TEST_CASE("the coordinator gives every lane the same number of calls, from the slowest warm-up", "[scale]") {
  FakeLanes lanes{{50e3, 100e3, 20e3}, {Value(1), Value(1), Value(1)}};
  const ScaleWorkerMessage m = lanes.coordinate(settings_for(3));
  CHECK(m.status == RunStatus::Ok);
  CHECK(m.iterations == 10);
  REQUIRE(m.threads.size() == 3);
  for (const auto& t : m.threads) CHECK(t.samples_ns.size() == 10);
  CHECK(m.wall_ns == 50000 + 3000 - 1000);  // first start to last end
  CHECK(m.verified);
}

TEST_CASE("a lane that fails before the gate fails the process; the others are not measured", "[scale]") {
  FakeLanes lanes{{1e3, 1e3, 1e3}, {Value(1), Value(1), Value(1)}, 2};
  const ScaleWorkerMessage m = lanes.coordinate(settings_for(3));
  CHECK(m.status == RunStatus::Error);
  CHECK(m.message == "thread 2 of 3: boom");
  CHECK(m.threads[0].status == RunStatus::Skipped);
  CHECK(m.threads[0].message.find("thread 2 of 3 failed") != std::string::npos);
  CHECK(m.threads[2].status == RunStatus::Skipped);
}

TEST_CASE("a lane that fails stops the others while they still warm up", "[scale]") {
  FakeLanes lanes{{1e3, 1e3}, {Value(1), Value(1)}, 2, true};
  const ScaleWorkerMessage m = lanes.coordinate(settings_for(2));
  CHECK(m.status == RunStatus::Error);
  CHECK(m.message == "thread 2 of 2: boom");
  CHECK(m.threads[0].status == RunStatus::Skipped);
  CHECK(m.threads[0].message == "not measured: stopped because thread 2 of 2 failed before its measured calls");
}

TEST_CASE("the verdict is the first failure in time, not the lowest thread's", "[scale]") {
  // Thread 1 fails only after it was stopped for thread 2's failure (as a timeout would).
  FakeLanes lanes{{1e3, 1e3}, {Value(1), Value(1)}, 2, true, RunStatus::Timeout};
  const ScaleWorkerMessage m = lanes.coordinate(settings_for(2));
  CHECK(m.status == RunStatus::Error);
  CHECK(m.message == "thread 2 of 2: boom");
  CHECK(m.threads[0].status == RunStatus::Timeout);
}

TEST_CASE("lanes whose results differ are a mismatch naming the thread", "[scale]") {
  FakeLanes lanes{{1e3, 1e3}, {Value(1), Value(2)}};
  const ScaleWorkerMessage m = lanes.coordinate(settings_for(2));
  CHECK(m.status == RunStatus::Mismatch);
  CHECK(m.message.find("thread 2's result differs from thread 1's") != std::string::npos);
  CHECK_FALSE(m.verified);
}

TEST_CASE("a lane that never reports is given up on after the deadline and its grace", "[scale]") {
  auto [channel, link] = make_lane_pipes();
  std::vector<LaneLink> links;
  links.push_back(std::move(link));
  bool gave_up = false;
  links[0].give_up = [&] { gave_up = true; };
  CoordinatorSettings s = settings_for(1);
  s.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(50);
  s.grace_seconds = 0.05;
  const ScaleWorkerMessage m = coordinate_lanes(links, s);  // the channel's lane never says anything
  CHECK(m.status == RunStatus::Timeout);
  CHECK(m.message.find("thread 1 of 1: still running") != std::string::npos);
  CHECK(gave_up);
}

TEST_CASE("the speedup chart has the ideal line, its points and the cores", "[scale]") {
  const std::string svg = svg::speedup_chart("nbody", "default size", {{"v8-isolates", {{1, 1, 1, 1, ""}, {2, 1.9, 1.8, 2.0, ""}, {3, 1.9, 1.7, 2.1, "\u00d71.90 [range 1.70\u20132.10]"}}, "#123456"}},
                                             {1, 2, 3}, 2);
  CHECK(svg.find("class=\"ideal\"") != std::string::npos);
  CHECK(svg.find("class=\"cores\"") != std::string::npos);
  CHECK(svg.find("v8-isolates, T=2: \u00d71.90 [1.80\u20132.00]") != std::string::npos);
  CHECK(svg.find("v8-isolates, T=3: \u00d71.90 [range 1.70\u20132.10]") != std::string::npos);
  CHECK(svg.find("speedup over T=1") != std::string::npos);
  const std::string no_cores = svg::speedup_chart("nbody", "", {}, {1, 2}, 2);
  CHECK(no_cores.find("class=\"cores\"") == std::string::npos);
}

TEST_CASE("both V8 modes carry --no-concurrent-recompilation, and node gets it before its script", "[scale]") {
  const ScaleMode* node = find_scale_mode("node-workers");
  const ScaleMode* isolates = find_scale_mode("v8-isolates");
  REQUIRE(node);
  REQUIRE(isolates);
  const std::vector<std::string> flag{"--no-concurrent-recompilation"};
  CHECK(isolates->v8_flags == flag);  // scale_worker.cc gives them to the isolates' V8Platform
  CHECK(node->v8_flags == flag);
  CHECK(find_scale_mode("cpython-threads")->v8_flags.empty());
  for (std::size_t heap : {std::size_t{0}, std::size_t{512}}) {
    std::string reason;
    const auto command = scale_worker_command(*node, "/bin/polyhost", heap, reason);
    if (!command) {
      WARN("node-workers cannot run here: " + reason);
      continue;
    }
    const auto at = [&](const std::string& word) { return std::find(command->begin(), command->end(), word) - command->begin(); };
    const auto script = std::find_if(command->begin(), command->end(),
                                     [](const std::string& a) { return a.find("scale_worker.js") != std::string::npos; });
    REQUIRE(script != command->end());
    CHECK(at(flag[0]) == 1);  // right after node itself: node's options come before the script
    CHECK(at(flag[0]) < script - command->begin());
  }
}

TEST_CASE("a cgroup's CPU quota in CPUs, rounded up", "[scale]") {
  CHECK(cpus_of_cgroup_quota("max 100000") == std::nullopt);
  CHECK(cpus_of_cgroup_quota("150000 100000") == 2);
  CHECK(cpus_of_cgroup_quota("50000 100000") == 1);
  CHECK(cpus_of_cgroup_quota("200000 100000") == 2);
  CHECK(cpus_of_cgroup_quota("") == std::nullopt);
  CHECK(cpus_of_cgroup_quota("lots 100000") == std::nullopt);
  CHECK(usable_cpu_count() >= 1);
}

TEST_CASE("the scale reader names a run's mode not in settings.modes on its mode, before its figures", "[scale]") {
  std::ostringstream out;
  write_scale_json(two_thread_counts(), out);
  const Json good = Json::parse(out.str());
  // Every run of the mode renamed: read as a mode of its own, nothing contradicted it.
  Json renamed = good;
  for (Json& run : renamed["runs"]) run["mode"] = "foo";
  CHECK(reading_error(renamed.dump()) ==
        "s.json: runs[0].mode: \"foo\" is not among the modes run (settings.modes: v8-isolates)");
  // One run renamed: was named as runs[1].speedup, which lost its T=1 run.
  Json one = good;
  one["runs"][0]["mode"] = "foo";
  CHECK(reading_error(one.dump()) == "s.json: runs[0].mode: \"foo\" is not among the modes run (settings.modes: v8-isolates)");
}

TEST_CASE("the scale reader holds every call's time, warm-up ones too, to a results file's sample bounds", "[scale]") {
  std::ostringstream out;
  ScaleReport report = two_thread_counts();
  report.runs[0].processes[0].threads[0].warmup_ns = {50, 40};
  write_scale_json(report, out);
  const Json good = Json::parse(out.str());
  CHECK(reading_error(good.dump()) == "(no error)");
  const std::string bounds = "expected a number of nanoseconds from 0.001 (a picosecond) to 1e15 (11.6 days, the longest "
                             "--timeout), found ";
  for (const auto& [value, shown] : std::vector<std::pair<double, std::string>>{{-5, "-5.0"}, {1e-9, "1e-09"}, {2e15, "2e+15"}}) {
    Json warm = good;
    warm["runs"][0]["processes"][0]["threads"][0]["warmup_ns"][1] = value;
    CHECK(reading_error(warm.dump()) == "s.json: runs[0].processes[0].threads[0].warmup_ns[1]: " + bounds + shown);
  }
  Json tiny = good;
  tiny["runs"][0]["processes"][0]["threads"][0]["samples_ns"][0] = 1e-9;
  CHECK(reading_error(tiny.dump()) == "s.json: runs[0].processes[0].threads[0].samples_ns[0]: " + bounds + "1e-09");
  Json text = good;
  text["runs"][0]["processes"][0]["threads"][0]["warmup_ns"][0] = "x";
  CHECK(reading_error(text.dump()) ==
        "s.json: runs[0].processes[0].threads[0].warmup_ns[0]: expected a number of nanoseconds, found the string \"x\"");
}
