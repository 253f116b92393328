"""Warm-up by detection (`polyhost run --warmup auto`, the default), run by ctest: each worker
process warms up until its series is steady, and the results say where each process's steady state
started (steady_from), its first iteration (cold_ns), and cold ratios and break-even. None of these
cases asserts how fast a real workload runs (that depends on the machine's load); where the steady
state starts is checked on eighth_call_faster, which busy-waits to exact times in the shape of
CPython's quickening.

Usage: steady_cases.py POLYHOST FIXTURES CASE    (or --list)
"""
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys

import driver


def expect(problems, condition, text):
    if not condition:
        problems.append(text)


def run(polyhost, tmp, workloads, args):
    out = os.path.join(tmp, "r.json")
    proc = subprocess.run([polyhost, "run"] + workloads + args + ["--json", out, "--csv", os.path.join(tmp, "r.csv"),
                                                                   "--markdown", os.path.join(tmp, "r.md")],
                          capture_output=True, text=True, timeout=600)
    return proc, (json.load(open(out)) if os.path.exists(out) else None)


def fixture(fixtures, name):
    return os.path.join(fixtures, "workloads", name)


@driver.serial
def quickening_is_warmed_past(polyhost, fixtures, tmp, problems):
    """CPython specializes run()'s hot function on its 8th call: warm-up never stops before 8 + K
    calls (the detector's rule, whatever the timings). How much faster the specialized calls are, and
    so where the classification puts the change, depends on the machine's load while it runs (under
    load the 30% went unseen once: 9.6 ms measured against 9.7 ms before the 8th call); that the
    steady state is the faster one is checked on the exact shape of eighth_call_faster below."""
    proc, data = run(polyhost, tmp, [fixture(fixtures, "quickens")],
                     ["--configs", "cpython", "--quick", "--processes", "2", "--iterations", "8"])
    if data is None:
        problems.append("no JSON written")
        return proc
    r = data["runs"][0]
    expect(problems, r["status"] == "ok", "status %s: %s" % (r["status"], r["message"]))
    window = data["settings"]["warmup_policy"]["window"]
    for p, warm in enumerate(r["process_warmup_ns"]):
        expect(problems, len(warm) >= 8 + window, "process %d warmed up %d iterations, fewer than 8 + %d" % (p, len(warm), window))
    # The plan says so.
    expect(problems, "%d to 400 iterations or" % (8 + window) in proc.stdout, "plan line: %r" % proc.stdout.splitlines()[:1])
    return proc


@driver.serial
def eighth_call_change_is_the_steady_state(polyhost, fixtures, tmp, problems):
    """eighth_call_faster busy-waits twice as long on its first seven calls as on the later ones (the
    shape of CPython's quickening, exact on any machine): in both languages the steady state starts at
    the 8th call or after it, before the measured samples, and they are the fast calls."""
    proc, data = run(polyhost, tmp, [fixture(fixtures, "eighth_call_faster")],
                     ["--configs", "cpython,v8-jit", "--quick", "--processes", "2", "--iterations", "8"])
    # The plan: no process warms up fewer than the classifier's 10 (--quick's window is 8), cpython's
    # none fewer than its known point plus the window.
    expect(problems, "10 to 400 iterations (cpython from 16) or" in proc.stdout, "plan line: %r" % proc.stdout.splitlines()[:1])
    if data is None:
        problems.append("no JSON written")
        return proc
    for r in data["runs"]:
        expect(problems, r["status"] == "ok", "%s: status %s: %s" % (r["config"], r["status"], r["message"]))
        for p, (warm, measured) in enumerate(zip(r["process_warmup_ns"], r["process_samples_ns"])):
            start = r["steady_from"][p]
            expect(problems, start is not None and 7 <= start <= len(warm),
                   "%s process %d: steady_from %r, expected from the 8th call (index 7) on, within the %d warm-up calls" % (
                       r["config"], p, start, len(warm)))
            before = statistics.median(warm[1:7])
            expect(problems, len(warm) >= 7 and statistics.median(measured) < 0.75 * before,
                   "%s process %d: measured median %.2f ms is not the faster state (calls 2-7: %.2f ms)" % (
                       r["config"], p, statistics.median(measured) / 1e6, before / 1e6))
    return proc


