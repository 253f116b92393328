#include "host/bridge/python_object_proxy.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

#include "host/bridge/boundary_copies.h"
#include "host/bridge/boundary_errors.h"
#include "host/bridge/boundary_values.h"
#include "host/bridge/js_object_proxy.h"
#include "host/bridge/bridge.h"
#include "host/bridge/crossing.h"
#include "host/bridge/release_queue.h"
#include "host/python/py_ref.h"
#include "host/v8/v8_strings.h"

namespace polyhost {

struct PythonObjectProxies::Handle {
  Bridge* bridge;
  PyObject* object;              // a strong reference, released when the proxy is collected
  v8::Global<v8::Object> proxy;  // weak
  std::int64_t external_bytes = 0;  // a buffer's size, told to V8 (see buffer_size)
};

namespace {

using Handle = PythonObjectProxies::Handle;

// A proxy's internal fields: a tag that tells polyhost's proxies from other objects with internal
// fields, then its Handle (nullptr once the interpreter is gone). A keywords marker: its own tag,
// then the object given to python.kw.
enum Field { kTagField = 0, kDataField = 1, kFieldCount = 2 };
alignas(8) const char kProxyTag = 'P';
alignas(8) const char kKeywordsTag = 'K';

bool has_tag(v8::Local<v8::Object> object, const char* tag) {
  return object->InternalFieldCount() == kFieldCount && object->GetAlignedPointerFromInternalField(kTagField) == tag;
}

Handle* handle_of(v8::Local<v8::Object> object) {
  if (!has_tag(object, &kProxyTag)) return nullptr;
  return static_cast<Handle*>(object->GetAlignedPointerFromInternalField(kDataField));
}

// Every callback starts here: the proxy's live handle, or nullptr after throwing "gone". The
// interceptors and the call handler are installed on the proxies' templates only, so the holder
// needs no tag check.
template <typename Info>
Handle* live_handle(const Info& info) {
  Handle* handle = static_cast<Handle*>(info.Holder()->GetAlignedPointerFromInternalField(kDataField));
  if (!handle) throw_python_gone_in_js(info.GetIsolate());
  return handle;
}

// A callback on a proxy, from its first line: the proxy's Python object, and the call into Python.
class ProxyCall : public IntoPython {
 public:
  ProxyCall(const Handle& handle, v8::Isolate* isolate, Crossing::Enumerated enumerated = Crossing::Enumerated::Forget)
      : IntoPython(*handle.bridge, isolate, enumerated), object(handle.object) {}

  // Returns VALUE to JavaScript, converted.
  template <typename Info>
  void return_value(PyObject* value, const Info& info) const {
    v8::Local<v8::Value> out;
    if (!to_js(bridge(), context(), value).ToLocal(&out)) return fail();
    info.GetReturnValue().Set(out);
  }

