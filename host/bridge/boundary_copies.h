// What crosses on request rather than by default: deep copies, and views that share memory.
//
// python.copy(x) in JavaScript: list and tuple -> Array, dict -> Object (all keys str) or Map,
// set and frozenset -> Set, bytes and other buffers -> a typed array of their format
// (Uint8Array for bytes). polyhost.copy(x) in Python: Array -> list, typed array -> list,
// ArrayBuffer and DataView -> bytes, Map -> dict, Set -> set, a plain object (prototype
// Object.prototype or null) -> dict. Nested values are copied the same way; anything else stays
// a proxy; a value met twice is copied once (so cycles are kept, not followed forever). A Map or
// Set whose keys Python would merge (1 and true) or cannot hash (an Array key, copied to a list)
// is not copied: ValueError / TypeError naming the key(s).
//
// python.view(x) / polyhost.view(x): a JavaScript typed array over the memory of a writable,
// C-contiguous Python buffer (bytearray, array.array, a writable memoryview, a numpy array, ...)
// without copying. The buffer stays exported (a bytearray cannot be resized) until V8 collects
// the ArrayBuffer. Read-only buffers (bytes) are refused: V8 10.2 cannot make an ArrayBuffer
// read-only, and JavaScript writing into an immutable bytes object would corrupt it.
// JavaScript's typed arrays need no view to reach Python: their proxies lend their memory
// through the buffer protocol (memoryview(proxy), numpy.asarray(proxy)).
#pragma once

#include <Python.h>
#include <v8.h>

#include "host/python/py_ref.h"

namespace polyhost {

class Bridge;

// Empty with a Python exception set when it fails.
v8::MaybeLocal<v8::Value> copy_to_js(Bridge& bridge, v8::Local<v8::Context> context, PyObject* object);
PyRef copy_to_python(Bridge& bridge, v8::Local<v8::Context> context, v8::Local<v8::Value> value);
v8::MaybeLocal<v8::Value> view_in_js(Bridge& bridge, v8::Local<v8::Context> context, PyObject* object);

// A snapshot of MAPPING's items as a list of (key, value) tuples, in its own order (items(), as
// json.dumps takes it; an OrderedDict's may differ from its storage's). A conversion walks this,
// not the mapping: converting an item may run Python code that changes the mapping. nullptr with
// a Python exception (TypeError when items() gives something other than pairs).
PyRef mapping_pairs(PyObject* mapping);

}  // namespace polyhost
