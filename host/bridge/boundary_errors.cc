#include "host/bridge/boundary_errors.h"

#include <frameobject.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>

#include "host/bridge/boundary_values.h"
#include "host/bridge/bridge.h"
#include "host/bridge/js_object_proxy.h"
#include "host/bridge/python_object_proxy.h"
#include "host/bridge/release_queue.h"
#include "host/python/gil_hold.h"
#include "host/python/python_engine.h"
#include "host/python/python_text.h"
#include "host/v8/v8_engine.h"
#include "host/v8/v8_errors.h"
#include "host/v8/v8_platform.h"
#include "host/v8/v8_strings.h"

namespace polyhost {
namespace {

constexpr int kStackFrames = 32;  // what V8 captures for an error (V8Engine sets the same)

std::string depth_message() {
  return "the chain of calls between JavaScript and Python went deeper than " +
         std::to_string(Bridge::kMaxCrossings) + " crossings";
}

// Bookkeeping kept on a JavaScript error object as it crosses back and forth (private, so
// scripts never see it): the Python exception it stands for; how many frames of its captured
// stack were already written into a Python traceback; how many lines of its stack text belong
// to the stretches it has crossed; where in Python it was raised (for `polyhost exec`).
v8::Local<v8::Private> key(v8::Isolate* isolate, const char* name) {
  return v8::Private::ForApi(isolate, v8_string(isolate, name));
}
constexpr const char* kLinkedException = "polyhost:python-exception";
constexpr const char* kFramesSeen = "polyhost:frames-seen";
constexpr const char* kLinesAccounted = "polyhost:lines-accounted";
constexpr const char* kOrigin = "polyhost:origin";  // read by describe_v8_exception too
// Attributes on Python exceptions for the way back: a JSError for a thrown primitive, and a Python
// exception JavaScript threw as it is (a proxy).
constexpr const char* kThrownPrimitive = "_polyhost_thrown_primitive";
constexpr const char* kThrownAsProxy = "_polyhost_thrown_as_proxy";
constexpr const char* kFramesShown = "_polyhost_frames_in_stack";  // on a JSError: see note_frames_shown

// kThrownAsProxy lives in the exception's own __dict__ (never through __getattr__), and holds the
// crossing depth at which JavaScript threw it: it counts only when the exception leaves Python at
// the crossing just below, the one it is unwinding to, and is dropped whenever it leaves Python.
void mark_thrown_as_proxy(PyObject* exception, int depth) {
  PyRef dict = PyRef::steal(PyObject_GenericGetDict(exception, nullptr));
  PyRef value = PyRef::steal(PyLong_FromLong(depth));
  if (!dict || !value || PyDict_SetItemString(dict.get(), kThrownAsProxy, value.get()) < 0) PyErr_Clear();
}

bool take_thrown_as_proxy(PyObject* exception, int depth) {
  PyRef dict = PyRef::steal(PyObject_GenericGetDict(exception, nullptr));
  if (!dict) {
    PyErr_Clear();
    return false;
  }
  PyObject* marked = PyDict_GetItemString(dict.get(), kThrownAsProxy);  // borrowed
  if (!marked) return false;
  const bool here = PyLong_Check(marked) && PyLong_AsLong(marked) == depth + 1;
  if (PyDict_DelItemString(dict.get(), kThrownAsProxy) < 0) PyErr_Clear();
  return here;
}

std::uint32_t private_count(v8::Local<v8::Context> context, v8::Local<v8::Object> object, const char* name) {
  v8::Local<v8::Value> value;
  if (!object->GetPrivate(context, key(context->GetIsolate(), name)).ToLocal(&value) || !value->IsUint32()) return 0;
  return value.As<v8::Uint32>()->Value();
}

void set_private_count(v8::Local<v8::Context> context, v8::Local<v8::Object> object, const char* name, std::uint32_t n) {
  object->SetPrivate(context, key(context->GetIsolate(), name), v8::Integer::NewFromUnsigned(context->GetIsolate(), n)).Check();
}

// A frame of the JavaScript stack, prepended to the pending Python exception's traceback as if
// it were a Python frame (a code object that names the function, file and line; no bytecode).
void add_traceback_frame(const std::string& function, const std::string& file, int line) {
  PyObject *type = nullptr, *value = nullptr, *traceback = nullptr;
  PyErr_Fetch(&type, &value, &traceback);
  PyRef globals = PyRef::steal(PyDict_New());
  PyRef code = globals ? PyRef::steal(reinterpret_cast<PyObject*>(
                             PyCode_NewEmpty(file.c_str(), function.c_str(), line > 0 ? line : 1)))
                       : PyRef();
  PyRef frame = code ? PyRef::steal(reinterpret_cast<PyObject*>(PyFrame_New(
                           PyThreadState_Get(), reinterpret_cast<PyCodeObject*>(code.get()), globals.get(), nullptr)))
                     : PyRef();
  if (!frame) {
    PyErr_Clear();  // a frame less in the traceback rather than a different error
    PyErr_Restore(type, value, traceback);
    return;
  }
  PyErr_Restore(type, value, traceback);
  if (PyTraceBack_Here(reinterpret_cast<PyFrameObject*>(frame.get())) < 0) PyErr_Clear();
}

// Frames FIRST .. FIRST + COUNT - 1 of TRACE (innermost first), added so that the traceback
// reads outermost first as Python's does.
void add_js_frames(v8::Isolate* isolate, v8::Local<v8::StackTrace> trace, int first, int count) {
  for (int i = first; i < first + count; ++i) {
    v8::Local<v8::StackFrame> frame = trace->GetFrame(isolate, static_cast<std::uint32_t>(i));
    v8::Local<v8::String> name = frame->GetFunctionName();
    v8::Local<v8::String> script = frame->GetScriptName();
    std::string function = name.IsEmpty() || name->Length() == 0 ? "<anonymous>" : v8_to_utf8(isolate, name);
    std::string file = !script.IsEmpty() && script->Length() > 0 ? v8_to_utf8(isolate, script)
                       : frame->IsEval()                           ? kEvalCode
                                                                   : "<unknown>";
    if (file == "polyhost:prelude.js") continue;
    add_traceback_frame(function, file, frame->GetLineNumber());
  }
}

// The JavaScript frames an error went through since it last crossed (or since it was made),
// for its Python traceback: those of its captured stack that are not on the stack any more.
void splice_js_frames(v8::Local<v8::Context> context, v8::Local<v8::Value> exception, v8::TryCatch& try_catch) {
  v8::Isolate* isolate = context->GetIsolate();
  v8::Local<v8::StackTrace> trace = v8::Exception::GetStackTrace(exception);
  if (trace.IsEmpty() && !try_catch.Message().IsEmpty()) trace = try_catch.Message()->GetStackTrace();
  if (trace.IsEmpty()) return;
  const int total = trace->GetFrameCount();
  const int below = v8::StackTrace::CurrentStackTrace(isolate, kStackFrames)->GetFrameCount();
  std::uint32_t seen = 0;
  if (exception->IsObject()) seen = private_count(context, exception.As<v8::Object>(), kFramesSeen);
  // A captured stack cut at kStackFrames hides how many of its frames are still below: then all
  // of them count as this stretch's.
  const int count = total >= kStackFrames ? total - static_cast<int>(seen) : total - below - static_cast<int>(seen);
  if (count <= 0) return;
  add_js_frames(isolate, trace, static_cast<int>(seen), count);
  if (exception->IsObject()) {
    v8::Local<v8::Object> object = exception.As<v8::Object>();
    set_private_count(context, object, kFramesSeen, seen + static_cast<std::uint32_t>(count));
    set_private_count(context, object, kLinesAccounted,
                      private_count(context, object, kLinesAccounted) + static_cast<std::uint32_t>(count));
  }
}

// An error entering Python: the entries its traceback has so far (the JavaScript frames, and the
// Python frames of earlier crossings) are all in its JavaScript stack, and going back into
// JavaScript must not write them into it again. Returns their number; a JSError keeps it too.
int note_frames_shown(Bridge& bridge) {
  PyObject *type = nullptr, *value = nullptr, *traceback = nullptr;
  PyErr_Fetch(&type, &value, &traceback);
  PyErr_NormalizeException(&type, &value, &traceback);
  PyRef count = PyRef::steal(PyObject_CallOneArg(bridge.helper("_count_frames"), traceback ? traceback : Py_None));
  const long shown = count && PyLong_Check(count.get()) ? PyLong_AsLong(count.get()) : 0;
  if (count && value && PyObject_IsInstance(value, bridge.helper("JSError")) == 1 &&
      PyObject_SetAttrString(value, kFramesShown, count.get()) < 0) {
    PyErr_Clear();
  }
  PyErr_Clear();
  PyErr_Restore(type, value, traceback);
  return static_cast<int>(shown);
}

int frames_shown_by(PyObject* js_error) {
  PyRef count = PyRef::steal(PyObject_GetAttrString(js_error, kFramesShown));
  const long shown = count && PyLong_Check(count.get()) ? PyLong_AsLong(count.get()) : 0;
  PyErr_Clear();
  return static_cast<int>(shown);
}

// ERROR's stack text with the Python frames EXCEPTION went through since it came into Python
// (those of its traceback before the last FRAMES_SHOWN entries), after the frame lines already
// accounted for.
void write_python_frames(Bridge& bridge, v8::Local<v8::Context> context, v8::Local<v8::Object> error, PyObject* exception,
                         int frames_shown) {
  v8::Isolate* isolate = context->GetIsolate();
  v8::TryCatch ignore(isolate);  // a stack that cannot be rewritten stays as it was
  v8::Local<v8::Value> stack;
  v8::Local<v8::String> stack_key = v8_string(isolate, "stack");
  if (!error->Get(context, stack_key).ToLocal(&stack) || !stack->IsString()) return;
  PyRef text = to_python(bridge, context, stack);
  const std::uint32_t accounted = private_count(context, error, kLinesAccounted);
  PyRef merged = text ? PyRef::steal(PyObject_CallFunction(bridge.helper("_merge_stack"), "OIOi", text.get(), accounted,
                                                           exception, frames_shown))
                      : PyRef();
  v8::Local<v8::Value> new_stack;
  if (merged && PyTuple_Check(merged.get()) && to_js(bridge, context, PyTuple_GET_ITEM(merged.get(), 0)).ToLocal(&new_stack)) {
    error->Set(context, stack_key, new_stack).IsJust();
    const long added = PyLong_AsLong(PyTuple_GET_ITEM(merged.get(), 1));
    set_private_count(context, error, kLinesAccounted, accounted + static_cast<std::uint32_t>(added));
  }
  PyErr_Clear();
}

// ERROR (a JSError coming out of JavaScript again) takes the stack text its value has now, with
// the frames of the stretches it crossed since it was made.
void refresh_stack(Bridge& bridge, v8::Local<v8::Context> context, PyObject* error, v8::Local<v8::Value> exception) {
  v8::Isolate* isolate = context->GetIsolate();
  v8::TryCatch ignore(isolate);  // a stack that cannot be read leaves the one it had
  v8::Local<v8::Value> stack;
  if (!exception.As<v8::Object>()->Get(context, v8_string(isolate, "stack")).ToLocal(&stack) || !stack->IsString()) return;
  PyRef text = to_python(bridge, context, stack);
  if (!text || PyObject_SetAttrString(error, "stack", text.get()) < 0) PyErr_Clear();
}

// The frame lines of STACK without those of polyhost's own JavaScript (prelude.js).
std::string without_runtime_frames(const std::string& stack) {
  std::string out;
  std::size_t start = 0;
  while (start < stack.size()) {
    std::size_t end = stack.find('\n', start);
    if (end == std::string::npos) end = stack.size();
    const std::string line = stack.substr(start, end - start);
    if (line.find("polyhost:prelude.js:") == std::string::npos) out += (out.empty() ? "" : "\n") + line;
    start = end + 1;
  }
  return out;
}

bool is_js_stack_overflow(const ScriptErrorInfo& info) {
  return info.type == "RangeError" && (info.message.find("Maximum call stack size exceeded") != std::string::npos ||
                                       info.message.find("between JavaScript and Python") != std::string::npos);
}

// JavaScript was terminated below Python: make Python unwind.
PyObject* raise_termination(Bridge& bridge) {
  if (bridge.js_below()) {
    // JavaScript frames are below this Python code: V8 goes on terminating them once Python has
    // unwound, and the engine's entry point reports why.
    PyErr_SetString(PyExc_KeyboardInterrupt, "polyhost: JavaScript was terminated");
    return nullptr;
  }
  V8Engine::Termination why = bridge.js().take_termination();
  switch (why.kind) {
    case V8Engine::Termination::Kind::Exit:
      if (auto* origin = static_cast<PyObject*>(why.exit_origin.get())) {
        // sys.exit(code) from Python above JavaScript: that SystemExit again, its code as given,
        // for Python below to end with or to catch.
        PyErr_Restore(Py_NewRef(reinterpret_cast<PyObject*>(Py_TYPE(origin))), Py_NewRef(origin),
                      PyException_GetTraceback(origin));
      } else {
        PyRef status = PyRef::steal(PyLong_FromLong(why.exit_status));  // process.exit(status)
        PyErr_SetObject(PyExc_SystemExit, status.get());
      }
      break;
    case V8Engine::Termination::Kind::Stop:
      PyErr_SetString(PyExc_KeyboardInterrupt, "polyhost: the script's time ran out");
      break;
    case V8Engine::Termination::Kind::PythonError:
      if (auto* origin = static_cast<PyObject*>(why.python_error.get())) {
        PyErr_Restore(Py_NewRef(reinterpret_cast<PyObject*>(Py_TYPE(origin))), Py_NewRef(origin),
                      PyException_GetTraceback(origin));
      } else {
        PyErr_SetNone(PyExc_KeyboardInterrupt);
      }
      break;
    case V8Engine::Termination::Kind::OutOfMemory:
      PyErr_Format(PyExc_MemoryError, "the JavaScript heap reached its limit of %zu MB", why.max_heap_mb);
      break;
    case V8Engine::Termination::Kind::None:
      PyErr_SetString(PyExc_RuntimeError, "JavaScript execution was terminated");
      break;
  }
  return nullptr;
}

// The exception itself, held for V8 until it hands it back (take_termination) or lets go of it,
// perhaps where Python may not run: then it is released at the next crossing.
std::shared_ptr<void> held_for_js(Bridge& bridge, PyObject* object) {
  return std::shared_ptr<void>(Py_NewRef(object), [queue = bridge.releases_weak()](void* held) {
    if (auto live = queue.lock()) live->decref_later_any_thread(static_cast<PyObject*>(held));
  });
}

// SYSTEM_EXIT raised in Python called from JavaScript: V8 exits as Python would (python_exit_of).
void request_exit_for(Bridge& bridge, PyObject* system_exit) {
  PythonExit exit = python_exit_of(system_exit);
  bridge.js().request_exit_from_python(exit.status, std::move(exit.message), held_for_js(bridge, system_exit));
}

// The Error that stands for the Python exception VALUE of TYPE in JavaScript.
v8::Local<v8::Object> error_for(Bridge& bridge, v8::Local<v8::Context> context, PyObject* type, PyObject* value);
v8::MaybeLocal<v8::Value> thrown_by_js(Bridge& bridge, v8::Local<v8::Context> context, PyObject* js_error, bool* primitive);

// The name, stack, pythonException and origin of an Error made for a Python exception.
void decorate_error(Bridge& bridge, v8::Local<v8::Context> context, v8::Local<v8::Object> error, PyObject* value,
                    const std::string& name, v8::Local<v8::String> message, v8::Local<v8::String> python_stack,
                    PyObject* origin);

// VALUE, a Python exception JavaScript may not catch (a KeyboardInterrupt), stops JavaScript as
// process.exit() does: an entry point of V8 at the bottom reports it as it reports an uncaught
// error, and Python code below gets VALUE itself again.
void stop_js_with(Bridge& bridge, v8::Local<v8::Context> context, PyObject* type, PyObject* value) {
  ScriptErrorInfo description = describe_uncaught_v8_exception(context, error_for(bridge, context, type, value));
  PyErr_Clear();
  bridge.js().stop_with_python_error(std::move(description), held_for_js(bridge, value));
}

// TEXT (a str, or nullptr) as a JavaScript string of the same code units (a lone surrogate
// included, which going through UTF-8 would lose); "" when there is none.
v8::Local<v8::String> js_text(Bridge& bridge, v8::Isolate* isolate, PyObject* text) {
  v8::Local<v8::String> out;
  if (text && PyUnicode_Check(text) && js_string(bridge, isolate, text).ToLocal(&out)) return out;
  PyErr_Clear();
  return v8::String::Empty(isolate);
}

}  // namespace

void throw_python_error_in_js(Bridge& bridge, v8::Local<v8::Context> context) {
  end_forked_child_before_javascript();
  v8::Isolate* isolate = context->GetIsolate();
  if (bridge.stopping() || isolate->IsExecutionTerminating() || bridge.js().termination_requested()) {
    // Unwinding after a stop or process.exit(): V8 goes on terminating, and its entry point at
    // the bottom reports why. An interrupt Python raised for the stop was the stop itself; Python
    // keeps the request only when it is at the bottom and reports it there.
    if (PyErr_ExceptionMatches(PyExc_KeyboardInterrupt) && bridge.outermost_js() && bridge.has_python()) {
      bridge.python().take_stop_request();
    }
    PyErr_Clear();
    if (!isolate->IsExecutionTerminating()) isolate->TerminateExecution();
    return;
  }
  PyObject *type = nullptr, *value = nullptr, *traceback = nullptr;
  PyErr_Fetch(&type, &value, &traceback);
  PyErr_NormalizeException(&type, &value, &traceback);
  PyRef type_ref = PyRef::steal(type), value_ref = PyRef::steal(value), traceback_ref = PyRef::steal(traceback);
  if (!value) {
    isolate->ThrowException(v8::Exception::Error(v8_string(isolate, "a Python call failed without an exception")));
    return;
  }
  if (traceback) PyException_SetTraceback(value, traceback);

  if (PyErr_GivenExceptionMatches(type, PyExc_SystemExit)) {  // sys.exit() ends the program, as process.exit()
    request_exit_for(bridge, value);
    return;
  }
  if (PyErr_GivenExceptionMatches(type, PyExc_KeyboardInterrupt)) {  // Ctrl-C: JavaScript may not catch it
    stop_js_with(bridge, context, type, value);
    return;
  }

  // A Python exception that JavaScript threw as a proxy, coming home: that proxy again.
  if (take_thrown_as_proxy(value, bridge.depth())) {
    v8::Local<v8::Value> proxy;
    if (to_js(bridge, context, value).ToLocal(&proxy)) {
      isolate->ThrowException(proxy);
      return;
    }
    PyErr_Clear();
  }
  // A Python exception that came from JavaScript, going back: the Error it was there, its stack
  // now showing the Python frames it went through.
  if (!bridge.errors_through_python().empty()) {
    ErrorInFlight kept = bridge.errors_through_python().take(bridge.calls_into_python(), value);
    if (kept.error) {
      v8::Local<v8::Value> error = kept.thrown.Get(isolate);
      if (error->IsObject()) write_python_frames(bridge, context, error.As<v8::Object>(), value, kept.frames_shown);
      isolate->ThrowException(error);
      return;
    }
  }
  // A JavaScript error coming home: throw the original value, its stack now showing the Python
  // frames it went through.
  bool was_primitive = false;
  v8::Local<v8::Value> thrown;
  if (PyObject_IsInstance(value, bridge.helper("JSError")) == 1 &&
      thrown_by_js(bridge, context, value, &was_primitive).ToLocal(&thrown)) {
    if (!was_primitive && thrown->IsObject()) {
      write_python_frames(bridge, context, thrown.As<v8::Object>(), value, frames_shown_by(value));
    }
    // Kept in case it comes out into Python again, where it is this JSError again.
    bridge.errors_through_js().keep(bridge.calls_into_js(), isolate, thrown, value);
    isolate->ThrowException(thrown);
    return;
  }
  PyErr_Clear();

  isolate->ThrowException(error_for(bridge, context, type, value));
}

namespace {

// What JavaScript threw for JS_ERROR (a JSError): the primitive again (*PRIMITIVE set), or the
// object its proxy holds; empty when it holds neither.
v8::MaybeLocal<v8::Value> thrown_by_js(Bridge& bridge, v8::Local<v8::Context> context, PyObject* js_error, bool* primitive) {
  v8::Isolate* isolate = context->GetIsolate();
  PyRef marked = PyRef::steal(PyObject_GetAttrString(js_error, kThrownPrimitive));
  PyErr_Clear();
  PyRef original = PyRef::steal(PyObject_GetAttrString(js_error, "value"));
  PyErr_Clear();
  *primitive = static_cast<bool>(marked);
  v8::Local<v8::Value> thrown;
  if (marked) {
    if (marked.get() == bridge.helper("_js_undefined")) return v8::Undefined(isolate);
    if (!original || !to_js(bridge, context, original.get()).ToLocal(&thrown)) {
      PyErr_Clear();
      return {};
    }
    if (marked.get() == bridge.helper("_js_bigint") && thrown->IsNumber()) {
      return v8::BigInt::New(isolate, static_cast<std::int64_t>(thrown.As<v8::Number>()->Value()));  // 5n, not 5
    }
    return thrown;
  }
  if (original && bridge.js_objects().is_proxy(original.get()) && bridge.js_objects().unwrap(original.get()).ToLocal(&thrown)) {
    return thrown;
  }
  PyErr_Clear();
  return {};
}

// The `cause` of an Error made for a Python exception, made when it is first read (V8 then keeps
// it as a data property): most are never read, and making one costs as much as the Error. DATA
// is the proxy of the cause. A JSError is what JavaScript threw again.
void read_python_cause(v8::Local<v8::Name>, const v8::PropertyCallbackInfo<v8::Value>& info) {
  PyObject* cause = PythonObjectProxies::unwrap(info.Data());
  Bridge* bridge = PythonObjectProxies::bridge_of(info.Data());
  if (!cause || !bridge) return;  // the interpreter is gone: no cause to make
  IntoPython in(*bridge, info.GetIsolate());
  if (!in.entered()) return;
  bool primitive = false;
  v8::Local<v8::Value> thrown;
  if (PyObject_IsInstance(cause, bridge->helper("JSError")) == 1 &&
      thrown_by_js(*bridge, in.context(), cause, &primitive).ToLocal(&thrown)) {
    return info.GetReturnValue().Set(thrown);
  }
  PyErr_Clear();
  info.GetReturnValue().Set(error_for(*bridge, in.context(), reinterpret_cast<PyObject*>(Py_TYPE(cause)), cause));
}

// The exception Python shows before VALUE in a traceback: its __cause__ (raise ... from), or its
// __context__ (raised while handling it) unless suppressed; nullptr when none. A new reference.
PyObject* python_cause_of(PyObject* value) {
  if (PyObject* cause = PyException_GetCause(value)) return cause;
  if (reinterpret_cast<PyBaseExceptionObject*>(value)->suppress_context) return nullptr;
  return PyException_GetContext(value);
}

v8::Local<v8::Object> error_for(Bridge& bridge, v8::Local<v8::Context> context, PyObject* type, PyObject* value) {
  v8::Isolate* isolate = context->GetIsolate();
  PyRef described = PyRef::steal(PyObject_CallOneArg(bridge.helper("_describe_for_js"), value));
  std::string name = Py_TYPE(value)->tp_name;
  PyObject *origin = Py_None, *python_message = nullptr, *python_stack = nullptr;  // borrowed from DESCRIBED
  if (described && PyTuple_Check(described.get()) && PyTuple_GET_SIZE(described.get()) == 4) {
    name = utf8_of_python_text(PyTuple_GET_ITEM(described.get(), 0));
    python_message = PyTuple_GET_ITEM(described.get(), 1);
    python_stack = PyTuple_GET_ITEM(described.get(), 2);
    origin = PyTuple_GET_ITEM(described.get(), 3);
  }
  PyErr_Clear();
  const bool recursion = PyErr_GivenExceptionMatches(type, PyExc_RecursionError);
  // The message and the Python frames exactly as Python has them.
  v8::Local<v8::String> message = js_text(bridge, isolate, python_message);
  v8::Local<v8::Object> error =
      (recursion ? v8::Exception::RangeError(message) : v8::Exception::Error(message)).As<v8::Object>();
  decorate_error(bridge, context, error, value, name, message, js_text(bridge, isolate, python_stack), origin);
  // Its cause as the Error's `cause` (not enumerable, as `new Error(m, {cause})` makes it).
  PyRef cause = PyRef::steal(PyExceptionInstance_Check(value) ? python_cause_of(value) : nullptr);
  v8::Local<v8::Value> cause_proxy;
  if (cause && PyExceptionInstance_Check(cause.get()) && to_js(bridge, context, cause.get()).ToLocal(&cause_proxy)) {
    v8::TryCatch ignore(isolate);
    error->SetLazyDataProperty(context, v8_string(isolate, "cause"), read_python_cause, cause_proxy, v8::DontEnum).IsJust();
  }
  PyErr_Clear();
  return error;
}

void decorate_error(Bridge& bridge, v8::Local<v8::Context> context, v8::Local<v8::Object> error, PyObject* value,
                    const std::string& name, v8::Local<v8::String> message, v8::Local<v8::String> python_stack,
                    PyObject* origin) {
  v8::Isolate* isolate = context->GetIsolate();
  v8::TryCatch ignore(isolate);  // an error that cannot be decorated is thrown as it is
  // V8 wrote the JavaScript part of the stack: keep its frame lines, after the Python ones.
  std::string js_frames;
  v8::Local<v8::Value> v8_stack;
  if (error->Get(context, v8_string(isolate, "stack")).ToLocal(&v8_stack) && v8_stack->IsString()) {
    const std::string full = v8_to_utf8(isolate, v8_stack);
    const std::size_t at = full.find("\n    at ");
    if (at != std::string::npos) js_frames = without_runtime_frames(full.substr(at + 1));
    // The first frame is the call of the proxy itself (V8 shows an API object's call so; a
    // callable's prototype is Function.prototype).
    for (const std::string proxy_frame : {"    at Object.<anonymous> (<anonymous>)", "    at Function.<anonymous> (<anonymous>)"}) {
      if (js_frames.rfind(proxy_frame, 0) == 0) js_frames.erase(0, std::min(js_frames.size(), proxy_frame.size() + 1));
    }
  }
  const auto then = [isolate](v8::Local<v8::String> text, const char* separator, v8::Local<v8::String> more) {
    return v8::String::Concat(isolate, v8::String::Concat(isolate, text, v8_string(isolate, separator)), more);
  };
  v8::Local<v8::String> stack = v8_string(isolate, name);
  if (message->Length() > 0) stack = then(stack, ": ", message);
  if (python_stack->Length() > 0) stack = then(stack, "\n", python_stack);
  if (!js_frames.empty()) stack = then(stack, "\n", v8_string(isolate, js_frames));
  error->Set(context, v8_string(isolate, "name"), v8_string(isolate, name)).IsJust();
  error->Set(context, v8_string(isolate, "stack"), stack).IsJust();
  if (python_stack->Length() > 0) {  // its Python lines are accounted for, should it cross back
    const std::string python_lines = v8_to_utf8(isolate, python_stack);
    set_private_count(context, error, kLinesAccounted,
                      1 + static_cast<std::uint32_t>(std::count(python_lines.begin(), python_lines.end(), '\n')));
  }
  v8::Local<v8::Value> exception_proxy;
  if (to_js(bridge, context, value).ToLocal(&exception_proxy)) {
    error->SetPrivate(context, key(isolate, kLinkedException), exception_proxy).IsJust();
    error->DefineOwnProperty(context, v8_string(isolate, "pythonException"), exception_proxy, v8::DontEnum).IsJust();
  }
  PyErr_Clear();
  if (origin != Py_None && PyTuple_Check(origin) && PyTuple_GET_SIZE(origin) == 4) {
    v8::Local<v8::Value> where[] = {
        v8_string(isolate, utf8_of_python_text(PyTuple_GET_ITEM(origin, 0))),
        v8::Integer::New(isolate, static_cast<int>(PyLong_AsLong(PyTuple_GET_ITEM(origin, 1)))),
        v8::Integer::New(isolate, static_cast<int>(PyLong_AsLong(PyTuple_GET_ITEM(origin, 2)))),
        v8_string(isolate, utf8_of_python_text(PyTuple_GET_ITEM(origin, 3))),  // a SyntaxError's line and caret
    };
    PyErr_Clear();
    error->SetPrivate(context, key(isolate, kOrigin), v8::Array::New(isolate, where, 4)).IsJust();
  }
}

// A JSError (a JSRecursionError for a stack overflow) for EXCEPTION, which JavaScript threw; its
// `cause`, when it has one of its own, as its __cause__ (the Python exception it came from, or a
// JSError in turn, up to 8 levels). nullptr with the Python error that stopped it.
// MET: the errors above this one in its chain of causes (a cause met again ends the chain there).
PyRef js_error_for(Bridge& bridge, v8::Local<v8::Context> context, v8::Local<v8::Value> exception,
                   v8::Local<v8::Message> message_of_throw, std::vector<v8::Local<v8::Value>>& met) {
  constexpr std::size_t kMostCauses = 8;
  ScriptErrorInfo info = describe_v8_exception(context, exception, message_of_throw, Causes::Left);
  PyRef value = to_python(bridge, context, exception);
  if (!value) PyErr_Clear();
  PyObject* cls = bridge.helper(is_js_stack_overflow(info) ? "JSRecursionError" : "JSError");
  PyRef file = python_text_of_utf8(info.file), type = python_text_of_utf8(info.type);
  PyRef message = python_text_of_utf8(info.message), stack = python_text_of_utf8(info.stack);
  PyRef location = file ? PyRef::steal(Py_BuildValue("(Oii)", file.get(), info.line, info.column)) : PyRef();
  if (!type || !message || !stack) return {};  // the error decoding them is what Python sees
  PyErr_Clear();  // a location less
  PyRef error = PyRef::steal(PyObject_CallFunction(cls, "OOOOO", type.get(), message.get(), stack.get(),
                                                   value ? value.get() : Py_None, location ? location.get() : Py_None));
  if (!error) return {};
  v8::Isolate* isolate = context->GetIsolate();
  if (!exception->IsObject()) {
    // A thrown string, number, null or undefined: value holds it converted, which crossing back
    // turns into the same primitive (undefined, which Python sees as None, and a small BigInt,
    // which it sees as an int like a number's, are marked apart).
    PyObject* primitive = exception->IsUndefined() ? bridge.helper("_js_undefined")
                          : exception->IsBigInt() ? bridge.helper("_js_bigint")
                                                  : Py_True;
    if (PyObject_SetAttrString(error.get(), kThrownPrimitive, primitive) < 0) PyErr_Clear();
    return error;
  }
  v8::TryCatch ignore(isolate);  // a cause that cannot be read is left out
  v8::Local<v8::Object> object = exception.As<v8::Object>();
  v8::Local<v8::String> cause_key = v8_string(isolate, "cause");
  v8::Local<v8::Value> cause;
  if (met.size() >= kMostCauses || !object->HasOwnProperty(context, cause_key).FromMaybe(false) ||
      !object->Get(context, cause_key).ToLocal(&cause)) {
    return error;
  }
  met.push_back(exception);
  if (std::any_of(met.begin(), met.end(), [&](v8::Local<v8::Value> seen) { return seen->StrictEquals(cause); })) {
    return error;  // a cycle of causes
  }
  // A Python exception that became an Error, or that JavaScript holds as a proxy: that exception.
  v8::Local<v8::Value> link;
  PyObject* linked = cause->IsObject() && cause.As<v8::Object>()->GetPrivate(context, key(isolate, kLinkedException)).ToLocal(&link)
                         ? PythonObjectProxies::unwrap(link)
                         : nullptr;
  if (!linked) linked = PythonObjectProxies::unwrap(cause);
  PyRef cause_error = linked && PyExceptionInstance_Check(linked)
                          ? PyRef::borrow(linked)
                          : js_error_for(bridge, context, cause, v8::Local<v8::Message>(), met);
  if (cause_error) PyException_SetCause(error.get(), cause_error.release());  // steals it
  PyErr_Clear();
  return error;
}

}  // namespace

PyObject* raise_js_error_in_python(Bridge& bridge, v8::Local<v8::Context> context, v8::TryCatch& try_catch) {
  v8::Isolate* isolate = context->GetIsolate();
  // What JavaScript threw is the cause; an error the caller set on seeing the failure (a copy's
  // "could not be read") would make Python's call machinery report a SystemError.
  PyErr_Clear();
  if (try_catch.HasTerminated() || isolate->IsExecutionTerminating() || bridge.js().termination_requested()) {
    return raise_termination(bridge);
  }
  v8::Local<v8::Value> exception = try_catch.Exception();
  if (exception.IsEmpty()) {
    PyErr_SetString(PyExc_RuntimeError, "a JavaScript call failed without an exception");
    return nullptr;
  }
  // An error that started in Python: that exception again, with its own traceback.
  PyObject* linked = nullptr;
  if (exception->IsObject()) {
    v8::Local<v8::Value> link;
    if (exception.As<v8::Object>()->GetPrivate(context, key(isolate, kLinkedException)).ToLocal(&link)) {
      linked = PythonObjectProxies::unwrap(link);
    }
  }
  const bool from_python = linked != nullptr;
  // A JSError that went back into JavaScript as its original value: that JSError again.
  PyRef returning;
  if (!linked && !bridge.errors_through_js().empty()) {
    returning = bridge.errors_through_js().take(bridge.calls_into_js(), isolate, exception).error;
    if (returning) {
      if (exception->IsObject()) refresh_stack(bridge, context, returning.get(), exception);
      linked = returning.get();
    }
  }
  // A Python exception object that JavaScript threw as it is (a proxy of it): that exception,
  // marked so that it is the proxy again if it crosses back.
  PyObject* thrown_proxy = linked ? nullptr : PythonObjectProxies::unwrap(exception);
  if (thrown_proxy && PyExceptionInstance_Check(thrown_proxy)) {
    mark_thrown_as_proxy(thrown_proxy, bridge.depth());
    linked = thrown_proxy;
  }
  if (linked && PyExceptionInstance_Check(linked)) {
    PyObject* traceback = PyException_GetTraceback(linked);  // new reference, or nullptr
    Py_INCREF(linked);
    PyErr_Restore(Py_NewRef(reinterpret_cast<PyObject*>(Py_TYPE(linked))), linked, traceback);
  } else {
    std::vector<v8::Local<v8::Value>> met;
    PyRef error = js_error_for(bridge, context, exception, try_catch.Message(), met);
    if (!error) return nullptr;  // the error creating it is what Python sees
    PyObject* cls = reinterpret_cast<PyObject*>(Py_TYPE(error.get()));
    PyErr_SetObject(cls, error.get());
  }
  splice_js_frames(context, exception, try_catch);
  const int frames_shown = note_frames_shown(bridge);
  if (from_python && PyErr_Occurred()) {
    // Kept in case it goes back into JavaScript, where it is this Error again.
    PyObject *type = nullptr, *value = nullptr, *traceback = nullptr;
    PyErr_Fetch(&type, &value, &traceback);
    bridge.errors_through_python().keep(bridge.calls_into_python(), isolate, exception, value, frames_shown);
    PyErr_Restore(type, value, traceback);
  }
  return nullptr;
}

std::optional<ScriptErrorInfo> describe_python_exception_proxy(Bridge& bridge, v8::Local<v8::Object> object) {
  if (!bridge.has_python()) return std::nullopt;
  GilHold gil;
  PyObject* value = PythonObjectProxies::unwrap(object);
  if (!value || !PyExceptionInstance_Check(value)) return std::nullopt;
  PyObject *pending_type = nullptr, *pending = nullptr, *pending_traceback = nullptr;
  PyErr_Fetch(&pending_type, &pending, &pending_traceback);  // an error being raised stays raised
  ScriptErrorInfo info;
  info.type = Py_TYPE(value)->tp_name;
  std::string frames, excerpt;
  PyRef described = PyRef::steal(PyObject_CallOneArg(bridge.helper("_describe_for_js"), value));
  if (described && PyTuple_Check(described.get()) && PyTuple_GET_SIZE(described.get()) == 4) {
    info.type = utf8_of_python_text(PyTuple_GET_ITEM(described.get(), 0));
    info.message = utf8_of_python_text(PyTuple_GET_ITEM(described.get(), 1));
    frames = utf8_of_python_text(PyTuple_GET_ITEM(described.get(), 2));
    PyObject* origin = PyTuple_GET_ITEM(described.get(), 3);
    if (PyTuple_Check(origin) && PyTuple_GET_SIZE(origin) == 4) {
      info.file = utf8_of_python_text(PyTuple_GET_ITEM(origin, 0));
      info.line = static_cast<int>(PyLong_AsLong(PyTuple_GET_ITEM(origin, 1)));
      info.column = static_cast<int>(PyLong_AsLong(PyTuple_GET_ITEM(origin, 2)));
      excerpt = utf8_of_python_text(PyTuple_GET_ITEM(origin, 3));  // a SyntaxError's line and caret
    }
  }
  PyErr_Clear();
  PyErr_Restore(pending_type, pending, pending_traceback);
  // As the stack of the Error made for it when it crosses (decorate_error) begins.
  info.stack = (excerpt.empty() ? "" : excerpt + "\n") + info.type + (info.message.empty() ? "" : ": " + info.message) +
               (frames.empty() ? "" : "\n" + frames);
  return info;
}

void run_python_signal_handlers_in_js(Bridge& bridge, v8::Local<v8::Context> context) {
  if (bridge.stopping() || context->GetIsolate()->IsExecutionTerminating() || bridge.js().termination_requested()) {
    return;  // JavaScript is stopping already; Python runs its handlers when it runs again
  }
  GilHold gil;
  if (PyErr_CheckSignals() == 0) return;  // handled by Python already, or a handler that raised nothing
  PyObject *type = nullptr, *value = nullptr, *traceback = nullptr;
  PyErr_Fetch(&type, &value, &traceback);
  PyErr_NormalizeException(&type, &value, &traceback);
  PyRef type_ref = PyRef::steal(type), value_ref = PyRef::steal(value), traceback_ref = PyRef::steal(traceback);
  if (!value) return;
  if (traceback) PyException_SetTraceback(value, traceback);
  if (PyErr_GivenExceptionMatches(type, PyExc_SystemExit)) {  // a handler that calls sys.exit()
    request_exit_for(bridge, value);
  } else {
    stop_js_with(bridge, context, type, value);
  }
}

void ErrorsInFlight::keep(int level, v8::Isolate* isolate, v8::Local<v8::Value> thrown, PyObject* error, int frames_shown) {
  if (level <= 0) return;
  // A loop inside one long call that catches its errors would keep them all until the call
  // returns: only the latest few count as still in flight. (Entries are in the order of their
  // levels, and LEVEL is the deepest there is now.)
  const auto this_level = std::find_if(entries_.begin(), entries_.end(), [level](const ErrorInFlight& e) { return e.level == level; });
  if (entries_.end() - this_level >= kPerLevel) entries_.erase(this_level);
  entries_.push_back(ErrorInFlight{level, v8::Global<v8::Value>(isolate, thrown), PyRef::borrow(error), frames_shown});
}

ErrorInFlight ErrorsInFlight::take(int level, v8::Isolate* isolate, v8::Local<v8::Value> thrown) {
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
    // The same object; a primitive, which has no identity, by its value.
    if (it->level == level && it->thrown.Get(isolate)->SameValue(thrown)) {
      ErrorInFlight found = std::move(*it);
      entries_.erase(std::next(it).base());
      return found;
    }
  }
  return {};
}

