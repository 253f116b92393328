#include "host/bridge/boundary_copies.h"

#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

#include "host/bridge/boundary_values.h"
#include "host/bridge/bridge.h"
#include "host/bridge/js_object_proxy.h"
#include "host/bridge/python_object_proxy.h"
#include "host/bridge/release_queue.h"
#include "host/value_path.h"
#include "host/v8/v8_strings.h"

namespace polyhost {
namespace {

bool too_deep(int depth) {
  if (depth <= kMaxValueDepth) return false;
  PyErr_Format(PyExc_RecursionError, "copy: the value is nested deeper than %d levels", kMaxValueDepth);
  return true;
}

// The typed array kind for a buffer format ('d', '<i', ...) with ITEMSIZE; false when none fits:
// the buffer is then shown as its bytes (a Uint8Array), as the README says. No typed array holds
// a half float ('e'), a character ('u', 'w'), a big-endian number ('>i', '!h') or a struct of
// several fields; a bool ('?') is one byte, 0 or 1, and a pointer ('P') an unsigned integer.
enum class ArrayKind { Int8, Uint8, Int16, Uint16, Int32, Uint32, Float32, Float64, BigInt64, BigUint64 };

bool array_kind(const char* format, Py_ssize_t itemsize, ArrayKind& kind) {
  if (!format) format = "B";
  if (*format == '@' || *format == '=' || *format == '<') ++format;  // native order is little-endian here
  if (format[0] == '\0' || format[1] != '\0') return false;
  switch (format[0]) {
    case 'b': kind = ArrayKind::Int8; return itemsize == 1;
    case 'B': case 'c': case '?': kind = ArrayKind::Uint8; return itemsize == 1;
    case 'h': kind = ArrayKind::Int16; return itemsize == 2;
    case 'H': kind = ArrayKind::Uint16; return itemsize == 2;
    case 'i': case 'l': case 'q': case 'n':
      if (itemsize == 4) { kind = ArrayKind::Int32; return true; }
      kind = ArrayKind::BigInt64;
      return itemsize == 8;
    case 'I': case 'L': case 'Q': case 'N': case 'P':
      if (itemsize == 4) { kind = ArrayKind::Uint32; return true; }
      kind = ArrayKind::BigUint64;
      return itemsize == 8;
    case 'f': kind = ArrayKind::Float32; return itemsize == 4;
    case 'd': kind = ArrayKind::Float64; return itemsize == 8;
    default: return false;
  }
}

v8::Local<v8::TypedArray> make_typed_array(v8::Local<v8::ArrayBuffer> buffer, ArrayKind kind, std::size_t count) {
  switch (kind) {
    case ArrayKind::Int8: return v8::Int8Array::New(buffer, 0, count);
    case ArrayKind::Uint8: return v8::Uint8Array::New(buffer, 0, count);
    case ArrayKind::Int16: return v8::Int16Array::New(buffer, 0, count);
    case ArrayKind::Uint16: return v8::Uint16Array::New(buffer, 0, count);
    case ArrayKind::Int32: return v8::Int32Array::New(buffer, 0, count);
    case ArrayKind::Uint32: return v8::Uint32Array::New(buffer, 0, count);
    case ArrayKind::Float32: return v8::Float32Array::New(buffer, 0, count);
    case ArrayKind::Float64: return v8::Float64Array::New(buffer, 0, count);
    case ArrayKind::BigInt64: return v8::BigInt64Array::New(buffer, 0, count);
    case ArrayKind::BigUint64: break;
  }
  return v8::BigUint64Array::New(buffer, 0, count);
}

class ToJs {
 public:
  ToJs(Bridge& bridge, v8::Local<v8::Context> context) : bridge_(bridge), context_(context), isolate_(context->GetIsolate()) {}

  v8::MaybeLocal<v8::Value> copy(PyObject* object, int depth) {
    if (too_deep(depth)) return {};
    if (object == Py_None || PyBool_Check(object) || PyLong_Check(object) || PyFloat_Check(object) ||
        PyUnicode_Check(object) || bridge_.js_objects().is_proxy(object)) {
      return to_js(bridge_, context_, object);
    }
    if (auto it = seen_.find(object); it != seen_.end()) return it->second;
    if (PyList_Check(object) || PyTuple_Check(object)) return sequence(object, depth);
    if (PyDict_Check(object)) return mapping(object, depth);
    if (PyAnySet_Check(object)) return set(object, depth);
    if (PyObject_CheckBuffer(object)) return buffer(object);
    return to_js(bridge_, context_, object);  // not a container: stays a proxy
  }

