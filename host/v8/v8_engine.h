// The JavaScript engine: one V8 isolate and one context, with console, performance, CommonJS
// require() and ES modules. See prelude.js for the JavaScript half of the runtime.
#pragma once

#include <v8.h>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "host/engine.h"
#include "host/v8/v8_convert.h"
#include "host/v8/v8_errors.h"
#include "host/v8/v8_es_modules.h"
#include "host/v8/v8_host_functions.h"
#include "host/v8/v8_platform.h"

namespace polyhost {

class V8Engine final : public Engine, private ExitHandler {
 public:
  // MAX_HEAP_MB > 0 limits the JavaScript heap; reaching it stops the script (EngineStop) instead
  // of aborting the process, as V8 would by default.
  explicit V8Engine(V8Platform& platform, std::size_t max_heap_mb = 0);
  ~V8Engine() override;

  Language language() const override { return Language::JavaScript; }
  std::string version() const override { return "V8 " + V8Platform::version(); }
  void run_program(const std::filesystem::path& file, const std::vector<std::string>& args) override;
  void load_module(const std::filesystem::path& file) override;
  bool has_export(const std::string& name) override;
  Value get_export(const std::string& name) override;
  TimedResult call_timed(const std::string& name, const std::vector<Value>& args) override;
  void request_stop() override;

  // Whether V8 captures a detailed stack trace at every throw and for every Error made while a
  // call is timed (call_timed); always, otherwise. Error locations (an error whose stack was
  // replaced, Error.stackTraceLimit = 0) and the JavaScript frames of an error crossing into
  // Python need it, but each throw then costs about 4 us more than node pays (8% of
  // request_pipeline's time), so a measured workload's timed calls run without it until it
  // starts Python.
  void detailed_stacks_when_timed(bool on) { stacks_when_timed_ = on; }

  // Runs FN inside the engine's isolate, handle and context scopes (to install native bindings).
  void with_context(const std::function<void(v8::Local<v8::Context>)>& fn);

  // For the native functions and the module loader.
  static V8Engine& from(v8::Isolate* isolate);
  v8::Isolate* isolate() const { return isolate_.get(); }
  v8::Local<v8::Context> context() const { return context_.Get(isolate()); }
  // Calls a function of the prelude's API object (runMain, require, isEsm, ...).
  v8::MaybeLocal<v8::Value> call_prelude(const char* name, std::vector<v8::Local<v8::Value>> args);
  // process.exit(): stops the script and makes the current entry point throw ExitRequest, with
  // where JavaScript called it.
  void request_exit(int status) override;
  // Python's sys.exit(code) inside a call from JavaScript: exits as process.exit(STATUS) does.
  // MESSAGE (what Python prints for a code that is neither an int nor None) is printed if the exit
  // ends the program at a JavaScript entry point; ORIGIN (the SystemExit itself, released by its
  // deleter) is handed back by take_termination, so that Python code below gets that exception.
  void request_exit_from_python(int status, std::optional<std::string> message, std::shared_ptr<void> origin);
  // A Python exception that JavaScript may not catch (a KeyboardInterrupt: Ctrl-C) stops the
  // script: an entry point throws ERROR, its description; ORIGIN (the exception itself, released
  // by its deleter) is handed back by take_termination, so that Python code below gets it again.
  void stop_with_python_error(ScriptErrorInfo error, std::shared_ptr<void> origin);
  // Throws ScriptError for a rejected Promise nobody handled (after a Python script that called
  // JavaScript ends, as after a JavaScript one).
  void report_unhandled_rejections();

