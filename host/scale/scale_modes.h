// The ways `polyhost scale` runs T copies of a workload at once: the only place that knows the
// modes' names. Embedded modes run in polyhost's own scale worker (`polyhost scale-worker`);
// reference modes run polyhost's reference scale workers in node and python3.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "host/engine.h"

namespace polyhost {

enum class LaneKind {
  Isolates,         // threads of one process, each with its own V8 isolate
  Threads,          // threads of one process, all in the one CPython interpreter
  SubInterpreters,  // threads of one process, each with its own CPython sub-interpreter
  Processes,        // one process per lane, started together
  Reference,        // a reference runtime's own worker (node, python3)
};

struct ScaleMode {
  std::string name;
  Language language;
  LaneKind kind;
  std::string what;         // what runs for T threads
  std::string parallelism;  // what lets (or keeps) the threads run at once
  // The `run` configuration of the same engine: its known warm-up point is the mode's, and for a
  // reference mode its program runs the reference scale worker.
  std::string config;
  std::vector<std::string> reference_args;  // Reference: what the script is told ("--lanes threads")
  std::vector<std::string> v8_flags = {};   // V8's flags for the modes that run V8 (see kScaleV8Flags)
};

const std::vector<ScaleMode>& all_scale_modes();
const ScaleMode* find_scale_mode(const std::string& name);

// The command that starts a scale worker for MODE (the worker's own options are appended by the
// caller), or nothing with REASON set when the mode's program is not installed.
// The calls of run() before which MODE's engine is known to change speed (its configuration's).
int known_warmup_point(const ScaleMode& mode);

std::optional<std::vector<std::string>> scale_worker_command(const ScaleMode& mode, const std::string& self,
                                                             std::size_t max_heap_mb, std::string& reason);

}  // namespace polyhost
