// Python's proxies of JavaScript values: polyhost.JSObject (attributes are properties, items,
// len(), iteration, `in`, ==, hash, the buffer protocol for typed arrays and ArrayBuffers),
// polyhost.JSFunction (a JSObject that can be called; a function read as a property keeps its
// object as `this`) and polyhost.JSIterator. A proxy holds a v8::Global, released in tp_dealloc.
#pragma once

#include <Python.h>
#include <v8.h>

#include <memory>
#include <vector>

#include "host/python/py_ref.h"

namespace polyhost {

class Bridge;
struct JsProxy;  // the object layout (js_object_proxy.cc)

// The V8 handles of a proxy, allocated apart from it: a proxy freed on another Python thread
// hands them over without touching V8, and they are reset later on V8's thread.
struct JsRefs {
  v8::Global<v8::Value> value;
  v8::Global<v8::Value> receiver;  // `this` for a function read as a property; empty otherwise
};

class JsObjectProxies {
 public:
  explicit JsObjectProxies(Bridge& bridge);  // with the GIL: makes the three types
  ~JsObjectProxies();
  JsObjectProxies(const JsObjectProxies&) = delete;
  JsObjectProxies& operator=(const JsObjectProxies&) = delete;

  // A new proxy of VALUE (a JSFunction when it is a function, which is then called with RECEIVER
  // as `this`); empty with a Python exception set when Python cannot allocate it.
  PyRef wrap(v8::Local<v8::Context> context, v8::Local<v8::Value> value, v8::Local<v8::Value> receiver = {});
  // A JSIterator: over ARRAY by index (BY_INDEX), or calling the function NEXT on ITERATOR.
  PyRef wrap_iterator(v8::Local<v8::Context> context, v8::Local<v8::Value> array_or_next,
                      v8::Local<v8::Value> iterator, bool by_index);
  bool is_proxy(PyObject* object) const {
    PyTypeObject* type = Py_TYPE(object);
    return type == types_[0] || type == types_[1] || type == types_[2];
  }
  // The value behind PROXY (is_proxy is true); empty with a Python exception when V8 is gone.
  v8::MaybeLocal<v8::Value> unwrap(PyObject* proxy) const;
  PyTypeObject* object_type() const { return types_[0]; }
  PyTypeObject* function_type() const { return types_[1]; }
  PyTypeObject* iterator_type() const { return types_[2]; }

  // Writes and deletes as strict-mode JavaScript does them, throwing TypeError where sloppy mode
  // (V8's Object::Set, Object::Delete) would do nothing: a frozen object, a non-writable property,
  // an accessor without a setter, a Proxy whose trap returns false. False with the exception pending.
  // (No Maybe<bool>: GCC 12 under the sanitizers warned that a Nothing's unused value may be uninitialized.)
  bool strict_set(v8::Local<v8::Context> context, v8::Local<v8::Object> object, v8::Local<v8::Value> key,
                  v8::Local<v8::Value> value);
  bool strict_delete(v8::Local<v8::Context> context, v8::Local<v8::Object> object, v8::Local<v8::Value> key);

  std::size_t live() const { return live_; }
  // V8 is going: every proxy lets go of its value and raises "gone" from now on. Isolate entered.
  void release_all();
  // Handles let go on a thread other than V8's, reset on V8's thread (under the GIL, as queued).
  bool has_pending() const { return !pending_.empty(); }
  void drain_pending();

  // For the proxies themselves (js_object_proxy.cc).
  void link(JsProxy* proxy);
  void unlink(JsProxy* proxy);
  void reset_later(std::unique_ptr<JsRefs> refs) { pending_.push_back(std::move(refs)); }

 private:
  PyRef make(PyTypeObject* type, v8::Local<v8::Context> context, v8::Local<v8::Value> value,
             v8::Local<v8::Value> receiver);

  Bridge& bridge_;
  PyTypeObject* types_[3] = {nullptr, nullptr, nullptr};  // JSObject, JSFunction, JSIterator (owned)
  JsProxy* head_ = nullptr;  // live proxies, linked through the objects themselves
  std::size_t live_ = 0;
  std::vector<std::unique_ptr<JsRefs>> pending_;
  v8::Global<v8::Function> strict_set_;  // the prelude's strictSet, fetched on first use
};

}  // namespace polyhost
