// Values crossing between JavaScript and Python. By value: undefined and null -> None -> null,
// booleans, numbers (a JavaScript number that is an integer within ±2^53, and not -0, becomes an
// int, any other number a float; ints beyond ±2^53 become BigInts, BigInts become ints) and
// strings (copied; lone surrogates survive both ways). Everything else crosses as a live proxy,
// and a proxy crossing back is its original object again.
#pragma once

#include <Python.h>
#include <v8.h>

#include "host/python/py_ref.h"

namespace polyhost {

class Bridge;

// JavaScript -> Python, with the GIL held: a new reference, or empty with a Python exception set.
PyRef to_python(Bridge& bridge, v8::Local<v8::Context> context, v8::Local<v8::Value> value);

// Python -> JavaScript, in the isolate and CONTEXT: empty with a Python exception set when it fails.
v8::MaybeLocal<v8::Value> to_js(Bridge& bridge, v8::Local<v8::Context> context, PyObject* object);

// A Python int written into ARRAY: a BigInt for a BigInt64Array or BigUint64Array, a number for the
// other typed arrays (as JavaScript writes Number(x) into them). Empty with a Python exception set.
v8::MaybeLocal<v8::Value> int_to_typed_array_element(v8::Local<v8::Context> context, v8::Local<v8::TypedArray> array,
                                                     PyObject* number);

// The two string conversions on their own. A Python str of 1 KiB or more in Latin-1 or UCS-2
// becomes an external V8 string over the str's own memory (no copy; the str is immutable and is
// kept alive until V8 collects the string).
PyRef python_string(v8::Isolate* isolate, v8::Local<v8::String> text);
v8::MaybeLocal<v8::String> js_string(Bridge& bridge, v8::Isolate* isolate, PyObject* text);

}  // namespace polyhost
