"""Golden outputs of the commands that read results files: `polyhost report` and `polyhost compare`
on the fixed files in tests/golden/ (written by tests/golden_test.cc), compared byte for byte with
the stored outputs. POLYHOST_UPDATE_GOLDEN=1 rewrites the stored outputs instead.

Usage: golden_cases.py POLYHOST FIXTURES CASE    (or --list)
"""
import os
import subprocess
import sys

import driver

GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "golden")


def check(name, actual, problems):
    path = os.path.join(GOLDEN, name)
    if os.environ.get("POLYHOST_UPDATE_GOLDEN"):
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(actual)
        return
    with open(path, encoding="utf-8", newline="") as f:
        expected = f.read()
    if expected != actual:
        line = next((i for i, (a, b) in enumerate(zip(expected.splitlines(), actual.splitlines())) if a != b),
                    min(len(expected.splitlines()), len(actual.splitlines())))
        problems.append("%s differs from the golden file from line %d:\n  expected: %r\n  actual:   %r" % (
            name, line + 1, (expected.splitlines() + [""])[line][:300], (actual.splitlines() + [""])[line][:300]))


def report_html(polyhost, fixtures, tmp, problems):
    out = os.path.join(tmp, "report.html")
    proc = subprocess.run([polyhost, "report", "two.results.json", "tiers.results.json", "overhead.json", "-o", out],
                          cwd=GOLDEN, capture_output=True, text=True, timeout=60)
    if proc.returncode != 0:
        problems.append("report exited %d" % proc.returncode)
        return proc
    check("report.html", open(out, encoding="utf-8").read(), problems)
    return proc


def compare_outputs(polyhost, fixtures, tmp, problems):
    md = os.path.join(tmp, "compare.md")
    proc = subprocess.run([polyhost, "compare", "two.results.json", "two-slower.results.json", "--markdown", md],
                          cwd=GOLDEN, capture_output=True, text=True, timeout=60)
    if proc.returncode != 1:  # fib is 25% slower: the gate fails
        problems.append("compare exited %d, expected 1" % proc.returncode)
    check("compare.txt", proc.stdout, problems)
    if os.path.exists(md):
        check("compare.md", open(md, encoding="utf-8").read(), problems)
    else:
        problems.append("no Markdown written")
    return proc


CASES = {"report_html": report_html, "compare_outputs": compare_outputs}

if __name__ == "__main__":
    sys.exit(driver.main(CASES))
