"""Runs bindings/python_cffi.py under the interpreter that runs this file (pypy3 BINDINGS_DIR CABI_PATH)
and prints, as JSON, what each function returns and which errors wrong arguments raise;
extension_cases.py checks the answers. The same calls tests/bindings_test.cc makes in CPython."""
import array
import json
import platform
import sys

sys.path.insert(0, sys.argv[1])
from python_cffi import CffiBinding  # noqa: E402

TEXT = "polyhost \u2713 12345"


def error_of(f):
    try:
        f()
        return "no error"
    except Exception as e:
        return type(e).__name__ + ": " + str(e)


lib = CffiBinding(sys.argv[2])
print(json.dumps({
    "implementation": platform.python_implementation(),
    "values": {
        "noop": lib.noop() is None,
        "add_i32": [lib.add_i32(2, 3), lib.add_i32(2147483647, 1), lib.add_i32(-5, 3)],
        "add_f64": lib.add_f64(0.25, 0.5),
        "str_len": [lib.str_len(TEXT), lib.str_len("")],
        "str_repeat": [lib.str_repeat("ab", 3), lib.str_repeat("\u2713", 2), lib.str_repeat("x", 0)],
        "sum_f64_array": lib.sum_f64([1.5, 2.5, 3.0]),
        "sum_f64_typed": lib.sum_f64(array.array("d", [1.5, 2.5, 3.0])),
        "make_point": lib.make_point(1.5, -2.0),
        "call_back": lib.call_back(lambda i: i * i, 4),
    },
    "errors": {
        "noop_count": error_of(lambda: lib.noop(1)),
        "add_i32_count": error_of(lambda: lib.add_i32(1)),
        "add_i32_type": error_of(lambda: lib.add_i32("1", 2)),
        "add_f64_type": error_of(lambda: lib.add_f64({}, 2)),
        "str_len_type": error_of(lambda: lib.str_len(5)),
        "str_repeat_type": error_of(lambda: lib.str_repeat("a", "b")),
        "sum_f64_type": error_of(lambda: lib.sum_f64(5)),
        "sum_f64_element": error_of(lambda: lib.sum_f64([1.0, "x"])),
        "make_point_type": error_of(lambda: lib.make_point(1.0)),
        "call_back_type": error_of(lambda: lib.call_back(5, 1)),
    },
}))