def auto_warmup_fields_in_every_format(polyhost, fixtures, tmp, problems):
    proc, data = run(polyhost, tmp, [fixture(fixtures, "good")],
                     ["--configs", "v8-jit,v8-ignition,cpython", "--quick", "--processes", "2", "--iterations", "3",
                      "--steady-window", "5"])
    if data is None:
        problems.append("no JSON written")
        return proc
    settings = data["settings"]
    expect(problems, settings["warmup"] == "auto", "settings.warmup %r" % settings["warmup"])
    expect(problems, settings["warmup_policy"]["window"] == 5 and settings["warmup_policy"]["max_iterations"] > 5
           and settings["warmup_policy"].get("min_steady_seconds") == 0.05, "warmup_policy %r" % settings.get("warmup_policy"))
    expect(problems, data["environment"]["configs"]["cpython"].get("known_warmup_point") == 8,
           "cpython's known warm-up point %r" % data["environment"]["configs"]["cpython"])
    for r in data["runs"]:
        name = "%s/%s" % (r["workload"], r["config"])
        expect(problems, r["status"] == "ok", "%s: %s %s" % (name, r["status"], r["message"]))
        expect(problems, len(r["cold_ns"]) == 2 and all(c > 0 for c in r["cold_ns"]), "%s: cold_ns %r" % (name, r["cold_ns"]))
        expect(problems, [w[0] if w else m[0] for w, m in zip(r["process_warmup_ns"], r["process_samples_ns"])] == r["cold_ns"],
               "%s: cold_ns is not each process's first iteration" % name)
        expect(problems, len(r["steady_from"]) == 2, "%s: steady_from %r" % (name, r["steady_from"]))
        for p, start in enumerate(r["steady_from"]):
            expect(problems, start is None or 0 <= start < len(r["process_warmup_ns"][p]),
                   "%s: process %d's steady state starts at %r, outside its %d warm-up iterations" % (
                       name, p, start, len(r["process_warmup_ns"][p])))
        expect(problems, set(r["warmup_until_steady"]) == {"iterations", "seconds", "unsteady_processes"},
               "%s: warmup_until_steady %r" % (name, r["warmup_until_steady"]))
        for w in r["warnings"]:
            expect(problems, set(w) == {"kind", "text", "figure", "severity"}, "%s: warning %r" % (name, w))
    cold = [c for c in data["comparisons"] if c["config"] == "cpython"]
    expect(problems, len(cold) == 1 and cold[0]["cold_ratio"] and cold[0]["cold_ratio"]["ratio"] > 0,
           "comparisons: %r" % data["comparisons"])
    evens = [(b["jit"], b["interpreter"]) for b in data["break_evens"]]
    expect(problems, evens == [("v8-jit", "v8-ignition")], "break_evens %r" % data["break_evens"])
    rows = list(csv.DictReader(open(os.path.join(tmp, "r.csv"))))
    expect(problems, all(row["cold_median_ns"] and row["warmup_iterations"] != None for row in rows), "CSV rows %r" % rows[:1])
    markdown = open(os.path.join(tmp, "r.md")).read()
    for words in ("## Cold start and warm-up", "## Break-even", "warm-up until steady"):
        expect(problems, words in markdown, "Markdown lacks %r" % words)
    for words in ("cold start and warm-up", "break-even", "warm-up until steady"):
        expect(problems, words in proc.stdout, "the terminal output lacks %r" % words)
    return proc


