// The `python` global of JavaScript:
//   python.import(name)           a module (the calling JavaScript file's folder is searched first)
//   python.eval(expression, vars) an expression's value; VARS (optional) are names it can use
//   python.exec(code, vars)       statements; names they define stay for later eval/exec calls
//   python.kw({name: value})      as the last argument of a call: keyword arguments
//   python.copy(value)            a Python value copied into plain JavaScript (boundary_copies.h)
//   python.view(buffer)           a typed array over a writable Python buffer, without copying
// CPython starts on the first call of any of them.
#pragma once

#include <v8.h>

namespace polyhost {

class Bridge;

// The object, and in LINK the object its functions reach the bridge through: set its internal
// field 0 to nullptr when the bridge goes, and the functions throw instead.
v8::Local<v8::Object> make_python_global(Bridge& bridge, v8::Local<v8::Context> context, v8::Local<v8::Object>& link);

}  // namespace polyhost
