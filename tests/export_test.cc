// Unit tests for the result exporters (host/export/*) and the report helpers they share.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "host/export/atomic_file.h"
#include "host/export/exporters.h"
#include "host/model/results.h"
#include "host/stats/statistics.h"
#include "host/text/format.h"
#include "host/text/grid.h"
#include "host/text/html.h"
#include "host/text/layout.h"
#include "tests/test_support.h"

namespace {

using namespace polyhost;
using polyhost::testing::read_all;
using polyhost::testing::render;
using nlohmann::json;
using text::format_duration_ns;
using text::format_ratio;

const std::string kMismatchMessage = "result differs from v8-jit: got 41, \"expected\" 42";

Run make_run(const std::string& workload, const std::string& language, const std::string& config,
                   std::vector<std::vector<double>> samples) {
  Run run;
  run.workload = workload;
  run.language = language;
  run.config = config;
  run.size_name = "quick";
  run.size = 25;
  run.processes = static_cast<int>(samples.size());
  run.samples_ns = std::move(samples);
  run.warmup_ns.assign(run.samples_ns.size(), {20'000'000.0});
  run.summary = stats::summarize(run.all_samples_ns());
  run.has_verify = true;
  run.verified = true;
  return run;
}

// Two workloads × {v8-jit, cpython}: "fib" is ok everywhere, "sort" mismatches under cpython.
Results synthetic_report() {
  Results report;
  Environment& env = report.environment;
  env.polyhost_version = "0.1.0";
  env.git_commit = "abc1234";
  env.engines = {{"V8", "10.2.154.26", ""}, {"CPython", "3.11.2", "/usr/bin/python3.11"}};
  report.config_setups = {{"v8-jit", "V8 10.2.154.26", {"--max-lazy"}, 45.5, std::nullopt}, {"cpython", "CPython 3.11.2", {}, 120.0, std::nullopt}};
  env.cpu_model = "Test CPU @ 3.00GHz";
  env.cpu_count = 8;
  env.os = "Linux 6.1 x86_64";
  env.command_line = "polyhost run --size quick workloads";
  env.start_time = "2024-05-01T12:00:00Z";

  report.settings.size_name = "quick";
  report.settings.processes = 2;
  report.settings.warmup.automatic = false;
  report.settings.warmup.fixed_iterations = 1;
  report.settings.iterations = 3;
  report.settings.configs = {"v8-jit", "cpython"};
  report.settings.wall_seconds = 12.5;

  Run fib_js = make_run("fib", "js", "v8-jit", {{12'100'000, 12'300'000, 12'500'000}, {12'200'000, 12'450'000, 12'600'000}});
  fib_js.result = Value(Value::Map{{"value", Value(832040)}});
  Run fib_py = make_run("fib", "py", "cpython", {{45'000'000, 45'500'000, 46'000'000}, {45'200'000, 45'700'000, 46'200'000}});
  fib_py.result = Value(Value::Map{{"value", Value(832040)}});
  fib_py.warnings = {{"unstable", "unstable: stdev is 12% of the mean", "12%", 0.12}};
  Run sort_js = make_run("sort", "js", "v8-jit", {{1'234'000, 1'240'000, 1'250'000}, {1'230'000, 1'245'000, 1'255'500}});
  sort_js.result = Value(std::numeric_limits<double>::quiet_NaN());
  Run sort_py = make_run("sort", "py", "cpython", {{2'000'000, 2'100'000, 2'200'000}});
  sort_py.status = RunStatus::Mismatch;
  sort_py.message = kMismatchMessage;
  sort_py.verified = false;
  report.runs = {fib_js, fib_py, sort_js, sort_py};

  Comparison fib;
  fib.workload = "fib";
  fib.baseline = "v8-jit";
  fib.config = "cpython";
  fib.ratio = stats::ratio_of_medians(fib_py.all_samples_ns(), fib_js.all_samples_ns(), 200);
  report.comparisons = {fib};
  report.geometric_mean_ratio = {{"cpython", fib.ratio.ratio}};
  return report;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A fresh, empty directory under $TMPDIR (or /tmp).
std::string make_temp_dir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/polyhost-export-test.XXXXXX";
  REQUIRE(::mkdtemp(pattern.data()) != nullptr);
  return pattern;
}

}  // namespace

