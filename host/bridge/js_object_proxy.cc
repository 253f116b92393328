#include "host/bridge/js_object_proxy.h"

#include <structmember.h>

#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <vector>

#include "host/bridge/boundary_errors.h"
#include "host/bridge/boundary_values.h"
#include "host/bridge/bridge.h"
#include "host/bridge/crossing.h"
#include "host/v8/v8_engine.h"
#include "host/v8/v8_platform.h"
#include "host/v8/v8_strings.h"

namespace polyhost {

struct JsProxy {
  PyObject_HEAD
  vectorcallfunc vectorcall;  // JSFunction: calls the function
  PyObject* weakreflist;
  Bridge* bridge;             // nullptr once the JavaScript engine is gone
  JsProxy* previous;          // the bridge's list of live proxies
  JsProxy* next;
  JsRefs* refs;               // owned
  std::uint32_t index;        // JSIterator over an array: the next index; else 1 once the iterator is
                              // done (next() said so or threw, or it was closed), 0 before
  bool by_index;              // JSIterator: read an array by index instead of calling next()
};

namespace {

JsProxy* as_proxy(PyObject* object) { return reinterpret_cast<JsProxy*>(object); }

// The proxy's bridge, or nullptr with a Python exception: JavaScript is gone, or this is not its thread.
Bridge* bridge_of(PyObject* self) {
  Bridge* bridge = as_proxy(self)->bridge;
  if (!bridge) {
    raise_js_gone_in_python();
    return nullptr;
  }
  if (v8_lost_by_fork()) {
    raise_js_lost_by_fork_in_python();
    return nullptr;
  }
  if (!bridge->on_js_thread()) {
    PyErr_SetString(PyExc_RuntimeError,
                    "polyhost: JavaScript can only be used from the thread that runs it (the main thread)");
    return nullptr;
  }
  return bridge;
}

v8::Local<v8::Value> value_of(PyObject* self, v8::Isolate* isolate) { return as_proxy(self)->refs->value.Get(isolate); }

bool is_dunder(PyObject* name) {
  const Py_ssize_t n = PyUnicode_GET_LENGTH(name);
  return n > 4 && PyUnicode_READ_CHAR(name, 0) == '_' && PyUnicode_READ_CHAR(name, 1) == '_' &&
         PyUnicode_READ_CHAR(name, n - 1) == '_' && PyUnicode_READ_CHAR(name, n - 2) == '_';
}

PyObject* convert(Bridge& bridge, v8::Local<v8::Context> context, v8::Local<v8::Value> value) {
  return to_python(bridge, context, value).release();
}

v8::MaybeLocal<v8::Value> key_to_js(Bridge& bridge, v8::Local<v8::Context> context, PyObject* key) {
  return to_js(bridge, context, key);
}

// ---- Attributes: JavaScript properties (dunder names are Python's own).

PyObject* getattro(PyObject* self, PyObject* name) {
  if (!PyUnicode_Check(name) || is_dunder(name)) return PyObject_GenericGetAttr(self, name);
  Bridge* proxy_bridge = bridge_of(self);
  if (!proxy_bridge) return nullptr;
  IntoJavaScript in(*proxy_bridge);
  if (!in.entered()) return nullptr;
  Bridge& bridge = in.bridge();
  v8::Local<v8::Context> context = in.context();
  v8::Local<v8::Value> target = value_of(self, in.isolate());
  v8::Local<v8::String> key;
  if (!js_string(bridge, in.isolate(), name).ToLocal(&key)) return nullptr;
  if (!target->IsObject()) return PyObject_GenericGetAttr(self, name);
  v8::Local<v8::Object> object = target.As<v8::Object>();
  v8::Local<v8::Value> result;
  if (!object->Get(context, key).ToLocal(&result)) return in.fail();
  if (result->IsUndefined()) {
    bool present = false;
    if (!object->Has(context, key).To(&present)) return in.fail();
    if (!present) {
      PyErr_Format(PyExc_AttributeError, "JavaScript %s has no property '%U'",
                   target->IsFunction() ? "function" : "object", name);
      return nullptr;
    }
  }
  if (result->IsFunction()) return bridge.js_objects().wrap(context, result, object).release();
  return convert(bridge, context, result);
}

int setattro(PyObject* self, PyObject* name, PyObject* value) {
  if (!PyUnicode_Check(name) || is_dunder(name)) return PyObject_GenericSetAttr(self, name, value);
  Bridge* proxy_bridge = bridge_of(self);
  if (!proxy_bridge) return -1;
  IntoJavaScript in(*proxy_bridge);
  if (!in.entered()) return -1;
  v8::Local<v8::Context> context = in.context();
  v8::Local<v8::Value> target = value_of(self, in.isolate());
  v8::Local<v8::String> key;
  if (!target->IsObject() || !js_string(in.bridge(), in.isolate(), name).ToLocal(&key)) {
    if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "this JavaScript value has no properties");
    return -1;
  }
  v8::Local<v8::Object> object = target.As<v8::Object>();
  JsObjectProxies& proxies = in.bridge().js_objects();
  if (!value) {
    if (!proxies.strict_delete(context, object, key)) return in.fail(), -1;
    return 0;
  }
  v8::Local<v8::Value> item;
  if (!to_js(in.bridge(), context, value).ToLocal(&item)) return -1;
  if (!proxies.strict_set(context, object, key, item)) return in.fail(), -1;
  return 0;
}

// ---- Calls.

PyObject* call_function(PyObject* self, PyObject* const* args, std::size_t nargsf, PyObject* kwnames) {
  if (kwnames && PyTuple_GET_SIZE(kwnames) > 0) {
    PyErr_SetString(PyExc_TypeError,
                    "JavaScript functions take no keyword arguments (pass a dict, which arrives as a proxy)");
    return nullptr;
  }
  Bridge* proxy_bridge = bridge_of(self);
  if (!proxy_bridge) return nullptr;
  IntoJavaScript in(*proxy_bridge);
  if (!in.entered()) return nullptr;
  Bridge& bridge = in.bridge();
  v8::Isolate* isolate = in.isolate();
  v8::Local<v8::Context> context = in.context();
  const Py_ssize_t count = PyVectorcall_NARGS(nargsf);
  constexpr Py_ssize_t kSmall = 6;
  v8::Local<v8::Value> small[kSmall];
  std::unique_ptr<v8::Local<v8::Value>[]> large;
  v8::Local<v8::Value>* argv = small;
  if (count > kSmall) {
    large = std::make_unique<v8::Local<v8::Value>[]>(static_cast<std::size_t>(count));
    argv = large.get();
  }
  for (Py_ssize_t i = 0; i < count; ++i) {
    if (!to_js(bridge, context, args[i]).ToLocal(&argv[i])) return nullptr;
  }
  JsRefs& refs = *as_proxy(self)->refs;
  v8::Local<v8::Value> receiver = refs.receiver.IsEmpty() ? v8::Undefined(isolate).As<v8::Value>() : refs.receiver.Get(isolate);
  v8::Local<v8::Value> result;
  if (!refs.value.Get(isolate).As<v8::Function>()->Call(context, receiver, static_cast<int>(count), argv).ToLocal(&result) ||
      bridge.attached_js().termination_requested()) {  // process.exit() as the function's last act
    return in.fail();
  }
  if (!bridge.js_below()) {
    // JavaScript's stack is empty again: run the Promise reactions the call queued, as Node does
    // after every call from native code.
    isolate->PerformMicrotaskCheckpoint();
    if (in.try_catch().HasTerminated() || bridge.attached_js().termination_requested()) {
      return in.fail();
    }
  }
  return convert(bridge, context, result);
}

// ---- Items, len(), `in`, truth.

bool is_indexed(v8::Local<v8::Value> value) { return value->IsArray() || value->IsTypedArray(); }

std::int64_t js_length(v8::Local<v8::Context> context, v8::Local<v8::Value> value, bool& known) {
  known = true;
  if (value->IsArray()) return value.As<v8::Array>()->Length();
  if (value->IsTypedArray()) return static_cast<std::int64_t>(value.As<v8::TypedArray>()->Length());
  if (value->IsMap()) return static_cast<std::int64_t>(value.As<v8::Map>()->Size());
  if (value->IsSet()) return static_cast<std::int64_t>(value.As<v8::Set>()->Size());
  if (value->IsArrayBuffer()) return static_cast<std::int64_t>(value.As<v8::ArrayBuffer>()->ByteLength());
  if (value->IsDataView()) return static_cast<std::int64_t>(value.As<v8::DataView>()->ByteLength());
  known = false;
  return 0;
}

Py_ssize_t length(PyObject* self) {
  Bridge* proxy_bridge = bridge_of(self);
  if (!proxy_bridge) return -1;
  IntoJavaScript in(*proxy_bridge);
  if (!in.entered()) return -1;
  v8::Local<v8::Value> value = value_of(self, in.isolate());
  bool known = false;
  const std::int64_t n = js_length(in.context(), value, known);
  if (known) return static_cast<Py_ssize_t>(n);
  v8::Local<v8::Value> property;
  if (value->IsObject()) {
    if (!value.As<v8::Object>()->Get(in.context(), v8_string(in.isolate(), "length")).ToLocal(&property)) {
      return in.fail(), -1;
    }
    if (property->IsNumber() && property.As<v8::Number>()->Value() >= 0) {
      const double length = property.As<v8::Number>()->Value();
      if (!(length < 9223372036854775807.0)) {  // also Infinity
        PyErr_Format(PyExc_OverflowError, "the JavaScript length %R is too large for len()",
                     PyRef::steal(PyFloat_FromDouble(length)).get());
        return -1;
      }
      return static_cast<Py_ssize_t>(length);
    }
  }
  PyErr_SetString(PyExc_TypeError, "this JavaScript value has no length (no length, size or byteLength)");
  return -1;
}

int truth(PyObject* self) {
  Bridge* bridge = bridge_of(self);
  if (!bridge) return -1;
  JsScopes scopes(*bridge);
  bool known = false;
  const std::int64_t n = js_length(scopes.context(), value_of(self, bridge->isolate()), known);
  return known ? n != 0 : 1;  // like a Python container when it is one; other objects are true
}

// Negative indices count from the end, as in Python; out of range is IndexError.
bool array_index(v8::Local<v8::Context> context, v8::Local<v8::Value> value, PyObject* key, std::uint32_t& index) {
  const Py_ssize_t i = PyNumber_AsSsize_t(key, PyExc_IndexError);
  if (i == -1 && PyErr_Occurred()) return false;
  bool known = false;
  const std::int64_t n = js_length(context, value, known);
  const std::int64_t at = i < 0 ? n + i : i;
  if (at < 0 || at >= n) {
    PyErr_SetString(PyExc_IndexError, "JavaScript array index out of range");
    return false;
  }
  index = static_cast<std::uint32_t>(at);
  return true;
}

// Python's slices have no JavaScript counterpart a proxy could forward them to.
bool refuse_slice(PyObject* key) {
  if (!PySlice_Check(key)) return false;
  PyErr_SetString(PyExc_TypeError,
                  "JavaScript values take no slices: call a.slice(start, end), or slice polyhost.copy(a)");
  return true;
}

PyObject* get_item(PyObject* self, PyObject* key) {
  if (refuse_slice(key)) return nullptr;
  Bridge* proxy_bridge = bridge_of(self);
  if (!proxy_bridge) return nullptr;
  IntoJavaScript in(*proxy_bridge);
  if (!in.entered()) return nullptr;
  Bridge& bridge = in.bridge();
  v8::Local<v8::Context> context = in.context();
  v8::Local<v8::Value> value = value_of(self, in.isolate());
  v8::Local<v8::Value> result;
  if (PyLong_Check(key) && is_indexed(value)) {
    std::uint32_t index = 0;
    if (!array_index(context, value, key, index)) return nullptr;
    if (!value.As<v8::Object>()->Get(context, index).ToLocal(&result)) return in.fail();
    return convert(bridge, context, result);
  }
  v8::Local<v8::Value> js_key;
  if (!key_to_js(bridge, context, key).ToLocal(&js_key)) return nullptr;
  if (value->IsMap()) {
    v8::Local<v8::Map> map = value.As<v8::Map>();
    bool present = false;
    if (!map->Has(context, js_key).To(&present)) return in.fail();
    if (!present) return PyErr_SetObject(PyExc_KeyError, key), nullptr;
    if (!map->Get(context, js_key).ToLocal(&result)) return in.fail();
    return convert(bridge, context, result);
  }
  if (!value->IsObject()) return PyErr_SetString(PyExc_TypeError, "this JavaScript value has no items"), nullptr;
  v8::Local<v8::Object> object = value.As<v8::Object>();
  if (!object->Get(context, js_key).ToLocal(&result)) return in.fail();
  if (result->IsUndefined()) {
    bool present = false;
    if (!object->Has(context, js_key).To(&present)) return in.fail();
    if (!present) return PyErr_SetObject(PyExc_KeyError, key), nullptr;
  }
  return convert(bridge, context, result);
}

int set_item(PyObject* self, PyObject* key, PyObject* item) {
  if (refuse_slice(key)) return -1;
  Bridge* proxy_bridge = bridge_of(self);
  if (!proxy_bridge) return -1;
  IntoJavaScript in(*proxy_bridge);
  if (!in.entered()) return -1;
  Bridge& bridge = in.bridge();
  v8::Local<v8::Context> context = in.context();
  v8::Local<v8::Value> value = value_of(self, in.isolate());
  if (!value->IsObject()) return PyErr_SetString(PyExc_TypeError, "this JavaScript value has no items"), -1;
  v8::Local<v8::Object> object = value.As<v8::Object>();
  v8::Local<v8::Value> js_key, js_item;
  if (PyLong_Check(key) && is_indexed(value)) {  // a write, or a delete (no item)
    std::uint32_t index = 0;
    if (array_index(context, value, key, index)) {
      js_key = v8::Integer::NewFromUnsigned(in.isolate(), index);
    } else {
      // An array grows when written past its end, as in JavaScript (deleting there does nothing);
      // beyond the largest array index (2^32 - 2) the key names an ordinary property, as
      // JavaScript's a[2**32] does.
      if (!value->IsArray() || Py_SIZE(key) < 0) return -1;
      PyErr_Clear();
      if (!key_to_js(bridge, context, key).ToLocal(&js_key)) return -1;
    }
  } else if (!key_to_js(bridge, context, key).ToLocal(&js_key)) {
    return -1;
  }
  // An int written into a typed array's element is of the element's type (a BigInt64Array takes
  // 5 as 5n, a Float64Array takes 2**70 as a number), not the BigInt or number to_js makes of it;
  // the element named by an int or by its str ("0"), as JavaScript names it either way.
  const bool typed_element = item && PyLong_Check(item) && value->IsTypedArray() &&
                             (PyLong_Check(key) || (js_key->IsString() && !js_key->ToArrayIndex(context).IsEmpty()));
  if (typed_element) {
    if (!int_to_typed_array_element(context, value.As<v8::TypedArray>(), item).ToLocal(&js_item)) return -1;
  } else if (item && !to_js(bridge, context, item).ToLocal(&js_item)) {
    return -1;
  }
  bool ok = false;
  if (value->IsMap()) {
    v8::Local<v8::Map> map = value.As<v8::Map>();
    if (item) {
      ok = !map->Set(context, js_key, js_item).IsEmpty();
    } else {
      bool deleted = false;
      ok = map->Delete(context, js_key).To(&deleted);
      if (ok && !deleted) return PyErr_SetObject(PyExc_KeyError, key), -1;
    }
  } else {
    JsObjectProxies& proxies = bridge.js_objects();
    ok = item ? proxies.strict_set(context, object, js_key, js_item) : proxies.strict_delete(context, object, js_key);
  }
  if (!ok) return in.fail(), -1;
  return 0;
}

// `x in proxy`: includes() for arrays and strings-like values, has() for Map and Set, else a key.
int contains(PyObject* self, PyObject* item) {
  Bridge* proxy_bridge = bridge_of(self);
  if (!proxy_bridge) return -1;
  IntoJavaScript in(*proxy_bridge);
  if (!in.entered()) return -1;
  v8::Isolate* isolate = in.isolate();
  v8::Local<v8::Context> context = in.context();
  v8::Local<v8::Value> value = value_of(self, isolate);
  v8::Local<v8::Value> js_item;
  if (!to_js(in.bridge(), context, item).ToLocal(&js_item)) return -1;
  if (!value->IsObject()) return PyErr_SetString(PyExc_TypeError, "this JavaScript value is not a container"), -1;
  v8::Local<v8::Object> object = value.As<v8::Object>();
  bool found = false;
  bool ok = true;
  if (value->IsMap()) {
    ok = value.As<v8::Map>()->Has(context, js_item).To(&found);
  } else if (value->IsSet()) {
    ok = value.As<v8::Set>()->Has(context, js_item).To(&found);
  } else if (is_indexed(value)) {
    // A BigInt64Array holds BigInts, which Python reads as ints and gives back as Numbers.
    if ((value->IsBigInt64Array() || value->IsBigUint64Array()) && js_item->IsNumber()) {
      const double d = js_item.As<v8::Number>()->Value();
      if (d == std::trunc(d) && std::abs(d) <= 9007199254740992.0) js_item = v8::BigInt::New(isolate, static_cast<std::int64_t>(d));
    }
    v8::Local<v8::Value> includes, answer;
    ok = object->Get(context, v8_string(isolate, "includes")).ToLocal(&includes) && includes->IsFunction() &&
         includes.As<v8::Function>()->Call(context, object, 1, &js_item).ToLocal(&answer);
    found = ok && answer->BooleanValue(isolate);
  } else {
    ok = object->Has(context, js_item).To(&found);
  }
  if (!ok) return in.fail(), -1;
  return found;
}

// ---- Iteration: arrays by index, typed arrays through a memoryview (no copy), Maps by key,
// others by JavaScript's iterator protocol.

PyObject* js_iterator_for_python(PyObject* self) {
  Bridge* proxy_bridge = bridge_of(self);
  if (!proxy_bridge) return nullptr;
  IntoJavaScript in(*proxy_bridge);
  if (!in.entered()) return nullptr;
  v8::Isolate* isolate = in.isolate();
  v8::Local<v8::Context> context = in.context();
  v8::Local<v8::Value> value = value_of(self, isolate);
  if (value->IsTypedArray()) {
    PyRef view = PyRef::steal(PyMemoryView_FromObject(self));
    return view ? PyObject_GetIter(view.get()) : nullptr;
  }
  JsObjectProxies& proxies = in.bridge().js_objects();
  if (value->IsArray()) return proxies.wrap_iterator(context, value, {}, true).release();
  v8::Local<v8::Value> method, iterator, next;
  // A Map acts as a dict in Python (m[k], k in m, len(m)), so iterating it gives its keys.
  v8::Local<v8::Value> method_name = value->IsMap() ? v8_string(isolate, "keys").As<v8::Value>()
                                                    : v8::Symbol::GetIterator(isolate).As<v8::Value>();
  if (!value->IsObject() || !value.As<v8::Object>()->Get(context, method_name).ToLocal(&method)) {
    if (in.try_catch().HasCaught() || in.try_catch().HasTerminated()) return in.fail();
  }
  if (method.IsEmpty() || !method->IsFunction()) {
    PyErr_SetString(PyExc_TypeError, "this JavaScript value is not iterable (no [Symbol.iterator])");
    return nullptr;
  }
  if (!method.As<v8::Function>()->Call(context, value, 0, nullptr).ToLocal(&iterator) || !iterator->IsObject() ||
      !iterator.As<v8::Object>()->Get(context, v8_string(isolate, "next")).ToLocal(&next)) {
    if (in.try_catch().HasCaught() || in.try_catch().HasTerminated()) return in.fail();
    PyErr_SetString(PyExc_TypeError, "[Symbol.iterator]() did not return an iterator object");
    return nullptr;
  }
  if (!next->IsFunction()) return PyErr_SetString(PyExc_TypeError, "the JavaScript iterator has no next()"), nullptr;
  return proxies.wrap_iterator(context, next, iterator, false).release();
}

PyObject* iterator_next(PyObject* self) {
  Bridge* proxy_bridge = bridge_of(self);
  if (!proxy_bridge) return nullptr;
  IntoJavaScript in(*proxy_bridge);
  if (!in.entered()) return nullptr;
  v8::Isolate* isolate = in.isolate();
  v8::Local<v8::Context> context = in.context();
  JsProxy* proxy = as_proxy(self);
  v8::Local<v8::Value> value = proxy->refs->value.Get(isolate);
  v8::Local<v8::Value> item;
  if (proxy->by_index) {
    v8::Local<v8::Array> array = value.As<v8::Array>();
    if (proxy->index >= array->Length()) return nullptr;  // StopIteration
    if (!array->Get(context, proxy->index++).ToLocal(&item)) return in.fail();
    return convert(in.bridge(), context, item);
  }
  if (proxy->index != 0) return nullptr;  // done: StopIteration again, as a finished generator gives
  v8::Local<v8::Value> result, done;
  proxy->index = 1;  // unless next() gives a value: an iterator that threw is not closed (as for...of)
  if (!value.As<v8::Function>()->Call(context, proxy->refs->receiver.Get(isolate), 0, nullptr).ToLocal(&result)) {
    return in.fail();
  }
  if (!result->IsObject()) return PyErr_SetString(PyExc_TypeError, "the JavaScript iterator's next() returned a non-object"), nullptr;
  v8::Local<v8::Object> step = result.As<v8::Object>();
  if (!step->Get(context, v8_string(isolate, "done")).ToLocal(&done) ||
      (!done->BooleanValue(isolate) && !step->Get(context, v8_string(isolate, "value")).ToLocal(&item))) {
    return in.fail();
  }
  if (done->BooleanValue(isolate)) return nullptr;
  proxy->index = 0;
  return convert(in.bridge(), context, item);
}

// A JavaScript iterator left before its end (PROXY, not over an array, not done) is told so, as
// for...of's `break` does: its return() runs (a generator's `finally` blocks). Returns None, or
// nullptr with the Python exception.
PyObject* iterator_close(JsProxy* proxy, Bridge& bridge) {
  IntoJavaScript in(bridge);
  if (!in.entered()) return nullptr;
  proxy->index = 1;
  v8::Isolate* isolate = in.isolate();
  v8::Local<v8::Context> context = in.context();
  v8::Local<v8::Value> iterator = proxy->refs->receiver.Get(isolate);
  v8::Local<v8::Value> method, ignored;
  if (!iterator->IsObject() || !iterator.As<v8::Object>()->Get(context, v8_string(isolate, "return")).ToLocal(&method)) {
    return in.fail();
  }
  if (method->IsNullOrUndefined()) Py_RETURN_NONE;
  // As for...of's IteratorClose: a return that is no function, or gives no object, is a TypeError.
  if (!method->IsFunction()) return PyErr_SetString(PyExc_TypeError, "the JavaScript iterator's return is not a function"), nullptr;
  if (!method.As<v8::Function>()->Call(context, iterator, 0, nullptr).ToLocal(&ignored)) return in.fail();
  if (!ignored->IsObject()) return PyErr_SetString(PyExc_TypeError, "the JavaScript iterator's return() gave a non-object"), nullptr;
  Py_RETURN_NONE;
}

// A JavaScript iterator whose proxy goes before its end is closed, once, as Python closes a generator
// it collects; an error is reported as unraisable, as a generator's finalizer's is. Only where
// JavaScript can run now (its thread, V8 still there).
void iterator_finalize(PyObject* self) {
  JsProxy* proxy = as_proxy(self);
  if (proxy->by_index || proxy->index != 0 || !proxy->bridge || !proxy->refs || v8_lost_by_fork() ||
      !proxy->bridge->on_js_thread() || proxy->bridge->stopping()) {
    return;
  }
  PyObject *type, *value, *traceback;
  PyErr_Fetch(&type, &value, &traceback);
  PyRef closed = PyRef::steal(iterator_close(proxy, *proxy->bridge));
  if (!closed) PyErr_WriteUnraisable(self);
  PyErr_Restore(type, value, traceback);
}

// ---- Buffers: typed arrays, DataViews and ArrayBuffers lend their memory (no copy, writable).

// What a lent view keeps alive: the memory (V8's backing store, even if the ArrayBuffer is
// detached or collected meanwhile), and the shape and stride the view points at.
struct LentMemory {
  std::shared_ptr<v8::BackingStore> store;
  std::shared_ptr<const std::atomic<bool>> js_attached;  // V8 may be gone when the view is released
  Py_ssize_t shape = 0;
  Py_ssize_t stride = 0;
};

const char* typed_array_format(v8::Local<v8::Value> value, Py_ssize_t& itemsize) {
  struct Kind {
    bool (v8::Value::*is)() const;
    const char* format;
    Py_ssize_t size;
  };
  static const Kind kinds[] = {
      {&v8::Value::IsFloat64Array, "d", 8},      {&v8::Value::IsFloat32Array, "f", 4},
      {&v8::Value::IsInt32Array, "i", 4},        {&v8::Value::IsUint32Array, "I", 4},
      {&v8::Value::IsInt16Array, "h", 2},        {&v8::Value::IsUint16Array, "H", 2},
      {&v8::Value::IsInt8Array, "b", 1},         {&v8::Value::IsUint8Array, "B", 1},
      {&v8::Value::IsUint8ClampedArray, "B", 1}, {&v8::Value::IsBigInt64Array, "q", 8},
      {&v8::Value::IsBigUint64Array, "Q", 8},
  };
  for (const auto& kind : kinds) {
    if (((*value)->*kind.is)()) {
      itemsize = kind.size;
      return kind.format;
    }
  }
  itemsize = 1;
  return "B";
}

int get_buffer(PyObject* self, Py_buffer* view, int flags) {
  Bridge* bridge = bridge_of(self);
  if (!bridge) return -1;
  JsScopes scopes(*bridge);
  v8::Local<v8::Value> value = value_of(self, bridge->isolate());
  auto lent = std::make_unique<LentMemory>();
  lent->js_attached = bridge->js_attached_flag();
  std::size_t offset = 0, byte_length = 0;
  Py_ssize_t itemsize = 1;
  const char* format = "B";
  if (value->IsArrayBufferView()) {
    v8::Local<v8::ArrayBufferView> array = value.As<v8::ArrayBufferView>();
    lent->store = array->Buffer()->GetBackingStore();
    offset = array->ByteOffset();
    byte_length = array->ByteLength();
    if (value->IsTypedArray()) format = typed_array_format(value, itemsize);
  } else if (value->IsArrayBuffer()) {
    lent->store = value.As<v8::ArrayBuffer>()->GetBackingStore();
    byte_length = lent->store->ByteLength();
  } else if (value->IsSharedArrayBuffer()) {
    lent->store = value.As<v8::SharedArrayBuffer>()->GetBackingStore();
    byte_length = lent->store->ByteLength();
  } else {
    PyErr_SetString(PyExc_TypeError, "only typed arrays, DataViews and ArrayBuffers lend their memory to Python");
    return -1;
  }
  static char empty = 0;
  char* data = lent->store->Data() ? static_cast<char*>(lent->store->Data()) + offset : &empty;
  lent->shape = static_cast<Py_ssize_t>(byte_length) / itemsize;
  lent->stride = itemsize;
  view->buf = data;
  view->obj = Py_NewRef(self);
  view->len = static_cast<Py_ssize_t>(byte_length);
  view->readonly = 0;
  view->itemsize = itemsize;
  view->format = (flags & PyBUF_FORMAT) ? const_cast<char*>(format) : nullptr;
  view->ndim = 1;
  view->shape = (flags & PyBUF_ND) ? &lent->shape : nullptr;
  view->strides = (flags & PyBUF_STRIDES) == PyBUF_STRIDES ? &lent->stride : nullptr;
  view->suboffsets = nullptr;
  view->internal = lent.release();  // back in release_buffer
  return 0;
}

void release_buffer(PyObject*, Py_buffer* view) {
  std::unique_ptr<LentMemory> lent(static_cast<LentMemory*>(view->internal));
  view->internal = nullptr;
  if (!lent->js_attached->load()) {
    // Freeing a backing store needs its isolate, which may be disposed of by now (a memoryview
    // that Python frees while shutting down, after V8): it is kept until the process ends, in a
    // list that is never destroyed (a static vector's destructor would free them after V8).
    static auto& kept = *std::make_unique<std::vector<std::shared_ptr<v8::BackingStore>>>().release();
    kept.push_back(std::move(lent->store));
  }
}

// ---- Identity, text, dir().

PyObject* compare(PyObject* self, PyObject* other, int op) {
  Bridge* bridge = as_proxy(self)->bridge;
  if ((op != Py_EQ && op != Py_NE) || !bridge || !bridge->js_objects().is_proxy(other)) Py_RETURN_NOTIMPLEMENTED;
  if (!bridge->on_js_thread() || !as_proxy(other)->bridge) Py_RETURN_NOTIMPLEMENTED;
  JsScopes scopes(*bridge);
  const bool same = value_of(self, bridge->isolate())->StrictEquals(value_of(other, bridge->isolate()));
  return PyBool_FromLong(op == Py_EQ ? same : !same);
}

Py_hash_t hash(PyObject* self) {
  Bridge* bridge = bridge_of(self);
  if (!bridge) return -1;
  JsScopes scopes(*bridge);
  v8::Local<v8::Value> value = value_of(self, bridge->isolate());
  Py_hash_t h = value->IsObject() ? value.As<v8::Object>()->GetIdentityHash()
                : value->IsName() ? value.As<v8::Name>()->GetIdentityHash()
                                  : 0;
  return h == -1 ? -2 : h;
}

PyObject* proxy_text(PyObject* self, bool repr) {
  Bridge* proxy_bridge = bridge_of(self);
  if (!proxy_bridge) return nullptr;
  IntoJavaScript in(*proxy_bridge);
  if (!in.entered()) return nullptr;
  Bridge& bridge = in.bridge();
  v8::Isolate* isolate = in.isolate();
  v8::Local<v8::Context> context = in.context();
  v8::Local<v8::Value> value = value_of(self, isolate);
  v8::Local<v8::Value> out;
  if (repr) {
    if (!bridge.js().call_prelude("inspect", {value}).ToLocal(&out)) return in.fail();
    return PyUnicode_FromFormat("<js %U>", PyRef::steal(convert(bridge, context, out)).get());
  }
  v8::Local<v8::String> string;
  if (value->IsSymbol()) {  // as JavaScript's String(symbol): ToString would throw
    v8::Local<v8::Value> description = value.As<v8::Symbol>()->Description(isolate);
    string = v8::String::Concat(isolate, v8_string(isolate, "Symbol("),
                                description->IsString() ? description.As<v8::String>() : v8::String::Empty(isolate));
    string = v8::String::Concat(isolate, string, v8_string(isolate, ")"));
  } else if (!value->ToString(context).ToLocal(&string)) {
    return in.fail();
  }
  return convert(bridge, context, string);
}

PyObject* repr(PyObject* self) { return proxy_text(self, true); }
PyObject* str(PyObject* self) { return proxy_text(self, false); }

PyObject* dir(PyObject* self, PyObject*) {
  Bridge* proxy_bridge = bridge_of(self);
  if (!proxy_bridge) return nullptr;
  IntoJavaScript in(*proxy_bridge);
  if (!in.entered()) return nullptr;
  v8::Local<v8::Value> value = value_of(self, in.isolate());
  v8::Local<v8::Array> names;
  if (!value->IsObject()) return PyList_New(0);
  if (!value.As<v8::Object>()->GetPropertyNames(in.context()).ToLocal(&names)) return in.fail();
  return convert(in.bridge(), in.context(), names);  // a proxy of the array: make it a list
}

PyObject* dir_list(PyObject* self, PyObject* unused) {
  PyRef names = PyRef::steal(dir(self, unused));
  return names ? PySequence_List(names.get()) : nullptr;
}

void dealloc(PyObject* self) {
  // A JSIterator's finalizer (a custom dealloc calls it itself); it may resurrect the proxy.
  if (Py_TYPE(self)->tp_finalize && PyObject_CallFinalizerFromDealloc(self) < 0) return;
  JsProxy* proxy = as_proxy(self);
  if (proxy->weakreflist) PyObject_ClearWeakRefs(self);
  std::unique_ptr<JsRefs> refs(proxy->refs);
  proxy->refs = nullptr;
  if (v8_lost_by_fork()) (void)refs.release();  // V8's handles are the parent's: not touched here
  if (Bridge* bridge = proxy->bridge) {
    JsObjectProxies& proxies = bridge->js_objects();
    proxies.unlink(proxy);
    if (!bridge->on_js_thread()) proxies.reset_later(std::move(refs));  // V8's handles only on V8's thread
  } else if (refs) {
    // The engine is gone and reset everything already; the handles are empty.
  }
  refs.reset();
  PyTypeObject* type = Py_TYPE(self);
  type->tp_free(self);
  Py_DECREF(type);
}

PyMethodDef methods[] = {
    {"__dir__", dir_list, METH_NOARGS, "The JavaScript property names (own and inherited, enumerable)."},
    {nullptr, nullptr, 0, nullptr},
};

PyMemberDef object_members[] = {
    {"__weaklistoffset__", T_PYSSIZET, offsetof(JsProxy, weakreflist), READONLY, nullptr},
    {nullptr, 0, 0, 0, nullptr},
};

PyMemberDef function_members[] = {
    {"__weaklistoffset__", T_PYSSIZET, offsetof(JsProxy, weakreflist), READONLY, nullptr},
    {"__vectorcalloffset__", T_PYSSIZET, offsetof(JsProxy, vectorcall), READONLY, nullptr},
    {nullptr, 0, 0, 0, nullptr},
};

PyType_Slot object_slots[] = {
    {Py_tp_doc, const_cast<char*>("A live JavaScript value (polyhost's bridge): properties are attributes, "
                                  "with items, len(), iteration, `in` and the buffer protocol where JavaScript has them.")},
    {Py_tp_dealloc, reinterpret_cast<void*>(dealloc)},
    {Py_tp_getattro, reinterpret_cast<void*>(getattro)},
    {Py_tp_setattro, reinterpret_cast<void*>(setattro)},
    {Py_tp_repr, reinterpret_cast<void*>(repr)},
    {Py_tp_str, reinterpret_cast<void*>(str)},
    {Py_tp_hash, reinterpret_cast<void*>(hash)},
    {Py_tp_richcompare, reinterpret_cast<void*>(compare)},
    {Py_tp_iter, reinterpret_cast<void*>(js_iterator_for_python)},
    {Py_tp_methods, methods},
    {Py_tp_members, object_members},
    {Py_mp_length, reinterpret_cast<void*>(length)},
    {Py_mp_subscript, reinterpret_cast<void*>(get_item)},
    {Py_mp_ass_subscript, reinterpret_cast<void*>(set_item)},
    {Py_sq_contains, reinterpret_cast<void*>(contains)},
    {Py_nb_bool, reinterpret_cast<void*>(truth)},
    {Py_bf_getbuffer, reinterpret_cast<void*>(get_buffer)},
    {Py_bf_releasebuffer, reinterpret_cast<void*>(release_buffer)},
    {0, nullptr},
};

// A JSFunction's __name__: the function's `name` ("" when it is no string), as Python's functions have.
PyObject* function_name(PyObject* self, void*) {
  Bridge* proxy_bridge = bridge_of(self);
  if (!proxy_bridge) return nullptr;
  IntoJavaScript in(*proxy_bridge);
  if (!in.entered()) return nullptr;
  v8::Local<v8::Value> function = value_of(self, in.isolate());
  v8::Local<v8::Value> name;
  if (!function.As<v8::Object>()->Get(in.context(), v8_string(in.isolate(), "name")).ToLocal(&name)) return in.fail();
  if (!name->IsString()) return PyUnicode_FromString("");
  return convert(in.bridge(), in.context(), name);
}

PyGetSetDef function_getset[] = {
    {"__name__", function_name, nullptr, nullptr, nullptr},
    {nullptr, nullptr, nullptr, nullptr, nullptr},
};

PyType_Slot function_slots[] = {
    {Py_tp_doc, const_cast<char*>("A live JavaScript function (polyhost's bridge); called with positional arguments.")},
    {Py_tp_call, reinterpret_cast<void*>(PyVectorcall_Call)},
    {Py_tp_members, function_members},
    {Py_tp_getset, function_getset},
    {0, nullptr},
};

PyType_Slot iterator_slots[] = {
    {Py_tp_doc, const_cast<char*>("Iterates a JavaScript value for Python (polyhost's bridge).")},
    {Py_tp_iter, reinterpret_cast<void*>(PyObject_SelfIter)},
    {Py_tp_iternext, reinterpret_cast<void*>(iterator_next)},
    {Py_tp_finalize, reinterpret_cast<void*>(iterator_finalize)},
    {0, nullptr},
};

constexpr unsigned kFlags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_DISALLOW_INSTANTIATION;

PyType_Spec object_spec = {"polyhost.JSObject", sizeof(JsProxy), 0, kFlags | Py_TPFLAGS_BASETYPE, object_slots};
PyType_Spec function_spec = {"polyhost.JSFunction", sizeof(JsProxy), 0, kFlags | Py_TPFLAGS_HAVE_VECTORCALL, function_slots};
PyType_Spec iterator_spec = {"polyhost.JSIterator", sizeof(JsProxy), 0, kFlags, iterator_slots};

}  // namespace

