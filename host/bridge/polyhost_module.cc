#include "host/bridge/polyhost_module.h"

#include <stdexcept>
#include <string>

#include "host/bridge/boundary_copies.h"
#include "host/bridge/boundary_errors.h"
#include "host/bridge/boundary_values.h"
#include "host/bridge/bridge.h"
#include "host/bridge/bridge_helpers_py.h"  // generated from bridge_helpers.py: kBridgeHelpersPy
#include "host/bridge/crossing.h"
#include "host/bridge/js_object_proxy.h"
#include "host/bridge/python_object_proxy.h"
#include "host/bridge/release_queue.h"
#include "host/v8/v8_engine.h"
#include "host/v8/v8_platform.h"
#include "host/v8/v8_strings.h"

namespace polyhost {
namespace {

struct ModuleState {
  Bridge* bridge;
};

// The bridge with V8 started, on V8's thread; nullptr with a Python exception otherwise.
Bridge* bridge_with_js(PyObject* module) {
  Bridge* bridge = static_cast<ModuleState*>(PyModule_GetState(module))->bridge;
  if (!bridge) {
    PyErr_SetString(PyExc_RuntimeError, "polyhost: the bridge to JavaScript is gone (the engines are shutting down)");
    return nullptr;
  }
  if (v8_lost_by_fork()) {
    raise_js_lost_by_fork_in_python();
    return nullptr;
  }
  // Checked before V8 starts: started from another thread, it would belong to that thread.
  if (!bridge->on_engines_thread()) {
    PyErr_SetString(PyExc_RuntimeError, "polyhost: JavaScript can only be used from the thread that runs it (the main thread)");
    return nullptr;
  }
  try {
    bridge->js();
  } catch (const std::exception& e) {
    PyErr_Format(PyExc_RuntimeError, "polyhost: JavaScript could not be started: %s", e.what());
    return nullptr;
  }
  // What V8 let go of, as a crossing releases it: a loop that only makes views (which cross
  // nothing) would otherwise keep every one of their buffers exported.
  if (!bridge->releases().empty()) bridge->releases().drain();
  return bridge;
}

PyObject* module_getattr(PyObject* module, PyObject* name) {
  if (!PyUnicode_Check(name) || PyUnicode_CompareWithASCIIString(name, "js") != 0) {
    PyErr_Format(PyExc_AttributeError, "module 'polyhost' has no attribute '%U'", name);
    return nullptr;
  }
  Bridge* bridge = bridge_with_js(module);
  if (!bridge) return nullptr;
  JsScopes scopes(*bridge);
  PyRef global = bridge->js_objects().wrap(scopes.context(), scopes.context()->Global());
  if (!global || PyObject_SetAttrString(module, "js", global.get()) < 0) return nullptr;  // later reads find it
  return global.release();
}

PyObject* module_copy(PyObject* module, PyObject* value) {
  Bridge* bridge = static_cast<ModuleState*>(PyModule_GetState(module))->bridge;
  if (!bridge) {
    // The engines are gone: a proxy has nothing left to copy (the proxy types are the module's).
    for (const char* type : {"JSObject", "JSFunction", "JSIterator"}) {
      PyObject* cls = PyDict_GetItemString(PyModule_GetDict(module), type);  // borrowed
      if (cls && PyObject_TypeCheck(value, reinterpret_cast<PyTypeObject*>(cls))) return raise_js_gone_in_python();
    }
    return Py_NewRef(value);
  }
  if (!bridge->has_js() || !bridge->js_objects().is_proxy(value)) return Py_NewRef(value);  // already Python
  if (!bridge_with_js(module)) return nullptr;
  IntoJavaScript in(*bridge);
  if (!in.entered()) return nullptr;
  v8::Local<v8::Value> js_value;
  if (!bridge->js_objects().unwrap(value).ToLocal(&js_value)) return nullptr;
  PyRef out = copy_to_python(*bridge, in.context(), js_value);
  if (!out && in.try_catch().HasCaught()) return in.fail();
  return out.release();
}

PyObject* module_view(PyObject* module, PyObject* value) {
  Bridge* bridge = bridge_with_js(module);
  if (!bridge) return nullptr;
  JsScopes scopes(*bridge);
  v8::Local<v8::Value> array;
  if (!view_in_js(*bridge, scopes.context(), value).ToLocal(&array)) return nullptr;
  return bridge->js_objects().wrap(scopes.context(), array).release();
}

PyObject* construct(PyObject* module, PyObject* const* args, Py_ssize_t count) {
  Bridge* bridge = bridge_with_js(module);
  if (!bridge) return nullptr;
  if (count < 1 || !PyObject_TypeCheck(args[0], bridge->js_objects().function_type())) {
    PyErr_SetString(PyExc_TypeError, "new(constructor, *args): the constructor must be a JavaScript function");
    return nullptr;
  }
  IntoJavaScript in(*bridge);
  if (!in.entered()) return nullptr;
  v8::Local<v8::Context> context = in.context();
  std::vector<v8::Local<v8::Value>> argv(static_cast<std::size_t>(count - 1));
  v8::Local<v8::Value> constructor, result;
  if (!bridge->js_objects().unwrap(args[0]).ToLocal(&constructor)) return nullptr;
  for (Py_ssize_t i = 1; i < count; ++i) {
    if (!to_js(*bridge, context, args[i]).ToLocal(&argv[static_cast<std::size_t>(i - 1)])) return nullptr;
  }
  if (!constructor.As<v8::Function>()->NewInstance(context, static_cast<int>(argv.size()), argv.data()).ToLocal(&result)) {
    return in.fail();
  }
  return to_python(*bridge, context, result).release();
}

// _require_from(spec, parent_file): JavaScript's require(spec) as called from PARENT_FILE.
PyObject* require_from(PyObject* module, PyObject* const* args, Py_ssize_t nargs) {
  Bridge* bridge = bridge_with_js(module);
  if (!bridge) return nullptr;
  if (nargs != 2 || !PyUnicode_Check(args[0]) || !PyUnicode_Check(args[1])) {
    return PyErr_Format(PyExc_TypeError, "require(path): the path must be a str");
  }
  IntoJavaScript in(*bridge);
  if (!in.entered()) return nullptr;
  v8::Local<v8::Context> context = in.context();
  v8::Local<v8::String> spec, parent;
  v8::Local<v8::Value> exports;
  if (!js_string(*bridge, bridge->isolate(), args[0]).ToLocal(&spec) ||
      !js_string(*bridge, bridge->isolate(), args[1]).ToLocal(&parent)) {
    return nullptr;
  }
  if (!bridge->js().call_prelude("requireFrom", {spec, parent}).ToLocal(&exports)) {
    return in.fail();
  }
  return to_python(*bridge, context, exports).release();
}

PyObject* stats(PyObject* module, PyObject*) {
  Bridge* bridge = static_cast<ModuleState*>(PyModule_GetState(module))->bridge;
  if (!bridge) return PyErr_Format(PyExc_RuntimeError, "polyhost: the bridge is gone");
  if (v8_lost_by_fork() && bridge->has_js()) return raise_js_lost_by_fork_in_python();
  if (!bridge->on_engines_thread()) {  // its counts are the engines' thread's, unguarded
    PyErr_SetString(PyExc_RuntimeError, "polyhost: JavaScript can only be used from the thread that runs it (the main thread)");
    return nullptr;
  }
  PyRef out = PyRef::steal(PyDict_New());
  if (!out) return nullptr;
  auto put = [&](const char* key, long long value) {
    PyRef number = PyRef::steal(PyLong_FromLongLong(value));
    return number && PyDict_SetItemString(out.get(), key, number.get()) == 0;
  };
  bool ok = put("python_proxies_of_js", static_cast<long long>(bridge->js_objects().live())) &&
            put("js_proxies_of_python", bridge->has_js() ? static_cast<long long>(bridge->python_objects().live()) : 0) &&
            put("pending_releases", static_cast<long long>(bridge->releases().size())) &&
            put("crossings", bridge->depth()) && put("max_crossings", Bridge::kMaxCrossings);
  if (ok && bridge->has_js()) {
    v8::HeapStatistics heap;
    bridge->isolate()->GetHeapStatistics(&heap);
    ok = put("js_heap_used", static_cast<long long>(heap.used_heap_size()));
  }
  return ok ? out.release() : nullptr;
}

PyMethodDef functions[] = {
    {"__getattr__", reinterpret_cast<PyCFunction>(module_getattr), METH_O, nullptr},
    {"copy", reinterpret_cast<PyCFunction>(module_copy), METH_O,
     "copy(value): a JavaScript value copied into plain Python (Array -> list, object -> dict, Map -> dict, "
     "Set -> set, typed array -> list, ArrayBuffer -> bytes), deeply; other values are returned as they are. "
     "A Map or Set whose keys Python would merge (1 and true) or cannot hash (objects) raises ValueError / TypeError."},
    {"view", reinterpret_cast<PyCFunction>(module_view), METH_O,
     "view(buffer): a JavaScript typed array over the memory of a writable Python buffer, without copying."},
    {"new", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(construct)), METH_FASTCALL,
     "new(constructor, *args): JavaScript's `new constructor(...args)`."},
    {"_require_from", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(require_from)), METH_FASTCALL, nullptr},
    {"stats", reinterpret_cast<PyCFunction>(stats), METH_NOARGS,
     "stats(): live proxies each way, references waiting to be released, crossings in progress."},
    {nullptr, nullptr, 0, nullptr},
};

