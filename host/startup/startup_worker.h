// The measuring side of `polyhost startup`, inside a fresh worker process (`polyhost
// startup-worker`, internal): it times one engine's start step by step, or one workload's way to
// its first result, and sends the steps back (host/model/startup_worker_message.h).
#pragma once

#include <string>

namespace polyhost {

struct StartupWorkerRequest {
  std::string measure;    // "v8", "python" or "first-result"
  int instances = 16;     // v8, python: instances alive at the end, the first included
  std::string file;       // first-result: the workload's .js or .py file
  std::string config;     // first-result: an embedded configuration (configs.h)
  std::string size_name;  // first-result: "quick" or "default"
  double timeout_seconds = 0;  // first-result: stop the workload after this long (0: never)
  std::size_t max_heap_mb = 0;  // first-result: V8's heap limit, or a cap on the Python process's memory (0: none)
};

// The process-wide first steps, then the further instances:
//   v8: platform (V8Platform), isolate, context, empty_script; then N-1 more isolates, each with a context
//   python: initialize (PythonInterpreter: polyhost's PyConfig path), first_import (import json),
//           empty_script; then N-1 sub-interpreters
//   first-result: start (V8Platform or PythonInterpreter), engine (V8Engine: an isolate and context
//                 with prelude.js, or PythonEngine: prelude.py), load, setup, run
// Writes the message to RESULT_FD and leaves the process; returns only when that fails.
int startup_worker_main(const StartupWorkerRequest& request, int result_fd);

// The module whose first import python's first_import step times.
inline constexpr const char* kFirstImportModule = "json";

}  // namespace polyhost
