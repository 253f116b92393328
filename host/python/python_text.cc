#include "host/python/python_text.h"

namespace polyhost {

namespace {

std::string utf8_with(PyObject* text, const char* errors) {
  if (!text || !PyUnicode_Check(text)) return {};
  PyRef bytes = PyRef::steal(PyUnicode_AsEncodedString(text, "utf-8", errors));
  if (!bytes) {
    PyErr_Clear();
    return "<unprintable>";
  }
  return std::string(PyBytes_AS_STRING(bytes.get()), static_cast<std::size_t>(PyBytes_GET_SIZE(bytes.get())));
}

}  // namespace

std::string utf8_of_python_text(PyObject* text) { return utf8_with(text, "surrogatepass"); }

std::string printable_utf8_of_python_text(PyObject* text) { return utf8_with(text, "backslashreplace"); }

PyRef python_text_of_utf8(const std::string& text) {
  return PyRef::steal(PyUnicode_DecodeUTF8(text.data(), static_cast<Py_ssize_t>(text.size()), "surrogatepass"));
}

}  // namespace polyhost
