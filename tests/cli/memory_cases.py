"""Memory in `polyhost run`, run by ctest: every run records each process's peak resident memory and
the engine's own heap figures, an idle worker of each configuration gives the engine alone, and a
workload that builds a 64 MB structure in setup shows it in both languages. Presence and plausibility
are checked, never how big anything is beyond the structure the fixture builds.

Usage: memory_cases.py POLYHOST FIXTURES CASE    (or --list)
"""
import json
import os
import shutil
import subprocess
import sys

import driver

MB = 1024 * 1024


def expect(problems, condition, text):
    if not condition:
        problems.append(text)


def run(polyhost, tmp, args):
    out = os.path.join(tmp, "r.json")
    proc = subprocess.run([polyhost, "run"] + args + ["--quick", "--processes", "1", "--warmup", "1", "--iterations", "2",
                                                      "--json", out, "--markdown", os.path.join(tmp, "r.md"),
                                                      "--csv", os.path.join(tmp, "r.csv")],
                          capture_output=True, text=True, timeout=300)
    return proc, (json.load(open(out)) if os.path.exists(out) else None)


def fields_exist_and_are_plausible(polyhost, fixtures, tmp, problems):
    configs = ["v8-jit", "cpython", "python3"] + (["node"] if shutil.which("node") else [])
    proc, data = run(polyhost, tmp, [os.path.join(fixtures, "workloads", "good"), "--configs", ",".join(configs)])
    if data is None:
        problems.append("no JSON written")
        return proc
    setups = data["environment"]["configs"]
    for r in data["runs"]:
        name = r["config"]
        mem = r["memory"]
        expect(problems, len(mem["processes"]) == 1, "%s: memory of %d processes" % (name, len(mem["processes"])))
        peak, heap = mem["peak_rss_bytes"], mem["heap_peak_bytes"]
        expect(problems, isinstance(peak, int) and peak > 1 * MB, "%s: peak %r" % (name, peak))
        expect(problems, isinstance(heap, int) and 0 < heap <= peak, "%s: heap peak %r (peak resident %r)" % (name, heap, peak))
        process = mem["processes"][0]
        expect(problems, process["rss_after_setup_bytes"] <= process["peak_rss_bytes"],
               "%s: resident after setup above the peak: %r" % (name, process))
        expect(problems, process["heap_after_setup_bytes"] <= process["heap_peak_bytes"], "%s: heap %r" % (name, process))
        idle = setups[name].get("idle_memory")
        # Two processes' resident sizes: pages and allocator arenas differ a little from one process
        # to the next (under AddressSanitizer by up to a megabyte), so "below" allows 2 MiB.
        expect(problems, idle and 0 < idle["rss_after_setup_bytes"] <= peak + 2 * MB,
               "%s: the idle worker (%r) is not below the loaded one (%r)" % (name, idle, peak))
    ratios = [c for c in data["comparisons"] if c["memory_ratio"]]
    expect(problems, len(ratios) == len(configs) - 1 and all(c["memory_ratio"]["ratio"] > 0 for c in ratios),
           "memory ratios: %r" % data["comparisons"])
    expect(problems, set(data["geometric_mean_memory_ratio"]) == set(configs[1:]), "geometric means %r" % data["geometric_mean_memory_ratio"])
    for words in ("memory (median over processes", "idle worker", "geometric mean of peak-memory ratios"):
        expect(problems, words in proc.stdout, "the terminal output lacks %r" % words)
    markdown = open(os.path.join(tmp, "r.md")).read()
    expect(problems, "## Memory" in markdown, "the Markdown has no memory section")
    header = open(os.path.join(tmp, "r.csv")).readline()
    expect(problems, "peak_rss_bytes" in header and "memory_ratio_to_baseline" in header, "CSV header %r" % header)
    report = os.path.join(tmp, "r.html")
    subprocess.run([polyhost, "report", os.path.join(tmp, "r.json"), "-o", report], capture_output=True, timeout=60)
    expect(problems, os.path.exists(report) and "Peak resident memory" in open(report).read(), "the report has no memory chart")
    return proc


def setup_allocation_shows_in_both_languages(polyhost, fixtures, tmp, problems):
    """A 64 MB structure built in setup: its run's peak resident memory and heap after setup exceed the
    small `good` workload's by most of it, in JavaScript and in Python alike."""
    proc, data = run(polyhost, tmp, [os.path.join(fixtures, "workloads", "good"), os.path.join(fixtures, "workloads", "big_setup")])
    if data is None:
        problems.append("no JSON written")
        return proc
    runs = {(r["workload"], r["config"]): r for r in data["runs"]}
    for config in ("v8-jit", "cpython"):
        big, small = runs[("big_setup", config)], runs[("good", config)]
        expect(problems, big["status"] == "ok", "%s: %s %s" % (config, big["status"], big["message"]))
        grown = big["memory"]["peak_rss_bytes"] - small["memory"]["peak_rss_bytes"]
        expect(problems, grown > 48 * MB, "%s: peak resident grew by %.1f MiB for a 61 MiB structure" % (config, grown / MB))
        heap = big["memory"]["heap_after_setup_bytes"] - small["memory"]["heap_after_setup_bytes"]
        expect(problems, heap > 48 * MB, "%s: the engine's heap grew by %.1f MiB for a 61 MiB structure" % (config, heap / MB))
    return proc


CASES = {
    "fields_exist_and_are_plausible": fields_exist_and_are_plausible,
    "setup_allocation_shows_in_both_languages": setup_allocation_shows_in_both_languages,
}

if __name__ == "__main__":
    sys.exit(driver.main(CASES))
