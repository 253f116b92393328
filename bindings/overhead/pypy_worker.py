"""The worker of `polyhost overhead` for PyPy: one binding, every case of bench.py, in a fresh
pypy3 process, reported as the JSON polyhost's own overhead-worker writes
(host/overhead/overhead_worker.cc), to the file descriptor --result-fd.

Bindings: pypy (bench.py's pure Python, under PyPy's JIT) and pypy-cffi (python_cffi.py: PyPy's
built-in cffi in ABI mode over libpolyhost_cabi.so, a foreign call PyPy's JIT can compile into
the trace). Runs on PyPy 7.3 (Python 3.9), and on any Python 3.9+ with cffi.

Usage: pypy3 pypy_worker.py --binding B --target-ns NS --repeats R --cabi-path PATH --result-fd FD
"""
import argparse
import json
import os
import platform
import sys
import traceback

# What bench.py calls each binding.
BENCH_BINDINGS = {"pypy": "py", "pypy-cffi": "cffi"}


def engine(binding):
    if platform.python_implementation() == "PyPy":
        name = "PyPy %s (Python %s)" % (".".join(map(str, sys.pypy_version_info[:3])), platform.python_version())
    else:
        name = "%s %s" % (platform.python_implementation(), platform.python_version())
    if binding == "pypy-cffi":
        try:
            import cffi
            name += ", cffi " + cffi.__version__
        except ImportError:
            pass
    return name


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binding", required=True, choices=sorted(BENCH_BINDINGS))
    parser.add_argument("--target-ns", type=float, required=True)
    parser.add_argument("--repeats", type=int, required=True)
    parser.add_argument("--cabi-path", default="")
    parser.add_argument("--result-fd", type=int, default=3)
    args = parser.parse_args()
    report = {"binding": args.binding, "status": "ok", "unsupported": {}, "cases": {}, "errors": {},
              "engine": engine(args.binding), "flags": []}
    try:
        if args.binding == "pypy-cffi" and not os.path.exists(args.cabi_path):
            report["unavailable"] = "%s was not built" % args.cabi_path
        else:
            sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
            import bench
            measured = bench.run({"binding": BENCH_BINDINGS[args.binding], "target_ns": args.target_ns,
                                  "repeats": args.repeats, "skip": [], "cabi_path": args.cabi_path,
                                  "runtime": "pypy3"})
            report["cases"], report["errors"] = measured["cases"], measured["errors"]
            if "unavailable" in measured:
                report["unavailable"] = measured["unavailable"]
    except BaseException:  # noqa: B902 - every failure is reported to polyhost, not raised
        report = {"binding": args.binding, "status": "error", "message": traceback.format_exc(), "engine": report["engine"]}
    data = json.dumps(report).encode()
    while data:
        data = data[os.write(args.result_fd, data):]
    os.close(args.result_fd)


if __name__ == "__main__":
    main()
