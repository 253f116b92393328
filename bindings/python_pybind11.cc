// The pybind11 adapter: the same functions, declared the pybind11 way.
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <string>

#include "bindings/native.h"

namespace py = pybind11;

namespace polyhost::bindings {

namespace {

void define(py::module_& m) {
  m.doc() = "native.h through pybind11";
  m.def("noop", &native::noop);
  m.def("add_i32", &native::add_i32, py::arg("a"), py::arg("b"));
  m.def("add_f64", &native::add_f64, py::arg("a"), py::arg("b"));
  m.def("str_len", [](std::string_view s) { return native::str_len(s); }, py::arg("s"));
  m.def("str_repeat", [](std::string_view s, std::int32_t k) { return native::str_repeat(s, k); }, py::arg("s"), py::arg("k"));
  // Overloads are tried in order: a buffer of doubles in place first, then any sequence converted.
  m.def("sum_f64", [](py::buffer b) {
    py::buffer_info info = b.request();
    if (info.format != py::format_descriptor<double>::format() || info.ndim != 1 || info.strides[0] != sizeof(double)) {
      throw py::type_error("sum_f64() takes a contiguous buffer of doubles (format 'd')");
    }
    return native::sum_f64(static_cast<const double*>(info.ptr), static_cast<size_t>(info.shape[0]));
  }, py::arg("xs"));
  m.def("sum_f64", [](const std::vector<double>& xs) { return native::sum_f64(xs.data(), xs.size()); }, py::arg("xs"));
  m.def("make_point", [](double x, double y) {
    native::Point p = native::make_point(x, y);
    py::dict d;
    d["x"] = p.x;
    d["y"] = p.y;
    return d;
  }, py::arg("x"), py::arg("y"));
  m.def("call_back", [](const py::function& fn, std::int32_t k) {
    return native::call_back([&](std::int32_t i) { return fn(i).cast<std::int64_t>(); }, k);
  }, py::arg("fn"), py::arg("k"));
}

}  // namespace

PyObject* init_pybind11_module() {
  static PyModuleDef def;
  try {
    auto m = py::module_::create_extension_module("polyhost_pybind11", nullptr, &def);
    define(m);
    return m.release().ptr();
  } catch (py::error_already_set& e) {
    e.restore();
  } catch (const std::exception& e) {
    PyErr_SetString(PyExc_ImportError, e.what());
  }
  return nullptr;
}

}  // namespace polyhost::bindings
