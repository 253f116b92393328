// What a worker process sends back on its message pipe, as types: the `run` worker's message (also
// written by the reference workers host/runner/reference/worker.js and worker.py) and the
// `overhead` worker's. Each has its one writer and one checked reader here.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "host/model/json_node.h"
#include "host/model/results.h"
#include "host/value.h"

namespace polyhost {

// One worker process's measurement of one workload file under one configuration.
struct WorkerMessage {
  RunStatus status = RunStatus::Ok;
  std::string message;  // why, when not ok
  std::string engine;   // "V8 10.2.154.26-node.37", "Node.js v20.20.2 (V8 11.3...)"
  std::vector<std::string> flags;
  std::map<std::string, std::int64_t> sizes;  // the workload's sizes, once it loaded
  std::optional<std::int64_t> size;           // the size it ran at
  bool has_verify = false;
  bool verified = false;  // verify() accepted every measured result
  std::vector<double> warmup_ns, samples_ns;
  std::optional<Value> result;  // of the first measured iteration
  MemoryReading memory;
};

std::string write_worker_message(const WorkerMessage& message);
// Throws FileFormatError ("worker message: samples_ns[2]: expected a number, ...").
WorkerMessage read_worker_message(const std::string& text);

// What a calibrated-loop benchmark of one binding found (bindings/overhead/bench.js, bench.py and
// the C++ floor all return this shape): ns per call per repetition for each case it measured, and
// the cases whose result was wrong. UNAVAILABLE says why the binding cannot run here at all.
struct OverheadMeasurement {
  std::map<std::string, std::vector<double>> cases;
  std::map<std::string, std::string> errors;
  std::string unavailable;
};
Json overhead_measurement_to_json(const OverheadMeasurement& measurement);
OverheadMeasurement read_overhead_measurement(const JsonNode& node);

// One overhead worker process's measurement of one binding.
struct OverheadWorkerMessage {
  std::string binding;
  bool ok = true;
  std::string message;  // why, when not ok
  std::string engine;
  std::optional<std::vector<std::string>> flags;
  std::uint64_t fast_calls = 0;                    // V8 fast API calls taken (v8-fast-api only)
  std::map<std::string, std::string> unsupported;  // case -> why the binding cannot express it
  OverheadMeasurement measured;
};

std::string write_overhead_worker_message(const OverheadWorkerMessage& message);
OverheadWorkerMessage read_overhead_worker_message(const std::string& text);

}  // namespace polyhost