JsObjectProxies::JsObjectProxies(Bridge& bridge) : bridge_(bridge) {
  PyRef object_type = PyRef::steal(PyType_FromSpec(&object_spec));
  PyRef function_type = object_type ? PyRef::steal(PyType_FromSpecWithBases(&function_spec, object_type.get())) : PyRef();
  PyRef iterator_type = object_type ? PyRef::steal(PyType_FromSpecWithBases(&iterator_spec, object_type.get())) : PyRef();
  if (!function_type || !iterator_type) {
    PyErr_Print();
    throw std::runtime_error("polyhost: the bridge's Python types could not be made");
  }
  types_[0] = reinterpret_cast<PyTypeObject*>(object_type.release());
  types_[1] = reinterpret_cast<PyTypeObject*>(function_type.release());
  types_[2] = reinterpret_cast<PyTypeObject*>(iterator_type.release());
}

JsObjectProxies::~JsObjectProxies() {
  for (PyTypeObject* type : types_) Py_XDECREF(type);  // live proxies keep their type alive
}

PyRef JsObjectProxies::wrap(v8::Local<v8::Context> context, v8::Local<v8::Value> value, v8::Local<v8::Value> receiver) {
  return make(value->IsFunction() ? function_type() : object_type(), context, value, receiver);
}