TEST_CASE("status_name names every status, and parse_status reads it back", "[export]") {
  CHECK(std::string(status_name(RunStatus::Ok)) == "ok");
  CHECK(std::string(status_name(RunStatus::Error)) == "error");
  CHECK(std::string(status_name(RunStatus::Mismatch)) == "mismatch");
  CHECK(std::string(status_name(RunStatus::Invalid)) == "invalid");
  CHECK(std::string(status_name(RunStatus::Timeout)) == "timeout");
  CHECK(std::string(status_name(RunStatus::Crash)) == "crash");
  CHECK(std::string(status_name(RunStatus::Skipped)) == "skipped");
  CHECK(std::string(status_name(RunStatus::Interrupted)) == "interrupted");
  for (RunStatus s : {RunStatus::Ok, RunStatus::OutOfMemory, RunStatus::StackOverflow, RunStatus::Interrupted})
    CHECK(parse_status(status_name(s)) == s);
  CHECK_FALSE(parse_status("fine").has_value());
}

TEST_CASE("all_samples_ns flattens in process order", "[export]") {
  Run run;
  run.samples_ns = {{3, 1}, {}, {2}};
  CHECK(run.all_samples_ns() == std::vector<double>{3, 1, 2});
  CHECK(Run{}.all_samples_ns().empty());
}

TEST_CASE("format_duration_ns uses 3 significant digits and a fitting unit", "[export]") {
  CHECK(format_duration_ns(999) == "999 ns");
  CHECK(format_duration_ns(1234) == "1.23 \u00b5s");
  CHECK(format_duration_ns(12345678) == "12.3 ms");
  CHECK(format_duration_ns(2.5e9) == "2.50 s");
  CHECK(format_duration_ns(0) == "0 ns");
  CHECK(format_duration_ns(0.5) == "0.50 ns");  // under 1 ns: noise around zero, 2 decimals
  CHECK(format_duration_ns(-0.034) == "-0.03 ns");
  CHECK(format_duration_ns(0.001) == "0.0010 ns");  // not "0.00 ns": a picosecond, the shortest sample read
  CHECK(format_duration_ns(0.00456) == "0.0046 ns");
  CHECK(format_duration_ns(0.004996) == "0.0050 ns");  // rounds to 0.00500 at 3 digits, but "%.2f" says 0.00
  CHECK(format_duration_ns(0.005) == "0.01 ns");
  CHECK(format_duration_ns(999.7) == "1.00 \u00b5s");      // rounding carries into the next unit
  CHECK(format_duration_ns(99'960'000) == "100 ms");
  CHECK(format_duration_ns(1234.6e9) == "1235 s");
  CHECK(format_duration_ns(std::nan("")) == "n/a");
  CHECK(text::format_duration_with_ci(12'345'678, 12'100'000, 12'600'000) ==
        "12.3 ms [12.1\u201312.6]");
  // A lopsided interval keeps its own bounds.
  CHECK(text::format_duration_with_ci(2'110'000, 2'081'000, 2'972'000) == "2.11 ms [2.08\u20132.97]");
}

