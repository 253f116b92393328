"""CLI cases for the extensions other runtimes load (bindings/extensions.cmake), run by ctest:
the Node.js addons loaded by the system's node, cffi and pure Python under pypy3 through the
overhead worker polyhost starts for them, and their columns when those runtimes are missing.

Usage: extension_cases.py POLYHOST FIXTURES CASE    (or --list)
A case whose runtime (node, pypy3) is not installed exits with 77, which ctest shows as skipped.
"""
import json
import os
import shutil
import subprocess
import sys

import driver

SKIP = 77  # ctest's SKIP_RETURN_CODE for these tests
HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))
CASES_MEASURED = ["noop", "add_i32", "add_f64", "str_len", "str_repeat", "sum_f64_array", "sum_f64_typed",
                  "make_point", "call_back"]
FUNCTIONS = ["add_f64", "add_i32", "call_back", "make_point", "noop", "str_len", "str_repeat", "sum_f64"]
EXPECTED = {
    "noop": True,
    "add_i32": [5, -2147483648, -2],
    "add_f64": 0.75,
    "str_len": [18, 0],
    "str_repeat": ["ababab", "\u2713\u2713", ""],
    "sum_f64_array": 7.0,
    "sum_f64_typed": 7.0,
    "make_point": {"x": 1.5, "y": -2.0},
    "call_back": 14,
}


def expect(problems, condition, text):
    if not condition:
        problems.append(text)


def need(program):
    path = shutil.which(program)
    if not path:
        print("SKIPPED: %s is not installed" % program)
        sys.exit(SKIP)
    return path


def check_values(problems, where, values):
    for case, want in EXPECTED.items():
        expect(problems, values.get(case) == want, "%s %s: %r, expected %r" % (where, case, values.get(case), want))


def node_addons_loaded_by_node(polyhost, fixtures, tmp, problems):
    """Each addon (Node-API, node-addon-api, raw V8) loads in node, computes what native.h does, and
    turns wrong arguments into TypeError while a callback's own exception passes through unchanged."""
    node = need("node")
    proc = subprocess.run([node, os.path.join(HERE, "node_addons_check.js"), os.path.dirname(polyhost)],
                          capture_output=True, text=True, timeout=60)
    expect(problems, proc.returncode == 0, "node exited with %d" % proc.returncode)
    if proc.returncode != 0:
        return proc
    report = json.loads(proc.stdout)
    expect(problems, len(report["addons"]) == 3, "addons checked: %r" % list(report["addons"]))
    for name, addon in report["addons"].items():
        if "load_error" in addon:
            problems.append("%s did not load: %s" % (name, addon["load_error"]))
            continue
        expect(problems, addon["functions"] == FUNCTIONS, "%s exports %r" % (name, addon["functions"]))
        check_values(problems, name, addon["values"])
        expect(problems, addon["values"]["sum_f64_subarray"] == 3, "%s ignores a typed view's offset" % name)
        for key, message in addon["errors"].items():
            want = "RangeError: inside" if key == "call_back_throws" else "TypeError: "
            expect(problems, message.startswith(want), "%s %s: %r, expected %r..." % (name, key, message, want))
        expect(problems, "takes 2 arguments (1 given)" in addon["errors"]["add_i32_count"],
               "%s add_i32_count: %r" % (name, addon["errors"]["add_i32_count"]))
    return proc


def pypy_worker(pypy, binding, cabi, tmp):
    """pypy_worker.py as polyhost starts it, with short loops and its report on stdout."""
    return subprocess.run([pypy, os.path.join(SOURCE, "bindings", "overhead", "pypy_worker.py"), "--binding", binding,
                           "--target-ns", "200000", "--repeats", "2", "--cabi-path", cabi, "--result-fd", "1"],
                          capture_output=True, text=True, timeout=120)


