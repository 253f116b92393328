// Errors crossing between JavaScript and Python, with their type, message and both stacks.
//
// Python -> JavaScript: an Error (a RangeError for RecursionError) whose `name` is the Python
// type's name, whose `stack` holds the Python traceback (innermost first, as JavaScript writes
// stacks) above the JavaScript frames, and whose `pythonException` is the exception itself. A
// polyhost.JSError that came from JavaScript is its original value again, with the Python frames
// it went through written into its stack; so is an exception that was an Error in JavaScript
// before, on its way back there (see ErrorInFlight).
//
// JavaScript -> Python: polyhost.JSError with `name`, `message`, `stack` and `value` (what was
// thrown), or JSRecursionError (also a RecursionError) for stack overflow; an error that started
// as a Python exception is that exception again, and a JSError that went back into JavaScript is
// that JSError again (see ErrorInFlight). Either way the JavaScript frames it went
// through are added to the Python traceback, so a traceback shows every frame of both languages.
#pragma once

#include <Python.h>
#include <v8.h>

#include <cstddef>
#include <optional>
#include <vector>

#include "host/python/py_ref.h"
#include "host/script_error.h"
#include "host/v8/v8_platform.h"

namespace polyhost {

class Bridge;

// An error on its way through one language after it crossed into it, kept while the call it can
// come out of lasts (the latest kPerLevel errors of a call), so that it is its earlier self again if it crosses back: a JSError that
// JavaScript throws again as its original value (Python -> JavaScript -> Python -> JavaScript),
// kept by the call from Python into JavaScript it unwinds to; or a Python exception that crossed
// into JavaScript as an Error and came back (JavaScript -> Python -> JavaScript -> Python), kept
// with that Error by the call from JavaScript into Python it unwinds to. A link on the error itself
// would make a cycle through both heaps (a JSError holds its value, an Error its Python
// exception), which neither garbage collector could free.
struct ErrorInFlight {
  int level = 0;  // the calls in progress from the language it goes through into the other one
  v8::Global<v8::Value> thrown;  // the JavaScript side
  PyRef error;                   // the Python side
  int frames_shown = 0;  // entries at the end of ERROR's traceback that the JavaScript side's stack shows
};

class ErrorsInFlight {
 public:
  // At LEVEL 0 the language at the bottom has the error: it cannot come out of a call, and is not kept.
  void keep(int level, v8::Isolate* isolate, v8::Local<v8::Value> thrown, PyObject* error, int frames_shown = 0);
  // The entry kept at LEVEL for THROWN (the same object, or a primitive of the same value) / for
  // ERROR, taken out; an entry with an empty `error` when there is none.
  ErrorInFlight take(int level, v8::Isolate* isolate, v8::Local<v8::Value> thrown);
  ErrorInFlight take(int level, PyObject* error);
  bool empty() const { return entries_.empty(); }
  // When the call at LEVEL + 1 returns. With the GIL.
  void drop_above(int level);
  // With the GIL, while V8 is there.
  void clear() { entries_.clear(); }

 private:
  static constexpr std::ptrdiff_t kPerLevel = 8;
  std::vector<ErrorInFlight> entries_;
};

// Takes the pending Python exception and throws it in JavaScript. SystemExit asks V8 to exit
// (process.exit), and KeyboardInterrupt (Ctrl-C) stops JavaScript the same way, which cannot
// catch it; while the engines are being stopped, the exception only lets V8's termination go on.
void throw_python_error_in_js(Bridge& bridge, v8::Local<v8::Context> context);

// Ctrl-C while JavaScript runs (from a V8 interrupt, see SigintWatcher): Python's signal handlers
// run now, as they would at Python's next bytecode, and what they raise (KeyboardInterrupt) stops
// JavaScript as a KeyboardInterrupt crossing into it does. Nothing when Python has run them already.
void run_python_signal_handlers_in_js(Bridge& bridge, v8::Local<v8::Context> context);

// OBJECT, when it is JavaScript's proxy of a Python exception (thrown as it is, or an Error's
// cause), described as the Python error it is (a ForeignErrorDescriber): its type, message,
// traceback, and where Python raised it. Nothing for any other object.
std::optional<ScriptErrorInfo> describe_python_exception_proxy(Bridge& bridge, v8::Local<v8::Object> object);

// Raises what TRY_CATCH caught as the pending Python exception and returns nullptr. A terminated
// JavaScript (--timeout, process.exit, the heap limit) becomes KeyboardInterrupt, SystemExit or
// MemoryError, so that Python unwinds too.
PyObject* raise_js_error_in_python(Bridge& bridge, v8::Local<v8::Context> context, v8::TryCatch& try_catch);

// The crossing beyond Bridge::kMaxCrossings.
void throw_depth_error_in_js(v8::Isolate* isolate);
PyObject* raise_depth_error_in_python();

// A proxy whose engine is gone.
void throw_python_gone_in_js(v8::Isolate* isolate);
PyObject* raise_js_gone_in_python();
// JavaScript used in a process that fork() made after V8 started (v8_lost_by_fork).
PyObject* raise_js_lost_by_fork_in_python();
// In such a child, where a callback from JavaScript is about to go back into V8, which it cannot:
// the child ends here, with a pending SystemExit's status (and message), else with status 1 after
// the pending exception's traceback or a line that says why. Nothing when this is no such child
// (inline: on every crossing back into JavaScript and every conversion into it).
[[noreturn]] void end_forked_child();
inline void end_forked_child_before_javascript() {
  if (v8_lost_by_fork()) end_forked_child();
}

}  // namespace polyhost