def fixed_warmup_keeps_its_count(polyhost, fixtures, tmp, problems):
    proc, data = run(polyhost, tmp, [fixture(fixtures, "good")],
                     ["--quick", "--processes", "2", "--iterations", "3", "--warmup", "2"])
    if data is None:
        problems.append("no JSON written")
        return proc
    expect(problems, data["settings"]["warmup"] == 2 and "warmup_policy" not in data["settings"],
           "settings %r" % data["settings"])
    for r in data["runs"]:
        expect(problems, [len(w) for w in r["process_warmup_ns"]] == [2, 2], "%s: warm-up %r" % (r["config"], r["process_warmup_ns"]))
        # Without a detector, the classifier says where each process's series became steady.
        expect(problems, len(r["steady_from"]) == 2, "%s: steady_from %r" % (r["config"], r["steady_from"]))
        # 5 iterations are too few to classify: said as such, not as a steady state missed.
        kinds = [w["kind"] for w in r["warnings"]]
        expect(problems, "too short to tell" in kinds and "no steady state" not in kinds, "%s: warnings %r" % (r["config"], kinds))
    expect(problems, "too short to tell (2 of 2)" in proc.stdout and "too short to tell (2):" in proc.stdout,
           "the terminal does not say 'too short to tell':\n" + proc.stdout[-1500:])
    markdown = open(os.path.join(tmp, "r.md")).read()
    expect(problems, "too short to tell: 2 of 2 processes ran 5 iterations" in markdown and "mixes states" not in markdown,
           "the Markdown's warnings: %r" % [l for l in markdown.splitlines() if "warning" in l])
    return proc


@driver.serial
def warmup_cap_reports_no_steady_state(polyhost, fixtures, tmp, problems):
    proc, data = run(polyhost, tmp, [fixture(fixtures, "never_steady")],
                     ["--quick", "--processes", "1", "--iterations", "3", "--steady-window", "8", "--max-warmup", "16"])
    if data is None:
        problems.append("no JSON written")
        return proc
    for r in data["runs"]:
        name = r["config"]
        expect(problems, r["status"] == "ok", "%s: %s %s" % (name, r["status"], r["message"]))
        expect(problems, r["steady_from"] == [None], "%s: steady_from %r" % (name, r["steady_from"]))
        expect(problems, len(r["process_warmup_ns"][0]) == 16, "%s: %d warm-up iterations, the cap is 16" % (
            name, len(r["process_warmup_ns"][0])))
        kinds = [w["kind"] for w in r["warnings"]]
        expect(problems, "no steady state" in kinds, "%s: warnings %r" % (name, kinds))
        expect(problems, r["warmup_until_steady"]["unsteady_processes"] == 1, "%s: %r" % (name, r["warmup_until_steady"]))
    expect(problems, "no steady state (2)" in proc.stdout, "the table does not say 'no steady state (2)':\n" + proc.stdout[-1500:])
    return proc


@driver.serial
def warmup_time_cap(polyhost, fixtures, tmp, problems):
    proc, data = run(polyhost, tmp, [fixture(fixtures, "never_steady")],
                     ["--configs", "cpython", "--quick", "--processes", "1", "--iterations", "2", "--steady-window", "8",
                      "--max-warmup", "1000", "--max-warmup-time", "0.2"])
    if data is None:
        problems.append("no JSON written")
        return proc
    warm = data["runs"][0]["process_warmup_ns"][0]
    expect(problems, sum(warm) >= 0.2e9 and sum(warm[:-1]) < 0.2e9 and len(warm) < 1000,
           "warm-up of %d iterations, %.3f s: the time cap of 0.2 s did not end it" % (len(warm), sum(warm) / 1e9))
    expect(problems, data["runs"][0]["steady_from"] == [None], "steady_from %r" % data["runs"][0]["steady_from"])
    return proc


