// JavaScript's proxies of Python objects. One V8 object per Python object (the same object
// crossing twice gives the same proxy), made from an ObjectTemplate with named and indexed
// interceptors (attributes, dict items, sequence items, `length`) and, for callables, a call
// handler. The proxy holds a reference to its Python object; when V8 collects the proxy, a weak
// callback queues the reference, which is released at the next call into Python (ReleaseQueue).
#pragma once

#include <Python.h>
#include <v8.h>

#include <memory>
#include <unordered_map>
#include <utility>

#include "host/python/py_ref.h"

namespace polyhost {

class Bridge;

class PythonObjectProxies {
 public:
  // With the isolate and CONTEXT entered.
  PythonObjectProxies(Bridge& bridge, v8::Local<v8::Context> context);
  ~PythonObjectProxies();  // call release_all() first (it needs the GIL)
  PythonObjectProxies(const PythonObjectProxies&) = delete;
  PythonObjectProxies& operator=(const PythonObjectProxies&) = delete;

  // The proxy of OBJECT (borrowed): the live one if there is one, else a new one. Empty (with a
  // JavaScript exception pending) only if V8 cannot allocate it.
  v8::MaybeLocal<v8::Object> wrap(v8::Local<v8::Context> context, PyObject* object);
  // The Python object behind VALUE (borrowed) if VALUE is a live proxy; nullptr otherwise.
  static PyObject* unwrap(v8::Local<v8::Value> value);
  // The bridge VALUE's Python object belongs to, if VALUE is a live proxy; nullptr otherwise.
  static Bridge* bridge_of(v8::Local<v8::Value> value);
  // Whether VALUE is a proxy whose Python object was let go because the interpreter is gone.
  static bool is_released_proxy(v8::Local<v8::Value> value);

  // python.kw(OBJECT): marks OBJECT's own properties as keyword arguments of a call.
  v8::MaybeLocal<v8::Object> keywords(v8::Local<v8::Context> context, v8::Local<v8::Object> source);
  // The object given to python.kw if VALUE is such a marker; empty otherwise.
  static v8::Local<v8::Object> keywords_source(v8::Local<v8::Value> value);

  // Functions every proxy shares: [Symbol.iterator], an iterator's next(), [Symbol.toPrimitive]
  // (str() or float()), the hook console.log uses (repr()), and a class's [Symbol.hasInstance]
  // (isinstance()).
  enum class Shared { Iterate, Next, Return, ToPrimitive, Inspect, HasInstance };
  v8::Local<v8::Function> shared(Shared which) const;
  bool is_inspect_symbol(v8::Local<v8::Name> name) const { return name == inspect_symbol_.Get(isolate_); }

  // The Python str for a property name (cached: names are read over and over).
  PyRef key(v8::Local<v8::String> name);

  // The names the named enumerator just listed for HANDLE's proxy, each found by a lookup that
  // raised nothing. V8 10.2 then asks the query interceptor about each name to keep the enumerable
  // ones, and does not look for an exception between these calls (a throw there stays pending
  // while JavaScript runs on): the enumerator throws instead, and the query answers for a name it
  // listed without looking it up again. Forgotten at the next crossing of any other kind (see
  // Crossing::Enumerated), and by a query about a name not listed.
  struct Handle;
  void remember_enumerated(const Handle* handle, PyRef names);
  bool just_enumerated(const Handle* handle, PyObject* name) const;
  void forget_enumerated();

  std::size_t live() const { return handles_.size(); }
  // Lets go of every Python object (with the GIL, the isolate entered): proxies then throw.
  void release_all();


 private:
  static void on_collected(const v8::WeakCallbackInfo<Handle>& info);

  Bridge& bridge_;
  v8::Isolate* isolate_;
  v8::Global<v8::ObjectTemplate> plain_template_, callable_template_, keywords_template_;
  // Instances that new proxies are cloned from; a list's, tuple's or dict's has toJSON on its
  // prototype (JSON.stringify looks it up past interceptors).
  v8::Global<v8::Object> plain_blank_, container_blank_, callable_blank_;
  v8::Global<v8::Function> iterate_, next_, return_, to_primitive_, inspect_, has_instance_;
  v8::Global<v8::Symbol> inspect_symbol_;
  std::unordered_map<PyObject*, std::unique_ptr<Handle>> handles_;  // one per live proxy (python_object_proxy.cc)
  const Handle* enumerated_for_ = nullptr;
  PyRef enumerated_;  // a set of str
  static constexpr std::size_t kMaxKeys = 4096;
  std::unordered_multimap<int, std::pair<v8::Global<v8::String>, PyRef>> keys_;
};

}  // namespace polyhost
