#include "host/startup/startup_worker.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <stdexcept>
#include <vector>

#include "host/model/startup_worker_message.h"
#include "host/python/py_ref.h"
#include "host/python/python_engine.h"
#include "host/python/python_threads.h"
#include "host/runner/configs.h"
#include "host/runner/memory_limit.h"
#include "host/runner/memory_probe.h"
#include "host/runner/subprocess.h"
#include "host/runner/watchdog.h"
#include "host/runner/workload_verdict.h"
#include "host/runner/worker_client.h"
#include "host/startup/engine_instances.h"
#include "host/v8/v8_engine.h"
#include "host/workload.h"

namespace polyhost {
namespace {

using Clock = std::chrono::steady_clock;

// Times one step at a time and records each with the resident memory right after it.
class StepClock {
 public:
  explicit StepClock(std::vector<StartupStep>& steps) : steps_(steps), start_(Clock::now()) {}
  // Ends the step that started at construction or at the previous end, and starts the next one.
  void end(const std::string& name) {
    const double ns = std::chrono::duration<double, std::nano>(Clock::now() - start_).count();
    steps_.push_back({name, ns, process_memory().rss_bytes});
    start_ = Clock::now();  // reading the memory is not part of the next step
  }
  void restart() { start_ = Clock::now(); }