 private:
  // Copying an item may run Python code (a set subclass's __iter__) that changes the container
  // being copied: lists and dicts are copied from a snapshot of their items, which holds them.
  v8::MaybeLocal<v8::Value> sequence(PyObject* object, int depth) {
    PyRef items = PyRef::steal(PySequence_List(object));
    if (!items) return {};
    const Py_ssize_t n = PyList_GET_SIZE(items.get());
    v8::Local<v8::Array> array = v8::Array::New(isolate_, static_cast<int>(n));
    remember_copy(object, array);
    for (Py_ssize_t i = 0; i < n; ++i) {
      v8::Local<v8::Value> item;
      if (!copy(PyList_GET_ITEM(items.get(), i), depth + 1).ToLocal(&item)) return {};
      if (array->Set(context_, static_cast<std::uint32_t>(i), item).IsNothing()) return fail();
    }
    return array;
  }

  v8::MaybeLocal<v8::Value> mapping(PyObject* object, int depth) {
    PyRef pairs = mapping_pairs(object);
    if (!pairs) return {};
    const Py_ssize_t n = PyList_GET_SIZE(pairs.get());
    const auto key_at = [&](Py_ssize_t i) { return PyTuple_GET_ITEM(PyList_GET_ITEM(pairs.get(), i), 0); };
    const auto value_at = [&](Py_ssize_t i) { return PyTuple_GET_ITEM(PyList_GET_ITEM(pairs.get(), i), 1); };
    bool all_str = true;
    for (Py_ssize_t i = 0; i < n; ++i) all_str = all_str && PyUnicode_Check(key_at(i));
    if (all_str) {
      v8::Local<v8::Object> out = v8::Object::New(isolate_);
      remember_copy(object, out);
      for (Py_ssize_t i = 0; i < n; ++i) {
        PyObject *key = key_at(i), *value = value_at(i);
        v8::Local<v8::String> name;
        v8::Local<v8::Value> item;
        if (!js_string(bridge_, isolate_, key).ToLocal(&name) || !copy(value, depth + 1).ToLocal(&item)) return {};
        if (out->CreateDataProperty(context_, name, item).IsNothing()) return fail();
      }
      return out;
    }
    v8::Local<v8::Map> out = v8::Map::New(isolate_);
    remember_copy(object, out);
    for (Py_ssize_t i = 0; i < n; ++i) {
      v8::Local<v8::Value> js_key, item;
      if (!copy(key_at(i), depth + 1).ToLocal(&js_key) || !copy(value_at(i), depth + 1).ToLocal(&item)) return {};
      if (out->Set(context_, js_key, item).IsEmpty()) return fail();
    }
    return out;
  }

  v8::MaybeLocal<v8::Value> set(PyObject* object, int depth) {
    v8::Local<v8::Set> out = v8::Set::New(isolate_);
    remember_copy(object, out);
    PyRef iterator = PyRef::steal(PyObject_GetIter(object));
    if (!iterator) return {};
    while (PyRef item = PyRef::steal(PyIter_Next(iterator.get()))) {
      v8::Local<v8::Value> js_item;
      if (!copy(item.get(), depth + 1).ToLocal(&js_item)) return {};
      if (out->Add(context_, js_item).IsEmpty()) return fail();
    }
    if (PyErr_Occurred()) return {};
    return out;
  }

  v8::MaybeLocal<v8::Value> buffer(PyObject* object) {
    Py_buffer view;
    if (PyObject_GetBuffer(object, &view, PyBUF_FORMAT | PyBUF_ANY_CONTIGUOUS) < 0) return {};
    ArrayKind kind = ArrayKind::Uint8;
    if (!array_kind(view.format, view.itemsize, kind)) kind = ArrayKind::Uint8;
    const std::size_t bytes = static_cast<std::size_t>(view.len);
    const std::size_t count = kind == ArrayKind::Uint8 ? bytes : bytes / static_cast<std::size_t>(view.itemsize);
    v8::Local<v8::ArrayBuffer> memory = v8::ArrayBuffer::New(isolate_, bytes);
    if (bytes) std::memcpy(memory->GetBackingStore()->Data(), view.buf, bytes);
    PyBuffer_Release(&view);
    v8::Local<v8::Value> out = make_typed_array(memory, kind, count);
    remember_copy(object, out);
    return out;
  }