TEST_CASE("A figure's interval never shows as ±0.00 unless it is zero, and near zero is compact", "[export]") {
  using text::format_duration_error_bar;
  using text::format_duration_with_ci;
  // Narrower than the figure's last digit: below it, not zero.
  CHECK(format_duration_error_bar(0.30, 0.297, 0.304) == "0.30 ns \u00b1<0.01");
  CHECK(format_duration_error_bar(0.14, 0.137, 0.144) == "0.14 ns \u00b1<0.01");
  CHECK(format_duration_error_bar(104.2, 103.9, 104.5) == "104 ns \u00b1<1");
  CHECK(format_duration_error_bar(1.02, 1.0, 1.04) == "1.02 ns \u00b10.02");
  CHECK(format_duration_error_bar(155, 62.1, 184.9) == "155 ns \u00b193");
  CHECK(format_duration_error_bar(3.0, 3.0, 3.0) == "3.00 ns \u00b10.00");  // exactly zero
  // Noise around zero (a call the JIT inlined away): hundredths, as every figure below 1 ns, with
  // no sign on what rounds to zero; it was "-0.00046 ns ±0.0029".
  CHECK(format_duration_error_bar(-0.00046, -0.00335, 0.00245) == "0.00 ns \u00b1<0.01");
  CHECK(format_duration_error_bar(-0.0015, -0.0057, 0.0078) == "0.00 ns \u00b10.01");
  CHECK(format_duration_with_ci(-0.00046, -0.00335, 0.00245) == "0.00 ns [0.00\u20130.00]");
  CHECK(format_duration_with_ci(0.14, 0.137, 0.151) == "0.14 ns [0.14\u20130.15]");
  CHECK(format_duration_with_ci(-5.76, -5.87, -5.72) == "-5.76 ns [-5.87\u2013-5.72]");
  CHECK(format_duration_with_ci(2'110'000, 2'081'000, 2'972'000) == "2.11 ms [2.08\u20132.97]");
}

TEST_CASE("format_ratio and plain numbers", "[export]") {
  CHECK(format_ratio(12.345) == "12.3");
  CHECK(format_ratio(0.45678) == "0.457");
  CHECK(format_ratio(1.0) == "1.00");
  CHECK(format_ratio(9.9996) == "10.0");
  CHECK(text::format_ratio_with_ci({12.34, {11.92, 12.81}}) == "\u00d712.3 [11.9\u201312.8]");
  CHECK(text::format_ratio_with_ci({12.34, {std::nan(""), std::nan("")}}) == "\u00d712.3");  // no interval
  // Each bound keeps its own 3 significant digits (the lowest of a range is a ratio too).
  CHECK(text::format_ratio_with_ci({14.04, {0.7496, 60.41}}) == "\u00d714.0 [0.750\u201360.4]");
  CHECK(text::format_ratio_with_ci({5.11, {1.124, 26.71}}) == "\u00d75.11 [1.12\u201326.7]");
  CHECK(text::labelled_as_range("\u00d712.3 [11.9\u201312.8]") == "\u00d712.3 [range 11.9\u201312.8]");
  CHECK(text::labelled_as_range("12.3 ms [12.1\u201312.6]") == "12.3 ms [range 12.1\u201312.6]");
  CHECK(text::labelled_as_range("\u00d712.3") == "\u00d712.3");
  CHECK(text::format_plain_number(1234) == "1234");
  CHECK(text::format_plain_number(-0.0) == "0");
  CHECK(text::format_plain_number(12.5) == "12.5");
  CHECK(text::format_plain_number(0.1) == "0.1");
  CHECK(std::strtod(text::format_plain_number(1.0 / 3).c_str(), nullptr) == 1.0 / 3);
}

TEST_CASE("html_escape shows control characters as visible escapes", "[export]") {
  CHECK(text::html_escape("<a href='x'>&\"</a>") == "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;");
  CHECK(text::html_escape(std::string("a\0b", 3)) == "a\\u0000b");
  CHECK(text::html_escape("\x1b[31mred\x7f") == "\\u001b[31mred\\u007f");
  CHECK(text::html_escape("tab\tline\ncr\r") == "tab\tline\ncr\r");
  CHECK(text::html_escape("\xc2\x85 \xc2\xa0 \xc3\xa9") == "\\u0085 \xc2\xa0 \xc3\xa9");  // C1 NEL; NBSP and é stay
}

