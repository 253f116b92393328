// What a `polyhost startup-worker` process sends back on its message pipe: the steps it timed, in
// order, each with the resident memory after it. Its one writer and one checked reader are here.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace polyhost {

struct StartupStep {
  std::string name;                // "platform", "isolate", ..., "engine", "load", "setup", "run"
  double ns = 0;                   // how long the step took
  std::uint64_t rss_after_bytes = 0;  // the process's resident memory right after it
};

struct StartupWorkerMessage {
  bool ok = true;
  std::string message;  // why, when not ok (the steps before the failure are still there)
  // What kind of failure, when not ok: "error", or "timeout" / "out-of-memory" when the workload
  // reached --timeout / --max-heap.
  std::string failure = "error";
  std::string engine;   // "V8 10.2.154.26-node.37", "CPython 3.11.7"
  std::vector<StartupStep> steps;      // the first instance's steps, or a workload's
  std::vector<StartupStep> instances;  // the 2nd, 3rd, ... instance of the engine in the process
  std::uint64_t peak_rss_bytes = 0;    // the process's peak resident memory (VmHWM): at the end; first-result: when run(n) returned, before verify()
  std::int64_t size = 0;               // first result: the n the workload ran at
  std::map<std::string, std::int64_t> sizes;  // first result: the sizes the workload's file declares
  bool has_setup = false;              // first result: whether the workload has setup()
};

std::string write_startup_worker_message(const StartupWorkerMessage& message);
// Throws FileFormatError ("startup worker message: steps[2].ns: expected a number, ...").
StartupWorkerMessage read_startup_worker_message(const std::string& text);

}  // namespace polyhost
