#include "host/v8/v8_engine.h"

#include <libplatform/libplatform.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "host/v8/prelude_js.h"  // generated from prelude.js: kPreludeJs
#include "host/v8/v8_convert.h"
#include "host/v8/v8_errors.h"
#include "host/v8/v8_strings.h"

namespace polyhost {

// The scopes every entry from C++ into JavaScript needs, in the order V8 requires them.
class V8Engine::Scope {
 public:
  explicit Scope(const V8Engine& engine)
      : isolate_scope_(engine.isolate()), handles_(engine.isolate()), context_scope_(engine.context()) {}

 private:
  v8::Isolate::Scope isolate_scope_;
  v8::HandleScope handles_;
  v8::Context::Scope context_scope_;
};

namespace {

constexpr int kDetailedFrames = 32;  // the frames of a detailed stack trace (kStackFrames in host/bridge)

// While alive, V8 captures no detailed stack trace at a throw or for an Error made.
class NoDetailedStacks {
 public:
  explicit NoDetailedStacks(v8::Isolate* isolate) : isolate_(isolate) {
    isolate_->SetCaptureStackTraceForUncaughtExceptions(false);
  }
  ~NoDetailedStacks() { isolate_->SetCaptureStackTraceForUncaughtExceptions(true, kDetailedFrames); }
  NoDetailedStacks(const NoDetailedStacks&) = delete;
  NoDetailedStacks& operator=(const NoDetailedStacks&) = delete;