  PyObject* const object;
};

bool has_length(PyObject* object) {
  PyTypeObject* type = Py_TYPE(object);
  return (type->tp_as_sequence && type->tp_as_sequence->sq_length) || (type->tp_as_mapping && type->tp_as_mapping->mp_length);
}

bool is_iterable(PyObject* object) { return Py_TYPE(object)->tp_iter != nullptr || PySequence_Check(object); }

// ---- Named properties: attributes, and for dicts their str keys first.

// A callable's `name`, as a JavaScript function's: its __name__ (not intercepted when it has none).
void return_python_name(const ProxyCall& in, const v8::PropertyCallbackInfo<v8::Value>& info) {
  PyRef key = PyRef::steal(PyUnicode_InternFromString("__name__"));
  PyObject* found = nullptr;
  if (!key || _PyObject_LookupAttr(in.object, key.get(), &found) < 0) return in.fail();
  PyRef name = PyRef::steal(found);
  if (name && PyUnicode_Check(name.get())) in.return_value(name.get(), info);
}

// A Python class has no prototype object (its instances are Python objects, and instanceof asks
// isinstance): reading it says so, which is what `class Q extends P` meets first.
void throw_no_prototype(const ProxyCall& in, PyObject* type) {
  const std::string message = std::string("the Python class ") + reinterpret_cast<PyTypeObject*>(type)->tp_name +
                              " has no JavaScript prototype, so a JavaScript class cannot extend it; subclass it in "
                              "Python (python.exec) or keep an instance in a JavaScript object instead";
  in.isolate()->ThrowException(v8::Exception::TypeError(v8_string(in.isolate(), message)));
}

void get_symbol(Handle* handle, v8::Local<v8::Name> name, const v8::PropertyCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  PythonObjectProxies& proxies = handle->bridge->python_objects();
  using Shared = PythonObjectProxies::Shared;
  if (name == v8::Symbol::GetIterator(isolate)) {
    if (is_iterable(handle->object)) info.GetReturnValue().Set(proxies.shared(Shared::Iterate));
  } else if (name == v8::Symbol::GetToPrimitive(isolate)) {
    info.GetReturnValue().Set(proxies.shared(Shared::ToPrimitive));
  } else if (proxies.is_inspect_symbol(name)) {
    info.GetReturnValue().Set(proxies.shared(Shared::Inspect));
  } else if (name == v8::Symbol::GetHasInstance(isolate) && PyType_Check(handle->object)) {
    info.GetReturnValue().Set(proxies.shared(Shared::HasInstance));  // `x instanceof PythonClass`
  }
}

void get_named(v8::Local<v8::Name> name, const v8::PropertyCallbackInfo<v8::Value>& info) {
  Handle* handle = live_handle(info);
  if (!handle) return;
  if (name->IsSymbol()) return get_symbol(handle, name, info);
  ProxyCall in(*handle, info.GetIsolate());
  if (!in.entered()) return;
  PyRef key = in.bridge().python_objects().key(name.As<v8::String>());
  if (!key) return in.fail();
  PyObject* object = in.object;
  if (PyDict_CheckExact(object)) {
    if (PyRef item = PyRef::borrow(PyDict_GetItemWithError(object, key.get()))) return in.return_value(item.get(), info);
    if (PyErr_Occurred()) return in.fail();
  } else if (PyDict_Check(object)) {
    // A subclass's key is read through its own __getitem__, asked only for a key that is there
    // (so that __missing__ neither answers nor inserts), as its index-like keys are.
    const int present = PyDict_Contains(object, key.get());
    if (present < 0) return in.fail();
    if (present) {
      PyRef item = PyRef::steal(PyObject_GetItem(object, key.get()));
      if (!item) return in.fail();
      return in.return_value(item.get(), info);
    }
  }
  // Without raising AttributeError when there is no such attribute (cheaper, and `length` of a
  // list is looked up in every turn of a JavaScript loop over it).
  PyObject* found = nullptr;
  const int status = _PyObject_LookupAttr(object, key.get(), &found);
  PyRef attribute = PyRef::steal(found);
  if (status < 0) return in.fail();
  if (attribute) return in.return_value(attribute.get(), info);
  // What JavaScript expects of a collection or an iterator, when Python has no such attribute.
  const char* text = PyUnicode_AsUTF8(key.get());
  if (!text) PyErr_Clear();  // a key UTF-8 cannot hold (a lone surrogate) is neither `length` nor `next`
  if (text && std::strcmp(text, "length") == 0 && has_length(object)) {
    const Py_ssize_t length = PyObject_Length(object);
    if (length < 0) return in.fail();
    info.GetReturnValue().Set(v8::Number::New(in.isolate(), static_cast<double>(length)));
  } else if (text && std::strcmp(text, "next") == 0 && PyIter_Check(object)) {
    info.GetReturnValue().Set(in.bridge().python_objects().shared(PythonObjectProxies::Shared::Next));
  } else if (text && std::strcmp(text, "return") == 0 && PyGen_Check(object)) {
    info.GetReturnValue().Set(in.bridge().python_objects().shared(PythonObjectProxies::Shared::Return));
  } else if (text && std::strcmp(text, "name") == 0 && PyCallable_Check(object)) {
    return_python_name(in, info);
  } else if (text && std::strcmp(text, "prototype") == 0 && PyType_Check(object)) {
    throw_no_prototype(in, object);
  }
  // Otherwise not intercepted: V8 goes on to the proxy's prototype (Object.prototype, or
  // Function.prototype for a callable).
}

void set_named(v8::Local<v8::Name> name, v8::Local<v8::Value> value, const v8::PropertyCallbackInfo<v8::Value>& info) {
  if (name->IsSymbol()) return;  // kept on the JavaScript object itself
  Handle* handle = live_handle(info);
  if (!handle) return;
  ProxyCall in(*handle, info.GetIsolate());
  if (!in.entered()) return;
  PyRef key = in.bridge().python_objects().key(name.As<v8::String>());
  PyRef item = key ? to_python(in.bridge(), in.context(), value) : PyRef();
  if (!item) return in.fail();
  // A dict subclass's key is written through its own __setitem__, as its index-like keys are.
  const int status = PyDict_CheckExact(in.object) ? PyDict_SetItem(in.object, key.get(), item.get())
                     : PyDict_Check(in.object)    ? PyObject_SetItem(in.object, key.get(), item.get())
                                                  : PyObject_SetAttr(in.object, key.get(), item.get());
  if (status < 0) return in.fail();
  info.GetReturnValue().Set(value);
}

void query_named(v8::Local<v8::Name> name, const v8::PropertyCallbackInfo<v8::Integer>& info) {
  if (name->IsSymbol()) return;
  Handle* handle = live_handle(info);
  if (!handle) return;
  ProxyCall in(*handle, info.GetIsolate(), Crossing::Enumerated::MayKeep);
  if (!in.entered()) return;
  PythonObjectProxies& proxies = in.bridge().python_objects();
  PyRef key = proxies.key(name.As<v8::String>());
  if (!key) return in.fail();
  // V8's filter over what the enumerator just listed, with no other crossing since: the
  // enumerator's lookup answers (it found the name, and no Python code has run since).
  if (proxies.just_enumerated(handle, key.get())) {
    return info.GetReturnValue().Set(v8::Integer::New(in.isolate(), v8::None));
  }
  proxies.forget_enumerated();
  // Only AttributeError means "not there": any other error from __getattr__ or a property
  // crosses, as it does when the attribute is read (PyObject_HasAttr would swallow it).
  PyObject* attribute = nullptr;
  const int found = PyDict_Check(in.object) ? PyDict_Contains(in.object, key.get())
                                            : _PyObject_LookupAttr(in.object, key.get(), &attribute);
  Py_XDECREF(attribute);
  if (found < 0) return in.fail();
  if (found) info.GetReturnValue().Set(v8::Integer::New(in.isolate(), v8::None));
}

// With delattr's AttributeError pending: whether NAME can still be read on OBJECT, as `name in p`
// (hasattr) asks; a read that raises something else counts as there (a property whose getter
// fails). The pending error is kept either way. Runs a getter, on a failed delete only.
bool attribute_is_there(PyObject* object, PyObject* name) {
  PyObject *type, *value, *traceback;
  PyErr_Fetch(&type, &value, &traceback);
  PyObject* attribute = nullptr;
  const int found = _PyObject_LookupAttr(object, name, &attribute);
  Py_XDECREF(attribute);
  if (found < 0) PyErr_Clear();
  PyErr_Restore(type, value, traceback);
  return found != 0;
}

void delete_named(v8::Local<v8::Name> name, const v8::PropertyCallbackInfo<v8::Boolean>& info) {
  if (name->IsSymbol()) return;
  Handle* handle = live_handle(info);
  if (!handle) return;
  ProxyCall in(*handle, info.GetIsolate());
  if (!in.entered()) return;
  PyRef key = in.bridge().python_objects().key(name.As<v8::String>());
  if (!key) return in.fail();
  // A dict's keys first, then its attributes, as reading goes.
  if (PyDict_Check(in.object)) {
    const int status = PyDict_CheckExact(in.object) ? PyDict_DelItem(in.object, key.get())
                                                    : PyObject_DelItem(in.object, key.get());
    if (status == 0) return info.GetReturnValue().Set(true);
    if (!PyErr_ExceptionMatches(PyExc_KeyError)) return in.fail();
    PyErr_Clear();
  }
  if (PyObject_DelAttr(in.object, key.get()) == 0) return info.GetReturnValue().Set(true);
  if (!PyErr_ExceptionMatches(PyExc_AttributeError)) return in.fail();
  // An attribute that is there but refuses to go (a property without a deleter, a method or an
  // attribute of the class, a dict's method) raises AttributeError too: that refusal crosses, as a
  // refused write does; `delete` answering true left it in place.
  if (attribute_is_there(in.object, key.get())) return in.fail();
  PyErr_Clear();  // not there: V8 deletes from the JavaScript object, as `delete` of a missing key does
}

// The public attribute names of OBJECT (dir()) that a lookup finds, or nullptr with the error
// of a lookup that raised something other than AttributeError, as reading it would.
PyRef readable_public_attributes(PyObject* object) {
  PyRef names = PyRef::steal(PyObject_Dir(object));
  PyRef readable = names ? PyRef::steal(PyList_New(0)) : PyRef();
  if (!readable) return {};
  const Py_ssize_t count = PyList_GET_SIZE(names.get());
  for (Py_ssize_t i = 0; i < count; ++i) {
    PyRef name = PyRef::borrow(PyList_GET_ITEM(names.get(), i));
    if (!PyUnicode_Check(name.get()) || PyUnicode_GET_LENGTH(name.get()) == 0 || PyUnicode_READ_CHAR(name.get(), 0) == '_') {
      continue;
    }
    PyObject* found = nullptr;
    const int status = _PyObject_LookupAttr(object, name.get(), &found);
    Py_XDECREF(found);
    if (status < 0) return {};
    if (status > 0 && PyList_Append(readable.get(), name.get()) < 0) return {};
  }
  return readable;
}

// Object.keys(proxy), for...in: a dict's str keys; otherwise the public attribute names (dir())
// that can be read.
void enumerate_named(const v8::PropertyCallbackInfo<v8::Array>& info) {
  Handle* handle = live_handle(info);
  if (!handle) return;
  ProxyCall in(*handle, info.GetIsolate());
  if (!in.entered()) return;
  PythonObjectProxies& proxies = in.bridge().python_objects();
  const bool dict = PyDict_Check(in.object);
  PyRef names = dict ? PyRef::steal(PyDict_Keys(in.object)) : readable_public_attributes(in.object);
  if (!names) return in.fail();
  std::vector<v8::Local<v8::Value>> keys;
  const Py_ssize_t count = PyList_GET_SIZE(names.get());
  for (Py_ssize_t i = 0; i < count; ++i) {
    PyObject* name = PyList_GET_ITEM(names.get(), i);
    if (!PyUnicode_Check(name)) continue;
    v8::Local<v8::String> key;
    if (!js_string(in.bridge(), in.isolate(), name).ToLocal(&key)) return in.fail();
    keys.push_back(key);
  }
  if (!dict) proxies.remember_enumerated(handle, std::move(names));
  info.GetReturnValue().Set(v8::Array::New(in.isolate(), keys.data(), keys.size()));
}

// ---- Indexed properties: items (a missing one reads as undefined, as in JavaScript).

// An index as the str JavaScript names it by: "5".
PyRef index_name(uint32_t index) { return PyRef::steal(PyUnicode_FromFormat("%lu", static_cast<unsigned long>(index))); }

// Whether OBJECT has items, as a sequence or a mapping, or as a class that subscripts
// (list[int]). An object that has none is asked for an index-like name (o['5'], o[5]) as for
// any other name: its attribute "5", which the named enumerator lists (setattr(o, '5', x),
// SimpleNamespace(**{'5': x})).
bool has_items(PyObject* object) {
  PyTypeObject* type = Py_TYPE(object);
  if ((type->tp_as_mapping && type->tp_as_mapping->mp_subscript) || (type->tp_as_sequence && type->tp_as_sequence->sq_item)) {
    return true;
  }
  return PyType_Check(object) && PyObject_HasAttrString(object, "__class_getitem__");
}

// OBJECT's attribute named INDEX, if it has one; a lookup that raises AttributeError finds none.
// Returns -1 with the error pending, else 0 or 1.
int index_attribute(PyObject* object, uint32_t index, PyRef* attribute) {
  PyRef name = index_name(index);
  PyObject* found = nullptr;
  const int status = name ? _PyObject_LookupAttr(object, name.get(), &found) : -1;
  *attribute = PyRef::steal(found);
  return status;
}

// Whether the pending error is a mapping refusing an int key as a key at all (os.environ, shelve:
// TypeError or AttributeError), which means it has no such key.
bool int_key_refused() {
  return PyErr_ExceptionMatches(PyExc_TypeError) || PyErr_ExceptionMatches(PyExc_AttributeError);
}

// JavaScript names a mapping's int key 5 and its str key "5" alike, as index 5. The key of OBJECT
// (a dict, or any other collections.abc.Mapping that is not a Sequence) that INDEX names: the int
// key if OBJECT has it, else the str key if it has that; else the int key, with *present false.
// A mapping that cannot hold int keys (os.environ, shelve) may raise when asked about one: that
// means no such key, and the str key is the one it would hold. Empty with a Python error pending.
PyRef mapping_key_of_index(PyObject* object, uint32_t index, bool* present) {
  const bool dict = PyDict_Check(object);
  const auto contains = [&](PyObject* key) { return dict ? PyDict_Contains(object, key) : PySequence_Contains(object, key); };
  PyRef int_key = PyRef::steal(PyLong_FromUnsignedLong(index));
  if (!int_key) return {};
  int found = contains(int_key.get());
  const bool int_refused = found < 0 && !dict && int_key_refused();
  if (int_refused) PyErr_Clear();
  if (found > 0 || (found < 0 && !int_refused)) {
    *present = found > 0;
    return found < 0 ? PyRef() : int_key;
  }
  PyRef str_key = index_name(index);
  found = str_key ? contains(str_key.get()) : -1;
  if (found < 0) return {};
  *present = found > 0;
  return *present || int_refused ? str_key : int_key;
}

// Whether OBJECT's index-like names are its keys, int or str (mapping_key_of_index): a dict, or
// another collections.abc.Mapping (MappingProxyType, ChainMap, os.environ, a class of the
// user's) that is not also a Sequence (whose index-like names are positions). CPython marks the
// Mapping's subclasses and the classes registered with it (Py_TPFLAGS_MAPPING, what `match`
// reads), so a list, range or array is told apart by a flag, not by isinstance(). -1 with the
// error pending.
int is_mapping(const ProxyCall& in) {
  if (PyDict_Check(in.object)) return 1;
  if (!PyType_HasFeature(Py_TYPE(in.object), Py_TPFLAGS_MAPPING)) return 0;
  const int sequence = PyObject_IsInstance(in.object, in.bridge().helper("_Sequence"));
  return sequence < 0 ? -1 : !sequence;
}

// Whether OBJECT's items sit at positions 0..len-1 that JavaScript may list and ask about: a
// sequence (its type has sq_item: a class with __getitem__ too), but not a class itself (an Enum
// class's __getitem__ takes member names).
bool has_positions(PyObject* object) {
  return PySequence_Check(object) && !PyDict_Check(object) && !PyType_Check(object);
}

// The key INDEX names in OBJECT, for a write or a delete: a mapping's (mapping_key_of_index),
// else the int INDEX (*present left as it is). Empty with a Python error pending.
PyRef key_of_index(const ProxyCall& in, uint32_t index, bool* present) {
  const int mapping = is_mapping(in);
  if (mapping < 0) return {};
  return mapping ? mapping_key_of_index(in.object, index, present) : PyRef::steal(PyLong_FromUnsignedLong(index));
}

// A mapping's item for INDEX: its int key's, else its str key's (see mapping_key_of_index). A
// dict's key is chosen first, then read through a subclass's own __getitem__, so that
// __missing__ (defaultdict, Counter) neither answers for a key the dict lacks nor inserts it.
// Another mapping is asked for its items directly, int key first (its __contains__ would ask
// __getitem__ again): KeyError, or TypeError / AttributeError from one that refuses int keys,
// means not there.
void get_mapping_item(const ProxyCall& in, uint32_t index, const v8::PropertyCallbackInfo<v8::Value>& info) {
  if (!PyDict_Check(in.object)) {
    for (PyRef key : {PyRef::steal(PyLong_FromUnsignedLong(index)), index_name(index)}) {
      if (!key) return in.fail();
      PyRef item = PyRef::steal(PyObject_GetItem(in.object, key.get()));
      if (item) return in.return_value(item.get(), info);
      const bool int_key = PyLong_Check(key.get());
      if (!PyErr_ExceptionMatches(PyExc_KeyError) &&
          !(int_key && int_key_refused())) {
        return in.fail();
      }
      PyErr_Clear();
    }
    return;
  }
  bool present = false;
  PyRef key = mapping_key_of_index(in.object, index, &present);
  if (!key) return in.fail();
  if (!present) return;
  PyRef item = PyDict_CheckExact(in.object) ? PyRef::borrow(PyDict_GetItemWithError(in.object, key.get()))
                                            : PyRef::steal(PyObject_GetItem(in.object, key.get()));
  if (item) return in.return_value(item.get(), info);
  if (PyErr_Occurred()) in.fail();
}

void get_indexed(uint32_t index, const v8::PropertyCallbackInfo<v8::Value>& info) {
  Handle* handle = live_handle(info);
  if (!handle) return;
  ProxyCall in(*handle, info.GetIsolate());
  if (!in.entered()) return;
  PyObject* object = in.object;
  if (PyList_CheckExact(object)) {
    // Held while it converts: the list's item is only borrowed.
    if (index < static_cast<std::size_t>(PyList_GET_SIZE(object))) {
      return in.return_value(PyRef::borrow(PyList_GET_ITEM(object, index)).get(), info);
    }
    return;
  }
  if (PyTuple_CheckExact(object)) {
    if (index < static_cast<std::size_t>(PyTuple_GET_SIZE(object))) return in.return_value(PyTuple_GET_ITEM(object, index), info);
    return;
  }
  const int mapping = is_mapping(in);
  if (mapping < 0) return in.fail();
  if (mapping) return get_mapping_item(in, index, info);
  if (!has_items(object)) {
    PyRef attribute;
    if (index_attribute(object, index, &attribute) < 0) return in.fail();
    if (attribute) in.return_value(attribute.get(), info);
    return;
  }
  PyRef key = PyRef::steal(PyLong_FromUnsignedLong(index));
  PyRef item = key ? PyRef::steal(PyObject_GetItem(object, key.get())) : PyRef();
  if (item) return in.return_value(item.get(), info);
  if (PyErr_ExceptionMatches(PyExc_IndexError) || PyErr_ExceptionMatches(PyExc_KeyError) ||
      (PyErr_ExceptionMatches(PyExc_TypeError) && !PyObject_HasAttrString(object, "__getitem__"))) {
    PyErr_Clear();  // no such item, or no items at all: undefined
    return;
  }
  in.fail();
}

void set_indexed(uint32_t index, v8::Local<v8::Value> value, const v8::PropertyCallbackInfo<v8::Value>& info) {
  Handle* handle = live_handle(info);
  if (!handle) return;
  ProxyCall in(*handle, info.GetIsolate());
  if (!in.entered()) return;
  bool present = false;
  // A mapping's key that is there already, int or str; a new one is an int.
  PyRef key = key_of_index(in, index, &present);
  PyRef item = key ? to_python(in.bridge(), in.context(), value) : PyRef();
  if (!item) return in.fail();
  if (!has_items(in.object)) {
    PyRef name = index_name(index);
    if (!name || PyObject_SetAttr(in.object, name.get(), item.get()) < 0) return in.fail();
  } else if (PyObject_SetItem(in.object, key.get(), item.get()) < 0) {
    return in.fail();
  }
  info.GetReturnValue().Set(value);
}

void query_indexed(uint32_t index, const v8::PropertyCallbackInfo<v8::Integer>& info) {
  Handle* handle = live_handle(info);
  if (!handle) return;
  ProxyCall in(*handle, info.GetIsolate());
  if (!in.entered()) return;
  const int mapping = is_mapping(in);
  if (mapping < 0) return in.fail();
  if (mapping) {
    bool present = false;
    if (!mapping_key_of_index(in.object, index, &present)) return in.fail();
    if (present) info.GetReturnValue().Set(v8::Integer::New(in.isolate(), v8::None));
    return;
  }
  if (!has_items(in.object)) {
    PyRef attribute;
    const int found = index_attribute(in.object, index, &attribute);
    if (found < 0) return in.fail();
    if (found) info.GetReturnValue().Set(v8::Integer::New(in.isolate(), v8::None));
    return;
  }
  if (!has_positions(in.object)) return;
  const Py_ssize_t length = PySequence_Length(in.object);
  if (length < 0) {
    PyErr_Clear();
    return;
  }
  if (index < static_cast<std::size_t>(length)) info.GetReturnValue().Set(v8::Integer::New(in.isolate(), v8::None));
}

void delete_indexed(uint32_t index, const v8::PropertyCallbackInfo<v8::Boolean>& info) {
  Handle* handle = live_handle(info);
  if (!handle) return;
  ProxyCall in(*handle, info.GetIsolate());
  if (!in.entered()) return;
  if (!has_items(in.object)) {
    PyRef name = index_name(index);
    if (!name) return in.fail();
    if (PyObject_DelAttr(in.object, name.get()) < 0) {
      if (!PyErr_ExceptionMatches(PyExc_AttributeError)) return in.fail();
      PyErr_Clear();
      return;  // not there, as in delete_named
    }
    return info.GetReturnValue().Set(true);
  }
  bool present = true;
  PyRef key = key_of_index(in, index, &present);
  if (!key) return in.fail();
  if (!present) return;  // as for a missing name: V8 deletes from the JavaScript object
  if (PyObject_DelItem(in.object, key.get()) < 0) return in.fail();
  info.GetReturnValue().Set(true);
}

void enumerate_indexed(const v8::PropertyCallbackInfo<v8::Array>& info) {
  Handle* handle = live_handle(info);
  if (!handle) return;
  ProxyCall in(*handle, info.GetIsolate());
  if (!in.entered()) return;
  v8::Isolate* isolate = in.isolate();
  if (!has_positions(in.object)) return;
  // A mapping's index-like names are keys, not positions 0..len-1.
  const int mapping = is_mapping(in);
  if (mapping < 0) return in.fail();
  if (mapping) return;
  const Py_ssize_t length = PySequence_Length(in.object);
  if (length < 0) {
    PyErr_Clear();
    return;
  }
  // V8 cannot enumerate more keys than 2^24, these and the named ones together (its own RangeError
  // came after 17 s and 3 GB for range(10**8)); say so at once, leaving room for the names.
  constexpr Py_ssize_t kMaxEnumerated = (Py_ssize_t{1} << 24) - (Py_ssize_t{1} << 16);
  if (length > kMaxEnumerated) {
    isolate->ThrowException(v8::Exception::RangeError(v8_string(
        isolate, "this Python sequence has " + std::to_string(length) + " items, too many to enumerate as keys (at most " +
                     std::to_string(kMaxEnumerated) + "); iterate it instead")));
    return;
  }
  std::vector<v8::Local<v8::Value>> indices;
  indices.reserve(static_cast<std::size_t>(length));
  for (Py_ssize_t i = 0; i < length; ++i) indices.push_back(v8::Integer::New(isolate, static_cast<int32_t>(i)));
  info.GetReturnValue().Set(v8::Array::New(isolate, indices.data(), indices.size()));
}

// ---- Calls. `new Proxy(...)` is the same call (a Python class is instantiated by calling it).

// Converted arguments, owned: released when the call is over. Slot 0 is left free so Python may
// use it (PY_VECTORCALL_ARGUMENTS_OFFSET: a bound method puts `self` there without copying).
class Arguments {
 public:
  explicit Arguments(int count) {
    if (count + 1 > kSmall) large_.resize(static_cast<std::size_t>(count) + 1);
    slots_ = count + 1 > kSmall ? large_.data() : small_;
    slots_[0] = nullptr;
  }
  ~Arguments() {
    for (int i = 1; i <= filled_; ++i) Py_DECREF(slots_[i]);
  }
  Arguments(const Arguments&) = delete;
  Arguments& operator=(const Arguments&) = delete;
  void push(PyRef value) { slots_[++filled_] = value.release(); }
  PyObject* const* args() const { return slots_ + 1; }

