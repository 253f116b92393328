#include "host/overhead/overhead.h"

#include <unistd.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "host/bridge/peer_bridges.h"
#include "host/runner/environment.h"
#include "host/runner/subprocess.h"

namespace polyhost {
namespace {

OverheadEntry& entry_for(OverheadReport& report, const BindingInfo& b, const std::string& case_name) {
  for (auto& e : report.entries) {
    if (e.binding == b.binding && e.case_name == case_name) return e;
  }
  OverheadEntry e;
  e.language = b.language;
  e.binding = b.binding;
  e.case_name = case_name;
  report.entries.push_back(std::move(e));
  return report.entries.back();
}

}  // namespace

const std::vector<BindingInfo>& overhead_bindings() {
  static const std::vector<BindingInfo> bindings = {
      {"cpp", "cpp", "direct C++ call through a function pointer: the floor"},
      {"js", "js", "the same function in plain JavaScript"},
      {"js", "v8-callback", "V8 FunctionTemplate callback"},
      {"js", "v8-fast-api", "V8 fast API call (v8::CFunction, --turbo-fast-api-calls), slow callback as fallback"},
      {"py", "py", "the same function in plain Python"},
      {"py", "capi", "raw CPython C-API (METH_NOARGS / METH_O / METH_FASTCALL)"},
      {"py", "pybind11", "pybind11 embedded module"},
      {"py", "ctypes", "ctypes over libpolyhost_cabi.so (C ABI)"},
      {"py", "cffi", "cffi over libpolyhost_cabi.so"},
      // The bridge between the languages (host/bridge); the language is the callee's, whose pure
      // call is the baseline of the relative cost.
      {"py", "js->py", "JavaScript calling the pure-Python function through polyhost's bridge"},
      {"js", "py->js", "Python calling the pure-JavaScript function through polyhost's bridge"},
  };
  return bindings;
}

const std::vector<std::string>& overhead_cases() {
  static const std::vector<std::string> cases = {"noop",          "add_i32",       "add_f64",    "str_len",  "str_repeat",
                                                 "sum_f64_array", "sum_f64_typed", "make_point", "call_back"};
  return cases;
}

OverheadReport run_overhead(const OverheadOptions& options, const std::function<void(const std::string&)>& progress) {
  const auto start = std::chrono::steady_clock::now();
  OverheadReport report;
  report.environment = collect_environment(options.command_line);
  report.quick = options.quick;
  report.processes = options.quick ? 2 : 5;
  report.repeats = options.quick ? 5 : 7;
  report.target_ns = options.quick ? 2e6 : 10e6;  // length of one calibrated loop
  const std::string self = self_executable();

  for (const auto& b : overhead_bindings()) {
    for (const auto& c : overhead_cases()) entry_for(report, b, c);  // every cell exists, in order
    std::uint64_t fast_calls = 0;
    for (int p = 0; p < report.processes; ++p) {
      if (progress) progress(b.binding + " | process " + std::to_string(p + 1) + "/" + std::to_string(report.processes));
      ChildOutcome child = run_child({self, "overhead-worker", "--binding", b.binding, "--target-ns",
                                      std::to_string(report.target_ns), "--repeats", std::to_string(report.repeats),
                                      "--result-fd", "3"},
                                     300);
      nlohmann::json r;
      try {
        r = nlohmann::json::parse(child.report);
      } catch (const nlohmann::json::exception&) {
        r = {{"status", "error"},
             {"message", child.signal ? "the worker died by " + describe_signal(child.signal)
                                      : "the worker exited with status " + std::to_string(child.exit_status) +
                                            " without a report: " + child.stderr_tail}};
      }
      if (r.value("status", "error") != "ok") {
        for (const auto& c : overhead_cases()) {
          auto& e = entry_for(report, b, c);
          e.status = "error";
          e.reason = r.value("message", "");
        }
        break;
      }
      if (r.contains("engine")) report.environment.config_engines[b.binding] = r["engine"];
      if (r.contains("flags")) report.environment.config_flags[b.binding] = r["flags"].get<std::vector<std::string>>();
      fast_calls += r.value("fast_calls", std::uint64_t{0});
      if (r.contains("unavailable")) {  // the binding cannot be loaded here (cffi not installed, say)
        for (const auto& c : overhead_cases()) {
          auto& e = entry_for(report, b, c);
          e.status = "unsupported";
          e.reason = r["unavailable"].get<std::string>();
        }
        break;
      }
      for (const auto& [name, reason] : r["unsupported"].items()) {
        auto& e = entry_for(report, b, name);
        e.status = "unsupported";
        e.reason = reason.get<std::string>();
      }
      for (const auto& [name, message] : r["errors"].items()) {
        auto& e = entry_for(report, b, name);
        e.status = "error";
        e.reason = "wrong result: " + message.get<std::string>();
      }
      for (const auto& [name, measured] : r["cases"].items()) {
        auto& e = entry_for(report, b, name);
        for (const auto& ns : measured["ns"]) e.samples_ns.push_back(ns.get<double>());
      }
    }
    if (b.binding == "v8-fast-api") {
      report.notes.emplace_back(b.binding, "fast calls taken: " + std::to_string(fast_calls) +
                                               (fast_calls == 0 ? " (V8 never used the fast path: these are slow-callback figures)" : ""));
    }
  }
  if (options.peers) measure_peer_bridges(report, progress);
  compute_overhead_statistics(report);
  report.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

void compute_overhead_statistics(OverheadReport& report) {
  std::map<std::pair<std::string, std::string>, double> medians;  // (binding, case) -> ns
  for (auto& e : report.entries) {
    e.summary.reset();
    if (e.status == "ok" && !e.samples_ns.empty()) {
      e.summary = stats::summarize(e.samples_ns);
      medians[{e.binding, e.case_name}] = e.summary->median;
    } else if (e.status == "ok") {
      e.status = "error";
      e.reason = "no measurement";
    }
  }
  for (auto& e : report.entries) {
    if (!e.summary) continue;
    const std::string pure = e.language == "cpp" ? "" : e.language;
    if (auto it = medians.find({pure, e.case_name}); !pure.empty() && it != medians.end() && it->second >= kSmallestPureNs) {
      e.relative_to_pure = e.summary->median / it->second;
    }
    if (auto it = medians.find({"cpp", e.case_name}); it != medians.end() && it->second >= kSmallestCppNs) {
      e.relative_to_cpp = e.summary->median / it->second;
    }
  }
}

}  // namespace polyhost
