#include "host/python/python_convert.h"

#include <cmath>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "host/script_error.h"
#include "host/value_path.h"

namespace polyhost {
namespace {

std::string type_name(PyObject* object) { return Py_TYPE(object)->tp_name; }

// Whether polyhost.copy makes a list or dict of PROXY (an Array, Map or plain object), rather than
// a set, bytes, or the same proxy (a Date, a class instance, ...). Asked only for a result that is
// refused anyway; a copy that fails counts as no.
bool copied_to_list_or_dict(PyObject* proxy) {
  PyObject* type = nullptr;
  PyObject* value = nullptr;
  PyObject* traceback = nullptr;
  PyErr_Fetch(&type, &value, &traceback);
  bool plain = false;
  {
    PyRef module = PyRef::steal(PyImport_ImportModule("polyhost"));
    PyRef copy = module ? PyRef::steal(PyObject_CallMethod(module.get(), "copy", "O", proxy)) : PyRef();
    plain = copy && (PyList_Check(copy.get()) || PyDict_Check(copy.get()));
  }
  PyErr_Clear();
  PyErr_Restore(type, value, traceback);
  return plain;
}

// Python -> Value, remembering where it is (for messages) and which containers enclose the current
// one (to tell a cycle from a merely deep value).
class PythonToValue {
 public:
  explicit PythonToValue(const std::string& root) : path_(root, ValuePath::Style::Python) {}

  Value convert(PyObject* object) {
    if (object == Py_None) return Value();
    if (PyBool_Check(object)) return Value(object == Py_True);
    if (PyLong_Check(object)) return integer(object);
    if (PyFloat_Check(object)) return number(PyFloat_AS_DOUBLE(object));
    if (PyUnicode_Check(object)) return Value(std::string(utf8(object, false)));
    if (PyList_Check(object) || PyTuple_Check(object)) {
      EnclosingScope<PyObject*> enter(enclosing_, path_, object);
      return sequence(object);
    }
    if (PyDict_Check(object)) {
      EnclosingScope<PyObject*> enter(enclosing_, path_, object);
      return dict(object);
    }
    const std::string name = type_name(object);
    // The bridge's proxies of JavaScript values (host/bridge/js_object_proxy.cc names the types).
    if (name == "polyhost.JSFunction") fail("is a polyhost.JSFunction (a live JavaScript function), which is not JSON-like");
    if (name.rfind("polyhost.JS", 0) == 0) {
      fail("is a " + name + ", a live JavaScript value (a proxy, not a copy), which is not JSON-like: " +
           (copied_to_list_or_dict(object) ? "polyhost.copy(x) makes a plain copy of it"
                                           : "run() must convert it to JSON-like values (numbers, strings, lists, dicts)"));
    }
    fail(std::string(std::string("AEIOUaeiou").find(name[0]) != std::string::npos ? "is an " : "is a ") + name +
         ", which is not JSON-like");
  }

 private:
  [[noreturn]] void fail(const std::string& what) const { throw ConversionError(path_.str() + " " + what); }

  Value integer(PyObject* object) const {
    int overflow = 0;
    long long i = PyLong_AsLongLongAndOverflow(object, &overflow);
    if (i == -1 && PyErr_Occurred()) {
      PyErr_Clear();
      fail("is an int that could not be read");
    }
    if (overflow || i > kMaxExactInteger || i < -kMaxExactInteger) {
      fail("is an int beyond \u00b12^53" + (overflow ? std::string() : " (" + std::to_string(i) + ")") +
           "; return it as a string, str(x), since JS numbers cannot hold it exactly");
    }
    return Value(static_cast<std::int64_t>(i));
  }

  Value number(double d) const {
    if (std::isnan(d)) fail("is NaN, which JSON cannot represent");
    if (std::isinf(d)) fail(std::string("is ") + (d > 0 ? "Infinity" : "-Infinity") + ", which JSON cannot represent");
    return Value(d);
  }