 private:
  static constexpr int kSmall = 8;
  PyObject* small_[kSmall];
  std::vector<PyObject*> large_;
  PyObject** slots_;
  int filled_ = 0;
};

void call(const v8::FunctionCallbackInfo<v8::Value>& info) {
  Handle* handle = live_handle(info);
  if (!handle) return;
  ProxyCall in(*handle, info.GetIsolate());
  if (!in.entered()) return;
  Bridge& bridge = in.bridge();
  v8::Isolate* isolate = in.isolate();
  v8::Local<v8::Context> context = in.context();

  int positional = info.Length();
  v8::Local<v8::Object> keywords;
  v8::Local<v8::Array> keyword_names;
  if (positional > 0) keywords = PythonObjectProxies::keywords_source(info[positional - 1]);
  // python.kw(a proxy of a Python dict): the dict itself, whose keys Python checks as f(**d) does.
  PyObject* keyword_dict = keywords.IsEmpty() ? nullptr : PythonObjectProxies::unwrap(keywords);
  if (!keywords.IsEmpty()) --positional;
  if (!keywords.IsEmpty() && !keyword_dict) {
    v8::TryCatch try_catch(isolate);
    // Index-like names ({'0': 1}) as strings: V8 keeps them as numbers by default.
    if (!keywords->GetOwnPropertyNames(context, static_cast<v8::PropertyFilter>(v8::ONLY_ENUMERABLE | v8::SKIP_SYMBOLS),
                                       v8::KeyConversionMode::kConvertToString)
             .ToLocal(&keyword_names)) {
      try_catch.ReThrow();
      return;
    }
  }
  const int named = keyword_names.IsEmpty() ? 0 : static_cast<int>(keyword_names->Length());
  Arguments args(positional + named);
  for (int i = 0; i < positional; ++i) {
    PyRef arg = to_python(bridge, context, info[i]);
    if (!arg) return in.fail();
    // Checked on what became a proxy only: a V8 type test of every argument cost about 4 ns each.
    if (bridge.js_objects().is_proxy(arg.get()) && !PythonObjectProxies::keywords_source(info[i]).IsEmpty()) {
      isolate->ThrowException(v8::Exception::TypeError(v8_string(isolate, "python.kw(...) must be the last argument of the call")));
      return;
    }
    args.push(std::move(arg));
  }
  if (keyword_dict) {
    PyRef tuple = PyRef::steal(PyTuple_New(positional));
    if (!tuple) return in.fail();
    for (int i = 0; i < positional; ++i) PyTuple_SET_ITEM(tuple.get(), i, Py_NewRef(args.args()[i]));
    PyRef result = PyRef::steal(PyObject_Call(in.object, tuple.get(), keyword_dict));
    if (!result) return in.fail();
    return in.return_value(result.get(), info);
  }
  PyRef kwnames;
  if (named > 0) {
    kwnames = PyRef::steal(PyTuple_New(named));
    if (!kwnames) return in.fail();
    for (int i = 0; i < named; ++i) {
      v8::Local<v8::Value> name, value;
      if (!keyword_names->Get(context, static_cast<uint32_t>(i)).ToLocal(&name) ||
          !keywords->Get(context, name).ToLocal(&value)) {
        return;  // a getter threw: its exception is pending
      }
      PyRef key = name->IsString() ? python_string(isolate, name.As<v8::String>()) : PyRef();
      if (!key && !PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "python.kw(): keyword names must be strings");
      PyRef arg = key ? to_python(bridge, context, value) : PyRef();
      if (!arg) return in.fail();
      PyTuple_SET_ITEM(kwnames.get(), i, key.release());
      args.push(std::move(arg));
    }
  }
  PyRef result = PyRef::steal(PyObject_Vectorcall(in.object, args.args(),
                                                  static_cast<std::size_t>(positional) | PY_VECTORCALL_ARGUMENTS_OFFSET,
                                                  kwnames.get()));
  if (!result) return in.fail();
  in.return_value(result.get(), info);
}

// ---- The shared functions (`this` is the proxy).

// The most links followed from `this` to a proxy (prototypes, Proxy targets, bound functions'
// targets): a prototype cycle cannot be made (V8 refuses one), but a Proxy's target can.
constexpr int kMostLinks = 10000;

// The proxy a shared function acts on: `this`, or the first proxy on its prototype chain (an object
// made by Object.create(proxy), a class that extends one, a JavaScript Proxy around one), as its
// inherited methods act on that proxy's Python object.
Handle* receiver_handle(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  v8::Local<v8::Value> link = info.This();
  for (int i = 0; i < kMostLinks && link->IsObject(); ++i) {
    v8::Local<v8::Object> object = link.As<v8::Object>();
    if (has_tag(object, &kProxyTag)) {
      Handle* handle = handle_of(object);
      if (!handle) throw_python_gone_in_js(isolate);
      return handle;
    }
    link = object->IsProxy() ? object.As<v8::Proxy>()->GetTarget() : object->GetPrototype();
  }
  isolate->ThrowException(v8::Exception::TypeError(
      v8_string(isolate, "this function belongs to proxies of Python objects: call it on one (as `this`)")));
  return nullptr;
}

void python_iterator_for_js(const v8::FunctionCallbackInfo<v8::Value>& info) {
  Handle* handle = receiver_handle(info);
  if (!handle) return;
  ProxyCall in(*handle, info.GetIsolate());
  if (!in.entered()) return;
  PyRef iterator = PyRef::steal(PyObject_GetIter(in.object));
  if (!iterator) return in.fail();
  in.return_value(iterator.get(), info);
}

// `x instanceof F` where F only inherits Symbol.hasInstance from a Python class's proxy (F's
// prototype chain holds it: Object.setPrototypeOf(F, PyClass)): JavaScript's own rule, F.prototype
// on x's prototype chain, not isinstance against the Python class.
// RIGHT: `this`, or the target it is bound to.
void ordinary_has_instance(const v8::FunctionCallbackInfo<v8::Value>& info, v8::Local<v8::Value> right) {
  v8::Isolate* isolate = info.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  if (!right->IsFunction() || info.Length() < 1 || !info[0]->IsObject()) return info.GetReturnValue().Set(false);
  v8::Local<v8::Value> prototype;
  if (!right.As<v8::Object>()->Get(context, v8_string(isolate, "prototype")).ToLocal(&prototype)) return;
  if (!prototype->IsObject()) {
    isolate->ThrowException(v8::Exception::TypeError(v8_string(isolate, "Function has non-object prototype in instanceof check")));
    return;
  }
  for (v8::Local<v8::Value> link = info[0].As<v8::Object>()->GetPrototype(); link->IsObject();
       link = link.As<v8::Object>()->GetPrototype()) {
    if (link->StrictEquals(prototype)) return info.GetReturnValue().Set(true);
  }
  info.GetReturnValue().Set(false);
}

// `x instanceof P` for a Python class P: isinstance(x, P) for a Python object; false for any other
// value, as for a JavaScript class.
void has_instance(const v8::FunctionCallbackInfo<v8::Value>& info) {
  // The right-hand side as instanceof sees it: through a JavaScript Proxy's target and a bound
  // function's target, as the spec's InstanceofOperator does, to a Python class's proxy or not.
  v8::Local<v8::Value> right = info.This();
  for (int i = 0; i < kMostLinks && right->IsObject() && !has_tag(right.As<v8::Object>(), &kProxyTag); ++i) {
    if (right.As<v8::Object>()->IsProxy()) {
      right = right.As<v8::Proxy>()->GetTarget();
    } else if (right->IsFunction() && !right.As<v8::Function>()->GetBoundFunction()->IsUndefined()) {
      right = right.As<v8::Function>()->GetBoundFunction();
    } else {
      break;
    }
  }
  if (!right->IsObject() || !has_tag(right.As<v8::Object>(), &kProxyTag)) return ordinary_has_instance(info, right);
  Handle* handle = handle_of(right.As<v8::Object>());
  if (!handle) return throw_python_gone_in_js(info.GetIsolate());
  PyObject* instance = info.Length() > 0 ? PythonObjectProxies::unwrap(info[0]) : nullptr;
  if (!instance) return info.GetReturnValue().Set(false);
  ProxyCall in(*handle, info.GetIsolate());
  if (!in.entered()) return;
  const int found = PyObject_IsInstance(instance, in.object);
  if (found < 0) return in.fail();
  info.GetReturnValue().Set(found == 1);
}

// {value, done}, as an iterator's next() and return() give it.
void return_iterator_result(const v8::FunctionCallbackInfo<v8::Value>& info, v8::Local<v8::Context> context,
                            v8::Local<v8::Value> value, bool done) {
  v8::Isolate* isolate = info.GetIsolate();
  v8::Local<v8::Object> result = v8::Object::New(isolate);
  result->CreateDataProperty(context, v8_string(isolate, "value"), value).Check();
  result->CreateDataProperty(context, v8_string(isolate, "done"), v8::Boolean::New(isolate, done)).Check();
  info.GetReturnValue().Set(result);
}

// What next(v) sends into a Python generator: V, as send(v) would, once the generator is paused at
// a yield; None before its first yield (JavaScript's first next(v) drops V; Python's send refuses
// it there), while it delegates (yield from) to an iterator that takes nothing sent (a JavaScript
// iterator's proxy, a list's: send would raise AttributeError there and end it), and for any other
// iterator.
PyRef value_to_send(const ProxyCall& in, const v8::FunctionCallbackInfo<v8::Value>& info) {
  if (!PyGen_Check(in.object) || info.Length() == 0 || info[0]->IsUndefined()) return PyRef::borrow(Py_None);
  PyRef suspended = PyRef::steal(PyObject_GetAttrString(in.object, "gi_suspended"));
  PyRef delegate = suspended ? PyRef::steal(PyObject_GetAttrString(in.object, "gi_yieldfrom")) : PyRef();
  if (!delegate) return {};
  if (suspended.get() != Py_True) return PyRef::borrow(Py_None);
  if (delegate.get() != Py_None && !PyGen_Check(delegate.get()) && !PyCoro_CheckExact(delegate.get())) {
    const int takes = PyObject_HasAttrString(delegate.get(), "send");  // no error: a getattr's is dropped
    if (!takes) return PyRef::borrow(Py_None);
  }
  return to_python(in.bridge(), in.context(), info[0]);
}

void next(const v8::FunctionCallbackInfo<v8::Value>& info) {
  Handle* handle = receiver_handle(info);
  if (!handle) return;
  ProxyCall in(*handle, info.GetIsolate());
  if (!in.entered()) return;
  v8::Isolate* isolate = in.isolate();
  v8::Local<v8::Context> context = in.context();
  if (!PyIter_Check(in.object)) {  // next borrowed from an iterator and called on another object
    isolate->ThrowException(v8::Exception::TypeError(v8_string(isolate, "next() needs a Python iterator as `this`")));
    return;
  }
  PyRef sent = value_to_send(in, info);
  if (!sent) return in.fail();
  PyObject* produced = nullptr;
  const PySendResult status = PyIter_Send(in.object, sent.get(), &produced);
  PyRef item = PyRef::steal(produced);
  if (status == PYGEN_ERROR) return in.fail();
  // At the end, a generator's return value (StopIteration's), where JavaScript has one; an
  // iterator that ends without one (None) gives undefined, as a JavaScript iterator does.
  const bool done = status == PYGEN_RETURN;
  v8::Local<v8::Value> value = v8::Undefined(isolate);
  if (item && !(done && item.get() == Py_None) && !to_js(in.bridge(), context, item.get()).ToLocal(&value)) {
    return in.fail();
  }
  return_iterator_result(info, context, value, done);
}

// return(v) of a Python generator, which for...of calls when a loop leaves early (break, a throw):
// the generator is closed, so its finally blocks run then, as when a Python loop drops it.
void close_generator(const v8::FunctionCallbackInfo<v8::Value>& info) {
  Handle* handle = receiver_handle(info);
  if (!handle) return;
  ProxyCall in(*handle, info.GetIsolate());
  if (!in.entered()) return;
  if (!PyGen_Check(in.object)) {
    in.isolate()->ThrowException(
        v8::Exception::TypeError(v8_string(in.isolate(), "return() needs a Python generator as `this`")));
    return;
  }
  PyRef closed = PyRef::steal(PyObject_CallMethod(in.object, "close", nullptr));
  if (!closed) return in.fail();
  return_iterator_result(info, in.context(), info.Length() > 0 ? info[0] : v8::Undefined(in.isolate()).As<v8::Value>(), true);
}

// A dict key as JSON.stringify names it: as Python's json.dumps does (a str as it is; an int, float,
// bool or None as its JSON text, whatever a subclass's __repr__ says), else nullptr with
// TypeError, as json.dumps raises.
PyRef json_key(PyObject* key) {
  if (PyUnicode_Check(key)) return PyRef::borrow(key);
  if (key == Py_True || key == Py_False || key == Py_None) {
    return PyRef::steal(PyUnicode_FromString(key == Py_True ? "true" : key == Py_False ? "false" : "null"));
  }
  if (PyLong_Check(key)) return PyRef::steal(PyLong_Type.tp_repr(key));
  if (PyFloat_Check(key)) {
    const double d = PyFloat_AS_DOUBLE(key);
    if (std::isnan(d)) return PyRef::steal(PyUnicode_FromString("NaN"));
    if (std::isinf(d)) return PyRef::steal(PyUnicode_FromString(d > 0 ? "Infinity" : "-Infinity"));
    return PyRef::steal(PyFloat_Type.tp_repr(key));
  }
  PyErr_Format(PyExc_TypeError, "JSON keys must be str, int, float, bool or None, not %s", Py_TYPE(key)->tp_name);
  return {};
}

// Whether VIEW, a memoryview, is all that keeps its exporter alive: the exporter's one reference is
// then its managed buffer's, shared by views of it only, so collecting the view's proxy frees it.
bool sole_view_of_exporter(PyObject* view) {
  auto* memoryview = reinterpret_cast<PyMemoryViewObject*>(view);
  PyObject* exporter = memoryview->view.obj;
  return exporter != nullptr && memoryview->mbuf->exports == 1 && Py_REFCNT(exporter) == 1;
}

// The size of the memory a buffer object owns (bytes, bytearray, array.array, a memoryview that
// alone keeps its exporter alive), or 0 for any other object. V8 is told it while the buffer's proxy
// lives, so that its collector, which sees only the small proxy, runs as the memory held through
// proxies grows (5000 proxies of 100 kB bytearrays held 480 MB more without it). A view of memory
// someone else holds counts 0: a fresh memoryview(big) per call would otherwise report big's whole
// size each time and make V8 collect fully every few calls.
std::int64_t buffer_size(PyObject* object) {
  if (PyBytes_Check(object)) return PyBytes_GET_SIZE(object);
  if (PyByteArray_Check(object)) return PyByteArray_GET_SIZE(object);
  const bool owns_its_buffer = std::strcmp(Py_TYPE(object)->tp_name, "array.array") == 0 ||
                               (PyMemoryView_Check(object) && sole_view_of_exporter(object));
  if (!owns_its_buffer) return 0;
  Py_buffer view;
  if (PyObject_GetBuffer(object, &view, PyBUF_FULL_RO) < 0) {
    PyErr_Clear();
    return 0;
  }
  const std::int64_t size = view.len;
  PyBuffer_Release(&view);
  return size;
}

// Whether OBJECT's proxy is one with to_json on its prototype (see wrap), which JSON.stringify
// calls whatever the Python object holds: it looks toJSON up past the interceptors.
bool serialized_by_to_json(PyObject* object) {
  return !PyCallable_Check(object) && (PyList_Check(object) || PyTuple_Check(object) || PyDict_Check(object));
}

// What to_json gives JSON.stringify: the container and every container nested in it that
// JSON.stringify would ask for toJSON in turn, as Arrays and plain objects (dict keys named as
// Python's json.dumps names them); other items cross as usual. Each Python container becomes one
// JavaScript object however often it is met, so a container holding itself holds its own copy and
// JSON.stringify reports the cycle as it does any ("Converting circular structure to JSON")
// rather than following it until the stack overflows. Filled from a work list, not by recursion:
// a list nested a million deep reaches V8's serializer, which reports the depth as RangeError.
class JsonReady {
 public:
  enum class Outcome { Done, PythonError, JsError };