ErrorInFlight ErrorsInFlight::take(int level, PyObject* error) {
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
    if (it->level == level && it->error.get() == error) {
      ErrorInFlight found = std::move(*it);
      entries_.erase(std::next(it).base());
      return found;
    }
  }
  return {};
}

void ErrorsInFlight::drop_above(int level) {
  while (!entries_.empty() && entries_.back().level > level) entries_.pop_back();
}

void throw_depth_error_in_js(v8::Isolate* isolate) {
  isolate->ThrowException(v8::Exception::RangeError(v8_string(isolate, depth_message())));
}

PyObject* raise_depth_error_in_python() {
  PyErr_SetString(PyExc_RecursionError, depth_message().c_str());
  return nullptr;
}

void throw_python_gone_in_js(v8::Isolate* isolate) {
  isolate->ThrowException(v8::Exception::Error(
      v8_string(isolate, "polyhost: this proxy's Python object is gone: the Python interpreter has shut down")));
}

void end_forked_child() {
  int status = 1;
  if (PyErr_ExceptionMatches(PyExc_SystemExit)) {
    PyObject *type, *value, *traceback;
    PyErr_Fetch(&type, &value, &traceback);
    PyErr_NormalizeException(&type, &value, &traceback);
    PyRef type_ref = PyRef::steal(type), value_ref = PyRef::steal(value), traceback_ref = PyRef::steal(traceback);
    const PythonExit exit = value ? python_exit_of(value) : PythonExit{1, std::nullopt};
    status = exit.status;
    if (exit.message) std::fprintf(stderr, "%s\n", exit.message->c_str());
  } else if (PyErr_Occurred()) {
    if (PyErr_ExceptionMatches(PyExc_KeyboardInterrupt)) status = 130;  // as exec ends on Ctrl-C
    PyErr_Print();
  } else {
    std::fputs("polyhost: a process forked (os.fork) while JavaScript was running cannot return into JavaScript: "
               "V8 stays with the parent; end the child in Python (sys.exit, os._exit, or exec another program)\n",
               stderr);
  }
  // What Python's exit does first: its non-daemon threads joined, its atexit handlers run; then
  // its buffered streams flushed. Not Py_FinalizeEx (Python frames may be below): a file left open
  // is not flushed.
  for (const auto& [module, function] : {std::pair{"threading", "_shutdown"}, std::pair{"atexit", "_run_exitfuncs"}}) {
    PyRef imported = PyRef::steal(PyImport_ImportModule(module));
    if (imported) Py_XDECREF(PyObject_CallMethod(imported.get(), function, nullptr));
    if (PyErr_ExceptionMatches(PyExc_SystemExit)) PyErr_Clear();  // PyErr_Print would exit() with it
    if (PyErr_Occurred()) PyErr_Print();
  }
  for (const char* name : {"stdout", "stderr"}) {
    PyObject* stream = PySys_GetObject(name);  // borrowed
    if (stream && stream != Py_None) Py_XDECREF(PyObject_CallMethod(stream, "flush", nullptr));
    PyErr_Clear();
  }
  std::fflush(stdout);
  std::fflush(stderr);
  ::_exit(status);
}

PyObject* raise_js_lost_by_fork_in_python() {
  PyErr_SetString(PyExc_RuntimeError,
                  "polyhost: JavaScript cannot be used in a process forked (os.fork) after it started: V8 stays with "
                  "the parent; use JavaScript in the parent only, or start it in the child (with no JavaScript before the fork)");
  return nullptr;
}

PyObject* raise_js_gone_in_python() {
  PyErr_SetString(PyExc_RuntimeError,
                  "polyhost: this proxy's JavaScript value is gone: the JavaScript engine has shut down");
  return nullptr;
}

}  // namespace polyhost
