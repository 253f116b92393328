"""The Python side of `polyhost overhead`: calibrated loops of calls to one binding.

For every case there are two loops: one with the call, one doing the same work around it
without the call. The cost of a call is (time(call loop) - time(empty loop)) / n, with n doubled
until the call loop takes the target time. The function under test is bound to a local first
(f = lib.add_i32), as performance-minded Python does, so attribute lookup is not measured.

The rule every pair follows: the empty loop is the call loop with the call taken out, and nothing
else changed. It computes the same arguments where the call loop computes them (i & 1023), reads
what the call loop reads from the result (["x"], len()), and adds to acc a value of the type the
call returns, from a local or a constant: CPython 3.11 has fast paths for int + int and
float + float but not for float + int, which costs about 17 ns more, so an empty loop that adds an
int where the call loop adds a float (or does one addition more) is subtracted from every call.
Where the type depends on the binding, the empty loop adds what one untimed call through it
returned (RETURNED): make_point's x is the int i the pure function was given but a float from the
natives, and py->js gives JavaScript's integral 1008 to Python as an int.
"""
import array
import os
import sys
import time

TEXT = "polyhost \u2713 12345"  # 16 code points, 18 UTF-8 bytes
LIST = [i * 0.5 for i in range(64)]
TYPED = array.array("d", LIST)


def back(i):
    return i


class Pure:
    """The same functions in plain Python: the baseline."""

    @staticmethod
    def noop():
        pass

    @staticmethod
    def add_i32(a, b):
        # Wraps around as int32 does, as cheaply as Python can: two comparisons in the common case
        # (a modulo on every call would cost more than the addition and make native calls look cheap).
        s = a + b
        if s > 0x7FFFFFFF or s < -0x80000000:
            return (s + 0x80000000) % 0x100000000 - 0x80000000
        return s

    @staticmethod
    def add_f64(a, b):
        return a + b

    @staticmethod
    def str_len(s):
        return len(s.encode())

    @staticmethod
    def str_repeat(s, k):
        return s * k

    @staticmethod
    def sum_f64(xs):
        t = 0.0
        for x in xs:
            t += x
        return t

    @staticmethod
    def make_point(x, y):
        return {"x": x, "y": y}

    @staticmethod
    def call_back(fn, k):
        t = 0
        for i in range(k):
            t += fn(i)
        return t


def noop_call(lib, n):
    f = lib.noop
    acc = 0
    for i in range(n):
        f()
        acc += i
    return acc


def noop_empty(lib, n):
    acc = 0
    for i in range(n):
        acc += i
    return acc


def add_i32_call(lib, n):
    f = lib.add_i32
    acc = 0
    for i in range(n):
        acc += f(i & 1023, 7)
    return acc


def add_i32_empty(lib, n):
    acc = 0
    for i in range(n):
        acc += i & 1023
    return acc


def add_f64_call(lib, n):
    f = lib.add_f64
    acc = 0.0
    for i in range(n):
        acc += f(i, 0.5)
    return acc


def add_f64_empty(lib, n):
    h = 0.5  # a float, as the call returns
    acc = 0.0
    for i in range(n):
        acc += h
    return acc


def str_len_call(lib, n):
    f = lib.str_len
    acc = 0
    for _ in range(n):
        acc += f(TEXT)
    return acc


def str_len_empty(lib, n):
    acc = 0
    for _ in range(n):
        acc += 18
    return acc


def str_repeat_call(lib, n):
    f = lib.str_repeat
    acc = 0
    for _ in range(n):
        acc += len(f(TEXT, 3))
    return acc


def str_repeat_empty(lib, n):
    acc = 0
    for _ in range(n):
        acc += len(TEXT)
    return acc


# What one call of the case returns through the binding being measured, of the type its call loop
# adds to acc: measure() sets RETURNED[case] from it before it times anything, and the empty loop
# adds that, loaded from a local (a dict's ["x"] for make_point) as the call loop loads its argument.
RETURNED_BY = {
    "sum_f64_array": lambda lib: lib.sum_f64(LIST),
    "sum_f64_typed": lambda lib: getattr(lib, "sum_f64_typed", lib.sum_f64)(getattr(lib, "TYPED", TYPED)),
    "make_point": lambda lib: lib.make_point(0, 1.0)["x"],
}
RETURNED = {}


def sum_list_call(lib, n):
    f, xs = lib.sum_f64, LIST
    acc = 0.0
    for _ in range(n):
        acc += f(xs)
    return acc


def sum_list_empty(lib, n):
    xs = RETURNED.get("sum_f64_array", 0.5)
    acc = 0.0
    for _ in range(n):
        acc += xs
    return acc


def sum_typed_call(lib, n):
    # A binding may have its own typed-array function and argument (py->js: a view of TYPED).
    f, xs = getattr(lib, "sum_f64_typed", lib.sum_f64), getattr(lib, "TYPED", TYPED)
    acc = 0.0
    for _ in range(n):
        acc += f(xs)
    return acc