def reference_workers_warm_up_by_detection(polyhost, fixtures, tmp, problems):
    configs = ["python3"] + (["node"] if shutil.which("node") else []) + (["pypy3"] if shutil.which("pypy3") else [])
    proc, data = run(polyhost, tmp, [fixture(fixtures, "good")],
                     ["--configs", ",".join(["cpython"] + configs), "--quick", "--processes", "1", "--iterations", "2",
                      "--steady-window", "5"])
    if data is None:
        problems.append("no JSON written")
        return proc
    runs = {r["config"]: r for r in data["runs"]}
    for config in configs:
        r = runs[config]
        expect(problems, r["status"] == "ok", "%s: %s %s" % (config, r["status"], r["message"]))
        expect(problems, len(r["process_warmup_ns"][0]) >= 5 and len(r["steady_from"]) == 1,
               "%s: warm-up %r, steady_from %r" % (config, r["process_warmup_ns"], r["steady_from"]))
    return proc


def steady_stretch_lasts_the_minimum_time(polyhost, fixtures, tmp, problems):
    """--min-steady-time: warm-up goes on until the steady stretch (steady_from to the last warm-up
    iteration) lasts that long, or a cap ends it; the floor is in the settings. A floor longer than
    the time cap, or a negative one, is a usage error."""
    proc, data = run(polyhost, tmp, [fixture(fixtures, "good")],
                     ["--configs", "cpython", "--processes", "2", "--iterations", "2",
                      "--steady-window", "5", "--min-steady-time", "0.2", "--max-warmup", "500"])
    if data is None:
        problems.append("no JSON written")
        return proc
    policy = data["settings"]["warmup_policy"]
    expect(problems, policy.get("min_steady_seconds") == 0.2, "warmup_policy %r" % policy)
    # CPython's calls of about 6 ms: without the floor, warm-up would end at 8 + 5 iterations.
    r = data["runs"][0]
    for p, (warm, start) in enumerate(zip(r["process_warmup_ns"], r["steady_from"])):
        if start is None:
            problems.append("process %d: no steady state (%d warm-up iterations)" % (p, len(warm)))
            continue
        lasted = sum(warm[start:])
        expect(problems, lasted >= 0.2e9 and len(warm) > 8 + 5 and len(warm) < 500,
               "process %d: measured after a steady stretch of %.3f s (iterations %d to %d), expected 0.2 s" % (
                   p, lasted / 1e9, start, len(warm)))
    for args, wanted in ((["--min-steady-time", "5", "--max-warmup-time", "2"], "longer than --max-warmup-time 2"),
                         (["--min-steady-time", "-1"], "--min-steady-time")):
        bad = subprocess.run([polyhost, "run", fixture(fixtures, "good"), "--quick"] + args,
                             capture_output=True, text=True, timeout=60)
        expect(problems, bad.returncode == 2 and wanted in bad.stderr,
               "%s: exit %d, stderr %r" % (" ".join(args), bad.returncode, bad.stderr[-300:]))
    return proc


def warmup_option_errors_stop_before_anything_runs(polyhost, fixtures, tmp, problems):
    """Warm-up options that could never give a steady state, or that a fixed --warmup would ignore,
    are usage errors (exit 2) before any worker starts, naming the values in force: CPython's cap
    below its known warm-up point (8) plus the window, a cap under the window (with --quick's 8), a
    floor over the time cap (the default floor), auto-only options with --warmup N."""
    proc = None
    for args, wanted in (
            (["--configs", "cpython", "--steady-window", "5", "--max-warmup", "12"],
             "--max-warmup 12 ends warm-up before a steady state could be found: cpython changes speed at call 8 (its "
             "known warm-up point), after which the detector needs --steady-window 5 more iterations, 13 in all; "
             "raise --max-warmup to at least 13"),
            (["--configs", "v8-jit,python3", "--steady-window", "5", "--max-warmup", "12"], "python3 changes speed at call 8"),
            (["--configs", "v8-jit", "--max-warmup", "6"], "--steady-window 8 (the --quick default)"),
            (["--configs", "v8-jit", "--max-warmup-time", "0.01"],
             "--min-steady-time 0.05 (the --quick default) is longer than --max-warmup-time 0.01"),
            (["--warmup", "5", "--max-warmup", "2"], "--max-warmup applies to --warmup auto only"),
            (["--warmup", "5", "--steady-window", "50", "--min-steady-time", "3"],
             "--steady-window and --min-steady-time apply to --warmup auto only")):
        out = os.path.join(tmp, "never.json")
        if os.path.exists(out):
            os.remove(out)
        proc = subprocess.run([polyhost, "run", fixture(fixtures, "good"), "--quick", "--json", out] + args,
                              capture_output=True, text=True, timeout=60)
        expect(problems, proc.returncode == 2 and wanted in proc.stderr,
               "%s: exit %d, stderr %r" % (" ".join(args), proc.returncode, proc.stderr[-400:]))
        expect(problems, "Plan:" not in proc.stdout and not os.path.exists(out), "%s: it ran: %r" % (" ".join(args), proc.stdout[:200]))
    return proc