 private:
  std::vector<StartupStep>& steps_;
  Clock::time_point start_;
};

void measure_v8(int instances, StartupWorkerMessage& out) {
  out.engine = "V8 " + V8Platform::version();
  StepClock clock(out.steps);
  V8Platform platform;
  clock.end("platform");
  std::vector<std::unique_ptr<BareIsolate>> isolates;
  isolates.push_back(std::make_unique<BareIsolate>());
  clock.end("isolate");
  isolates.back()->create_context();
  clock.end("context");
  isolates.back()->run_empty_script();
  clock.end("empty_script");
  StepClock further(out.instances);
  for (int k = 2; k <= instances; ++k) {
    isolates.push_back(std::make_unique<BareIsolate>());
    isolates.back()->create_context();
    further.end("isolate_and_context");
  }
  // The isolates go before the platform (declared later, destroyed first).
}

// A Python error as text, for the message.
std::string python_error(const char* what) {
  std::string text = what;
  PyObject *type = nullptr, *value = nullptr, *traceback = nullptr;
  PyErr_Fetch(&type, &value, &traceback);
  const PyRef kept_type = PyRef::steal(type), kept_value = PyRef::steal(value), kept_traceback = PyRef::steal(traceback);
  if (value) {
    const PyRef str = PyRef::steal(PyObject_Str(value));
    if (str && PyUnicode_Check(str.get())) text += std::string(": ") + PyUnicode_AsUTF8(str.get());
  }
  PyErr_Clear();
  return text;
}

void measure_python(int instances, StartupWorkerMessage& out) {
  out.engine = "CPython " + PythonInterpreter::version();
  StepClock clock(out.steps);
  PythonInterpreter interpreter;
  clock.end("initialize");
  {
    const PyRef module = PyRef::steal(PyImport_ImportModule(kFirstImportModule));
    if (!module) throw std::runtime_error(python_error("import json failed"));
    clock.end("first_import");
    const PyRef code = PyRef::steal(Py_CompileString("", "<empty>", Py_file_input));
    PyObject* main = PyImport_AddModule("__main__");  // borrowed
    const PyRef result =
        code && main ? PyRef::steal(PyEval_EvalCode(code.get(), PyModule_GetDict(main), PyModule_GetDict(main))) : PyRef();
    if (!result) throw std::runtime_error(python_error("an empty script failed"));
    clock.end("empty_script");
  }
  std::vector<std::unique_ptr<SubInterpreter>> subinterpreters;
  StepClock further(out.instances);
  for (int k = 2; k <= instances; ++k) {
    subinterpreters.push_back(std::make_unique<SubInterpreter>());
    further.end("subinterpreter");
  }
  // Each sub-interpreter returns to the thread state that was current when it was made, so they
  // end newest first, and all before the main interpreter.
  while (!subinterpreters.empty()) subinterpreters.pop_back();
}

// Kept, never torn down: the process leaves with _exit after its message (a workload may leave
// threads behind, which Python's shutdown would wait for), as the run worker does.
struct KeptEngine {
  std::optional<V8Platform> platform;
  std::optional<PythonInterpreter> interpreter;
  std::unique_ptr<Engine> engine;
};

void measure_first_result(const StartupWorkerRequest& request, StartupWorkerMessage& out) {
  const Config* config = find_config(request.config);
  if (!config || config->is_reference()) {
    throw std::runtime_error("'" + request.config + "' is not an embedded configuration");
  }
  static KeptEngine kept;
  StepClock clock(out.steps);
  if (config->language == Language::JavaScript) {
    kept.platform.emplace(config->v8_flags);
    clock.end("start");
    kept.engine = std::make_unique<V8Engine>(*kept.platform, request.max_heap_mb);
  } else {
    kept.interpreter.emplace();
    clock.end("start");
    auto python = std::make_unique<PythonEngine>(*kept.interpreter);
    // After the engine is built, as run's worker does: the cap is the workload's, not polyhost's.
    if (request.max_heap_mb > 0) limit_address_space(request.max_heap_mb);
    python->set_memory_capped(request.max_heap_mb > 0);
    kept.engine = std::move(python);
  }
  clock.end("engine");
  Engine& engine = *kept.engine;
  out.engine = engine.version();
  Watchdog watchdog(engine, request.timeout_seconds);
  clock.restart();
  engine.load_module(request.file);
  const WorkloadShape shape = inspect_loaded_workload(engine);
  clock.end("load");
  out.sizes = shape.sizes;  // sent even when this size is missing or a later step fails: startup compares them
  const auto size = shape.sizes.find(request.size_name);
  if (size == shape.sizes.end()) throw WorkloadError("the workload has no '" + request.size_name + "' size");
  const Value n(size->second);
  out.size = size->second;
  out.has_setup = shape.has_setup;
  if (shape.has_setup) engine.call("setup", {n});
  clock.end("setup");
  const Value result = engine.call("run", {n});
  clock.end("run");
  // The peak when the result is there: verify() below may allocate more, which is not the workload's.
  out.peak_rss_bytes = process_memory().peak_rss_bytes;
  if (shape.has_verify) {
    const Value verdict = engine.call("verify", {result, n});
    if (verdict != Value(true)) throw WorkloadError("verify(result, " + n.to_json() + ") returned " + verdict.to_json());
  }
  watchdog.finish();
}

}  // namespace

int startup_worker_main(const StartupWorkerRequest& request, int result_fd) {
  end_with_parent();
  exit_without_teardown();
  StartupWorkerMessage out;
  try {
    if (request.measure == "v8") {
      measure_v8(request.instances, out);
    } else if (request.measure == "python") {
      measure_python(request.instances, out);
    } else if (request.measure == "first-result") {
      measure_first_result(request, out);
    } else {
      throw std::runtime_error("unknown measurement '" + request.measure + "'");
    }
  } catch (const ScriptError& e) {
    out.ok = false;
    out.message = with_address_space_cap_note((e.info().file.empty() ? request.file + ": " : std::string()) + e.what(),
                                               ErrorFrom::Script);
  } catch (const EngineStop&) {
    out.ok = false;
    // As `run` says it: the verdict and the limit that was reached.
    const WorkloadVerdict verdict = workload_verdict(request.file, request.timeout_seconds, request.max_heap_mb);
    out.failure = status_name(verdict.status);
    out.message = verdict.message;
  } catch (const ExitRequest& e) {
    out.ok = false;
    out.message = request.file + ": the workload ended the process with status " + std::to_string(e.status);
  } catch (const std::exception& e) {
    out.ok = false;
    out.message = with_address_space_cap_note((request.file.empty() ? std::string() : request.file + ": ") + e.what(),
                                               ErrorFrom::Polyhost);
  }
  if (out.peak_rss_bytes == 0) out.peak_rss_bytes = process_memory().peak_rss_bytes;
  std::fflush(stdout);
  if (!write_message(result_fd, write_startup_worker_message(out))) {
    std::perror("polyhost startup-worker: writing the message");
    return 3;
  }
  std::fflush(stderr);
  ::_exit(0);
}

}  // namespace polyhost