def sum_typed_empty(lib, n):
    xs = RETURNED.get("sum_f64_typed", 0.5)
    acc = 0.0
    for _ in range(n):
        acc += xs
    return acc


def make_point_call(lib, n):
    f = lib.make_point
    acc = 0.0
    for i in range(n):
        acc += f(i, 1.0)["x"]
    return acc


def make_point_empty(lib, n):
    point = {"x": RETURNED.get("make_point", 0.0), "y": 1.0}
    acc = 0.0
    for i in range(n):
        acc += point["x"]
    return acc


def call_back_call(lib, n):
    f = lib.call_back
    acc = 0
    for _ in range(n):
        acc += f(back, 10)
    return acc


def call_back_empty(lib, n):
    acc = 0
    for _ in range(n):
        acc += 45
    return acc


LOOPS = {
    "noop": (noop_call, noop_empty),
    "add_i32": (add_i32_call, add_i32_empty),
    "add_f64": (add_f64_call, add_f64_empty),
    "str_len": (str_len_call, str_len_empty),
    "str_repeat": (str_repeat_call, str_repeat_empty),
    "sum_f64_array": (sum_list_call, sum_list_empty),
    "sum_f64_typed": (sum_typed_call, sum_typed_empty),
    "make_point": (make_point_call, make_point_empty),
    "call_back": (call_back_call, call_back_empty),
}

EXPECTED = {
    "add_i32": [
        (lambda lib: lib.add_i32(2147483647, 1), -2147483648),
        (lambda lib: lib.add_i32(-2147483648, -1), 2147483647),
        (lambda lib: lib.add_i32(-5, 3), -2),
    ],
    "add_f64": [(lambda lib: lib.add_f64(0.25, 0.5), 0.75)],
    "str_len": [(lambda lib: lib.str_len(TEXT), 18)],
    "str_repeat": [(lambda lib: lib.str_repeat("ab", 3), "ababab")],
    "sum_f64_array": [(lambda lib: lib.sum_f64(LIST), 1008.0)],
    "sum_f64_typed": [(lambda lib: getattr(lib, "sum_f64_typed", lib.sum_f64)(getattr(lib, "TYPED", TYPED)), 1008.0)],
    "make_point": [(lambda lib: lib.make_point(1.5, -2.0), {"x": 1.5, "y": -2.0})],
    "call_back": [(lambda lib: lib.call_back(back, 10), 45)],
}

sink = 0


def timed(loop, lib, n):
    global sink
    start = time.perf_counter_ns()
    sink += loop(lib, n)
    return time.perf_counter_ns() - start


def calibrate(call, empty, lib, target_ns):
    """Calls per loop, found as bench.js's calibrate() finds them (and why)."""
    n = 16
    while n < 2**30:
        timed(empty, lib, n)
        if timed(call, lib, n) >= target_ns and timed(call, lib, n) >= target_ns / 2:
            break
        n *= 2
    return n


def measure(name, lib, target_ns, repeats):
    call, empty = LOOPS[name]
    if name in RETURNED_BY:
        RETURNED[name] = RETURNED_BY[name](lib)  # one call, untimed: what the empty loop adds
    n = calibrate(call, empty, lib, target_ns)
    # No fixed warm-up: every pair of loops is a sample, in order, and polyhost finds where the series
    # is steady (host/overhead/overhead_runner.cc).
    ns = []
    for _ in range(repeats):
        with_call = timed(call, lib, n)
        without = timed(empty, lib, n)
        ns.append((with_call - without) / n)
    return {"n": n, "ns": ns}


def binding(config):
    name = config["binding"]
    if name == "py":
        return Pure
    if name == "capi":
        import polyhost_capi
        return polyhost_capi
    if name == "pybind11":
        import polyhost_pybind11
        return polyhost_pybind11
    if name == "cython":
        import polyhost_cython
        return polyhost_cython
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    if name == "ctypes":
        from python_ctypes import CtypesBinding
        return CtypesBinding(config["cabi_path"])
    if name == "cffi":
        from python_cffi import CffiBinding  # ImportError when cffi is not installed: see run()
        return CffiBinding(config["cabi_path"])
    if name == "py->js":
        from python_bridge import BridgeBinding
        return BridgeBinding(TYPED)
    raise ValueError("unknown Python binding %r" % name)


def run(config):
    try:
        lib = binding(config)
    except ImportError as e:
        where = config.get("runtime", "the embedded CPython")
        return {"cases": {}, "errors": {}, "unavailable": "cannot import it in %s: %s" % (where, e)}
    cases, errors = {}, {}
    for name in LOOPS:
        if name in config.get("skip", []):
            continue
        for call, want in EXPECTED.get(name, []):
            got = call(lib)
            if hasattr(lib, "plain"):  # results that are proxies (py->js) are compared as copies
                got = lib.plain(got)
            if got != want:
                errors[name] = "returned %r, expected %r" % (got, want)
        if name in errors:
            continue
        cases[name] = measure(name, lib, config["target_ns"], config["repeats"])
    return {"cases": cases, "errors": errors, "sink": sink == sink}


SIZES = {"quick": 1, "default": 1}