TEST_CASE("terminal text shows control characters escaped, and every grid cell goes through it", "[export]") {
  CHECK(text::escape_controls("new\nline") == "new\\nline");
  CHECK(text::escape_controls("\x1b[31mred\x7f") == "\\x1b[31mred\\x7f");
  CHECK(text::escape_controls(std::string("t\xc3\xafny\0\n", 7)) == "t\xc3\xafny\\x00\\n");
  CHECK(text::escape_controls("tab\tcr\r") == "tab\\tcr\\r");
  CHECK(text::escape_controls("\xc2\x9b \xc2\xa0 \xc3\xa9") == "\\u009b \xc2\xa0 \xc3\xa9");  // C1 CSI; NBSP and é stay
  // A name with a newline made a row of two lines, one with an ESC painted what followed it.
  text::Grid grid;
  grid.header = {"workload", "median"};
  grid.align = {text::Align::Left, text::Align::Right};
  grid.add_row({"new\nline", "1 ms"});
  grid.add_row({"\x1b[31mred", "2 ms"});
  grid.add_row({"plain", "3 ms"});
  const std::string table = testing::render([&](std::ostream& out) { text::write_grid(grid, out, false); });
  CHECK(table ==
        "workload     median\n"
        "\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500\u2500  \u2500\u2500\u2500\u2500\u2500\u2500\n"
        "new\\nline      1 ms\n"
        "\\x1b[31mred    2 ms\n"
        "plain          3 ms\n");
}

TEST_CASE("format_change prints any finite ratio whole", "[export]") {
  CHECK(text::format_change(1.25) == "+25.0%");
  CHECK(text::format_change(0.5) == "-50.0%");
  CHECK(text::format_change(9999) == "+999800.0%");
  // A 32-byte buffer printed "+640664999999999977639165721328" for this one.
  CHECK(text::format_change(6.40665e27) == "+6.41e+29%");
  CHECK(text::format_change(1.7e308) == "+1.7e+310%");
  CHECK(text::format_change(std::numeric_limits<double>::infinity()) == "n/a");
}

TEST_CASE("text helpers pad and cut by display columns", "[export]") {
  CHECK(text::display_width("12.3 \u00b5s \u00b1 0.1") == 13);
  CHECK(text::pad_right("\u2713", 3) == "\u2713  ");
  CHECK(text::pad_left("\u00d71", 4) == "  \u00d71");
  CHECK(text::first_line("first\r\nsecond", 100) == "first");
  CHECK(text::first_line("\u00b5\u00b5\u00b5\u00b5", 3) == "\u00b5\u00b5\u2026");
}

