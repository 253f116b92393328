// Helpers more than one test file needs (the tests are also compiled in groups, where two copies
// of one helper would clash).
#pragma once

#include <catch2/catch.hpp>

#include <functional>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>
#include <string>

#include "host/read_file.h"
#include "host/script_error.h"

namespace polyhost::testing {

// The ScriptError ACTION throws; a test failure when it throws none.
inline ScriptErrorInfo error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const ScriptError& e) {
    return e.info();
  }
  FAIL("no ScriptError was thrown");
  return {};
}

// What WRITE writes to a stream.
template <typename Writer>
std::string render(Writer write) {
  std::ostringstream out;
  write(out);
  return out.str();
}

// The contents of PATH; "" when it cannot be read.
inline std::string read_all(const std::string& path) { return read_file(path).value_or(""); }

// A results file's "environment" as run writes it: the reader requires every field.
inline const char* const kResultsEnvironment = R"({"polyhost_version": "0.1.0", "git_commit": "abc",
  "engines": [{"name": "V8", "version": "10.2"}, {"name": "CPython", "version": "3.11.7"}], "cpu_model": "Test CPU",
  "cpu_count": 2, "os": "Linux", "command_line": "polyhost run", "start_time": "2026-01-01T00:00:00Z",
  "configs": {"v8-jit": {"engine": "V8 10.2", "flags": []}}, "empty_call_ns": {"v8-jit": 150}})";

// A run of a results file as run writes it (one process of one measured sample of 10 ns; every field
// the reader requires), with OVERRIDES' members (a JSON object) in place of its own and the fields
// WITHOUT left out. samples_ns or warmup_ns given without their per-process lists are one process's;
// processes follow the per-process lists.
inline std::string results_run(const std::string& overrides = "{}", std::initializer_list<const char*> without = {}) {
  nlohmann::ordered_json run = nlohmann::ordered_json::parse(R"({"workload": "w", "language": "js", "config": "v8-jit",
    "status": "ok", "message": "", "size_name": "quick", "size": 5, "processes": 1, "samples_ns": [10], "warmup_ns": [],
    "process_samples_ns": [[10]], "process_warmup_ns": [[]], "verified": false, "has_verify": false})");
  const nlohmann::ordered_json changes = nlohmann::ordered_json::parse(overrides);
  for (const char* flat : {"samples_ns", "warmup_ns"}) {
    if (changes.contains(flat) && !changes.contains(std::string("process_") + flat) && changes[flat].is_array()) {
      run[std::string("process_") + flat] = nlohmann::ordered_json::array({changes[flat]});
    }
  }
  for (auto it = changes.begin(); it != changes.end(); ++it) run[it.key()] = it.value();
  // Processes follow process_samples_ns (each without warm-up) unless given.
  if (changes.contains("process_samples_ns") && changes["process_samples_ns"].is_array()) {
    const std::size_t processes = changes["process_samples_ns"].size();
    if (!changes.contains("processes")) run["processes"] = processes;
    if (!changes.contains("process_warmup_ns") && !changes.contains("warmup_ns")) {
      run["process_warmup_ns"] = nlohmann::ordered_json::array();
      for (std::size_t p = 0; p < processes; ++p) run["process_warmup_ns"].push_back(nlohmann::ordered_json::array());
    }
  }
  for (const char* field : without) run.erase(field);
  return run.dump();
}

}  // namespace polyhost::testing