  JsonReady(Bridge& bridge, v8::Local<v8::Context> context)
      : bridge_(bridge), context_(context), isolate_(context->GetIsolate()) {}

  Outcome make(PyObject* root, v8::Local<v8::Value>& out) {
    if (Outcome o = container(root, out); o != Outcome::Done) return o;
    while (!pending_.empty()) {
      Pending next = std::move(pending_.back());
      pending_.pop_back();
      if (Outcome o = fill(next); o != Outcome::Done) return o;
    }
    return Outcome::Done;
  }

 private:
  struct Pending {
    PyRef items;  // a snapshot: a list of the items, or of a dict's (key, value) pairs
    v8::Local<v8::Object> out;
    bool dict;
  };

  // OBJECT's JavaScript object, made empty and queued to be filled the first time it is met.
  Outcome container(PyObject* object, v8::Local<v8::Value>& out) {
    if (auto it = made_.find(object); it != made_.end()) {
      out = it->second.second;
      return Outcome::Done;
    }
    const bool dict = PyDict_Check(object);
    // A snapshot, as a key's __repr__ or a subclass's __iter__ may change the container.
    PyRef items = dict ? mapping_pairs(object) : PyRef::steal(PySequence_List(object));
    if (!items) return Outcome::PythonError;
    v8::Local<v8::Object> made = dict ? v8::Object::New(isolate_)
                                      : v8::Array::New(isolate_, static_cast<int>(PyList_GET_SIZE(items.get()))).As<v8::Object>();
    made_.emplace(object, std::make_pair(PyRef::borrow(object), made));  // held: the key must not be reused
    pending_.push_back({std::move(items), made, dict});
    out = made;
    return Outcome::Done;
  }