PyModuleDef definition = {
    PyModuleDef_HEAD_INIT,
    "polyhost",
    "JavaScript from Python, in the same process (polyhost's bridge). `from polyhost import js` gives "
    "JavaScript's global object.",
    sizeof(ModuleState),
    functions,
    nullptr, nullptr, nullptr, nullptr,
};

}  // namespace

PyRef make_polyhost_module(Bridge& bridge) {
  PyRef module = PyRef::steal(PyModule_Create(&definition));
  if (!module) throw std::runtime_error("polyhost: the polyhost module could not be made");
  static_cast<ModuleState*>(PyModule_GetState(module.get()))->bridge = &bridge;
  JsObjectProxies& proxies = bridge.js_objects();
  PyObject* dict = PyModule_GetDict(module.get());
  PyRef code = PyRef::steal(Py_CompileString(kBridgeHelpersPy, "polyhost:bridge_helpers.py", Py_file_input));
  bool ok = code && PyDict_SetItemString(dict, "__builtins__", PyEval_GetBuiltins()) == 0 &&
            PyModule_AddObjectRef(module.get(), "JSObject", reinterpret_cast<PyObject*>(proxies.object_type())) == 0 &&
            PyModule_AddObjectRef(module.get(), "JSFunction", reinterpret_cast<PyObject*>(proxies.function_type())) == 0 &&
            PyModule_AddObjectRef(module.get(), "JSIterator", reinterpret_cast<PyObject*>(proxies.iterator_type())) == 0 &&
            PyModule_AddIntConstant(module.get(), "MAX_CROSSINGS", Bridge::kMaxCrossings) == 0;
  PyRef result = ok ? PyRef::steal(PyEval_EvalCode(code.get(), dict, dict)) : PyRef();
  if (!result || PyDict_SetItemString(PyImport_GetModuleDict(), "polyhost", module.get()) < 0) {
    PyErr_Print();
    throw std::runtime_error("polyhost: the polyhost module could not be made");
  }
  return module;
}

void forget_bridge(PyObject* module) { static_cast<ModuleState*>(PyModule_GetState(module))->bridge = nullptr; }

}  // namespace polyhost
