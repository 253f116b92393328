// What the workers of `polyhost scale` send back, as types with their one writer and one checked
// reader each: a lane's report (one thread, or one process of the processes mode, to the scale
// worker that coordinates them) and the scale worker's message (to `polyhost scale`; also written
// by the reference workers host/runner/reference/scale_worker.js and scale_worker.py).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "host/model/scale.h"
#include "host/value.h"

namespace polyhost {

// One lane: its thread's verdict and samples, and what the coordinator needs to combine lanes.
struct ScaleLaneReport {
  ScaleThread thread;
  std::string engine;
  std::map<std::string, std::int64_t> sizes;
  std::optional<std::int64_t> size;
  bool has_verify = false;
  bool verified = false;
  std::optional<Value> result;  // of the first measured call (every later one was compared with it)
  // The measured part on the steady clock (CLOCK_MONOTONIC, shared by the processes of a machine).
  std::int64_t started_ns = 0, ended_ns = 0;
};

std::string write_scale_lane_report(const ScaleLaneReport& report);
ScaleLaneReport read_scale_lane_report(const std::string& text);  // throws FileFormatError

// One scale worker process: T lanes measured together.
struct ScaleWorkerMessage {
  RunStatus status = RunStatus::Ok;
  std::string message;  // why, when not ok: "thread 2 of 2: ..."
  std::string engine;
  std::map<std::string, std::int64_t> sizes;
  std::optional<std::int64_t> size;
  bool has_verify = false;
  bool verified = false;
  int iterations = 0;  // measured calls per thread
  double wall_ns = 0;  // first measured call of any thread to the last return of any thread
  std::vector<ScaleThread> threads;
  std::optional<Value> result;  // thread 1's, when every thread's agreed
};

std::string write_scale_worker_message(const ScaleWorkerMessage& message);
ScaleWorkerMessage read_scale_worker_message(const std::string& text);  // throws FileFormatError

}  // namespace polyhost
