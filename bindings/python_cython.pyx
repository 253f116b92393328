# cython: language_level=3
"""The Cython adapter: native.h as the module polyhost_cython, written as a Cython user writes it
(typed def functions, C++ types from libcpp, a typed memoryview for buffers). cython3 translates
it to C++ at build time (bindings/extensions.cmake) and it is built into polyhost as a built-in
module of the embedded CPython, like polyhost_capi and polyhost_pybind11. Wrong argument counts
or types raise TypeError, as Cython's own argument conversion does.
"""

from libc.stdint cimport int32_t, int64_t
from libcpp.string cimport string
from libcpp.vector cimport vector
from cpython.buffer cimport PyObject_CheckBuffer
from cpython.object cimport PyObject
from cpython.ref cimport Py_INCREF, Py_XDECREF

cdef extern from "<string_view>":
    cdef cppclass string_view "std::string_view":
        string_view()
        string_view(const char*, size_t)

cdef extern from "Python.h":
    # Borrows the str's own cached UTF-8 (no copy), as the C-API adapter does.
    const char* PyUnicode_AsUTF8AndSize(object, Py_ssize_t*) except NULL

cdef extern from "bindings/native.h":
    ctypedef struct Point "polyhost::native::Point":
        double x
        double y
    void native_noop "polyhost::native::noop" ()
    int32_t native_add_i32 "polyhost::native::add_i32" (int32_t, int32_t)
    double native_add_f64 "polyhost::native::add_f64" (double, double)
    int64_t native_str_len "polyhost::native::str_len" (string_view)
    string native_str_repeat "polyhost::native::str_repeat" (string_view, int32_t) except +
    double native_sum_f64 "polyhost::native::sum_f64" (const double*, size_t)
    Point native_make_point "polyhost::native::make_point" (double, double)

cdef extern from "bindings/python_cython_callback.h":
    cdef cppclass ContextCallback "polyhost::bindings::ContextCallback":
        ContextCallback()
        ContextCallback(int64_t (*)(void*, int32_t), void*)
    int64_t native_call_back "polyhost::native::call_back" (ContextCallback, int32_t)


def noop():
    native_noop()


def add_i32(int32_t a, int32_t b):
    return native_add_i32(a, b)


def add_f64(double a, double b):
    return native_add_f64(a, b)


def str_len(str s not None):
    cdef Py_ssize_t size
    cdef const char* data = PyUnicode_AsUTF8AndSize(s, &size)
    return native_str_len(string_view(data, size))


def str_repeat(str s not None, int32_t times):
    cdef Py_ssize_t size
    cdef const char* data = PyUnicode_AsUTF8AndSize(s, &size)
    cdef string out = native_str_repeat(string_view(data, size), times)
    return out.decode("utf-8")


def sum_f64(xs):
    """A buffer of doubles (array('d')) is read in place; a list or tuple element by element."""
    cdef vector[double] values
    cdef const double[::1] view
    if isinstance(xs, (list, tuple)):
        values = xs
        return native_sum_f64(values.data(), values.size())
    if not PyObject_CheckBuffer(xs):
        raise TypeError("sum_f64() takes a list, a tuple or a buffer of doubles, not %s" % type(xs).__name__)
    view = xs  # ValueError unless the buffer holds contiguous doubles
    if view.shape[0] == 0:
        return 0.0
    return native_sum_f64(&view[0], view.shape[0])


def make_point(double x, double y):
    cdef Point p = native_make_point(x, y)
    return {"x": p.x, "y": p.y}


cdef struct CallbackState:
    PyObject* fn     # borrowed: call_back's own argument, alive for the whole call
    PyObject* error  # owned: what fn raised; once set, the remaining calls are skipped


cdef int64_t call_python(void* context, int32_t i):
    cdef CallbackState* state = <CallbackState*>context
    if state.error != NULL:
        return 0
    try:
        return (<object>state.fn)(i)
    except BaseException as e:
        Py_INCREF(e)
        state.error = <PyObject*>e
        return 0


def call_back(fn, int32_t times):
    if not callable(fn):
        raise TypeError("call_back() takes a callable, not %s" % type(fn).__name__)
    cdef CallbackState state
    state.fn = <PyObject*>fn
    state.error = NULL
    cdef int64_t total = native_call_back(ContextCallback(call_python, &state), times)
    if state.error != NULL:
        error = <object>state.error
        Py_XDECREF(state.error)
        raise error
    return total