PyRef JsObjectProxies::wrap_iterator(v8::Local<v8::Context> context, v8::Local<v8::Value> array_or_next,
                                     v8::Local<v8::Value> iterator, bool by_index) {
  PyRef out = make(iterator_type(), context, array_or_next, iterator);
  if (out) as_proxy(out.get())->by_index = by_index;
  return out;
}

PyRef JsObjectProxies::make(PyTypeObject* type, v8::Local<v8::Context> context, v8::Local<v8::Value> value,
                            v8::Local<v8::Value> receiver) {
  if (!pending_.empty()) drain_pending();
  PyRef object = PyRef::steal(type->tp_alloc(type, 0));  // zeroed; holds a reference to TYPE
  if (!object) return {};
  JsProxy* proxy = as_proxy(object.get());
  auto refs = std::make_unique<JsRefs>();
  v8::Isolate* isolate = context->GetIsolate();
  refs->value.Reset(isolate, value);
  if (!receiver.IsEmpty()) refs->receiver.Reset(isolate, receiver);
  proxy->refs = refs.release();
  proxy->vectorcall = call_function;
  link(proxy);
  return object;
}

v8::MaybeLocal<v8::Value> JsObjectProxies::unwrap(PyObject* object) const {
  JsProxy* proxy = as_proxy(object);
  if (!proxy->bridge || !proxy->refs) {
    raise_js_gone_in_python();
    return {};
  }
  if (v8_lost_by_fork()) {
    raise_js_lost_by_fork_in_python();
    return {};
  }
  return proxy->refs->value.Get(bridge_.isolate());
}

