"""The ctypes adapter: native.h through libpolyhost_cabi.so (bindings/c_abi.h).

Scalars go straight to the foreign functions (argtypes/restype set); strings, arrays, the point
and the callback need the small wrappers below, the code a ctypes user writes anyway. ctypes
reports a wrong argument type as ctypes.ArgumentError, too few arguments as TypeError, and passes
too many on without complaint (argtypes are a minimum): raw ctypes is what is measured, so these
gaps are left as ctypes has them.
"""
import array
import ctypes


class Point(ctypes.Structure):
    _fields_ = [("x", ctypes.c_double), ("y", ctypes.c_double)]


CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int64, ctypes.c_int32)


class CtypesBinding:
    def __init__(self, path):
        lib = ctypes.CDLL(path)

        def fn(name, restype, *argtypes):
            f = getattr(lib, "polyhost_" + name)
            f.restype = restype
            f.argtypes = list(argtypes)
            return f

        self.noop = fn("noop", None)
        self.add_i32 = fn("add_i32", ctypes.c_int32, ctypes.c_int32, ctypes.c_int32)
        self.add_f64 = fn("add_f64", ctypes.c_double, ctypes.c_double, ctypes.c_double)
        self._str_len = fn("str_len", ctypes.c_int64, ctypes.c_char_p, ctypes.c_size_t)
        self._str_repeat = fn("str_repeat", ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int32)
        self._sum_f64 = fn("sum_f64", ctypes.c_double, ctypes.POINTER(ctypes.c_double), ctypes.c_size_t)
        self._make_point = fn("make_point", Point, ctypes.c_double, ctypes.c_double)
        self._call_back = fn("call_back", ctypes.c_int64, CALLBACK, ctypes.c_int32)

    def str_len(self, s):
        if not isinstance(s, str):
            raise TypeError("str_len() takes a str, not %s" % type(s).__name__)
        b = s.encode()
        return self._str_len(b, len(b))

    def str_repeat(self, s, k):
        if not isinstance(s, str):
            raise TypeError("str_repeat() takes a str, not %s" % type(s).__name__)
        b = s.encode()
        return self._str_repeat(b, len(b), k).decode()

    def sum_f64(self, xs):
        if isinstance(xs, array.array) and xs.typecode == "d":  # zero copy: a view of the array's memory
            n = len(xs)
            return self._sum_f64((ctypes.c_double * n).from_buffer(xs), n) if n else 0.0
        if isinstance(xs, (list, tuple)):  # converted element by element
            return self._sum_f64((ctypes.c_double * len(xs))(*xs), len(xs))
        raise TypeError("sum_f64() takes a list, a tuple or array('d'), not %s" % type(xs).__name__)

    def make_point(self, x, y):
        p = self._make_point(x, y)
        return {"x": p.x, "y": p.y}

    def call_back(self, fn, k):
        if not callable(fn):
            raise TypeError("call_back() takes a callable, not %s" % type(fn).__name__)
        return self._call_back(CALLBACK(fn), k)
