// Golden outputs: fixed reports rendered by every exporter and compared byte for byte with files in
// tests/golden/. They prove that a change of the code behind the exporters changes nothing a user
// sees. POLYHOST_UPDATE_GOLDEN=1 rewrites the files instead (then review the diff).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "host/export/exporters.h"
#include "host/overhead/overhead.h"
#include "host/runner/orchestrator.h"
#include "host/runner/report.h"

namespace {

using namespace polyhost;

const std::string kGoldenDir = POLYHOST_GOLDEN_DIR;

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void check_golden(const std::string& name, const std::string& actual) {
  const std::string path = kGoldenDir + "/" + name;
  if (std::getenv("POLYHOST_UPDATE_GOLDEN")) {
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  INFO("golden file " << path << " (POLYHOST_UPDATE_GOLDEN=1 rewrites it)");
  CHECK(read_all(path) == actual);
}

template <typename Writer>
std::string render(Writer write) {
  std::ostringstream out;
  write(out);
  return out.str();
}

Environment environment(const std::vector<std::string>& configs) {
  Environment env;
  env.polyhost_version = "0.1.0";
  env.git_commit = "0123456789abcdef0123456789abcdef01234567";
  env.v8_version = "10.2.154.26-node.37";
  env.python_version = "3.11.7";
  env.python_executable = "/root/.pyenv/versions/3.11.7/bin/python3.11";
  env.cpu_model = "Golden CPU @ 2.00GHz";
  env.cpu_count = 2;
  env.os = "Debian GNU/Linux 12 (bookworm), Linux 6.1.0 x86_64";
  env.command_line = "polyhost run --configs " + [&] {
    std::string text;
    for (const auto& c : configs) text += (text.empty() ? "" : ",") + c;
    return text;
  }() + " --json 'out file.json'";
  env.start_time = "2026-11-29T08:00:00Z";
  const std::map<std::string, std::pair<std::string, std::vector<std::string>>> known = {
      {"v8-jit", {"V8 10.2.154.26-node.37", {}}},
      {"v8-sparkplug", {"V8 10.2.154.26-node.37", {"--no-opt"}}},
      {"v8-ignition", {"V8 10.2.154.26-node.37", {"--jitless"}}},
      {"cpython", {"CPython 3.11.7", {}}},
      {"node", {"Node.js v20.20.2 (V8 11.3.244.8-node.19)", {}}},
      {"pypy3", {"PyPy 7.3.11 (Python 3.9.16)", {}}},
  };
  double cost = 150;
  for (const auto& c : configs) {
    env.config_engines[c] = known.at(c).first;
    env.config_flags[c] = known.at(c).second;
    if (c != "pypy3") env.empty_call_ns[c] = cost;  // pypy3 is skipped below: no calibration
    cost += 111.5;
  }
  return env;
}

// A process's series: WARMUP falling iterations, then MEASURED ones around MEDIAN with a fixed wobble.
void add_process(RunResult& run, double median, int process, int warmup, int measured, double spread = 0.01) {
  std::vector<double> w, m;
  for (int i = 0; i < warmup; ++i) w.push_back(median * (3.0 - i * 0.6));
  for (int i = 0; i < measured; ++i) {
    const double wobble = std::sin(1.7 * i + 0.9 * process) * spread;
    m.push_back(std::round(median * (1.0 + wobble) + process * 1000.0));
  }
  run.warmup_ns.push_back(w);
  run.samples_ns.push_back(m);
  run.processes++;
}

RunResult base_run(const std::string& workload, const std::string& config, const std::string& language) {
  RunResult run;
  run.workload = workload;
  run.config = config;
  run.language = language;
  run.size_name = "default";
  run.size = 1000;
  run.has_verify = true;
  run.verified = true;
  return run;
}

const char* language_of(const std::string& config) {
  return config == "cpython" || config == "pypy3" || config == "python3" ? "py" : "js";
}

// Two configurations, three workloads: one fine, one with a multi-line mismatch and markup in it,
// one noisy and short; plus a large result that is noted, not stored, and a NaN result.
RunReport two_config_report(double slowdown_of_fib) {
  RunReport report;
  report.configs = {"v8-jit", "cpython"};
  report.environment = environment(report.configs);
  report.size_name = "default";
  report.processes = 3;
  report.warmup = 3;
  report.iterations = 10;
  report.wall_seconds = 86.25;
  const std::vector<std::pair<std::string, std::pair<double, double>>> workloads = {
      {"fib", {12.5e6, 280e6}}, {"json|parse_*", {3.4e6, 21e6}}, {"tiny", {450e3, 2.1e6}}};
  for (const auto& [name, medians] : workloads) {
    for (const auto& config : report.configs) {
      RunResult run = base_run(name, config, language_of(config));
      double median = config == "v8-jit" ? medians.first : medians.second;
      if (name == "fib" && config == "cpython") median *= slowdown_of_fib;
      const double spread = name == "tiny" ? 0.3 : 0.01;
      for (int p = 0; p < report.processes; ++p) add_process(run, median, p, report.warmup, report.iterations, spread);
      run.result = Value(Value::Map{{"answer", Value(42)}, {"name", Value(name)}});
      if (name == "json|parse_*" && config == "cpython") {
        run.status = RunStatus::Mismatch;
        run.verified = false;
        run.message = "v8-jit (js) and cpython (py) disagree at result.items[3]:\n  js: {\"a\": [1, 2]}\n  py: <b>`x`</b> | *y*";
      }
      if (name == "tiny" && config == "v8-jit") run.result = Value(std::string(70000, 'x'));
      if (name == "tiny" && config == "cpython") run.result = Value(std::numeric_limits<double>::quiet_NaN());
      report.runs.push_back(std::move(run));
    }
  }
  compute_statistics(report);
  return report;
}

// Five configurations: the compact terminal table, the tier table and the tier questions; runs that
// failed in several ways and one whose configuration is not installed.
RunReport tier_report() {
  RunReport report;
  report.configs = {"v8-jit", "v8-ignition", "cpython", "node", "pypy3"};
  report.environment = environment(report.configs);
  report.size_name = "quick";
  report.processes = 2;
  report.warmup = 2;
  report.iterations = 12;
  report.wall_seconds = 7.5;
  const std::map<std::string, double> factor = {
      {"v8-jit", 1.0}, {"v8-ignition", 9.0}, {"cpython", 20.0}, {"node", 0.9}, {"pypy3", 4.0}};
  for (const std::string name : {"nbody", "richards", "crashes"}) {
    for (const auto& config : report.configs) {
      RunResult run = base_run(name, config, language_of(config));
      run.size_name = "quick";
      run.size = name == std::string("nbody") ? 1000 : 20;
      if (config == "pypy3") {
        run.status = RunStatus::Skipped;
        run.message = "pypy3 is not installed (not found on PATH)";
        run.verified = false;
        report.runs.push_back(std::move(run));
        continue;
      }
      const double median = (name == std::string("nbody") ? 2e6 : 5e6) * factor.at(config);
      for (int p = 0; p < report.processes; ++p) add_process(run, median, p, report.warmup, report.iterations);
      run.result = Value(Value::Array{Value(1.5), Value("two"), Value(nullptr), Value(true)});
      if (name == std::string("crashes")) {
        if (config == "v8-ignition") {
          run.status = RunStatus::Crash;
          run.message = "the worker died by SIGSEGV (segmentation fault)\nSegmentation fault in native code";
          run.samples_ns.pop_back();
          run.warmup_ns.pop_back();
          run.processes = 1;
        } else if (config == "node") {
          run.status = RunStatus::Timeout;
          run.message = "/work/crashes/crashes.js: the script was stopped after its --timeout (--timeout 2 s)";
          run.samples_ns.clear();
          run.warmup_ns.clear();
          run.processes = 0;
        } else if (config == "cpython") {
          run.has_verify = false;
          run.verified = false;
        }
      }
      report.runs.push_back(std::move(run));
    }
  }
  compute_statistics(report);
  return report;
}

OverheadReport overhead_report() {
  OverheadReport report;
  report.environment = environment({"v8-jit", "cpython"});
  report.environment.command_line = "polyhost overhead --json o.json";
  report.environment.config_engines = {{"js", "V8 10.2.154.26-node.37"}, {"v8-fast-api", "V8 10.2.154.26-node.37"},
                                       {"py", "CPython 3.11.7"}};
  report.environment.config_flags = {{"v8-fast-api", {"--turbo-fast-api-calls"}}};
  report.environment.empty_call_ns.clear();
  report.quick = false;
  report.processes = 5;
  report.repeats = 7;
  report.target_ns = 10e6;
  report.wall_seconds = 95.5;
  double base = 0.3;
  for (const auto& b : overhead_bindings()) {
    for (const auto& c : overhead_cases()) {
      OverheadEntry e;
      e.language = b.language;
      e.binding = b.binding;
      e.case_name = c;
      if (b.binding == "v8-fast-api" && (c == "str_len" || c == "str_repeat")) {
        e.status = "unsupported";
        e.reason = "V8 10.2's fast API has no string parameter type";
      } else if (b.binding == "cffi" && c == "call_back") {
        e.status = "error";
        e.reason = "wrong result: expected 45, got 0";
      } else {
        for (int i = 0; i < 35; ++i) e.samples_ns.push_back(base * (1.0 + 0.02 * std::sin(i * 1.3)));
      }
      base = base * 1.37 + 0.11;
      if (base > 5000) base = 0.21;
      report.entries.push_back(std::move(e));
    }
  }
  report.notes = {{"v8-fast-api", "fast calls taken: 760000000"}};
  compute_overhead_statistics(report);
  return report;
}

void check_run_outputs(const std::string& stem, const RunReport& report) {
  check_golden(stem + ".results.json", render([&](std::ostream& o) { write_json(report, o); }));
  check_golden(stem + ".table.txt", render([&](std::ostream& o) { write_table(report, o, false); }));
  check_golden(stem + ".table-color.txt", render([&](std::ostream& o) { write_table(report, o, true); }));
  check_golden(stem + ".md", render([&](std::ostream& o) { write_markdown(report, o); }));
  check_golden(stem + ".csv", render([&](std::ostream& o) { write_csv(report, o); }));
}

}  // namespace

TEST_CASE("Golden outputs of run: two configurations", "[golden]") {
  check_run_outputs("two", two_config_report(1.0));
  // The same run with fib made slower, for compare's golden output.
  check_golden("two-slower.results.json", render([&](std::ostream& o) { write_json(two_config_report(1.25), o); }));
}

TEST_CASE("Golden outputs of run: the tier table", "[golden]") { check_run_outputs("tiers", tier_report()); }

TEST_CASE("Golden outputs of overhead", "[golden]") {
  const OverheadReport report = overhead_report();
  check_golden("overhead.json", render([&](std::ostream& o) { write_overhead_json(report, o); }));
  check_golden("overhead.table.txt", render([&](std::ostream& o) { write_overhead_table(report, o); }));
  check_golden("overhead.md", render([&](std::ostream& o) { write_overhead_markdown(report, o); }));
}