void JsObjectProxies::link(JsProxy* proxy) {
  proxy->bridge = &bridge_;
  proxy->previous = nullptr;
  proxy->next = head_;
  if (head_) head_->previous = proxy;
  head_ = proxy;
  ++live_;
}

void JsObjectProxies::unlink(JsProxy* proxy) {
  if (proxy->previous) proxy->previous->next = proxy->next;
  else head_ = proxy->next;
  if (proxy->next) proxy->next->previous = proxy->previous;
  proxy->previous = proxy->next = nullptr;
  proxy->bridge = nullptr;
  --live_;
}

bool JsObjectProxies::strict_set(v8::Local<v8::Context> context, v8::Local<v8::Object> object, v8::Local<v8::Value> key,
                                 v8::Local<v8::Value> value) {
  v8::Isolate* isolate = context->GetIsolate();
  if (strict_set_.IsEmpty()) {
    // The prelude's, so that errors show the caller's location and no frame of it.
    v8::Local<v8::Value> made;
    if (!bridge_.js().call_prelude("strictSetter", {}).ToLocal(&made)) return false;
    strict_set_.Reset(isolate, made.As<v8::Function>());
  }
  v8::Local<v8::Value> args[] = {object, key, value};
  return !strict_set_.Get(isolate)->Call(context, v8::Undefined(isolate), 3, args).IsEmpty();
}

