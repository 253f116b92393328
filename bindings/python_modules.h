// Python adapters: native.h as the built-in modules polyhost_capi (the raw CPython C-API),
// polyhost_pybind11 (pybind11) and, when cython3 was there at build time, polyhost_cython
// (python_cython.pyx). Wrong argument counts or types raise Python's TypeError.
#pragma once

namespace polyhost::bindings {

// Adds these modules to the interpreter's built-in module table. Call before the interpreter
// starts (PythonInterpreter's constructor); importing them afterwards needs no file.
void register_python_binding_modules();

}  // namespace polyhost::bindings