@driver.serial
def processes_that_disagree_get_more(polyhost, fixtures, tmp, problems):
    """processes_disagree's odd and even processes run 1:3 (busy-waits, exact on any machine): the
    run gets extra processes up to --max-processes, says so in the terminal and the Markdown, and
    none when the cap is the planned count or --processes is given alone. Serial: it times its
    processes."""
    proc = None
    for name, extra, expected, cap in (("cap4", ["--max-processes", "4"], 4, 4), ("cap2", ["--max-processes", "2"], 2, 2),
                                       ("alone", [], 2, 2)):
        folder = os.path.join(tmp, name, "processes_disagree")
        shutil.copytree(fixture(fixtures, "processes_disagree"), folder)
        open(os.path.join(folder, "processes.count"), "w").close()
        proc, data = run(polyhost, os.path.join(tmp, name), [folder],
                         ["--configs", "cpython", "--quick", "--processes", "2"] + extra)
        if data is None:
            problems.append("%s: no JSON written" % name)
            continue
        r = data["runs"][0]
        expect(problems, r["status"] == "ok", "%s: status %s: %s" % (name, r["status"], r["message"]))
        expect(problems, r["processes"] == expected and len(r["process_samples_ns"]) == expected,
               "%s: %d processes, expected %d" % (name, r["processes"], expected))
        expect(problems, data["settings"]["processes"] == 2 and data["settings"]["max_processes"] == cap,
               "%s: settings %r" % (name, data["settings"]))
        markdown = open(os.path.join(tmp, name, "r.md")).read().replace("\\", "")
        said = "processes_disagree [cpython] 4" in proc.stdout and "processes_disagree [cpython] 4" in markdown
        expect(problems, said == (expected == 4), "%s: the extra processes %s said" % (name, "are not" if expected == 4 else "are"))
    return proc


@driver.serial
def no_extra_processes_for_runs_the_cross_check_rules_out(polyhost, fixtures, tmp, problems):
    """processes_disagree's cpython processes disagree 1:3, but a JavaScript file beside it gives other
    sizes: the workload is invalid once the planned rounds are in, so no extra process goes to it
    (it got them, and was ruled out after)."""
    folder = os.path.join(tmp, "w", "processes_disagree")
    shutil.copytree(fixture(fixtures, "processes_disagree"), folder)
    open(os.path.join(folder, "processes.count"), "w").close()
    with open(os.path.join(folder, "processes_disagree.js"), "w") as js:
        js.write("exports.sizes = { quick: 1, default: 2 };\nexports.run = (n) => n;\n")
    proc, data = run(polyhost, os.path.join(tmp, "w"), [folder],
                     ["--configs", "cpython,v8-jit", "--quick", "--processes", "2", "--max-processes", "4"])
    if data is None:
        problems.append("no JSON written")
        return proc
    for r in data["runs"]:
        expect(problems, r["status"] == "invalid" and "sizes differ" in r["message"], "%s: %s %s" % (r["config"], r["status"], r["message"]))
        expect(problems, r["processes"] <= 2, "%s got %d processes, more than the 2 planned" % (r["config"], r["processes"]))
    return proc


