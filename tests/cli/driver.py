"""The command line shared by the CLI test drivers: list the cases, or run one and report.

Each case is a function (polyhost, fixtures, tmp, problems) that appends what is wrong to
PROBLEMS and returns the finished process (for its output on failure). A case whose verdict
depends on timing is marked with @serial: ctest then runs it alone (RUN_SERIAL), so another
test's load on the machine cannot pass for a change in speed.
"""
import sys
import tempfile


def serial(case):
    case.serial = True
    return case


def main(cases, argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv == ["--list"]:
        print(";".join(cases))
        return 0
    if argv == ["--list-serial"]:
        print(";".join(name for name, case in cases.items() if getattr(case, "serial", False)))
        return 0
    polyhost, fixtures, name = argv[:3]
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        proc = cases[name](polyhost, fixtures, tmp, problems)
    if problems:
        stdout = getattr(proc, "stdout", "") or ""
        stderr = getattr(proc, "stderr", "") or ""
        print("--- stdout ---\n" + stdout[-6000:] + "--- stderr ---\n" + stderr[-3000:] + "---")
        print("\n".join("FAIL: " + p for p in problems))
        return 1
    print("ok: " + name)
    return 0


def revocable_copy(polyhost, tmp):
    """A copy of POLYHOST (with its polyhost-spawn helper) in a folder of its own, marked so that the
    fixture workload unstartable/revokes_exec takes its execute bits off when a worker of it loads
    that workload: every worker started after that cannot be (see fixtures/unstartable/README.md)."""
    import os
    import shutil
    folder = os.path.join(tmp, "bin")
    os.makedirs(folder)
    for name in ("polyhost", "polyhost-spawn"):
        source = os.path.join(os.path.dirname(polyhost), name)
        if os.path.exists(source):
            shutil.copy2(source, os.path.join(folder, name))
    open(os.path.join(folder, "revoke-exec-here"), "w").close()
    return os.path.join(folder, "polyhost")