  // For the JavaScript/Python bridge (host/bridge). LISTENER runs after every request_stop, on the
  // watchdog's thread, so that a script looping in the other language is stopped too.
  void set_stop_listener(std::function<void()> listener);
  // Names the bridge's proxies of Python objects in a result that is refused for holding one.
  void set_proxy_describer(ProxyDescriber describe) { describe_proxy_ = std::move(describe); }
  // Describes a thrown proxy of a Python exception as the Python error it is.
  void set_foreign_error_describer(ForeignErrorDescriber describe) { describe_foreign_error_ = std::move(describe); }
  // ISOLATE's engine's (for v8_errors.cc); nullptr for an isolate of no V8Engine, or none set.
  static const ForeignErrorDescriber* foreign_error_describer(v8::Isolate* isolate);
  // Why JavaScript was terminated, when the code that called into it is not one of this engine's
  // entry points (Python calling JavaScript): takes the request, as an entry point would, and lets
  // V8 run again. Only once no JavaScript frames are left on the stack.
  struct Termination {
    enum class Kind { None, Stop, Exit, OutOfMemory, PythonError } kind = Kind::None;
    int exit_status = 0;
    std::shared_ptr<void> exit_origin;  // see request_exit_from_python; empty after process.exit()
    std::shared_ptr<void> python_error;  // see stop_with_python_error
    std::size_t max_heap_mb = 0;
  };
  Termination take_termination();
  // Whether JavaScript was asked to stop or exit and V8 has not acted on it yet (it does at the
  // next stack check, so a function that calls process.exit() last returns normally first).
  bool termination_requested() const {
    return exit_status_.has_value() || stop_requested_ || heap_limit_reached_ || python_error_.has_value();
  }

 private:
  class Scope;  // isolate + handle + context scopes for one entry from C++
  struct IsolateDeleter {
    void operator()(v8::Isolate* isolate) const { isolate->Dispose(); }
  };

  void install_prelude();
  [[noreturn]] void throw_error(v8::TryCatch& try_catch);
  // Where the running JavaScript is (the file, line, column and stack of its innermost frame of
  // the script's), or nothing when none runs.
  ScriptErrorInfo current_call_site();
  void forget_exit_request();
  // Throws unless TRY_CATCH saw nothing; turns termination by process.exit into ExitRequest.
  void check(v8::TryCatch& try_catch, bool ok);
  // Runs microtasks and platform tasks until PROMISE settles; returns its value or throws.
  v8::Local<v8::Value> await_promise(v8::Local<v8::Promise> promise, const std::string& what);
  void drain_tasks();
  // Reports a rejected Promise nobody handled, as node does at the end of a script.
  void check_unhandled_rejections();
  static void on_promise_reject(v8::PromiseRejectMessage message);
  // An error V8 reports itself (a verbose TryCatch of its own: a FinalizationRegistry's cleanup
  // callback that throws), which V8 printed as "FILE:OFFSET: Uncaught ..." and went on: kept, and
  // thrown by drain_tasks as any uncaught error is.
  static void on_reported_message(v8::Local<v8::Message> message, v8::Local<v8::Value> exception);
  static size_t on_near_heap_limit(void* data, size_t current_limit, size_t initial_limit);

  V8Platform& platform_;
  std::unique_ptr<v8::ArrayBuffer::Allocator> allocator_;
  std::unique_ptr<v8::Isolate, IsolateDeleter> isolate_;
  // Everything below holds handles and must go before the isolate: members die in reverse order.
  v8::Global<v8::Context> context_;
  v8::Global<v8::Object> prelude_;
  v8::Global<v8::Value> exports_;  // of the module loaded by load_module
  std::unique_ptr<EsModules> es_modules_;
  std::vector<std::pair<v8::Global<v8::Promise>, v8::Global<v8::Value>>> unhandled_rejections_;
  std::optional<int> exit_status_;
  std::optional<std::string> exit_message_;
  std::string exit_call_;       // "process.exit" or "sys.exit" (from Python called by JavaScript)
  ScriptErrorInfo exit_site_;   // where JavaScript made that call
  std::shared_ptr<void> exit_origin_;
  std::optional<ScriptErrorInfo> python_error_;  // see stop_with_python_error
  std::optional<ScriptErrorInfo> reported_error_;  // see on_reported_message
  std::shared_ptr<void> python_error_origin_;
  std::atomic<bool> stop_requested_{false};  // by request_stop (another thread)
  std::mutex stop_listener_mutex_;
  std::function<void()> stop_listener_;
  ProxyDescriber describe_proxy_;
  ForeignErrorDescriber describe_foreign_error_;
  bool heap_limit_reached_ = false;
  bool stacks_when_timed_ = true;  // see detailed_stacks_when_timed
  std::size_t max_heap_mb_ = 0;
};

}  // namespace polyhost