TEST_CASE("write_json writes schema polyhost.results/1 with every field", "[export]") {
  const Results report = synthetic_report();
  const std::string text = render([&](std::ostream& out) { write_results_json(report, out); });
  const json doc = json::parse(text);

  CHECK(doc["schema"] == "polyhost.results/1");
  const json& env = doc["environment"];
  for (const char* key : {"polyhost_version", "git_commit", "engines", "cpu_model", "cpu_count", "os", "command_line",
                          "start_time", "configs", "empty_call_ns"})
    CHECK(env.contains(key));
  CHECK(env["engines"] == json::array({{{"name", "V8"}, {"version", "10.2.154.26"}},
                                       {{"name", "CPython"}, {"version", "3.11.2"}, {"executable", "/usr/bin/python3.11"}}}));
  CHECK(env["cpu_count"] == 8);
  // Configurations keep the run's order (v8-jit first), not alphabetical order.
  CHECK(nlohmann::ordered_json::parse(text)["environment"]["configs"].begin().key() == "v8-jit");
  CHECK(env["configs"]["v8-jit"]["engine"] == "V8 10.2.154.26");
  CHECK(env["configs"]["v8-jit"]["flags"] == json::array({"--max-lazy"}));
  CHECK(env["configs"]["cpython"]["flags"] == json::array());
  CHECK(env["empty_call_ns"]["v8-jit"] == 45.5);
  CHECK(env["empty_call_ns"]["cpython"].is_number_integer());

  const json& settings = doc["settings"];
  CHECK(settings["size"] == "quick");
  CHECK(settings["processes"] == 2);
  CHECK(settings["warmup"] == 1);
  CHECK(settings["iterations"] == 3);
  CHECK(settings["configs"] == json::array({"v8-jit", "cpython"}));
  CHECK(settings["wall_seconds"] == 12.5);

  REQUIRE(doc["runs"].size() == 4);
  for (const json& run : doc["runs"])
    for (const char* key : {"workload", "language", "config", "status", "message", "size_name", "size", "processes",
                            "samples_ns", "warmup_ns", "process_samples_ns", "process_warmup_ns", "stats",
                            "warnings", "result", "verified", "has_verify"})
      CHECK(run.contains(key));

  const json& fib_js = doc["runs"][0];
  CHECK(fib_js["workload"] == "fib");
  CHECK(fib_js["language"] == "js");
  CHECK(fib_js["config"] == "v8-jit");
  CHECK(fib_js["status"] == "ok");
  CHECK(fib_js["size_name"] == "quick");
  CHECK(fib_js["size"] == 25);
  CHECK(fib_js["processes"] == 2);
  CHECK(fib_js["samples_ns"] == json::array({12100000, 12300000, 12500000, 12200000, 12450000, 12600000}));
  CHECK(fib_js["samples_ns"][0].is_number_integer());
  CHECK(fib_js["warmup_ns"] == json::array({20000000, 20000000}));
  CHECK(fib_js["process_samples_ns"] ==
        json::array({json::array({12100000, 12300000, 12500000}), json::array({12200000, 12450000, 12600000})}));
  CHECK(fib_js["process_warmup_ns"] == json::array({json::array({20000000}), json::array({20000000})}));
  const json& stats = fib_js["stats"];
  CHECK(stats["median_ns"] == 12375000);
  CHECK(stats["min_ns"] == 12100000);
  CHECK(stats["max_ns"] == 12600000);
  CHECK(stats["count"] == 6);
  CHECK(stats["mean_ns"].get<double>() == Approx(74150000.0 / 6));
  CHECK(stats["stdev_ns"].get<double>() > 0);
  REQUIRE(stats["ci95_ns"].size() == 2);
  CHECK(stats["ci95_ns"][0].get<double>() <= 12375000);
  CHECK(stats["ci95_ns"][1].get<double>() >= 12375000);
  CHECK(fib_js["result"] == json{{"value", 832040}});
  CHECK(fib_js["verified"] == true);
  CHECK(fib_js["has_verify"] == true);
  CHECK(fib_js["warnings"] == json::array());

  CHECK(doc["runs"][1]["warnings"] ==
        json::array({{{"kind", "unstable"}, {"text", "unstable: stdev is 12% of the mean"}, {"figure", "12%"}, {"severity", 0.12}}}));
  // NaN cannot be JSON: the result keeps it the way results cross between processes.
  CHECK(doc["runs"][2]["result"] == json{{"$number", "NaN"}});

  const json& mismatch = doc["runs"][3];
  CHECK(mismatch["status"] == "mismatch");
  CHECK(mismatch["message"] == kMismatchMessage);
  CHECK(mismatch["verified"] == false);
  CHECK(mismatch["result"].is_null());

  REQUIRE(doc["comparisons"].size() == 1);
  const json& comparison = doc["comparisons"][0];
  CHECK(comparison["workload"] == "fib");
  CHECK(comparison["baseline"] == "v8-jit");
  CHECK(comparison["config"] == "cpython");
  CHECK(comparison["ratio"].get<double>() == Approx(report.comparisons[0].ratio.ratio));
  CHECK(comparison["ci95"].size() == 2);
  CHECK(doc["geometric_mean_ratio"]["cpython"].get<double>() == Approx(report.geometric_mean_ratio.at("cpython")));
}

TEST_CASE("write_json writes null stats for a run without samples", "[export]") {
  Results report = synthetic_report();
  report.runs[3].samples_ns.clear();
  report.runs[3].summary.reset();
  const json doc = json::parse(render([&](std::ostream& out) { write_results_json(report, out); }));
  CHECK(doc["runs"][3]["stats"].is_null());
  CHECK(doc["runs"][3]["samples_ns"] == json::array());
}