  v8::MaybeLocal<v8::Value> fail() {
    PyErr_SetString(PyExc_RuntimeError, "copy: JavaScript refused a value");
    return {};
  }

  // What was copied, for cycles and shared structure: each object held until the copy is done, so
  // that an object a hook frees cannot leave its address to a new one that would map to its copy.
  void remember_copy(PyObject* object, v8::Local<v8::Value> copy) {
    seen_.emplace(object, copy);
    held_.push_back(PyRef::borrow(object));
  }

  Bridge& bridge_;
  v8::Local<v8::Context> context_;
  v8::Isolate* isolate_;
  std::unordered_map<PyObject*, v8::Local<v8::Value>> seen_;
  std::vector<PyRef> held_;
};

// TEXT cut to about 60 bytes (at a character's start), with "..." when it was longer.
std::string shortened(std::string text) {
  constexpr std::size_t kMax = 60;
  if (text.size() <= kMax) return text;
  std::size_t end = kMax;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end) + "...";
}

// OBJECT's repr() for an error message, shortened; its type if repr() fails.
std::string python_text(PyObject* object) {
  PyRef text = PyRef::steal(PyObject_Repr(object));
  const char* utf8 = text ? PyUnicode_AsUTF8(text.get()) : nullptr;
  if (!utf8) {
    PyErr_Clear();
    return std::string("<") + Py_TYPE(object)->tp_name + " object>";
  }
  return shortened(utf8);
}

// The pending Python exception's str(), which is cleared.
std::string pending_error_text() {
  PyObject *type = nullptr, *value = nullptr, *traceback = nullptr;
  PyErr_Fetch(&type, &value, &traceback);
  PyErr_NormalizeException(&type, &value, &traceback);
  PyRef owned_type = PyRef::steal(type), owned_value = PyRef::steal(value), owned_traceback = PyRef::steal(traceback);
  PyRef text = owned_value ? PyRef::steal(PyObject_Str(owned_value.get())) : PyRef();
  const char* utf8 = text ? PyUnicode_AsUTF8(text.get()) : nullptr;
  PyErr_Clear();
  return utf8 ? utf8 : "unhashable";
}

class ToPython {
 public:
  ToPython(Bridge& bridge, v8::Local<v8::Context> context) : bridge_(bridge), context_(context), isolate_(context->GetIsolate()) {}

  PyRef copy(v8::Local<v8::Value> value, int depth) {
    if (too_deep(depth)) return {};
    if (!value->IsObject() || PythonObjectProxies::unwrap(value)) return to_python(bridge_, context_, value);
    v8::Local<v8::Object> object = value.As<v8::Object>();
    const int hash = object->GetIdentityHash();
    auto [first, last] = seen_.equal_range(hash);
    for (auto it = first; it != last; ++it) {
      if (it->second.first == object) return it->second.second;
    }
    if (value->IsArray()) return array(value.As<v8::Array>(), depth);
    if (value->IsTypedArray()) return typed_array(value.As<v8::TypedArray>());
    if (value->IsArrayBufferView() || value->IsArrayBuffer()) return bytes(value);
    if (value->IsMap()) return map(value.As<v8::Map>(), depth);
    if (value->IsSet()) return set(value.As<v8::Set>(), depth);
    if (is_plain(object)) return plain(object, depth);
    return to_python(bridge_, context_, value);
  }

 private:
  void remember(v8::Local<v8::Object> object, const PyRef& copy) {
    seen_.emplace(object->GetIdentityHash(), std::make_pair(object, copy));
  }

  bool is_plain(v8::Local<v8::Object> object) {
    if (object->IsFunction() || object->IsCallable()) return false;
    v8::Local<v8::Value> prototype = object->GetPrototype();
    if (prototype->IsNull()) return true;
    v8::Local<v8::Value> object_prototype;
    v8::Local<v8::Value> object_constructor;
    if (!context_->Global()->Get(context_, v8::String::NewFromUtf8Literal(isolate_, "Object")).ToLocal(&object_constructor) ||
        !object_constructor->IsObject() ||
        !object_constructor.As<v8::Object>()->Get(context_, v8::String::NewFromUtf8Literal(isolate_, "prototype")).ToLocal(&object_prototype)) {
      return false;
    }
    return prototype->StrictEquals(object_prototype);
  }

