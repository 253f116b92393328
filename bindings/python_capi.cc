// The raw CPython C-API adapter: METH_NOARGS, METH_O and METH_FASTCALL functions.
#include <Python.h>

#include <string>
#include <vector>

#include "bindings/extensions_built.h"
#include "bindings/native.h"
#include "bindings/python_modules.h"

#if POLYHOST_HAVE_CYTHON
extern "C" PyObject* PyInit_polyhost_cython();  // cython3's translation of python_cython.pyx
#endif

namespace polyhost::bindings {
namespace {

bool expect_args(const char* name, Py_ssize_t given, Py_ssize_t wanted) {
  if (given == wanted) return true;
  PyErr_Format(PyExc_TypeError, "%s() takes %zd argument%s (%zd given)", name, wanted, wanted == 1 ? "" : "s", given);
  return false;
}

// An int that fits in 32 bits, or a TypeError / OverflowError.
bool as_i32(PyObject* value, const char* name, std::int32_t& out) {
  if (!PyLong_Check(value)) {
    PyErr_Format(PyExc_TypeError, "%s() takes 32-bit integers, not %s", name, Py_TYPE(value)->tp_name);
    return false;
  }
  long v = PyLong_AsLong(value);
  if (v == -1 && PyErr_Occurred()) return false;
  if (v < INT32_MIN || v > INT32_MAX) {
    PyErr_Format(PyExc_OverflowError, "%s(): %ld does not fit in 32 bits", name, v);
    return false;
  }
  out = static_cast<std::int32_t>(v);
  return true;
}

bool as_f64(PyObject* value, const char* name, double& out) {
  if (!PyFloat_Check(value) && !PyLong_Check(value)) {
    PyErr_Format(PyExc_TypeError, "%s() takes numbers, not %s", name, Py_TYPE(value)->tp_name);
    return false;
  }
  out = PyFloat_AsDouble(value);
  return !(out == -1.0 && PyErr_Occurred());
}

bool as_utf8(PyObject* value, const char* name, std::string_view& out) {
  if (!PyUnicode_Check(value)) {
    PyErr_Format(PyExc_TypeError, "%s() takes a str, not %s", name, Py_TYPE(value)->tp_name);
    return false;
  }
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(value, &size);
  if (!data) return false;
  out = std::string_view(data, static_cast<size_t>(size));
  return true;
}

PyObject* noop(PyObject*, PyObject*) {
  native::noop();
  Py_RETURN_NONE;
}

PyObject* add_i32(PyObject*, PyObject* const* args, Py_ssize_t nargs) {
  std::int32_t a, b;
  if (!expect_args("add_i32", nargs, 2) || !as_i32(args[0], "add_i32", a) || !as_i32(args[1], "add_i32", b)) return nullptr;
  return PyLong_FromLong(native::add_i32(a, b));
}

PyObject* add_f64(PyObject*, PyObject* const* args, Py_ssize_t nargs) {
  double a, b;
  if (!expect_args("add_f64", nargs, 2) || !as_f64(args[0], "add_f64", a) || !as_f64(args[1], "add_f64", b)) return nullptr;
  return PyFloat_FromDouble(native::add_f64(a, b));
}

PyObject* str_len(PyObject*, PyObject* arg) {
  std::string_view s;
  if (!as_utf8(arg, "str_len", s)) return nullptr;
  return PyLong_FromLongLong(native::str_len(s));
}

PyObject* str_repeat(PyObject*, PyObject* const* args, Py_ssize_t nargs) {
  std::string_view s;
  std::int32_t k;
  if (!expect_args("str_repeat", nargs, 2) || !as_utf8(args[0], "str_repeat", s) || !as_i32(args[1], "str_repeat", k)) {
    return nullptr;
  }
  std::string out = native::str_repeat(s, k);
  return PyUnicode_DecodeUTF8(out.data(), static_cast<Py_ssize_t>(out.size()), "strict");
}

// A buffer of doubles (array('d'), memoryview) is read in place; a list or tuple element by element.
PyObject* sum_f64(PyObject*, PyObject* arg) {
  if (PyObject_CheckBuffer(arg)) {
    Py_buffer view;
    if (PyObject_GetBuffer(arg, &view, PyBUF_FORMAT | PyBUF_C_CONTIGUOUS) < 0) return nullptr;
    bool doubles = view.format && std::string(view.format) == "d" && view.itemsize == sizeof(double);
    double total = doubles ? native::sum_f64(static_cast<const double*>(view.buf), static_cast<size_t>(view.len) / sizeof(double)) : 0;
    PyBuffer_Release(&view);
    if (!doubles) {
      PyErr_SetString(PyExc_TypeError, "sum_f64() takes a buffer of doubles (format 'd'), a list or a tuple");
      return nullptr;
    }
    return PyFloat_FromDouble(total);
  }
  if (!PyList_Check(arg) && !PyTuple_Check(arg)) {
    PyErr_Format(PyExc_TypeError, "sum_f64() takes a list, a tuple or a buffer of doubles, not %s", Py_TYPE(arg)->tp_name);
    return nullptr;
  }
  PyObject* items = PySequence_Fast(arg, "sum_f64() takes a sequence");
  if (!items) return nullptr;
  Py_ssize_t n = PySequence_Fast_GET_SIZE(items);
  std::vector<double> values(static_cast<size_t>(n));
  for (Py_ssize_t i = 0; i < n; ++i) {
    if (!as_f64(PySequence_Fast_GET_ITEM(items, i), "sum_f64", values[static_cast<size_t>(i)])) {
      Py_DECREF(items);
      return nullptr;
    }
  }
  Py_DECREF(items);
  return PyFloat_FromDouble(native::sum_f64(values.data(), values.size()));
}

PyObject* make_point(PyObject*, PyObject* const* args, Py_ssize_t nargs) {
  double x, y;
  if (!expect_args("make_point", nargs, 2) || !as_f64(args[0], "make_point", x) || !as_f64(args[1], "make_point", y)) {
    return nullptr;
  }
  native::Point p = native::make_point(x, y);
  return Py_BuildValue("{sdsd}", "x", p.x, "y", p.y);
}

PyObject* call_back(PyObject*, PyObject* const* args, Py_ssize_t nargs) {
  std::int32_t k;
  if (!expect_args("call_back", nargs, 2)) return nullptr;
  if (!PyCallable_Check(args[0])) {
    PyErr_Format(PyExc_TypeError, "call_back() takes a callable, not %s", Py_TYPE(args[0])->tp_name);
    return nullptr;
  }
  if (!as_i32(args[1], "call_back", k)) return nullptr;
  PyObject* fn = args[0];
  bool failed = false;
  std::int64_t total = native::call_back(
      [&](std::int32_t i) -> std::int64_t {
        if (failed) return 0;
        PyObject* arg = PyLong_FromLong(i);
        PyObject* result = arg ? PyObject_CallOneArg(fn, arg) : nullptr;
        Py_XDECREF(arg);
        long long value = result ? PyLong_AsLongLong(result) : -1;
        Py_XDECREF(result);
        if (!result || (value == -1 && PyErr_Occurred())) failed = true;
        return value;
      },
      k);
  if (failed) return nullptr;
  return PyLong_FromLongLong(total);
}

PyMethodDef methods[] = {
    {"noop", noop, METH_NOARGS, "Does nothing."},
    {"add_i32", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(add_i32)), METH_FASTCALL, "a + b in 32 bits."},
    {"add_f64", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(add_f64)), METH_FASTCALL, "a + b."},
    {"str_len", str_len, METH_O, "Length of s in UTF-8 bytes."},
    {"str_repeat", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(str_repeat)), METH_FASTCALL, "s * k."},
    {"sum_f64", sum_f64, METH_O, "Sum of a list, tuple or buffer of doubles."},
    {"make_point", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(make_point)), METH_FASTCALL, "{'x': x, 'y': y}."},
    {"call_back", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(call_back)), METH_FASTCALL, "sum(fn(i) for i in range(k))."},
    {nullptr, nullptr, 0, nullptr},
};

PyModuleDef module_def = {PyModuleDef_HEAD_INIT, "polyhost_capi", "native.h through the raw CPython C-API", -1, methods,
                          nullptr, nullptr, nullptr, nullptr};

PyObject* init_capi() { return PyModule_Create(&module_def); }

}  // namespace

PyObject* init_pybind11_module();  // python_pybind11.cc

void register_python_binding_modules() {
  PyImport_AppendInittab("polyhost_capi", init_capi);
  PyImport_AppendInittab("polyhost_pybind11", init_pybind11_module);
#if POLYHOST_HAVE_CYTHON
  PyImport_AppendInittab("polyhost_cython", PyInit_polyhost_cython);
#endif
}

}  // namespace polyhost::bindings