@driver.serial
def measured_calls_last_the_minimum_time(polyhost, fixtures, tmp, problems):
    """A run's first process makes measured calls past --iterations until they last
    --min-measure-time, and its later processes make as many: processes_disagree busy-waits 2 ms a
    call in its first process and 6 ms in its second (exact on any machine), so the first stops
    once its calls pass 0.05 s and the second makes the same count in about three times as long.
    --iterations given alone means exactly that many, as before. Serial: it times its calls."""
    proc = None
    for name, args, expected in (("floor", ["--min-measure-time", "0.05"], None), ("alone", ["--iterations", "3"], 3),
                                 ("both", ["--iterations", "3", "--min-measure-time", "0"], 3)):
        out = os.path.join(tmp, name)
        folder = os.path.join(out, "processes_disagree")
        shutil.copytree(fixture(fixtures, "processes_disagree"), folder)
        open(os.path.join(folder, "processes.count"), "w").close()
        proc, data = run(polyhost, out, [folder], ["--configs", "cpython", "--quick", "--processes", "2"] + args)
        if data is None:
            problems.append("%s: no JSON written" % name)
            continue
        r = data["runs"][0]
        counts = [len(p) for p in r["process_samples_ns"]]
        sums = [sum(p) / 1e9 for p in r["process_samples_ns"]]
        expect(problems, r["status"] == "ok" and len(counts) == 2, "%s: %s, %r" % (name, r["status"], r["message"]))
        if len(counts) != 2:
            continue
        if expected is not None:
            expect(problems, counts == [expected, expected], "%s: measured calls per process %r" % (name, counts))
        else:
            first = r["process_samples_ns"][0]
            expect(problems, counts[0] > 5 and sums[0] >= 0.05 and sum(first[:-1]) / 1e9 < 0.05,
                   "%s: the first process made %d calls lasting %.3f s, not the fewest past 0.05 s" % (name, counts[0], sums[0]))
            expect(problems, counts[1] == counts[0] and sums[1] > 2 * sums[0],
                   "%s: the second process made %d calls lasting %.3f s (the first: %d, %.3f s)" % (
                       name, counts[1], sums[1], counts[0], sums[0]))
        expect(problems, data["settings"]["min_measure_seconds"] == (0.05 if name == "floor" else 0),
               "%s: settings %r" % (name, data["settings"]))
    return proc


def max_processes_below_processes_is_refused(polyhost, fixtures, tmp, problems):
    proc = subprocess.run([polyhost, "run", fixture(fixtures, "good"), "--processes", "3", "--max-processes", "2"],
                          capture_output=True, text=True, timeout=60)
    expect(problems, proc.returncode == 2 and "--max-processes 2 is below --processes 3" in proc.stderr,
           "exit %d, stderr %r" % (proc.returncode, proc.stderr[-400:]))
    expect(problems, "Plan:" not in proc.stdout, "it ran")
    return proc


CASES = {
    "quickening_is_warmed_past": quickening_is_warmed_past,
    "eighth_call_change_is_the_steady_state": eighth_call_change_is_the_steady_state,
    "auto_warmup_fields_in_every_format": auto_warmup_fields_in_every_format,
    "fixed_warmup_keeps_its_count": fixed_warmup_keeps_its_count,
    "warmup_cap_reports_no_steady_state": warmup_cap_reports_no_steady_state,
    "warmup_time_cap": warmup_time_cap,
    "reference_workers_warm_up_by_detection": reference_workers_warm_up_by_detection,
    "steady_stretch_lasts_the_minimum_time": steady_stretch_lasts_the_minimum_time,
    "warmup_option_errors_stop_before_anything_runs": warmup_option_errors_stop_before_anything_runs,
    "processes_that_disagree_get_more": processes_that_disagree_get_more,
    "no_extra_processes_for_runs_the_cross_check_rules_out": no_extra_processes_for_runs_the_cross_check_rules_out,
    "max_processes_below_processes_is_refused": max_processes_below_processes_is_refused,
    "measured_calls_last_the_minimum_time": measured_calls_last_the_minimum_time,
}

if __name__ == "__main__":
    sys.exit(driver.main(CASES))