 private:
  v8::Isolate* isolate_;
};

}  // namespace

V8Engine::V8Engine(V8Platform& platform, std::size_t max_heap_mb)
    : platform_(platform), allocator_(v8::ArrayBuffer::Allocator::NewDefaultAllocator()), max_heap_mb_(max_heap_mb) {
  v8::Isolate::CreateParams params;
  params.array_buffer_allocator = allocator_.get();
  if (max_heap_mb > 0) params.constraints.ConfigureDefaultsFromHeapSize(0, max_heap_mb * 1024 * 1024);
  isolate_.reset(v8::Isolate::New(params));
  if (max_heap_mb > 0) isolate_->AddNearHeapLimitCallback(on_near_heap_limit, this);
  isolate_->SetData(0, this);
  isolate_->SetMicrotasksPolicy(v8::MicrotasksPolicy::kExplicit);
  isolate_->SetPromiseRejectCallback(on_promise_reject);
  isolate_->AddMessageListenerWithErrorLevel(on_reported_message, v8::Isolate::kMessageError);
  isolate_->SetCaptureStackTraceForUncaughtExceptions(true, kDetailedFrames);  // error locations, see v8_errors.cc

  v8::Isolate::Scope isolate_scope(isolate());
  v8::HandleScope handles(isolate());
  context_.Reset(isolate(), v8::Context::New(isolate()));
  es_modules_ = std::make_unique<EsModules>(
      isolate(), [this](const char* name, std::vector<v8::Local<v8::Value>> args) { return call_prelude(name, std::move(args)); });
  install_prelude();
}

V8Engine::~V8Engine() {
  // Handles first, while the isolate still exists; then the isolate (members, in reverse order).
  unhandled_rejections_.clear();
  es_modules_.reset();
  exports_.Reset();
  prelude_.Reset();
  context_.Reset();
}

void V8Engine::with_context(const std::function<void(v8::Local<v8::Context>)>& fn) {
  Scope scope(*this);
  fn(context());
}

V8Engine& V8Engine::from(v8::Isolate* isolate) { return *static_cast<V8Engine*>(isolate->GetData(0)); }

const ForeignErrorDescriber* V8Engine::foreign_error_describer(v8::Isolate* isolate) {
  const auto* engine = static_cast<const V8Engine*>(isolate->GetData(0));
  return engine && engine->describe_foreign_error_ ? &engine->describe_foreign_error_ : nullptr;
}

void V8Engine::install_prelude() {
  v8::Local<v8::Context> ctx = context();
  v8::Context::Scope context_scope(ctx);
  v8::TryCatch try_catch(isolate());
  v8::ScriptOrigin origin(isolate(), v8_string(isolate(), "polyhost:prelude.js"));
  v8::ScriptCompiler::Source source(v8_string(isolate(), kPreludeJs), origin);
  v8::Local<v8::String> param = v8_string(isolate(), "host");
  v8::Local<v8::Function> fn;
  v8::Local<v8::Value> host = make_host_functions(ctx, *this);
  v8::Local<v8::Value> api;
  if (!v8::ScriptCompiler::CompileFunction(ctx, &source, 1, &param).ToLocal(&fn) ||
      !fn->Call(ctx, v8::Undefined(isolate()), 1, &host).ToLocal(&api) || !api->IsObject()) {
    throw std::logic_error("polyhost's JavaScript prelude failed: " + ScriptError::headline(
        describe_v8_exception(ctx, try_catch.Exception(), try_catch.Message())));
  }
  prelude_.Reset(isolate(), api.As<v8::Object>());
}

v8::MaybeLocal<v8::Value> V8Engine::call_prelude(const char* name, std::vector<v8::Local<v8::Value>> args) {
  v8::Local<v8::Context> ctx = context();
  v8::Local<v8::Object> api = prelude_.Get(isolate());
  v8::Local<v8::Value> fn = api->Get(ctx, v8_string(isolate(), name)).ToLocalChecked();
  return fn.As<v8::Function>()->Call(ctx, api, static_cast<int>(args.size()), args.data());
}

void V8Engine::request_stop() {
  stop_requested_ = true;
  isolate()->TerminateExecution();  // thread-safe; acted on at the script's next stack check
  std::function<void()> listener;
  {
    std::lock_guard<std::mutex> lock(stop_listener_mutex_);
    listener = stop_listener_;
  }
  if (listener) listener();
}

void V8Engine::set_stop_listener(std::function<void()> listener) {
  std::lock_guard<std::mutex> lock(stop_listener_mutex_);
  stop_listener_ = std::move(listener);
}

V8Engine::Termination V8Engine::take_termination() {
  Termination out;
  out.max_heap_mb = max_heap_mb_;
  if (heap_limit_reached_) {
    out.kind = Termination::Kind::OutOfMemory;
  } else if (stop_requested_) {
    out.kind = Termination::Kind::Stop;
  } else if (exit_status_) {
    out.kind = Termination::Kind::Exit;
    out.exit_status = *exit_status_;
    out.exit_origin = std::move(exit_origin_);
  } else if (python_error_) {
    out.kind = Termination::Kind::PythonError;
    out.python_error = std::move(python_error_origin_);
  }
  heap_limit_reached_ = false;
  stop_requested_ = false;
  forget_exit_request();
  python_error_.reset();
  python_error_origin_.reset();
  isolate()->CancelTerminateExecution();
  return out;
}

// V8 calls this when the heap is nearly full; left alone it would abort the process. Stop the
// script instead, and give V8 enough room to unwind.
size_t V8Engine::on_near_heap_limit(void* data, size_t current_limit, size_t initial_limit) {
  auto* engine = static_cast<V8Engine*>(data);
  engine->heap_limit_reached_ = true;
  engine->isolate()->TerminateExecution();
  return current_limit + std::max<size_t>(initial_limit / 2, 64 * 1024 * 1024);
}

void V8Engine::request_exit(int status) {
  forget_exit_request();
  exit_status_ = status;
  exit_call_ = "process.exit";
  exit_site_ = current_call_site();
  isolate()->TerminateExecution();
}

void V8Engine::request_exit_from_python(int status, std::optional<std::string> message, std::shared_ptr<void> origin) {
  request_exit(status);
  exit_call_ = "sys.exit";
  exit_message_ = std::move(message);
  exit_origin_ = std::move(origin);
}

void V8Engine::forget_exit_request() {
  exit_status_.reset();
  exit_message_.reset();
  exit_call_.clear();
  exit_site_ = {};
  exit_origin_.reset();
}

ScriptErrorInfo V8Engine::current_call_site() {
  if (!isolate()->InContext()) return {};
  v8::HandleScope scope(isolate());
  // An Error made here has the stack of the call, and describing it skips the prelude's frames.
  ScriptErrorInfo site = describe_uncaught_v8_exception(isolate()->GetCurrentContext(),
                                                        v8::Exception::Error(v8::String::Empty(isolate())));
  // Its stack's first line names that Error: only the frames below it are the call's.
  const std::size_t frames = site.stack.find('\n');
  site.stack = frames == std::string::npos ? std::string() : site.stack.substr(frames + 1);
  site.type.clear();
  site.message.clear();
  return site;
}

void V8Engine::stop_with_python_error(ScriptErrorInfo error, std::shared_ptr<void> origin) {
  python_error_ = std::move(error);
  python_error_origin_ = std::move(origin);
  isolate()->TerminateExecution();
}

void V8Engine::throw_error(v8::TryCatch& try_catch) {
  if (termination_requested() || try_catch.HasTerminated() || isolate()->IsExecutionTerminating()) {
    isolate()->CancelTerminateExecution();
    if (heap_limit_reached_) {
      heap_limit_reached_ = false;
      throw EngineStop(EngineStop::Reason::OutOfMemory,
                       "the JavaScript heap reached its limit of " + std::to_string(max_heap_mb_) + " MB");
    }
    if (stop_requested_) {
      stop_requested_ = false;
      throw EngineStop(EngineStop::Reason::Timeout, "the script was stopped (TerminateExecution) after its time ran out");
    }
    if (exit_status_) {
      ExitRequest exit{*exit_status_, std::move(exit_message_), std::move(exit_call_), std::move(exit_site_)};
      forget_exit_request();
      throw exit;
    }
    if (python_error_) {
      ScriptError error(std::move(*python_error_));
      python_error_.reset();
      python_error_origin_.reset();
      throw error;
    }
    throw ScriptError({"", 0, 0, "Terminated", "JavaScript execution was terminated", ""});
  }
  throw ScriptError(describe_uncaught_v8_exception(context(), try_catch.Exception(), try_catch.Message()));
}

void V8Engine::check(v8::TryCatch& try_catch, bool ok) {
  // process.exit() asks V8 to terminate, but V8 acts on that only at its next stack check, so a
  // function that exits and returns at once comes back "successfully": look at the request too.
  if (!ok || termination_requested() || try_catch.HasCaught() || try_catch.HasTerminated()) {
    throw_error(try_catch);
  }
}

void V8Engine::drain_tasks() {
  do {
    isolate()->PerformMicrotaskCheckpoint();
  } while (v8::platform::PumpMessageLoop(platform_.get(), isolate()));
  if (reported_error_) {
    ScriptErrorInfo error = std::move(*reported_error_);
    reported_error_.reset();
    throw ScriptError(std::move(error));
  }
}

void V8Engine::on_reported_message(v8::Local<v8::Message> message, v8::Local<v8::Value> exception) {
  v8::Isolate* isolate = message->GetIsolate();
  V8Engine& engine = from(isolate);
  if (engine.reported_error_) return;  // the first one ends the script
  engine.reported_error_ = describe_uncaught_v8_exception(isolate->GetCurrentContext(), exception, message);
}

v8::Local<v8::Value> V8Engine::await_promise(v8::Local<v8::Promise> promise, const std::string& what) {
  v8::TryCatch try_catch(isolate());
  drain_tasks();
  check(try_catch, true);
  // There are no timers or I/O, so once the queues are empty a pending Promise can never settle.
  switch (promise->State()) {
    case v8::Promise::kFulfilled:
      return promise->Result();
    case v8::Promise::kRejected: {
      v8::Local<v8::Value> reason = promise->Result();
      for (auto it = unhandled_rejections_.begin(); it != unhandled_rejections_.end(); ++it) {
        if (it->first.Get(isolate()) == promise) {
          unhandled_rejections_.erase(it);
          break;
        }
      }
      throw ScriptError(describe_uncaught_v8_exception(context(), reason));
    }
    case v8::Promise::kPending:
      break;
  }
  throw ScriptError({"", 0, 0, "Error", what + " never settled: it waits for something that cannot happen "
                     "(polyhost's V8 has no timers or I/O)", ""});
}

void V8Engine::on_promise_reject(v8::PromiseRejectMessage message) {
  v8::Local<v8::Promise> promise = message.GetPromise();
  v8::Isolate* isolate = promise->GetIsolate();
  V8Engine& engine = from(isolate);
  auto& list = engine.unhandled_rejections_;
  if (message.GetEvent() == v8::kPromiseRejectWithNoHandler) {
    list.emplace_back(v8::Global<v8::Promise>(isolate, promise), v8::Global<v8::Value>(isolate, message.GetValue()));
  } else if (message.GetEvent() == v8::kPromiseHandlerAddedAfterReject) {
    for (auto it = list.begin(); it != list.end(); ++it) {
      if (it->first.Get(isolate) == promise) {
        list.erase(it);
        break;
      }
    }
  }
}

void V8Engine::report_unhandled_rejections() {
  Scope scope(*this);
  check_unhandled_rejections();
}

void V8Engine::check_unhandled_rejections() {
  if (unhandled_rejections_.empty()) return;
  v8::Local<v8::Value> reason = unhandled_rejections_.front().second.Get(isolate());
  unhandled_rejections_.clear();
  ScriptErrorInfo info = describe_uncaught_v8_exception(context(), reason);
  info.message = "(unhandled Promise rejection) " + info.message;
  throw ScriptError(info);
}

void V8Engine::run_program(const std::filesystem::path& file, const std::vector<std::string>& args) {
  Scope scope(*this);
  v8::Local<v8::Context> ctx = context();
  std::string path = std::filesystem::absolute(file).lexically_normal().string();
  auto argv = v8::Array::New(isolate());
  argv->Set(ctx, 0, v8_string(isolate(), "polyhost")).Check();
  argv->Set(ctx, 1, v8_string(isolate(), path)).Check();
  for (size_t i = 0; i < args.size(); ++i) argv->Set(ctx, static_cast<uint32_t>(i + 2), v8_string(isolate(), args[i])).Check();

  v8::TryCatch try_catch(isolate());
  v8::Local<v8::Value> kind;
  check(try_catch, call_prelude("runMain", {v8_string(isolate(), path), argv}).ToLocal(&kind));
  if (v8_to_utf8(isolate(), kind) == "esm") {
    v8::Local<v8::Module> module;
    v8::Local<v8::Value> evaluation;
    check(try_catch, es_modules_->load_and_link(ctx, path).ToLocal(&module) &&
                         module->Evaluate(ctx).ToLocal(&evaluation));
    await_promise(evaluation.As<v8::Promise>(), "top-level await in " + path);
  } else {
    drain_tasks();
    check(try_catch, true);
  }
  check_unhandled_rejections();
  std::fflush(stdout);
}

void V8Engine::load_module(const std::filesystem::path& file) {
  Scope scope(*this);
  v8::Local<v8::Context> ctx = context();
  std::string path = std::filesystem::absolute(file).lexically_normal().string();
  v8::TryCatch try_catch(isolate());
  v8::Local<v8::Value> is_esm;
  check(try_catch, call_prelude("isEsm", {v8_string(isolate(), path)}).ToLocal(&is_esm));
  if (is_esm->BooleanValue(isolate())) {
    v8::Local<v8::Module> module;
    v8::Local<v8::Value> evaluation;
    check(try_catch, es_modules_->load_and_link(ctx, path).ToLocal(&module) &&
                         module->Evaluate(ctx).ToLocal(&evaluation));
    await_promise(evaluation.As<v8::Promise>(), "top-level await in " + path);
    exports_.Reset(isolate(), module->GetModuleNamespace());
  } else {
    v8::Local<v8::Value> exports;
    check(try_catch, call_prelude("require", {v8_string(isolate(), path)}).ToLocal(&exports));
    drain_tasks();
    check(try_catch, true);
    exports_.Reset(isolate(), exports);
  }
  check_unhandled_rejections();
}

bool V8Engine::has_export(const std::string& name) {
  Scope scope(*this);
  if (exports_.IsEmpty()) return false;
  v8::Local<v8::Value> exports = exports_.Get(isolate());
  if (!exports->IsObject()) return false;
  v8::TryCatch try_catch(isolate());
  v8::Local<v8::Value> value;
  return exports.As<v8::Object>()->Get(context(), v8_string(isolate(), name)).ToLocal(&value) && !value->IsUndefined();
}

Value V8Engine::get_export(const std::string& name) {
  Scope scope(*this);
  if (exports_.IsEmpty()) throw std::logic_error("get_export before load_module");
  v8::Local<v8::Value> exports = exports_.Get(isolate());
  v8::TryCatch try_catch(isolate());
  v8::Local<v8::Value> value = v8::Undefined(isolate());
  if (exports->IsObject()) check(try_catch, exports.As<v8::Object>()->Get(context(), v8_string(isolate(), name)).ToLocal(&value));
  return to_value(context(), value, name, describe_proxy_);
}

Engine::TimedResult V8Engine::call_timed(const std::string& name, const std::vector<Value>& args) {
  Scope scope(*this);
  if (exports_.IsEmpty()) throw std::logic_error("call before load_module");
  v8::Local<v8::Context> ctx = context();
  v8::Local<v8::Value> exports = exports_.Get(isolate());
  v8::TryCatch try_catch(isolate());
  v8::Local<v8::Value> fn = v8::Undefined(isolate());
  if (exports->IsObject()) check(try_catch, exports.As<v8::Object>()->Get(ctx, v8_string(isolate(), name)).ToLocal(&fn));
  if (!fn->IsFunction()) {
    throw ScriptError({"", 0, 0, "TypeError", name + " is not a function (it is " +
                       v8_to_utf8(isolate(), fn->TypeOf(isolate())) + ")", ""});
  }
  std::vector<v8::Local<v8::Value>> argv;
  argv.reserve(args.size());
  for (const auto& arg : args) argv.push_back(from_value(ctx, arg));
  v8::Local<v8::Value> result;
  // See detailed_stacks_when_timed; kept until the error, if any, is described (below), which
  // capture on would locate at the current, empty stack.
  std::optional<NoDetailedStacks> as_node_runs;
  if (!stacks_when_timed_) as_node_runs.emplace(isolate());
  const auto start = std::chrono::steady_clock::now();
  bool called = fn.As<v8::Function>()->Call(ctx, exports, static_cast<int>(argv.size()), argv.data()).ToLocal(&result);
  if (called && result->IsPromise()) {
    result = await_promise(result.As<v8::Promise>(), "the Promise returned by " + name + "()");
  } else {
    drain_tasks();
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;
  check(try_catch, called);
  check_unhandled_rejections();
  return {to_value(ctx, result, name + "() result", describe_proxy_), std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count()};
}

}  // namespace polyhost