def pypy_runs_cffi_and_pure_python(polyhost, fixtures, tmp, problems):
    """Under pypy3: the cffi adapter computes what native.h does and raises TypeError for wrong
    arguments, and the overhead worker measures every case of cffi and of pure Python."""
    pypy = need("pypy3")
    cabi = os.path.join(os.path.dirname(polyhost), "libpolyhost_cabi.so")
    proc = subprocess.run([pypy, os.path.join(HERE, "pypy_cffi_check.py"), os.path.join(SOURCE, "bindings"), cabi],
                          capture_output=True, text=True, timeout=60)
    expect(problems, proc.returncode == 0, "pypy3 exited with %d" % proc.returncode)
    if proc.returncode != 0:
        return proc
    report = json.loads(proc.stdout)
    expect(problems, report["implementation"] == "PyPy", "ran in %r" % report["implementation"])
    check_values(problems, "pypy cffi", report["values"])
    for key, message in report["errors"].items():
        expect(problems, message.startswith("TypeError"), "pypy cffi %s: %r" % (key, message))
    for binding in ("pypy-cffi", "pypy"):
        proc = pypy_worker(pypy, binding, cabi, tmp)
        expect(problems, proc.returncode == 0, "%s worker exited with %d" % (binding, proc.returncode))
        if proc.returncode != 0:
            return proc
        r = json.loads(proc.stdout)
        expect(problems, r["status"] == "ok" and r["errors"] == {} and "unavailable" not in r, "%s: %r" % (binding, r))
        expect(problems, sorted(r.get("cases", {})) == sorted(CASES_MEASURED), "%s cases %r" % (binding, sorted(r.get("cases", {}))))
        for case, measured in r.get("cases", {}).items():
            ok = measured["n"] >= 16 and len(measured["ns"]) == 2 and all(isinstance(x, (int, float)) for x in measured["ns"])
            expect(problems, ok, "%s %s: %r" % (binding, case, measured))
        expect(problems, r["engine"].startswith("PyPy 7.") and ("cffi" in r["engine"]) == (binding == "pypy-cffi"),
               "%s engine %r" % (binding, r["engine"]))
    # The library missing is "unavailable" (a column of n/a with the reason), not a crash.
    proc = pypy_worker(pypy, "pypy-cffi", os.path.join(tmp, "missing.so"), tmp)
    r = json.loads(proc.stdout or "{}")
    expect(problems, r.get("status") == "ok" and "was not built" in r.get("unavailable", ""), "missing library: %r" % r)
    return proc


def overhead_without_node_and_pypy(polyhost, fixtures, tmp, problems):
    """With node and pypy3 off the PATH, their columns are still in the matrix, every cell unsupported
    with the reason, and the columns polyhost measures itself (Cython among them) are all measured; with
    --peers, the peers (which run under node) are skipped with the reason, in their own table too."""
    out, md = os.path.join(tmp, "o.json"), os.path.join(tmp, "o.md")
    env = dict(os.environ, PATH="/nonexistent")
    proc = subprocess.run([polyhost, "overhead", "--quick", "--peers", "--json", out, "--markdown", md],
                          capture_output=True, text=True, timeout=300, env=env)
    expect(problems, proc.returncode == 0, "exit status %d" % proc.returncode)
    if not os.path.exists(out):
        problems.append("no JSON written")
        return proc
    cells = {(e["binding"], e["case"]): e for e in json.load(open(out))["entries"]}
    for binding, program in (("node", "node"), ("node-api", "node"), ("node-addon-api", "node"), ("node-v8", "node"),
                             ("pypy", "pypy3"), ("pypy-cffi", "pypy3")):
        for case in CASES_MEASURED:
            e = cells.get((binding, case), {})
            expect(problems, e.get("status") == "unsupported" and program + " is not installed" in e.get("reason", ""),
                   "%s/%s: %r" % (binding, case, e))
    for binding in ("cpp", "js", "v8-callback", "py", "capi", "cython", "pybind11"):
        expect(problems, all(cells.get((binding, c), {}).get("status") == "ok" for c in CASES_MEASURED), "%s has a gap" % binding)
    expect(problems, "node-api (all cases): node is not installed" in proc.stdout, "the table does not say why")
    for peer in ("node-calls-python", "pythonia"):
        for case in CASES_MEASURED:
            e = cells.get((peer, case), {})
            expect(problems, e.get("status") == "unsupported" and e.get("reason", "").startswith("skipped: node is not installed"),
                   "%s/%s without node: %r" % (peer, case, e))
    expect(problems, "JavaScript calling Python: polyhost's bridge (js->py) and the peers" in proc.stdout, "no peers table")
    expect(problems, os.path.exists(md) and "## Peers: JavaScript calling Python" in open(md).read(), "Markdown lacks the peers")
    return proc


CASES = {
    "node_addons_loaded_by_node": node_addons_loaded_by_node,
    "pypy_runs_cffi_and_pure_python": pypy_runs_cffi_and_pure_python,
    "overhead_without_node_and_pypy": overhead_without_node_and_pypy,
}


if __name__ == "__main__":
    sys.exit(driver.main(CASES))
