// The Python engine: the embedded CPython running scripts and modules, with the GIL held by the
// thread that uses it. See prelude.py for the Python half of the runtime.
#pragma once

#include <pthread.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "host/engine.h"
#include "host/python/py_ref.h"
#include "host/python/python_interpreter.h"

namespace polyhost {

// The status and message of SYSTEM_EXIT as Python's own handling of an uncaught SystemExit makes
// them: the code if an int (-1 beyond a C long, as Python's), 0 for none or None, else 1 and
// str(code) to print as sys.stderr prints it. Leaves no Python error set.
struct PythonExit {
  int status;
  std::optional<std::string> message;
};
PythonExit python_exit_of(PyObject* system_exit);

class PythonEngine final : public Engine {
 public:
  explicit PythonEngine(PythonInterpreter& interpreter);
  ~PythonEngine() override = default;

  Language language() const override { return Language::Python; }
  std::string version() const override { return "CPython " + PythonInterpreter::version(); }
  void run_program(const std::filesystem::path& file, const std::vector<std::string>& args) override;
  void load_module(const std::filesystem::path& file) override;
  bool has_export(const std::string& name) override;
  Value get_export(const std::string& name) override;
  TimedResult call_timed(const std::string& name, const std::vector<Value>& args) override;
  void request_stop() override;
  // With a cap on the process's memory, MemoryError means the cap was reached: EngineStop.
  void set_memory_capped(bool capped) { memory_capped_ = capped; }
  // When the pending Python error is the interrupt request_stop raised, clears it and throws
  // EngineStop; otherwise does nothing. For code outside the engine that calls Python itself.
  void throw_if_stopped();

  // For the JavaScript/Python bridge (host/bridge). LISTENER runs after every request_stop, on the
  // watchdog's thread, so that a script looping in the other language is stopped too.
  void set_stop_listener(std::function<void()> listener);
  // Whether a stop was requested, clearing the request: for the bridge, when the interrupt it
  // raised was turned into V8's termination instead of reaching this engine's entry point.
  bool take_stop_request() { return stop_requested_.exchange(false); }
  // Whether signals reach this engine's Python code (it runs on the main thread of the main
  // interpreter, where Python runs signal handlers).
  bool receives_signals() const { return signal_reaches_it_; }
  bool stop_requested() const { return stop_requested_.load(); }

 private:
  // Calls prelude.NAME(ARGS...) and returns the result, or throws the pending Python error.
  PyRef call_prelude(const char* name, std::initializer_list<PyObject*> args);
  // Throws the pending Python exception as ScriptError (or ExitRequest for SystemExit).
  [[noreturn]] void throw_pending_error();
  // EXCEPTION's type, message, location (its innermost frame of the script's) and traceback, as
  // Python prints them.
  ScriptErrorInfo described(PyObject* exception);
  PyRef attribute(const std::string& name);  // of the loaded module; empty if absent

  std::atomic<bool> stop_requested_{false};
  std::mutex stop_listener_mutex_;
  std::function<void()> stop_listener_;
  bool memory_capped_ = false;
  pthread_t interpreter_thread_;  // the thread that runs Python; request_stop signals it
  // Where the engine runs, for request_stop: only the main thread of the main interpreter gets
  // signals; an engine on another thread (polyhost scale) is stopped by an asynchronous exception.
  PyInterpreterState* interpreter_state_;
  unsigned long python_thread_id_;
  bool signal_reaches_it_;
  PyRef prelude_;  // the module _polyhost
  PyRef module_;   // the module loaded by load_module
};

}  // namespace polyhost