  // The UTF-8 of a str; one holding a surrogate code point, which UTF-8 cannot hold, is refused.
  std::string_view utf8(PyObject* str, bool is_key) const {
    Py_ssize_t size = 0;
    const char* data = PyUnicode_AsUTF8AndSize(str, &size);
    if (data) return std::string_view(data, static_cast<std::size_t>(size));
    PyErr_Clear();
    const Py_ssize_t length = PyUnicode_GET_LENGTH(str);
    for (Py_ssize_t i = 0; i < length; ++i) {
      Py_UCS4 c = PyUnicode_READ_CHAR(str, i);
      if (c >= 0xD800 && c <= 0xDFFF) {
        fail(std::string(is_key ? "has a key" : "is a string") + " with a lone surrogate (" + code_unit_name(c) + " at index " +
             std::to_string(i) + "), not valid Unicode");
      }
    }
    fail(std::string(is_key ? "has a key" : "is a string") + " that cannot be encoded as UTF-8");
  }

  Value sequence(PyObject* object) {
    const bool is_list = PyList_Check(object);
    const Py_ssize_t n = is_list ? PyList_GET_SIZE(object) : PyTuple_GET_SIZE(object);
    Value::Array out;
    out.reserve(static_cast<std::size_t>(n));
    for (Py_ssize_t i = 0; i < n; ++i) {
      ValuePathStep step(path_, static_cast<std::size_t>(i));
      out.push_back(convert(is_list ? PyList_GET_ITEM(object, i) : PyTuple_GET_ITEM(object, i)));
    }
    return Value(std::move(out));
  }

  Value dict(PyObject* object) {
    Value::Map out;
    PyObject *key, *item;
    Py_ssize_t pos = 0;
    while (PyDict_Next(object, &pos, &key, &item)) {
      if (!PyUnicode_Check(key)) fail("has a key of type " + type_name(key) + "; only str keys are JSON-like");
      std::string_view name = utf8(key, true);
      ValuePathStep step(path_, name);
      Value converted = convert(item);
      out.emplace(std::string(name), std::move(converted));
    }
    return Value(std::move(out));
  }

  ValuePath path_;
  std::vector<PyObject*> enclosing_;
};

}  // namespace

Value to_value(PyObject* object, const std::string& where) { return PythonToValue(where).convert(object); }

PyRef from_value(const Value& value) {
  PyRef out;
  if (value.is_null()) {
    out = PyRef::borrow(Py_None);
  } else if (value.is_bool()) {
    out = PyRef::borrow(value.as_bool() ? Py_True : Py_False);
  } else if (value.is_int()) {
    out = PyRef::steal(PyLong_FromLongLong(value.as_int()));
  } else if (value.is_double()) {
    out = PyRef::steal(PyFloat_FromDouble(value.as_double()));
  } else if (value.is_string()) {
    const auto& s = value.as_string();
    out = PyRef::steal(PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "replace"));
  } else if (value.is_array()) {
    const auto& items = value.as_array();
    out = PyRef::steal(PyList_New(static_cast<Py_ssize_t>(items.size())));
    if (out) {
      for (size_t i = 0; i < items.size(); ++i) {
        PyList_SET_ITEM(out.get(), static_cast<Py_ssize_t>(i), from_value(items[i]).release());  // steals
      }
    }
  } else {
    out = PyRef::steal(PyDict_New());
    if (out) {
      for (const auto& [key, item] : value.as_map()) {
        PyRef k = PyRef::steal(PyUnicode_DecodeUTF8(key.data(), static_cast<Py_ssize_t>(key.size()), "replace"));
        PyRef v = from_value(item);
        if (!k || PyDict_SetItem(out.get(), k.get(), v.get()) < 0) out = PyRef();
        if (!out) break;
      }
    }
  }
  if (!out) {
    PyErr_Clear();
    throw std::runtime_error("Python could not allocate a " + std::string(value.type_name()));
  }
  return out;
}

}  // namespace polyhost