  PyRef array(v8::Local<v8::Array> array, int depth) {
    const std::uint32_t n = array->Length();
    // Built by appending: a getter may run Python code that finds the list (gc.get_objects()),
    // which must never see an empty slot.
    PyRef out = PyRef::steal(PyList_New(0));
    if (!out) return {};
    remember(array, out);
    for (std::uint32_t i = 0; i < n; ++i) {
      v8::Local<v8::Value> item;
      if (!array->Get(context_, i).ToLocal(&item)) return fail();
      PyRef copied = copy(item, depth + 1);
      if (!copied || PyList_Append(out.get(), copied.get()) < 0) return {};
    }
    return out;
  }

  PyRef typed_array(v8::Local<v8::TypedArray> typed) {
    const std::size_t n = typed->Length();
    PyRef out = PyRef::steal(PyList_New(static_cast<Py_ssize_t>(n)));
    if (!out) return {};
    remember(typed, out);
    for (std::size_t i = 0; i < n; ++i) {
      v8::Local<v8::Value> item;
      if (!typed->Get(context_, static_cast<std::uint32_t>(i)).ToLocal(&item)) return fail();
      PyRef number = to_python(bridge_, context_, item);
      if (!number) return {};
      PyList_SET_ITEM(out.get(), static_cast<Py_ssize_t>(i), number.release());
    }
    return out;
  }

  PyRef bytes(v8::Local<v8::Value> value) {
    std::shared_ptr<v8::BackingStore> store;
    std::size_t offset = 0, length = 0;
    if (value->IsArrayBufferView()) {
      auto view = value.As<v8::ArrayBufferView>();
      store = view->Buffer()->GetBackingStore();
      offset = view->ByteOffset();
      length = view->ByteLength();
    } else {
      store = value.As<v8::ArrayBuffer>()->GetBackingStore();
      length = store->ByteLength();
    }
    const char* data = store->Data() ? static_cast<const char*>(store->Data()) + offset : "";
    PyRef out = PyRef::steal(PyBytes_FromStringAndSize(data, static_cast<Py_ssize_t>(length)));
    if (out) remember(value.As<v8::Object>(), out);
    return out;
  }

  // A Map becomes a dict and a Set a set only if no entry is lost: JavaScript keeps keys apart
  // that Python merges (1 and true, 1 and 1n, null and undefined) and takes keys that a dict
  // cannot (objects, copied to dicts and lists). Either is an error that names the keys.
  PyRef map(v8::Local<v8::Map> map, int depth) {
    PyRef out = PyRef::steal(PyDict_New());
    if (!out) return {};
    remember(map, out);
    const KeyedEntries entries{map->AsArray(), 2, kMapWords};  // [key0, value0, key1, value1, ...]
    for (std::uint32_t i = 0; i < entries.count(); ++i) {
      v8::Local<v8::Value> key, item;
      if (!entries.key(context_, i).ToLocal(&key) || !entries.pairs->Get(context_, 2 * i + 1).ToLocal(&item)) return fail();
      PyRef py_key = copy(key, depth + 1);
      if (!py_key || !hashable(entries, i, key, py_key.get())) return {};
      PyRef py_item = copy(item, depth + 1);
      if (!py_item) return {};
      const Py_ssize_t size = PyDict_GET_SIZE(out.get());
      if (PyDict_SetItem(out.get(), py_key.get(), py_item.get()) < 0) return {};
      if (PyDict_GET_SIZE(out.get()) == size) return merged(entries, i, key, py_key.get(), depth);
    }
    return out;
  }

  PyRef set(v8::Local<v8::Set> set, int depth) {
    PyRef out = PyRef::steal(PySet_New(nullptr));
    if (!out) return {};
    remember(set, out);
    const KeyedEntries entries{set->AsArray(), 1, kSetWords};
    for (std::uint32_t i = 0; i < entries.count(); ++i) {
      v8::Local<v8::Value> item;
      if (!entries.key(context_, i).ToLocal(&item)) return fail();
      PyRef py_item = copy(item, depth + 1);
      if (!py_item || !hashable(entries, i, item, py_item.get())) return {};
      const Py_ssize_t size = PySet_GET_SIZE(out.get());
      if (PySet_Add(out.get(), py_item.get()) < 0) return {};
      if (PySet_GET_SIZE(out.get()) == size) return merged(entries, i, item, py_item.get(), depth);
    }
    return out;
  }