  Outcome item(PyObject* object, v8::Local<v8::Value>& out) {
    if (serialized_by_to_json(object)) return container(object, out);
    return to_js(bridge_, context_, object).ToLocal(&out) ? Outcome::Done : Outcome::PythonError;
  }

  Outcome fill(const Pending& pending) {
    const Py_ssize_t n = PyList_GET_SIZE(pending.items.get());
    for (Py_ssize_t i = 0; i < n; ++i) {
      PyObject* entry = PyList_GET_ITEM(pending.items.get(), i);
      v8::Local<v8::Value> value;
      if (!pending.dict) {
        if (Outcome o = item(entry, value); o != Outcome::Done) return o;
        if (pending.out->CreateDataProperty(context_, static_cast<std::uint32_t>(i), value).IsNothing()) return Outcome::JsError;
        continue;
      }
      PyRef name = json_key(PyTuple_GET_ITEM(entry, 0));
      v8::Local<v8::Value> js_name;
      if (!name || !to_js(bridge_, context_, name.get()).ToLocal(&js_name)) return Outcome::PythonError;
      if (Outcome o = item(PyTuple_GET_ITEM(entry, 1), value); o != Outcome::Done) return o;
      if (pending.out->CreateDataProperty(context_, js_name.As<v8::Name>(), value).IsNothing()) return Outcome::JsError;
    }
    return Outcome::Done;
  }

