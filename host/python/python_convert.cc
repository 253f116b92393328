#include "host/python/python_convert.h"

#include <stdexcept>

#include "host/script_error.h"

namespace polyhost {
namespace {

constexpr int kMaxDepth = 200;

std::string utf8(PyObject* str) {
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(str, &size);
  if (!data) {  // lone surrogates cannot be encoded
    PyErr_Clear();
    throw ConversionError("a string is not valid Unicode (it holds a lone surrogate)");
  }
  return std::string(data, static_cast<size_t>(size));
}

std::string type_name(PyObject* object) { return Py_TYPE(object)->tp_name; }

Value convert(PyObject* object, const std::string& where, int depth) {
  if (depth > kMaxDepth) throw ConversionError(where + " is nested more than 200 levels deep (a cycle?)");
  if (object == Py_None) return Value();
  if (PyBool_Check(object)) return Value(object == Py_True);
  if (PyLong_Check(object)) {
    int overflow = 0;
    long long i = PyLong_AsLongLongAndOverflow(object, &overflow);
    if (overflow) throw ConversionError(where + " is an int that does not fit in 64 bits");
    return Value(static_cast<std::int64_t>(i));
  }
  if (PyFloat_Check(object)) return Value(PyFloat_AS_DOUBLE(object));
  if (PyUnicode_Check(object)) return Value(utf8(object));
  if (PyList_Check(object) || PyTuple_Check(object)) {
    PyRef items = PyRef::steal(PySequence_Fast(object, "not a sequence"));
    Py_ssize_t n = PySequence_Fast_GET_SIZE(items.get());
    Value::Array out;
    out.reserve(static_cast<size_t>(n));
    for (Py_ssize_t i = 0; i < n; ++i) {
      out.push_back(convert(PySequence_Fast_GET_ITEM(items.get(), i), where + "[" + std::to_string(i) + "]", depth + 1));
    }
    return Value(std::move(out));
  }
  if (PyDict_Check(object)) {
    Value::Map out;
    PyObject *key, *item;
    Py_ssize_t pos = 0;
    while (PyDict_Next(object, &pos, &key, &item)) {
      if (!PyUnicode_Check(key)) {
        throw ConversionError(where + " has a key of type " + type_name(key) + "; only str keys are JSON-like");
      }
      std::string name = utf8(key);
      out.emplace(name, convert(item, where + "['" + name + "']", depth + 1));
    }
    return Value(std::move(out));
  }
  throw ConversionError(where + " is a " + type_name(object) + ", which is not JSON-like");
}

}  // namespace

Value to_value(PyObject* object, const std::string& where) { return convert(object, where, 0); }

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