  // The words of the errors about a Map's keys or a Set's values.
  struct KeyedWords {
    const char *js_type, *key, *python_type, *kept, *lost;
  };
  static constexpr KeyedWords kMapWords{"Map", "key", "dict", "be a dict key", "one entry of the two"};
  static constexpr KeyedWords kSetWords{"Set", "value", "set", "be in a set", "one of the two"};

  // A Map's or Set's entries as AsArray gives them: STRIDE values per entry, its key first.
  struct KeyedEntries {
    v8::Local<v8::Array> pairs;
    std::uint32_t stride;
    const KeyedWords& words;
    std::uint32_t count() const { return pairs->Length() / stride; }
    v8::MaybeLocal<v8::Value> key(v8::Local<v8::Context> context, std::uint32_t i) const { return pairs->Get(context, i * stride); }
  };

  // Whether COPIED, the copy of entry I's KEY, can be a dict key or set item; if not, a TypeError
  // that says which key and why.
  bool hashable(const KeyedEntries& entries, std::uint32_t i, v8::Local<v8::Value> key, PyObject* copied) {
    if (PyObject_Hash(copied) != -1) return true;
    if (!PyErr_ExceptionMatches(PyExc_TypeError)) return false;
    const std::string reason = pending_error_text();
    const KeyedWords& w = entries.words;
    PyErr_Format(PyExc_TypeError,
                 "copy: the %s's %s at entry %u, %s, becomes the Python %s %s, which cannot %s (%s), so the %s "
                 "cannot be copied to a %s; use its proxy instead",
                 w.js_type, w.key, i + 1, js_text(key).c_str(), Py_TYPE(copied)->tp_name, python_text(copied).c_str(), w.kept,
                 reason.c_str(), w.js_type, w.python_type);
    return false;
  }

  // Entry I's KEY, copied as COPIED, is equal in Python to an earlier key: a ValueError that names
  // both (the earlier one is found again by copying the keys before it: primitives convert the
  // same way each time, and objects were copied once and are remembered).
  PyRef merged(const KeyedEntries& entries, std::uint32_t i, v8::Local<v8::Value> key, PyObject* copied, int depth) {
    std::uint32_t earlier = 0;
    v8::Local<v8::Value> earlier_key;
    PyRef earlier_copy;
    for (; earlier < i; ++earlier) {
      if (!entries.key(context_, earlier).ToLocal(&earlier_key)) break;
      earlier_copy = copy(earlier_key, depth + 1);
      if (earlier_copy && PyObject_RichCompareBool(earlier_copy.get(), copied, Py_EQ) == 1) break;
      PyErr_Clear();
    }
    PyErr_Clear();
    const KeyedWords& w = entries.words;
    if (earlier == i || !earlier_copy) {
      PyErr_Format(PyExc_ValueError,
                   "copy: the %s's %s %s (entry %u) is the same %s key as an earlier one (%s): a %s would keep %s, "
                   "so the %s is not copied; use its proxy instead",
                   w.js_type, w.key, js_text(key).c_str(), i + 1, w.python_type, python_text(copied).c_str(),
                   w.python_type, w.lost, w.js_type);
      return {};
    }
    PyErr_Format(PyExc_ValueError,
                 "copy: the %s's %ss %s and %s (entries %u and %u) are the same in Python (%s and %s): a %s would "
                 "keep %s, so the %s is not copied; use its proxy instead",
                 w.js_type, w.key, js_text(earlier_key).c_str(), js_text(key).c_str(), earlier + 1, i + 1,
                 python_text(earlier_copy.get()).c_str(), python_text(copied).c_str(), w.python_type, w.lost, w.js_type);
    return {};
  }

  // VALUE as JavaScript source would write it (1, true, 1n, "a", null), or what kind of object it is.
  std::string js_text(v8::Local<v8::Value> value) {
    if (value->IsSymbol()) return "a Symbol";
    if (value->IsObject()) return "a JavaScript " + v8_to_utf8(isolate_, value.As<v8::Object>()->GetConstructorName());
    if (value->IsBigInt()) return shortened(v8_to_utf8(isolate_, value)) + "n";
    v8::Local<v8::String> json;
    if (value->IsString()) {
      v8::TryCatch ignored(isolate_);
      if (v8::JSON::Stringify(context_, value).ToLocal(&json)) return shortened(v8_to_utf8(isolate_, json));
    }
    return shortened(v8_to_utf8(isolate_, value));
  }

