#include "host/scale/scale_modes.h"

#include <unistd.h>

#include "host/build_info.h"
#include "host/runner/configs.h"

namespace polyhost {

namespace {

// Both V8 modes optimize on the thread that runs the code. With concurrent recompilation, TurboFan
// compiles in the background and installs the code when it is done, and the feedback it compiled
// from depends on how far the isolate had run by then: each isolate settles at one of two speeds
// (richards: 1.24 or 1.52 ms a call, in about 7 isolates out of 10 the faster), a draw per isolate
// that moved a speedup by up to 25% and hid the scaling being measured.
const std::vector<std::string> kScaleV8Flags = {"--no-concurrent-recompilation"};

}  // namespace

const std::vector<ScaleMode>& all_scale_modes() {
  static const std::vector<ScaleMode> modes = {
      {"v8-isolates", Language::JavaScript, LaneKind::Isolates,
       "T threads in one polyhost process, each with its own V8 isolate and context",
       "isolates share nothing: every thread runs JavaScript at the same time", "v8-jit", {}, kScaleV8Flags},
      {"cpython-threads", Language::Python, LaneKind::Threads, "T threads in the one embedded CPython interpreter",
       "one GIL: only one thread runs Python bytecode at a time", "cpython", {}},
      {"cpython-subinterpreters", Language::Python, LaneKind::SubInterpreters,
       "T threads in one polyhost process, each with its own CPython sub-interpreter (Py_NewInterpreter)",
       "CPython 3.11's sub-interpreters still share one GIL (3.12 gives each its own, PEP 684)", "cpython", {}},
      {"cpython-processes", Language::Python, LaneKind::Processes,
       "T embedded-CPython processes at once (what Python users do instead of threads)",
       "one interpreter and one GIL per process", "cpython", {}},
      {"node-workers", Language::JavaScript, LaneKind::Reference, "node with T worker_threads (the reference runtime)",
       "each worker thread has its own V8 isolate", "node", {"--lanes", "threads"}, kScaleV8Flags},
      {"python3-threads", Language::Python, LaneKind::Reference, "the standalone python3 with T threading.Threads",
       "one GIL: only one thread runs Python bytecode at a time", "python3", {"--lanes", "threads"}},
      {"python3-processes", Language::Python, LaneKind::Reference,
       "the standalone python3 with T multiprocessing processes", "one interpreter and one GIL per process", "python3",
       {"--lanes", "processes"}},
  };
  return modes;
}

const ScaleMode* find_scale_mode(const std::string& name) {
  for (const auto& mode : all_scale_modes()) {
    if (mode.name == name) return &mode;
  }
  return nullptr;
}

int known_warmup_point(const ScaleMode& mode) { return find_config(mode.config)->known_warmup_point; }

std::optional<std::vector<std::string>> scale_worker_command(const ScaleMode& mode, const std::string& self,
                                                             std::size_t max_heap_mb, std::string& reason) {
  if (mode.kind != LaneKind::Reference) return std::vector<std::string>{self, "scale-worker", "--mode", mode.name};
  // The same program `run` uses for this runtime, with the scale worker in place of its worker.
  auto command = worker_command(*find_config(mode.config), self, max_heap_mb, reason);
  if (!command) return std::nullopt;
  const std::string script = std::string(build_info::source_dir) + "/host/runner/reference/" +
                             (mode.language == Language::JavaScript ? "scale_worker.js" : "scale_worker.py");
  if (::access(script.c_str(), R_OK) != 0) {
    reason = "polyhost's reference scale worker " + script + " is missing";
    return std::nullopt;
  }
  command->back() = script;
  command->insert(command->begin() + 1, mode.v8_flags.begin(), mode.v8_flags.end());  // node's own options
  command->insert(command->end(), mode.reference_args.begin(), mode.reference_args.end());
  return command;
}

}  // namespace polyhost
