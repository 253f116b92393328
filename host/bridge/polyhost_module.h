// The `polyhost` module of the embedded CPython, in sys.modules once the bridge is attached:
//   js                        JavaScript's global object (V8 starts on first use)
//   JSObject, JSFunction, JSIterator   the proxy types (js_object_proxy.h)
//   JSError, JSRecursionError JavaScript exceptions raised in Python (bridge_helpers.py)
//   copy(value)               a JavaScript value copied into plain Python (boundary_copies.h)
//   view(buffer)              a JavaScript typed array over a writable Python buffer, no copy
//   new(constructor, *args)   JavaScript's `new constructor(...args)`
//   require(spec)             a CommonJS module's exports (relative to the calling file)
//   stats()                   live proxies each way, releases pending, crossings in progress
#pragma once

#include "host/python/py_ref.h"

namespace polyhost {

class Bridge;

// Makes the module and registers it in sys.modules; with the GIL. Throws std::runtime_error.
PyRef make_polyhost_module(Bridge& bridge);
// The bridge is going: the module's functions raise "gone" from now on.
void forget_bridge(PyObject* module);

}  // namespace polyhost