TEST_CASE("write_csv writes a header and one quoted row per run", "[export]") {
  const Results report = synthetic_report();
  const std::string csv = render([&](std::ostream& out) { write_results_csv(report, out); });
  const auto lines = lines_of(csv);
  REQUIRE(lines.size() == 1 + report.runs.size());
  CHECK(lines[0] ==
        "workload,language,config,status,size,processes,samples,median_ns,mean_ns,stdev_ns,min_ns,max_ns,"
        "ci95_low_ns,ci95_high_ns,ratio_to_baseline,ratio_ci95_low,ratio_ci95_high,cold_median_ns,warmup_iterations,"
        "warmup_seconds,unsteady_processes,cold_ratio_to_baseline,cold_ratio_ci95_low,cold_ratio_ci95_high,peak_rss_bytes,"
        "rss_above_idle_bytes,heap_after_setup_bytes,heap_peak_bytes,memory_ratio_to_baseline,verified,has_verify,warnings,message");
  CHECK(lines[1].rfind("fib,js,v8-jit,ok,25,2,6,12375000,", 0) == 0);
  CHECK(contains(lines[1], ",,,true,"));  // the baseline has no ratio
  CHECK(lines[2].rfind("fib,py,cpython,ok,25,2,6,", 0) == 0);
  CHECK(contains(lines[2], "," + text::format_plain_number(report.comparisons[0].ratio.ratio) + ","));
  CHECK(lines[4] == "sort,py,cpython,mismatch,25,1,3,2100000,2100000,100000,2000000,2200000,2000000,2200000,,,,"
                    "20000000,,,,,,,,,,,,false,true,,\"result differs from v8-jit: got 41, \"\"expected\"\" 42\"");
}

TEST_CASE("write_csv lists the kinds of a run's warnings", "[export]") {
  Results report = synthetic_report();
  report.runs[1].warnings = {{"no steady state", "no steady state: 1 of 2 processes ...", "1 of 2 processes", 0.5},
                             {"unstable", "unstable: ...", "12%", 0.12}};
  const auto lines = lines_of(render([&](std::ostream& out) { write_results_csv(report, out); }));
  CHECK(contains(lines[2], ",\"no steady state, unstable\","));
  CHECK(contains(lines[1], ",true,true,,"));  // none
}

TEST_CASE("write_csv leaves stats empty without samples and quotes line breaks", "[export]") {
  Results report = synthetic_report();
  report.runs[3].summary.reset();
  report.runs[3].samples_ns.clear();
  report.runs[3].message = "line one\nline two";
  const std::string csv = render([&](std::ostream& out) { write_results_csv(report, out); });
  // 22 empty fields (statistics, ratios, cold and warm-up, memory) between the sample count and verified.
  CHECK(contains(csv, "sort,py,cpython,mismatch,25,1,0" + std::string(23, ',') + "false,true,,\"line one\nline two\"\n"));
}

TEST_CASE("CSV text that a spreadsheet would run as a formula is made plain text", "[export]") {
  Results report = synthetic_report();
  report.runs[3].message = "=HYPERLINK(\"http://x\")";
  report.runs[2].workload = "@sum";
  report.runs[1].message = "-1 result";
  report.runs[0].message = "plain = text";
  const auto lines = lines_of(render([&](std::ostream& out) { write_results_csv(report, out); }));
  CHECK(contains(lines[4], ",false,true,,\"'=HYPERLINK(\"\"http://x\"\")\""));
  CHECK(lines[3].rfind("'@sum,js,", 0) == 0);
  CHECK(contains(lines[2], ",'-1 result"));
  CHECK(contains(lines[1], ",plain = text"));
  CHECK(lines[1].rfind("fib,js,v8-jit,ok,25,2,6,12375000,", 0) == 0);  // numbers stay numbers
}