  PyRef plain(v8::Local<v8::Object> object, int depth) {
    PyRef out = PyRef::steal(PyDict_New());
    if (!out) return {};
    remember(object, out);
    v8::Local<v8::Array> keys;
    if (!object->GetOwnPropertyNames(context_, v8::ONLY_ENUMERABLE, v8::KeyConversionMode::kConvertToString)
             .ToLocal(&keys)) {
      return fail();
    }
    for (std::uint32_t i = 0; i < keys->Length(); ++i) {
      v8::Local<v8::Value> key, item;
      if (!keys->Get(context_, i).ToLocal(&key) || !object->Get(context_, key).ToLocal(&item)) return fail();
      PyRef py_key = to_python(bridge_, context_, key);
      PyRef py_item = py_key ? copy(item, depth + 1) : PyRef();
      if (!py_item || PyDict_SetItem(out.get(), py_key.get(), py_item.get()) < 0) return {};
    }
    return out;
  }

  PyRef fail() {
    if (!PyErr_Occurred()) PyErr_SetString(PyExc_RuntimeError, "copy: a JavaScript property could not be read");
    return {};
  }

  Bridge& bridge_;
  v8::Local<v8::Context> context_;
  v8::Isolate* isolate_;
  std::unordered_multimap<int, std::pair<v8::Local<v8::Object>, PyRef>> seen_;
};

void release_lent_buffer(void*, std::size_t, void* data) {
  std::unique_ptr<LentBuffer> lent(static_cast<LentBuffer*>(data));
  if (auto queue = lent->queue.lock()) queue->release_later(std::move(lent));
  // else: the bridge is gone; the buffer stays exported until the process ends
}

}  // namespace

PyRef mapping_pairs(PyObject* mapping) {
  PyRef pairs = PyRef::steal(PyMapping_Items(mapping));  // PyDict_Items for an exact dict
  if (!pairs) return {};
  for (Py_ssize_t i = 0; i < PyList_GET_SIZE(pairs.get()); ++i) {
    PyObject* pair = PyList_GET_ITEM(pairs.get(), i);
    if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2) {
      PyErr_SetString(PyExc_TypeError, "the mapping's items() gave something other than (key, value) pairs");
      return {};
    }
  }
  return pairs;
}

v8::MaybeLocal<v8::Value> copy_to_js(Bridge& bridge, v8::Local<v8::Context> context, PyObject* object) {
  return ToJs(bridge, context).copy(object, 0);
}

PyRef copy_to_python(Bridge& bridge, v8::Local<v8::Context> context, v8::Local<v8::Value> value) {
  return ToPython(bridge, context).copy(value, 0);
}

v8::MaybeLocal<v8::Value> view_in_js(Bridge& bridge, v8::Local<v8::Context> context, PyObject* object) {
  if (!PyObject_CheckBuffer(object)) {
    PyErr_Format(PyExc_TypeError, "view: a %s does not lend its memory (no buffer protocol)", Py_TYPE(object)->tp_name);
    return {};
  }
  auto lent = std::make_unique<LentBuffer>();
  lent->queue = bridge.releases_weak();
  if (PyObject_GetBuffer(object, &lent->view, PyBUF_WRITABLE | PyBUF_FORMAT | PyBUF_C_CONTIGUOUS) < 0) {
    if (PyErr_ExceptionMatches(PyExc_BufferError)) {
      PyErr_Clear();
      PyErr_Format(PyExc_TypeError,
                   "view: this %s is read-only or not contiguous; JavaScript could write into a view, so use "
                   "copy() instead (a typed array with a copy of the data)",
                   Py_TYPE(object)->tp_name);
    }
    return {};
  }
  Py_buffer& view = lent->view;
  ArrayKind kind = ArrayKind::Uint8;
  const bool typed = array_kind(view.format, view.itemsize, kind);
  const std::size_t bytes = static_cast<std::size_t>(view.len);
  const std::size_t count = typed ? bytes / static_cast<std::size_t>(view.itemsize) : bytes;
  if (!typed) kind = ArrayKind::Uint8;  // other formats (structs, ...) as their bytes
  void* data = view.buf;
  std::unique_ptr<v8::BackingStore> store =
      v8::ArrayBuffer::NewBackingStore(data, bytes, release_lent_buffer, lent.release());
  v8::Local<v8::ArrayBuffer> buffer = v8::ArrayBuffer::New(context->GetIsolate(), std::move(store));
  return make_typed_array(buffer, kind, count);
}

}  // namespace polyhost