// Object::Delete says whether it deleted; when not, the TypeError strict mode's `delete` throws.
bool JsObjectProxies::strict_delete(v8::Local<v8::Context> context, v8::Local<v8::Object> object, v8::Local<v8::Value> key) {
  bool deleted = false;
  if (!object->Delete(context, key).To(&deleted)) return false;
  if (deleted) return true;
  v8::Isolate* isolate = context->GetIsolate();
  v8::Local<v8::String> name;
  if (!key->ToDetailString(context).ToLocal(&name)) return false;
  const std::string message = "Cannot delete property '" + v8_to_utf8(isolate, name) + "' of #<" +
                              v8_to_utf8(isolate, object->GetConstructorName()) + ">";
  isolate->ThrowException(v8::Exception::TypeError(v8_string(isolate, message)));
  return false;
}

void JsObjectProxies::release_all() {
  strict_set_.Reset();
  drain_pending();
  while (head_) {
    JsProxy* proxy = head_;
    unlink(proxy);
    if (proxy->refs) {
      proxy->refs->value.Reset();
      proxy->refs->receiver.Reset();
    }
  }
}

void JsObjectProxies::drain_pending() {
  auto pending = std::move(pending_);
  pending_.clear();
  pending.clear();  // resets the handles: we are on V8's thread
}

}  // namespace polyhost
