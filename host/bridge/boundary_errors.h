// Errors crossing between JavaScript and Python, with their type, message and both stacks.
//
// Python -> JavaScript: an Error (a RangeError for RecursionError) whose `name` is the Python
// type's name, whose `stack` holds the Python traceback (innermost first, as JavaScript writes
// stacks) above the JavaScript frames, and whose `pythonException` is the exception itself. A
// polyhost.JSError that came from JavaScript is its original value again, with the Python frames
// it went through written into its stack.
//
// JavaScript -> Python: polyhost.JSError with `name`, `message`, `stack` and `value` (what was
// thrown), or JSRecursionError (also a RecursionError) for stack overflow; an error that started
// as a Python exception is that exception again. Either way the JavaScript frames it went
// through are added to the Python traceback, so a traceback shows every frame of both languages.
#pragma once

#include <Python.h>
#include <v8.h>

namespace polyhost {

class Bridge;

// Takes the pending Python exception and throws it in JavaScript. SystemExit asks V8 to exit
// (process.exit); while the engines are being stopped, the exception only lets V8's termination
// go on.
void throw_python_error_in_js(Bridge& bridge, v8::Local<v8::Context> context);

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

}  // namespace polyhost