  Bridge& bridge_;
  v8::Local<v8::Context> context_;
  v8::Isolate* isolate_;
  std::unordered_map<PyObject*, std::pair<PyRef, v8::Local<v8::Object>>> made_;
  std::vector<Pending> pending_;
};

// JSON.stringify(proxy) of a list, tuple or dict: an Array or a plain object (see JsonReady), so
// that a list is an array in the JSON, not an object with keys "0", "1", ...
void to_json(const v8::FunctionCallbackInfo<v8::Value>& info) {
  Handle* handle = receiver_handle(info);
  if (!handle) return;
  ProxyCall in(*handle, info.GetIsolate());
  if (!in.entered()) return;
  v8::Local<v8::Value> out;
  switch (JsonReady(in.bridge(), in.context()).make(in.object, out)) {
    case JsonReady::Outcome::Done: return info.GetReturnValue().Set(out);
    case JsonReady::Outcome::PythonError: return in.fail();
    case JsonReady::Outcome::JsError: return;  // V8's exception is pending
  }
}

// `${proxy}`, String(proxy), proxy + '': str(); +proxy: float() for Python numbers.
void to_primitive(const v8::FunctionCallbackInfo<v8::Value>& info) {
  Handle* handle = receiver_handle(info);
  if (!handle) return;
  ProxyCall in(*handle, info.GetIsolate());
  if (!in.entered()) return;
  const bool number = info.Length() > 0 && info[0]->IsString() && v8_to_utf8(in.isolate(), info[0]) == "number";
  PyRef out = PyRef::steal(number && PyNumber_Check(in.object) ? PyNumber_Float(in.object) : PyObject_Str(in.object));
  if (!out) return in.fail();
  in.return_value(out.get(), info);
}

void inspect(const v8::FunctionCallbackInfo<v8::Value>& info) {
  Handle* handle = receiver_handle(info);
  if (!handle) return;
  ProxyCall in(*handle, info.GetIsolate());
  if (!in.entered()) return;
  PyRef text = PyRef::steal(PyObject_Repr(in.object));
  if (!text) return in.fail();
  in.return_value(text.get(), info);
}

v8::Local<v8::Function> make_function(v8::Local<v8::Context> context, v8::FunctionCallback callback, const char* name) {
  v8::Local<v8::Function> fn =
      v8::Function::New(context, callback, {}, 0, v8::ConstructorBehavior::kThrow).ToLocalChecked();
  fn->SetName(v8_string(context->GetIsolate(), name));
  return fn;
}

}  // namespace

PythonObjectProxies::PythonObjectProxies(Bridge& bridge, v8::Local<v8::Context> context)
    : bridge_(bridge), isolate_(context->GetIsolate()) {
  v8::HandleScope scope(isolate_);
  auto make_template = [&](bool callable) {
    v8::Local<v8::ObjectTemplate> templ = v8::ObjectTemplate::New(isolate_);
    templ->SetInternalFieldCount(kFieldCount);
    templ->SetHandler(v8::NamedPropertyHandlerConfiguration(get_named, set_named, query_named, delete_named, enumerate_named));
    templ->SetHandler(v8::IndexedPropertyHandlerConfiguration(get_indexed, set_indexed, query_indexed, delete_indexed,
                                                              enumerate_indexed));
    if (callable) templ->SetCallAsFunctionHandler(call);
    return templ;
  };
  plain_template_.Reset(isolate_, make_template(false));
  callable_template_.Reset(isolate_, make_template(true));
  for (auto [templ, blank] : {std::pair{&plain_template_, &plain_blank_}, std::pair{&plain_template_, &container_blank_},
                              std::pair{&callable_template_, &callable_blank_}}) {
    v8::Local<v8::Object> instance = templ->Get(isolate_)->NewInstance(context).ToLocalChecked();
    instance->SetAlignedPointerInInternalField(kTagField, const_cast<char*>(&kProxyTag));
    instance->SetAlignedPointerInInternalField(kDataField, nullptr);  // a released proxy, until cloned and set
    if (blank == &callable_blank_) {
      // A callable is a function to JavaScript too: instanceof Function, and call/apply/bind from
      // Function.prototype (where the Python object has no attribute of that name).
      instance->SetPrototype(context, make_function(context, next, "prototype-source")->GetPrototype()).Check();
    } else if (blank == &container_blank_) {
      // Between the proxy and the other proxies' prototype (constructor and instanceof as theirs),
      // frozen: one script must not change how every list serializes.
      v8::Local<v8::Object> prototype = v8::Object::New(isolate_);
      prototype->SetPrototype(context, instance->GetPrototype()).Check();
      prototype->DefineOwnProperty(context, v8_string(isolate_, "toJSON"), make_function(context, to_json, "toJSON"),
                                   static_cast<v8::PropertyAttribute>(v8::DontEnum | v8::ReadOnly | v8::DontDelete))
          .Check();
      prototype->SetIntegrityLevel(context, v8::IntegrityLevel::kFrozen).Check();
      instance->SetPrototype(context, prototype).Check();
    }
    blank->Reset(isolate_, instance);
  }
  v8::Local<v8::ObjectTemplate> keywords = v8::ObjectTemplate::New(isolate_);
  keywords->SetInternalFieldCount(kFieldCount);
  keywords_template_.Reset(isolate_, keywords);
  iterate_.Reset(isolate_, make_function(context, python_iterator_for_js, "[Symbol.iterator]"));
  next_.Reset(isolate_, make_function(context, next, "next"));
  return_.Reset(isolate_, make_function(context, close_generator, "return"));
  to_primitive_.Reset(isolate_, make_function(context, to_primitive, "[Symbol.toPrimitive]"));
  inspect_.Reset(isolate_, make_function(context, inspect, "inspect"));
  has_instance_.Reset(isolate_, make_function(context, has_instance, "[Symbol.hasInstance]"));
  inspect_symbol_.Reset(isolate_, v8::Symbol::For(isolate_, v8_string(isolate_, "polyhost.inspect")));
}

PythonObjectProxies::~PythonObjectProxies() = default;

PyRef PythonObjectProxies::key(v8::Local<v8::String> name) {
  // Property names are internalized: the same name is the same V8 string each time.
  const int hash = name->GetIdentityHash();
  auto [first, last] = keys_.equal_range(hash);
  for (auto it = first; it != last; ++it) {
    if (it->second.first == name) return it->second.second;
  }
  PyRef key = python_string(isolate_, name);
  if (!key) return key;
  PyObject* interned = key.release();
  PyUnicode_InternInPlace(&interned);
  key = PyRef::steal(interned);
  if (keys_.size() >= kMaxKeys) keys_.clear();
  keys_.emplace(hash, std::make_pair(v8::Global<v8::String>(isolate_, name), key));
  return key;
}

v8::Local<v8::Function> PythonObjectProxies::shared(Shared which) const {
  switch (which) {
    case Shared::Iterate: return iterate_.Get(isolate_);
    case Shared::Next: return next_.Get(isolate_);
    case Shared::Return: return return_.Get(isolate_);
    case Shared::ToPrimitive: return to_primitive_.Get(isolate_);
    case Shared::HasInstance: return has_instance_.Get(isolate_);
    case Shared::Inspect: break;
  }
  return inspect_.Get(isolate_);
}

v8::MaybeLocal<v8::Object> PythonObjectProxies::wrap(v8::Local<v8::Context> context, PyObject* object) {
  if (auto it = handles_.find(object); it != handles_.end()) return it->second->proxy.Get(isolate_);
  // Cloning an instance is several times cheaper than instantiating the template again.
  // Containers have the toJSON that JSON.stringify asks for.
  const v8::Global<v8::Object>& blank = PyCallable_Check(object)         ? callable_blank_
                                        : serialized_by_to_json(object) ? container_blank_
                                                                         : plain_blank_;
  v8::Local<v8::Object> proxy = blank.Get(isolate_)->Clone();
  if (proxy.IsEmpty()) return {};
  auto handle = std::make_unique<Handle>();
  handle->bridge = &bridge_;
  handle->object = object;
  Py_INCREF(object);
  handle->proxy.Reset(isolate_, proxy);
  handle->proxy.SetWeak(handle.get(), on_collected, v8::WeakCallbackType::kParameter);
  proxy->SetAlignedPointerInInternalField(kDataField, handle.get());
  handle->external_bytes = buffer_size(object);
  if (handle->external_bytes > 0) isolate_->AdjustAmountOfExternalAllocatedMemory(handle->external_bytes);
  handles_.emplace(object, std::move(handle));
  return proxy;
}

// Inside V8's garbage collector: no V8 calls, no Python. The reference is released later.
void PythonObjectProxies::on_collected(const v8::WeakCallbackInfo<Handle>& info) {
  Handle* handle = info.GetParameter();
  handle->proxy.Reset();
  Bridge& bridge = *handle->bridge;
  // A new handle may take this one's address (the names are released with the next ones).
  if (bridge.python_objects().enumerated_for_ == handle) bridge.python_objects().enumerated_for_ = nullptr;
  bridge.releases().decref_later(handle->object);
  if (handle->external_bytes > 0) info.GetIsolate()->AdjustAmountOfExternalAllocatedMemory(-handle->external_bytes);
  bridge.python_objects().handles_.erase(handle->object);  // frees the handle
}

void PythonObjectProxies::remember_enumerated(const Handle* handle, PyRef names) {
  // A set: V8's query pass asks about every name listed.
  PyRef listed = PyRef::steal(PySet_New(names.get()));
  if (!listed) {
    PyErr_Clear();  // without the memory the query looks each name up again, as for any other query
    return forget_enumerated();
  }
  enumerated_for_ = handle;
  enumerated_ = std::move(listed);
  bridge_.set_keeps_enumerated(true);
}

void PythonObjectProxies::forget_enumerated() {
  enumerated_for_ = nullptr;
  enumerated_ = PyRef();
  bridge_.set_keeps_enumerated(false);
}

bool PythonObjectProxies::just_enumerated(const Handle* handle, PyObject* name) const {
  if (handle != enumerated_for_) return false;
  const int listed = PySet_Contains(enumerated_.get(), name);
  if (listed < 0) PyErr_Clear();  // then it is looked up
  return listed > 0;
}

PyObject* PythonObjectProxies::unwrap(v8::Local<v8::Value> value) {
  if (!value->IsObject()) return nullptr;
  Handle* handle = handle_of(value.As<v8::Object>());
  return handle ? handle->object : nullptr;
}

Bridge* PythonObjectProxies::bridge_of(v8::Local<v8::Value> value) {
  if (!value->IsObject()) return nullptr;
  Handle* handle = handle_of(value.As<v8::Object>());
  return handle ? handle->bridge : nullptr;
}

bool PythonObjectProxies::is_released_proxy(v8::Local<v8::Value> value) {
  return value->IsObject() && has_tag(value.As<v8::Object>(), &kProxyTag) &&
         !value.As<v8::Object>()->GetAlignedPointerFromInternalField(kDataField);
}

v8::MaybeLocal<v8::Object> PythonObjectProxies::keywords(v8::Local<v8::Context> context, v8::Local<v8::Object> source) {
  v8::Local<v8::Object> marker;
  if (!keywords_template_.Get(isolate_)->NewInstance(context).ToLocal(&marker)) return {};
  marker->SetAlignedPointerInInternalField(kTagField, const_cast<char*>(&kKeywordsTag));
  marker->SetInternalField(kDataField, source);
  return marker;
}

v8::Local<v8::Object> PythonObjectProxies::keywords_source(v8::Local<v8::Value> value) {
  if (!value->IsObject() || !has_tag(value.As<v8::Object>(), &kKeywordsTag)) return {};
  return value.As<v8::Object>()->GetInternalField(kDataField).As<v8::Object>();
}

void PythonObjectProxies::release_all() {
  v8::HandleScope scope(isolate_);
  keys_.clear();
  forget_enumerated();
  // Releasing may run Python code (__del__) that makes new proxies: repeat until none is left.
  while (!handles_.empty()) {
    auto handles = std::move(handles_);
    handles_.clear();
    for (auto& [object, handle] : handles) {
      v8::Local<v8::Object> proxy = handle->proxy.Get(isolate_);
      if (!proxy.IsEmpty()) proxy->SetAlignedPointerInInternalField(kDataField, nullptr);
      handle->proxy.Reset();  // no weak callback any more
      if (handle->external_bytes > 0) isolate_->AdjustAmountOfExternalAllocatedMemory(-handle->external_bytes);
    }
    for (auto& [object, handle] : handles) Py_DECREF(object);
  }
}

}  // namespace polyhost