TEST_CASE("write_markdown writes the table, units, failures and overhead", "[export]") {
  const Results report = synthetic_report();
  const std::string md = render([&](std::ostream& out) { write_results_markdown(report, out); });
  CHECK(contains(md, "# polyhost results"));
  CHECK(contains(md, "Test CPU @ 3.00GHz"));
  CHECK(contains(md, "3.11.2 (`/usr/bin/python3.11`)"));
  CHECK(contains(md, "abc1234"));
  CHECK(contains(md, "`polyhost run --size quick workloads`"));
  CHECK(contains(md, "| workload | v8-jit median [95% CI] | cpython median [95% CI] | cpython/v8-jit [95% CI] | status |"));
  CHECK(contains(md, "| fib | 12.4 ms ["));
  CHECK(contains(md, " ms [45.0\u201346.2] | \u00d7"));
  CHECK(contains(md, "| sort | 1.24 ms ["));
  CHECK(contains(md, "| **mismatch** | \u2014 | **mismatch** (cpython) |"));
  CHECK(contains(md, "| *geometric mean* |"));
  CHECK(contains(md, "## Warnings and failures"));
  CHECK(contains(md, "- `sort` on `cpython`: **mismatch** \u2014 result differs from v8-jit: got 41, \"expected\" 42"));
  CHECK(contains(md, "unstable: stdev is 12% of the mean"));
  CHECK(contains(md, "## Host overhead"));
  CHECK(contains(md, "- `v8-jit`: 45.5 ns per call"));
  CHECK(contains(md, "- `cpython`: 120 ns per call"));
}

TEST_CASE("write_table writes aligned rows, failures and the geometric mean", "[export]") {
  const Results report = synthetic_report();
  const std::string plain = render([&](std::ostream& out) { write_results_table(report, out, false); });
  CHECK(contains(plain, "fib"));
  CHECK(contains(plain, "sort"));
  CHECK(contains(plain, "MISMATCH"));
  CHECK(contains(plain, "\u2713"));
  CHECK(contains(plain, "12.4 ms ["));
  CHECK(contains(plain, "geometric mean of ratios (ok workloads): cpython/v8-jit \u00d7" +
                            format_ratio(report.geometric_mean_ratio.at("cpython"))));
  CHECK(contains(plain, "sort [cpython]: MISMATCH \u2014 result differs from v8-jit"));
  CHECK(contains(plain, "unstable (1): standard deviation over 10% of the mean"));
  CHECK(contains(plain, "    fib [cpython] 12%\n"));  // the worst cases of the kind, with their figure
  CHECK(!contains(plain, "\x1b["));

  // Columns line up by display width (not bytes): the last cell of every row starts under "verified".
  const auto lines = lines_of(plain);
  REQUIRE(lines.size() >= 4);
  const std::size_t verified_at = text::display_width(lines[0].substr(0, lines[0].find("verified")));
  CHECK(text::display_width(lines[1]) == text::display_width(lines[0]));
  CHECK(lines[2].substr(lines[2].find_last_of(' ') + 1) == "\u2713");
  CHECK(lines[3].substr(lines[3].find_last_of(' ') + 1) == "MISMATCH");
  for (std::size_t i : {2, 3})
    CHECK(text::display_width(lines[i].substr(0, lines[i].find_last_of(' ') + 1)) == verified_at);

  const std::string colored = render([&](std::ostream& out) { write_results_table(report, out, true); });
  CHECK(contains(colored, "\x1b[31m"));
  CHECK(contains(colored, "MISMATCH"));
}

TEST_CASE("write_table cuts long messages to their first line", "[export]") {
  Results report = synthetic_report();
  report.runs[3].message = std::string(300, 'x') + "\nsecond line";
  const std::string plain = render([&](std::ostream& out) { write_results_table(report, out, false); });
  CHECK(!contains(plain, "second line"));
  CHECK(!contains(plain, std::string(200, 'x')));
  CHECK(contains(plain, std::string(150, 'x') + "\u2026"));
}

TEST_CASE("write_file_atomically replaces the file and leaves no temporary", "[export]") {
  const std::string dir = make_temp_dir();
  const std::string path = dir + "/results.json";
  write_file_atomically(path, "first");
  write_file_atomically(path, "second\n");
  CHECK(read_all(path) == "second\n");
  CHECK(std::ifstream(path + ".tmp." + std::to_string(::getpid())).good() == false);
  CHECK(std::remove(path.c_str()) == 0);
  CHECK(::rmdir(dir.c_str()) == 0);  // fails unless the directory is empty again
}

