"""The cffi adapter (ABI mode): native.h through libpolyhost_cabi.so, declared from bindings/c_abi.h.

Scalars go straight to the foreign functions; strings, arrays, the point and the callback need
the small wrappers a cffi user writes anyway. cffi raises TypeError for wrong types and counts.
"""
import array

from cffi import FFI

DECLARATIONS = """
typedef struct { double x, y; } polyhost_point;
void polyhost_noop(void);
int32_t polyhost_add_i32(int32_t a, int32_t b);
double polyhost_add_f64(double a, double b);
int64_t polyhost_str_len(const char* utf8, size_t size);
const char* polyhost_str_repeat(const char* utf8, size_t size, int32_t times);
double polyhost_sum_f64(const double* values, size_t count);
polyhost_point polyhost_make_point(double x, double y);
int64_t polyhost_call_back(int64_t (*fn)(int32_t), int32_t times);
"""


class CffiBinding:
    def __init__(self, path):
        self.ffi = FFI()
        self.ffi.cdef(DECLARATIONS)
        self.lib = self.ffi.dlopen(path)
        self.noop = self.lib.polyhost_noop
        self.add_i32 = self.lib.polyhost_add_i32
        self.add_f64 = self.lib.polyhost_add_f64

    def str_len(self, s):
        if not isinstance(s, str):
            raise TypeError("str_len() takes a str, not %s" % type(s).__name__)
        b = s.encode()
        return self.lib.polyhost_str_len(b, len(b))

    def str_repeat(self, s, k):
        if not isinstance(s, str):
            raise TypeError("str_repeat() takes a str, not %s" % type(s).__name__)
        b = s.encode()
        return self.ffi.string(self.lib.polyhost_str_repeat(b, len(b), k)).decode()

    def sum_f64(self, xs):
        if isinstance(xs, array.array) and xs.typecode == "d":  # zero copy: the array's own memory
            return self.lib.polyhost_sum_f64(self.ffi.from_buffer("double[]", xs), len(xs))
        if isinstance(xs, (list, tuple)):  # converted element by element
            return self.lib.polyhost_sum_f64(self.ffi.new("double[]", xs), len(xs))
        raise TypeError("sum_f64() takes a list, a tuple or array('d'), not %s" % type(xs).__name__)

    def make_point(self, x, y):
        p = self.lib.polyhost_make_point(x, y)
        return {"x": p.x, "y": p.y}

    def call_back(self, fn, k):
        if not callable(fn):
            raise TypeError("call_back() takes a callable, not %s" % type(fn).__name__)
        return self.lib.polyhost_call_back(self.ffi.callback("int64_t(int32_t)", fn), k)