TEST_CASE("write_file_atomically keeps the permissions of the file it replaces", "[export]") {
  const std::string dir = make_temp_dir();
  const std::string path = dir + "/results.json";
  for (const mode_t mode : {0444, 0640}) {
    write_file_atomically(path, "first");
    REQUIRE(::chmod(path.c_str(), mode) == 0);
    write_file_atomically(path, "second");
    struct stat info {};
    REQUIRE(::stat(path.c_str(), &info) == 0);
    CHECK((info.st_mode & 07777) == mode);  // 0444 became 0644
    CHECK(read_all(path) == "second");
    REQUIRE(std::remove(path.c_str()) == 0);
  }
  CHECK(::rmdir(dir.c_str()) == 0);
}

TEST_CASE("write_file_atomically throws naming the path", "[export]") {
  const std::string path = "/nonexistent-polyhost-dir/sub/results.csv";
  try {
    write_file_atomically(path, "x");
    FAIL("no exception");
  } catch (const std::runtime_error& e) {
    CHECK(contains(e.what(), "cannot write " + path + ": "));
    CHECK(contains(e.what(), "No such file or directory"));
  }
}

TEST_CASE("Many configurations give a compact tier table, the tier ratios and the warm-up grid", "[export]") {
  Results report = synthetic_report();
  // Two more configurations make four: the terminal switches to bare ratios.
  for (const char* config : {"v8-ignition", "pypy3"}) {
    report.settings.configs.push_back(config);
    for (const std::string workload : {"fib", "sort"}) {
      Run run;
      run.workload = workload;
      run.config = config;
      run.language = std::string(config) == "pypy3" ? "py" : "js";
      run.samples_ns = {{20e6, 21e6, 22e6}};
      run.summary = stats::summarize(run.all_samples_ns());
      report.runs.push_back(run);
      if (workload == "fib") {
        report.comparisons.push_back({workload, "v8-jit", config, stats::RatioEstimate{3.5, {3.0, 4.0}}, std::nullopt, std::nullopt});
      }
    }
  }
  report.tier_ratios.push_back({"JIT vs V8's own interpreter", "v8-ignition", "v8-jit", 3.5, {3.0, 4.0}, 3});
  report.tier_ratios.push_back({"Baseline compiler vs V8's own interpreter", "v8-ignition", "v8-sparkplug", 2.0, {2.0, 2.0}, 1});
  warmup::Analysis warm;
  warm.kind = warmup::Kind::Warmup;
  warm.steady_iteration = 4;
  warm.steady_ns = 1e6;
  report.runs[0].warmup_by_process = {warm, warm};
  report.runs[0].warmup = warmup::summarize(report.runs[0].warmup_by_process);

  const std::string plain = render([&](std::ostream& out) { write_results_table(report, out, false); });
  CHECK(contains(plain, "Medians of v8-jit; every other column is that configuration's median / v8-jit's"));
  CHECK(contains(plain, "\u00d73.50"));
  CHECK(contains(plain, "JIT vs V8's own interpreter"));
  CHECK(contains(plain, "v8-ignition / v8-jit"));
  CHECK(contains(plain, "\u00d73.50 [range 3.00\u20134.00]"));  // 3 workloads: the range of their ratios
  CHECK(contains(plain, "from fewer than 6 workloads, the range of their ratios"));
  CHECK(contains(plain, "\u00d72.00 (no CI from one workload)"));  // resampling one workload is no CI
  CHECK(contains(plain, "warmup, steady from it. 4"));

  const std::string md = render([&](std::ostream& out) { write_results_markdown(report, out); });
  CHECK(contains(md, "## Tier table"));
  CHECK(contains(md, "## What the tiers say"));
  CHECK(contains(md, "## Warm-up"));
  CHECK(contains(md, "warmup, steady from it. 4"));

  const auto json = nlohmann::json::parse(render([&](std::ostream& out) { write_results_json(report, out); }));
  CHECK(json["tier_ratios"][0]["numerator"] == "v8-ignition");
  CHECK(json["tier_ratios"][0]["geometric_mean"] == 3.5);
  const auto& w = json["runs"][0]["warmup"];
  CHECK(w["classification"] == "warmup");
  CHECK(w["steady_iteration"] == 4);
  CHECK(w["processes"].size() == 2);
  CHECK(w["processes"][0]["classification"] == "warmup");
  CHECK(json["runs"][1]["warmup"].is_null());
}
