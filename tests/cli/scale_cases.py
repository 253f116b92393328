"""polyhost scale, run by ctest (one test per case): every mode gives verified results at T=1,2; a
workload that throws in one thread fails that run only, with that thread's verdict, and one whose
result changes is a mismatch; an infinite loop in one thread is stopped by the timeout in every
mode and nothing hangs; the JSON is read back by report (a speedup chart with the ideal line) and a
tampered file is refused; warm-up goes on until each thread's series is steady (--warmup auto), or
is a fixed count. Nothing here is timed: the runs are quick sizes with one process and two
measured calls per thread.

Usage: scale_cases.py POLYHOST FIXTURES CASE    (or --list)
"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

import driver

MODES = ["v8-isolates", "cpython-threads", "cpython-subinterpreters", "cpython-processes", "node-workers",
         "python3-threads", "python3-processes"]
QUICK = ["--quick", "--processes", "1", "--warmup", "1", "--iterations", "2", "--min-time", "0"]


def scale(polyhost, args, tmp, name="s.json", env=None):
    """polyhost scale with ARGS and --json: (the process, the JSON or None without it)."""
    out = os.path.join(tmp, name)
    started = time.monotonic()
    proc = subprocess.run([polyhost, "scale"] + args + ["--json", out], capture_output=True, text=True, timeout=300,
                          env=env)
    proc.seconds = time.monotonic() - started
    data = json.load(open(out)) if os.path.exists(out) else None
    return proc, data


def expect(problems, condition, what):
    if not condition:
        problems.append(what)


def runs_by_key(data):
    return {(r["workload"], r["mode"], r["threads"]): r for r in data["runs"]}


def scale_runs(polyhost, args, tmp, problems, status):
    """scale with ARGS, expecting exit STATUS: (the process, its runs by key, or None without JSON)."""
    proc, data = scale(polyhost, args, tmp)
    if data is None:
        problems.append("no JSON written")
        return proc, None
    expect(problems, proc.returncode == status, "exit status %d, expected %d" % (proc.returncode, status))
    return proc, runs_by_key(data)


def every_mode_verified(polyhost, fixtures, tmp, problems):
    """lanes_ok at T=1,2 in every mode: ok and verified (its verify() also checks that each thread was
    told which thread it is), one entry per thread with its samples, speedup exactly 1 at T=1."""
    md = os.path.join(tmp, "s.md")
    proc, data = scale(polyhost, [os.path.join(fixtures, "scale", "lanes_ok"), "--threads", "1,2", "--markdown", md] + QUICK,
                       tmp)
    if data is None:
        problems.append("no JSON written")
        return proc
    expect(problems, proc.returncode == 0, "exit status %d, expected 0" % proc.returncode)
    expect(problems, proc.stdout.startswith("CPU: "), "the output does not start with the CPU and its cores")
    expect(problems, data["schema"] == "polyhost.scale/1", "schema %r" % data.get("schema"))
    expect(problems, data["settings"]["thread_counts"] == [1, 2], "thread counts %r" % data["settings"]["thread_counts"])
    runs = runs_by_key(data)
    threads_seen, off = 0, []  # the threads whose steady start or measured calls were not the fast state
    for mode in MODES:
        for threads in (1, 2):
            r = runs.get(("lanes_ok", mode, threads))
            if r is None:
                problems.append("no run for %s at T=%d" % (mode, threads))
                continue
            where = "%s T=%d" % (mode, threads)
            expect(problems, r["status"] == "ok" and r["verified"], "%s: %s, verified %s: %s" % (where, r["status"], r["verified"], r["message"][:300]))
            for key in ("throughput_per_s", "speedup", "efficiency", "ci95", "range", "processes", "message"):
                expect(problems, key in r, "%s: no %s" % (where, key))
            if r["status"] != "ok":
                continue
            process = r["processes"][0]
            expect(problems, len(process["threads"]) == threads, "%s: %d thread entries" % (where, len(process["threads"])))
            for t in process["threads"]:
                expect(problems, t["status"] == "ok" and len(t["samples_ns"]) == process["iterations"] >= 2,
                       "%s: a thread has %s with %d samples for %d iterations" % (where, t["status"], len(t["samples_ns"]), process["iterations"]))
            expect(problems, r["throughput_per_s"] > 0, "%s: throughput %r" % (where, r["throughput_per_s"]))
            # One process per cell: its interval is a range, not a 95% CI.
            expect(problems, r["ci95"] is None and r["range"] is not None, "%s: ci95 %r, range %r" % (where, r["ci95"], r["range"]))
            lo, hi = (r["range"] or {}).get("speedup", [0, 0])
            expect(problems, lo <= r["speedup"] <= hi, "%s: speedup %r outside its range %r" % (where, r["speedup"], [lo, hi]))
            if threads == 1:
                expect(problems, r["speedup"] == 1 and r["efficiency"] == 1, "%s: speedup %r" % (where, r["speedup"]))
            else:
                expect(problems, abs(r["efficiency"] - r["speedup"] / 2) < 1e-12, "%s: efficiency is not speedup / 2" % where)
    # Both V8 modes optimize on the running thread (see host/scale/scale_modes.cc), and say so.
    flags = {m["name"]: m.get("flags") for m in data["modes"]}
    for mode in ("v8-isolates", "node-workers"):
        expect(problems, flags.get(mode) == ["--no-concurrent-recompilation"], "%s flags %r" % (mode, flags.get(mode)))
    expect(problems, flags.get("cpython-threads") == [], "cpython-threads flags %r" % flags.get("cpython-threads"))
    expect(problems, any("--no-concurrent-recompilation" in n for n in data["notes"]), "no note on V8's flags")
    text = open(md).read() if os.path.exists(md) else ""
    expect(problems, "## lanes\\_ok" in text and "`cpython-subinterpreters`" in text and "GIL" in text
           and "flags `--no-concurrent-recompilation`" in text, "the Markdown lacks the workload table, the GIL note or V8's flags")
    return proc


def throws_in_one_thread(polyhost, fixtures, tmp, problems):
    """Thread 2 throws: that run is an error naming thread 2 and the exception, the other thread is
    not measured (skipped), the single-threaded run of the same workload stays ok, exit status 1."""
    proc, runs = scale_runs(polyhost, [os.path.join(fixtures, "scale", "throws_in_thread_2"), "--threads", "1,2"] + QUICK,
                            tmp, problems, 1)
    if runs is None:
        return proc
    for mode in MODES:
        bad = runs[("throws_in_thread_2", mode, 2)]
        expect(problems, bad["status"] == "error", "%s: T=2 is %s, expected error" % (mode, bad["status"]))
        for word in ("thread 2 of 2", "fails on purpose"):
            expect(problems, word in bad["message"], "%s: the message lacks %r: %r" % (mode, word, bad["message"][:300]))
        threads = bad["processes"][0]["threads"] if bad["processes"] else []
        expect(problems, [t["status"] for t in threads] == ["skipped", "error"],
               "%s: thread verdicts %r, expected skipped, error" % (mode, [t["status"] for t in threads]))
        expect(problems, runs[("throws_in_thread_2", mode, 1)]["status"] == "ok", "%s: the single-threaded run failed too" % mode)
    expect(problems, "ERROR: thread 2 of 2" in proc.stdout, "the table does not list the error")
    return proc


FAR_WARMUP = 1000000  # warm-up calls thread 1 would make if nothing stopped it


def failure_stops_warming_lanes(polyhost, fixtures, tmp, problems):
    """Thread 2 throws on its first call while thread 1 has a million warm-up calls to make: thread 1
    is stopped during its warm-up (it went on to its cap, and with a timeout shorter than its warm-up
    the run was the surviving thread's timeout), told why, and the run's verdict is thread 2's error.
    Not cpython-subinterpreters: in 3.11 a busy sub-interpreter's thread keeps the shared GIL from
    the other's (see loop_stopped), so thread 2 may not get to fail at all. (The T=1 runs make their
    million calls, a few seconds each.)"""
    modes = [m for m in MODES if m != "cpython-subinterpreters"]
    args = [os.path.join(fixtures, "scale", "throws_in_thread_2"), "--threads", "2", "--modes", ",".join(modes),
            "--quick", "--processes", "1", "--warmup", str(FAR_WARMUP), "--iterations", "2", "--min-time", "0",
            "--timeout", "120"]
    proc, runs = scale_runs(polyhost, args, tmp, problems, 1)
    if runs is None:
        return proc
    for mode in modes:
        r = runs[("throws_in_thread_2", mode, 2)]
        expect(problems, r["status"] == "error" and r["message"].startswith("thread 2 of 2: ") and "fails on purpose" in r["message"],
               "%s: %s %r" % (mode, r["status"], r["message"][:300]))
        threads = r["processes"][0]["threads"] if r["processes"] else []
        first = threads[0] if threads else {}
        expect(problems, first.get("status") == "skipped"
               and first.get("message") == "not measured: stopped because thread 2 of 2 failed before its measured calls",
               "%s: thread 1 %s %r" % (mode, first.get("status"), first.get("message", "")[:300]))
        expect(problems, len(first.get("warmup_ns", [])) < FAR_WARMUP,
               "%s: thread 1 made all %d warm-up calls" % (mode, len(first.get("warmup_ns", []))))
    # The same with auto warm-up: thread 1, stopped while warming up, has no steady state, though its
    # calls so far were level (python3-threads recorded where its unfinished stretch started).
    auto_args = [a for a in args if a not in ("--warmup", str(FAR_WARMUP))]
    os.makedirs(os.path.join(tmp, "auto"), exist_ok=True)
    proc, runs = scale_runs(polyhost, auto_args, os.path.join(tmp, "auto"), problems, 1)
    if runs is None:
        return proc
    for mode in modes:
        threads = runs[("throws_in_thread_2", mode, 2)]["processes"][0]["threads"]
        expect(problems, threads[0]["status"] == "skipped" and threads[0].get("steady_from") is None,
               "%s, auto warm-up: thread 1 %s, steady_from %r after %d warm-up calls" % (
                   mode, threads[0]["status"], threads[0].get("steady_from"), len(threads[0]["warmup_ns"])))
    return proc


def mismatch_in_every_mode(workload, words):
    """A case: WORKLOAD's results differ between calls, and in every mode the lane's run is a
    mismatch whose message contains WORDS (the two calls named, warm-up included)."""
    def check(polyhost, fixtures, tmp, problems):
        proc, runs = scale_runs(polyhost, [os.path.join(fixtures, "workloads", workload), "--threads", "1"] + QUICK,
                                tmp, problems, 1)
        if runs is None:
            return proc
        for mode in MODES:
            r = runs.get((workload, mode, 1))
            if r is None:
                problems.append("no run for %s" % mode)
                continue
            expect(problems, r["status"] == "mismatch" and words in r["message"],
                   "%s: %s: %r" % (mode, r["status"], r["message"][:300]))
        return proc
    return check


def mismatch_gives_values_in_the_sentences_order(polyhost, fixtures, tmp, problems):
    """A mismatch message gives the two values in the order its sentence names them: the thread's
    own first, then the one it differs from (it gave them the other way round), two modes' in the order
    named, and the reference modes give them too (they gave none)."""
    proc, runs = scale_runs(polyhost, [os.path.join(fixtures, "scale", "result_names_its_thread"), "--threads", "1,2"] + QUICK,
                            tmp, problems, 1)
    if runs is None:
        return proc
    for mode in MODES:
        r = runs[("result_names_its_thread", mode, 2)]
        values = "2 vs 1" if mode in ("v8-isolates", "node-workers") else '"polyhost-thread-2" vs "polyhost-thread-1"'
        expect(problems, r["status"] == "mismatch" and r["message"].endswith("thread 2's result differs from thread 1's: result: " + values),
               "%s: %s %r" % (mode, r["status"], r["message"][:300]))
    proc, runs = scale_runs(polyhost, [os.path.join(fixtures, "workloads", "languages_disagree"), "--threads", "1",
                                       "--modes", "v8-isolates,cpython-threads"] + QUICK, tmp, problems, 1)
    if runs is None:
        return proc
    r = runs[("languages_disagree", "cpython-threads", 1)]
    expect(problems, r["status"] == "mismatch" and r["message"] == "v8-isolates (js) and cpython-threads (py) disagree at result.values[2]: 3 vs 4",
           "cpython-threads: %s %r" % (r["status"], r["message"][:300]))
    return proc


def loop_stopped(modes):
    """Thread 2 never returns: the timeout stops it (TerminateExecution, an interrupt raised in its
    thread, worker.terminate), the run is a timeout naming thread 2, and nothing hangs."""
    def check(polyhost, fixtures, tmp, problems):
        # The Python fixture's thread 2 waits for thread 1's call before it loops (a marker in tmp):
        # otherwise thread 1, still importing, could be starved of the GIL until the timeout.
        os.environ["POLYHOST_TEST_MARKERS"] = tmp
        proc, data = scale(polyhost, [os.path.join(fixtures, "scale", "loops_in_thread_2"), "--threads", "2",
                                      "--timeout", "4", "--modes", ",".join(modes)] + QUICK, tmp)
        if data is None:
            problems.append("no JSON written")
            return proc
        expect(problems, proc.returncode == 1, "exit status %d, expected 1" % proc.returncode)
        runs = runs_by_key(data)
        for mode in modes:
            r = runs[("loops_in_thread_2", mode, 2)]
            expect(problems, r["status"] == "timeout", "%s: %s, expected timeout" % (mode, r["status"]))
            expect(problems, r["message"].startswith("thread 2 of 2: ") and "was stopped" in r["message"],
                   "%s: the stopped thread is not named, or it was not stopped but given up on: %r" % (mode, r["message"][:300]))
            expect(problems, runs[("loops_in_thread_2", mode, 1)]["status"] == "ok", "%s: T=1 is not ok" % mode)
        # Each run may take its 4 s and a 2 s grace; far beyond that something hung.
        expect(problems, proc.seconds < 20 * len(modes), "took %.0f s" % proc.seconds)
        return proc
    return check


def every_looping_lane_stopped(modes):
    """Every lane loops: the timeout stops each of them (none given up on after the grace period),
    including sub-interpreters, which share one GIL in CPython 3.11, and a lane that registers for
    its stop only after the deadline."""
    def check(polyhost, fixtures, tmp, problems):
        proc, data = scale(polyhost, [os.path.join(fixtures, "scale", "loops_in_every_thread"), "--threads", "2,3",
                                      "--timeout", "3", "--modes", ",".join(modes)] + QUICK, tmp)
        if data is None:
            problems.append("no JSON written")
            return proc
        runs = runs_by_key(data)
        for mode in modes:
            for threads in (2, 3):
                r = runs[("loops_in_every_thread", mode, threads)]
                expect(problems, r["status"] == "timeout" and "was stopped" in r["message"] and "given up" not in r["message"],
                       "%s T=%d: %s: %r" % (mode, threads, r["status"], r["message"][:300]))
        return proc
    return check


def small_max_heap_says_why(polyhost, fixtures, tmp, problems):
    """Under a --max-heap too small for CPython's threads, a lane whose thread cannot start fails
    with the cap named and its thread numbered (it was an exception out of the whole worker). (At
    T>=2, where the cap lets the thread start, what fails next varies: a sub-interpreter's set-up,
    which CPython ends with a fatal error, or its import of the prelude.)"""
    proc, data = scale(polyhost, [os.path.join(fixtures, "scale", "lanes_ok"), "--threads", "1", "--max-heap", "16",
                                  "--modes", "cpython-subinterpreters,cpython-threads"] + QUICK, tmp)
    if data is None:
        problems.append("no JSON written")
        return proc
    for r in data["runs"]:
        expect(problems, r["status"] == "error" and r["message"].startswith("thread 1 of 1: polyhost could not start this thread: ")
               and "--max-heap 16 MB" in r["message"], "%s T=%d: %s: %r" % (r["mode"], r["threads"], r["status"], r["message"][:300]))
    return proc


def report_reads_it(polyhost, fixtures, tmp, problems):
    """report draws a speedup chart with the ideal line from a scale file, and refuses a file whose
    speedup was edited, naming the field."""
    proc, data = scale(polyhost, [os.path.join(fixtures, "scale", "lanes_ok"), "--threads", "1,2",
                                  "--modes", "v8-isolates,cpython-threads"] + QUICK, tmp)
    if data is None:
        problems.append("no JSON written")
        return proc
    page = os.path.join(tmp, "r.html")
    rep = subprocess.run([polyhost, "report", os.path.join(tmp, "s.json"), "-o", page], capture_output=True, text=True, timeout=60)
    expect(problems, rep.returncode == 0, "report exit status %d: %s" % (rep.returncode, rep.stderr))
    html = open(page).read() if os.path.exists(page) else ""
    for needle in ("Scaling with threads", "chart speedup", "class=\"ideal\"", "speedup over T=1", "threads (T)", "GIL",
                   "range of the processes, not a 95% CI"):
        expect(problems, needle in html, "the report lacks %r" % needle)
    data["runs"][1]["speedup"] = data["runs"][1]["speedup"] * 2
    tampered = os.path.join(tmp, "tampered.json")
    json.dump(data, open(tampered, "w"))
    rep = subprocess.run([polyhost, "report", tampered, "-o", page], capture_output=True, text=True, timeout=60)
    expect(problems, rep.returncode == 2 and "tampered.json: runs[1].speedup" in rep.stderr,
           "a tampered speedup: exit %d, %r" % (rep.returncode, rep.stderr))
    return proc


SLOW_CALLS = 6  # tests/fixtures/scale/slow_start: its first 6 calls per lane are 10 times slower


@driver.serial
def auto_warmup_goes_past_a_slow_start(polyhost, fixtures, tmp, problems):
    """--warmup auto (the default) in every mode at T=1,2: each thread warms up until its own series
    is steady, which for slow_start is after its slow calls (CPython modes: also after the 8th call,
    its known warm-up point), so threads measure the fast state; steady_from says where.

    Every thread must warm up past the known point and a window, with its steady state inside its
    warm-up. Where the steady state starts and what the measured calls are depend on the machine's
    load as well as on the detector (under load that comes and goes a fast call can take as long as
    a slow one: 3 of 20 runs had one thread of the 22 wrong), so those two are asked of 4 threads
    in 5; the detector's own precision is tested on fixed series in warmup_test.cc and on an
    exact-shape fixture in steady_cases.py."""
    # A longer warm-up cap than --quick's 4 s: on a loaded machine (the suite runs 2 tests at a
    # time on 2 cores) a thread's fast calls can take longer to look level; the detector, not the
    # cap, is what this case is about.
    quick = ["--quick", "--processes", "1", "--iterations", "2", "--min-time", "0", "--max-warmup-time", "30"]
    proc, data = scale(polyhost, [os.path.join(fixtures, "scale", "slow_start"), "--threads", "1,2"] + quick, tmp)
    if data is None:
        problems.append("no JSON written")
        return proc
    expect(problems, proc.returncode == 0, "exit status %d, expected 0" % proc.returncode)
    settings = data["settings"]
    window = settings.get("warmup_policy", {}).get("window")
    expect(problems, settings["warmup"] == "auto" and window == 8, "settings %r" % settings)
    expect(problems, "per thread warm-up until steady: 8 steady iterations" in proc.stdout,
           "the plan does not describe auto warm-up: %r" % proc.stdout[:600])
    runs = runs_by_key(data)
    threads_seen, off = 0, []  # the threads whose steady start or measured calls were not the fast state
    for mode in MODES:
        known = 8 if mode.startswith("cpython") or mode.startswith("python3") else 0
        for threads in (1, 2):
            r = runs.get(("slow_start", mode, threads))
            where = "%s T=%d" % (mode, threads)
            if r is None or r["status"] != "ok":
                problems.append("%s: %s" % (where, r and (r["status"], r["message"][:300])))
                continue
            # (Two measured calls of a short call can be mostly the lanes' start skew: "short measured part".)
            unsteady = [w for w in r["warnings"] if w["kind"] == "no steady state"]
            expect(problems, unsteady == [], "%s: warnings %r" % (where, unsteady))
            for k, t in enumerate(r["processes"][0]["threads"], 1):
                warm, start = t["warmup_ns"], t.get("steady_from")
                if start is None:
                    problems.append("%s thread %d: no steady state after %d warm-up calls" % (where, k, len(warm)))
                    continue
                expect(problems, len(warm) >= known + window and start <= len(warm) - window,
                       "%s thread %d: steady from call %d of %d warm-up calls (known point %d, window %d)" % (
                           where, k, start, len(warm), known, window))
                threads_seen += 1
                slow = statistics.median(warm[1:SLOW_CALLS])
                if start < SLOW_CALLS:
                    off.append("%s thread %d: steady from call %d; the slow calls are 1-%d" % (where, k, start, SLOW_CALLS))
                elif max(t["samples_ns"]) >= slow / 3:
                    off.append("%s thread %d: measured %r, not the fast state (slow calls: %.1f ms)" % (
                        where, k, [round(x / 1e6, 1) for x in t["samples_ns"]], slow / 1e6))
    expect(problems, threads_seen > 0 and len(off) * 5 <= threads_seen,
           "%d of %d threads did not measure the fast state: %s" % (len(off), threads_seen, "; ".join(off)))
    if off:
        print("(within the allowance of 1 in 5: %s)" % "; ".join(off))
    return proc


def fixed_warmup_keeps_its_count(polyhost, fixtures, tmp, problems):
    """--warmup 2: exactly 2 warm-up calls per thread in every mode, no steady_from, no warm-up policy."""
    quick = ["--quick", "--processes", "1", "--iterations", "2", "--min-time", "0", "--warmup", "2"]
    proc, data = scale(polyhost, [os.path.join(fixtures, "scale", "lanes_ok"), "--threads", "2"] + quick, tmp)
    if data is None:
        problems.append("no JSON written")
        return proc
    expect(problems, proc.returncode == 0, "exit status %d, expected 0" % proc.returncode)
    expect(problems, data["settings"]["warmup"] == 2 and "warmup_policy" not in data["settings"],
           "settings %r" % data["settings"])
    expect(problems, "per thread 2 warm-up calls" in proc.stdout, "the plan: %r" % proc.stdout[:600])
    # With --min-time 0 the count is exact (it said "enough for ~0 s"); one of a thing is singular.
    expect(problems, "then exactly 2 measured calls" in proc.stdout and "~0 s" not in proc.stdout
           and "1 workload x 7 modes" in proc.stdout and "x 1 process;" in proc.stdout, "the plan: %r" % proc.stdout[:600])
    for r in data["runs"]:
        where = "%s T=%d" % (r["mode"], r["threads"])
        expect(problems, r["status"] == "ok", "%s: %s %s" % (where, r["status"], r["message"][:300]))
        for t in (t for p in r["processes"] for t in p["threads"]):
            expect(problems, len(t["warmup_ns"]) == 2 and "steady_from" not in t,
                   "%s: %d warm-up calls, steady_from %r" % (where, len(t["warmup_ns"]), t.get("steady_from")))
    return proc


def no_warmup_makes_exactly_the_iterations(polyhost, fixtures, tmp, problems):
    """--warmup 0 leaves no warm call to size the measured part by: --min-time defaults to 0 then, and
    the settings say so (it used to stay 0.5 and be ignored)."""
    proc, data = scale(polyhost, [os.path.join(fixtures, "scale", "lanes_ok"), "--threads", "1", "--modes", "v8-isolates",
                                  "--quick", "--processes", "1", "--warmup", "0", "--iterations", "3"], tmp)
    if data is None:
        problems.append("no JSON written: %r" % proc.stderr[-600:])
        return proc
    expect(problems, proc.returncode == 0, "exit status %d, expected 0" % proc.returncode)
    expect(problems, data["settings"]["min_time_s"] == 0, "settings %r" % data["settings"])
    for r in data["runs"]:
        expect(problems, r["status"] == "ok" and r["processes"][0]["iterations"] == 3, "%r" % r["processes"])
    return proc


def threads_follow_the_cpu_affinity(polyhost, fixtures, tmp, problems):
    """Under taskset -c 0 the default thread counts are 1,2 (one usable CPU, and one more), not the
    machine's cores plus one, and the notes and settings say how many CPUs the run could use."""
    proc = subprocess.run(["taskset", "-c", "0", polyhost, "scale", os.path.join(fixtures, "scale", "lanes_ok"),
                           "--modes", "v8-isolates", "--json", os.path.join(tmp, "s.json")] + QUICK,
                          capture_output=True, text=True, timeout=300)
    data = json.load(open(os.path.join(tmp, "s.json"))) if os.path.exists(os.path.join(tmp, "s.json")) else None
    if data is None:
        problems.append("no JSON written: %r" % proc.stderr[-600:])
        return proc
    expect(problems, proc.returncode == 0, "exit status %d, expected 0" % proc.returncode)
    settings = data["settings"]
    expect(problems, settings["thread_counts"] == [1, 2] and settings["usable_cpus"] == 1, "settings %r" % settings)
    # One CPU is "1 thread" (it said "1 threads").
    expect(problems, "at most 1 thread can run at once" in proc.stdout and "at most 1 thread runs at the same time" in proc.stdout
           and "1 threads" not in proc.stdout, "the plan and notes: %r" % proc.stdout[:800])
    # Past the CPUs a speedup can still grow for work that waits (time.sleep reaches x4 at T=4 on 2
    # cores): the note says "flat or fall" of CPU-bound work only.
    core_note = [n for n in data["notes"] if "at most 1 thread runs" in n]
    expect(problems, len(core_note) == 1 and "for CPU-bound work the speedup can only stay flat or fall" in core_note[0]
           and "work that waits" in core_note[0], "the note on the cores: %r" % core_note)
    return proc


def missing_node_is_skipped_and_not_planned(polyhost, fixtures, tmp, problems):
    """With node off the PATH, node-workers is skipped, and the plan counts only the worker processes
    that start (v8-isolates at T=1,2: 2), as the progress bar does."""
    proc, data = scale(polyhost, [os.path.join(fixtures, "scale", "lanes_ok"), "--modes", "node-workers,v8-isolates",
                                  "--threads", "1,2"] + QUICK, tmp, env=dict(os.environ, PATH="/nonexistent"))
    if data is None:
        problems.append("no JSON written: %r" % proc.stderr[-600:])
        return proc
    statuses = {(r["mode"], r["threads"]): r["status"] for r in data["runs"]}
    expect(problems, statuses == {("node-workers", 1): "skipped", ("node-workers", 2): "skipped", ("v8-isolates", 1): "ok",
                                  ("v8-isolates", 2): "ok"}, "statuses %r" % statuses)
    plan = [line for line in proc.stdout.splitlines() if line.startswith("Plan:")]
    expect(problems, len(plan) == 1 and plan[0].endswith(": 2 worker processes"), "plan %r" % plan)
    # Skipped is no failure: exit 0, and the mode is listed as skipped, not under "not ok".
    expect(problems, proc.returncode == 0, "exit status %d, expected 0" % proc.returncode)
    expect(problems, "not ok:" not in proc.stdout, "a skipped mode is listed as not ok")
    expect(problems, "\nskipped (not installed here; not a failure):\n  node-workers: " in proc.stdout, "the skipped mode is not listed")
    return proc


@driver.serial
def warmup_cap_is_flagged(polyhost, fixtures, tmp, problems):
    """A series that never settles (never_steady: each call 25% longer) ends each thread's warm-up at
    --max-warmup with steady_from null, and the run says 'no steady state' in the JSON, the terminal
    and the Markdown. The python3 modes check the host's watches of a reference script's lanes. Not V8:
    its calls here are 0.1 ms, and a single late spike (a GC, a busy machine) can make the detector take
    so small a drift for a steady state, as it can in `run`."""
    md = os.path.join(tmp, "s.md")
    common = ["--quick", "--processes", "1", "--iterations", "2", "--min-time", "0", "--steady-window", "8",
              "--max-warmup", "16"]
    workload = os.path.join(fixtures, "workloads", "never_steady")
    proc, data = scale(polyhost, [workload, "--threads", "2", "--modes", "cpython-threads,python3-threads,python3-processes",
                                  "--markdown", md] + common, tmp)
    if data is None:
        problems.append("no JSON written")
        return proc
    expect(problems, proc.returncode == 0, "exit status %d, expected 0" % proc.returncode)
    expect(problems, "no steady state: these threads reached a warm-up cap" in proc.stdout, "the terminal lacks the note")
    expect(problems, len(data["runs"]) == 6, "%d runs, expected 6" % len(data["runs"]))
    for r in data["runs"]:
        where = "%s T=%d" % (r["mode"], r["threads"])
        expect(problems, r["status"] == "ok", "%s: %s %s" % (where, r["status"], r["message"][:300]))
        for t in (t for p in r["processes"] for t in p["threads"]):
            expect(problems, len(t["warmup_ns"]) == 16 and t.get("steady_from", 0) is None,
                   "%s: %d warm-up calls (the cap is 16), steady_from %r" % (where, len(t["warmup_ns"]), t.get("steady_from")))
        expect(problems, [w["kind"] for w in r["warnings"]] == ["no steady state"], "%s: warnings %r" % (where, r["warnings"]))
        line = "never_steady | %s | T=%d: %d of %d threads" % (r["mode"], r["threads"], r["threads"], r["threads"])
        expect(problems, line in proc.stdout, "the terminal lacks %r" % line)
    text = open(md).read() if os.path.exists(md) else ""
    expect(problems, "## No steady state" in text and "warm-up until steady: 8 steady iterations lasting 0.05 s, at most 16" in text,
           "the Markdown lacks the section or the policy")
    return proc


def raw_controls(text):
    """The control characters in TEXT that a terminal would act on (C0 but the newline, DEL, C1)."""
    return sorted({c for c in text if (ord(c) < 0x20 and c != "\n") or 0x7F <= ord(c) <= 0x9F})


def failure_message_is_shown_escaped(polyhost, fixtures, tmp, problems):
    """A workload whose run fails with an ESC colour sequence in its message: the table's "not ok"
    lines show it escaped (raw, it painted the rest of the terminal red), the JSON keeps it as it was."""
    proc, runs = scale_runs(polyhost, [os.path.join(fixtures, "scale", "paints_the_terminal"), "--threads", "1",
                                       "--modes", "v8-isolates,cpython-threads"] + QUICK, tmp, problems, 1)
    if runs is None:
        return proc
    raw = raw_controls(proc.stdout)
    expect(problems, not raw, "scale printed control characters %r: %r" % (raw, proc.stdout[-800:]))
    for mode in ("v8-isolates", "cpython-threads"):
        lines = [line for line in proc.stdout.splitlines() if "paints_the_terminal | %s | T=1: ERROR:" % mode in line]
        expect(problems, len(lines) == 1 and "fails with \\x1b[31mred\\x1b[0m in its message" in lines[0],
               "%s: the not ok lines %r" % (mode, lines))
        message = runs[("paints_the_terminal", mode, 1)]["message"]
        expect(problems, "fails with \x1b[31mred\x1b[0m in its message" in message, "%s: the JSON's message %r" % (mode, message))
    return proc


def usage_errors(polyhost, fixtures, tmp, problems):
    """Bad --threads, --modes and warm-up options are usage errors (exit 2) that say what is wrong."""
    proc = None
    good = os.path.join(fixtures, "workloads", "good")
    for args, words in ((["--threads", "0"], "--threads"), (["--threads", "1,x"], "'x'"), (["--threads", "2,2"], "twice"),
                        (["--threads", "1,,2"], "got ''"), (["--threads", "2,"], "got ''"), (["--threads", "+2"], "'+2'"),
                        (["--modes", "v8-isolates,"], "unknown mode ''"),
                        (["--modes", "v8-isolates,nope"], "unknown mode 'nope'"), (["no_such_workload"], "no_such_workload"),
                        # What was typed is echoed escaped: raw, its ESC would paint the terminal.
                        (["--modes", "v8-isolates,\x1b[31mred"], "unknown mode '\\x1b[31mred'"),
                        (["no_such\x1b[31mworkload"], "no_such\\x1b[31mworkload"),
                        (["--threads", "1,\x1b[31m"], "got '\\x1b[31m'"), (["--processes", "\x1b[31m"], "--processes: expected a whole number, got '\\x1b[31m'"),
                        # Only the option given, with its value (it named --processes too).
                        (["--iterations", "0"], "--iterations 0: at least 1 measured call per thread is needed"),
                        (["--warmup", "soon"], "--warmup soon: expected auto"), (["--steady-window", "3"], "--steady-window"),
                        (["--warmup", "0", "--min-time", "0.1"], "--min-time 0.1 needs warm-up calls"),
                        # A workload and a short run, so that polyhost without these checks fails soon.
                        ([good, "--quick", "--processes", "1", "--threads", "1", "--modes", "v8-isolates,cpython-threads",
                          "--steady-window", "5", "--max-warmup", "12"],
                         "cpython-threads changes speed at call 8 (its known warm-up point)"),
                        ([good, "--quick", "--processes", "1", "--threads", "1", "--warmup", "2", "--max-warmup-time", "9"],
                         "--max-warmup-time applies to --warmup auto only"),
                        (["--iterations", "2000000000"], "--iterations 2000000000: at most 1000000"),
                        # The same bound as startup's (it had none: 1000001 was accepted).
                        (["--processes", "100001"], "--processes: Value 100001 not in range 1 to 100000")):
        proc = subprocess.run([polyhost, "scale"] + args, capture_output=True, text=True, timeout=60)
        expect(problems, proc.returncode == 2 and words in proc.stderr, "%s: exit %d, %r" % (args, proc.returncode, proc.stderr))
        expect(problems, not raw_controls(proc.stderr), "%s: control characters on stderr: %r" % (args, proc.stderr))
    return proc


def unstartable_worker_is_its_runs_verdict(polyhost, fixtures, tmp, problems):
    """A scale worker that cannot be started (the binary lost its execute bits mid-run, see
    fixtures/unstartable) is that run's error with the reason; the runs before keep their figures,
    the file is written, exit 1 (it exited 2 with no file)."""
    workloads = [os.path.join(fixtures, "workloads", "good"), os.path.join(fixtures, "unstartable", "revokes_exec"),
                 os.path.join(fixtures, "unstartable", "runs_after")]
    proc, runs = scale_runs(driver.revocable_copy(polyhost, tmp),
                            workloads + ["--threads", "1", "--modes", "v8-isolates,cpython-threads"] + QUICK, tmp, problems, 1)
    if runs is None:
        return proc
    for workload in ("good", "revokes_exec"):
        for mode in ("v8-isolates", "cpython-threads"):
            r = runs[(workload, mode, 1)]
            expect(problems, r["status"] == "ok" and r["throughput_per_s"] > 0, "%s %s: %s %s" % (workload, mode, r["status"], r["message"][:200]))
    for mode in ("v8-isolates", "cpython-threads"):
        r = runs[("runs_after", mode, 1)]
        expect(problems, r["status"] == "error" and r["message"] == "could not start the worker process: Permission denied",
               "runs_after %s: %s %r" % (mode, r["status"], r["message"][:200]))
    return proc


def interrupt_keeps_finished_processes(polyhost, fixtures, tmp, problems):
    """A Ctrl-C (SIGINT) that comes once the T=1 run's first process has finished, from the first
    T=2 process (interrupts_at_two_threads): T=1 stays ok on its one process, with a "fewer
    processes" warning (it was interrupted, losing that process), T=2, with none finished, is
    interrupted; the file is written, exit 130."""
    out = os.path.join(tmp, "s.json")
    # The shell's $$ is the pid polyhost gets by exec: the fixture's thread 2 sends it SIGINT.
    command = ['POLYHOST_TEST_INTERRUPT_PID=$$ exec "$@"', "sh", polyhost, "scale",
               os.path.join(fixtures, "scale", "interrupts_at_two_threads"), "--modes", "cpython-threads",
               "--threads", "1,2", "--quick", "--processes", "2", "--warmup", "1", "--iterations", "2", "--min-time", "0",
               "--json", out]
    proc = subprocess.run(["sh", "-c"] + command, capture_output=True, text=True, timeout=300)
    data = json.load(open(out)) if os.path.exists(out) else None
    if data is None:
        problems.append("no JSON written")
        return proc
    expect(problems, proc.returncode == 130, "exit status %d, expected 130" % proc.returncode)
    runs = runs_by_key(data)
    single, double = runs[("interrupts_at_two_threads", "cpython-threads", 1)], runs[("interrupts_at_two_threads", "cpython-threads", 2)]
    expect(problems, single["status"] == "ok" and len(single["processes"]) == 1 and single["throughput_per_s"] > 0,
           "T=1: %s with %d processes: %r" % (single["status"], len(single["processes"]), single["message"][:300]))
    expect(problems, [w["kind"] for w in single["warnings"]] == ["fewer processes"], "T=1 warnings %r" % single["warnings"])
    expect(problems, double["status"] == "interrupted", "T=2: %s" % double["status"])
    expect(problems, "interrupts_at_two_threads | cpython-threads | T=1: 1 of 2" in proc.stdout,
           "the terminal does not list T=1 with fewer processes")
    expect(problems, "1 run with no process finished marked interrupted, 1 on fewer processes than planned" in proc.stderr,
           "stderr %r" % proc.stderr[-400:])
    return proc


def languages_disagree_in_either_order(polyhost, fixtures, tmp, problems):
    """The two files' results differ (workloads/languages_disagree): every run of the workload is a mismatch
    naming both modes, whichever --modes names first (the mode named first stayed ok and ranked)."""
    proc = None
    for order in (["v8-isolates", "cpython-threads"], ["cpython-threads", "v8-isolates"]):
        os.makedirs(os.path.join(tmp, order[0]), exist_ok=True)
        proc, runs = scale_runs(polyhost, [os.path.join(fixtures, "workloads", "languages_disagree"), "--threads", "1,2",
                                           "--modes", ",".join(order)] + QUICK, os.path.join(tmp, order[0]), problems, 1)
        if runs is None:
            return proc
        first, second = [next(r for k, r in runs.items() if k[1] == m) for m in order]
        words = "%s (%s) and %s (%s) disagree at result" % (order[0], first["language"], order[1], second["language"])
        for (_, mode, threads), r in sorted(runs.items()):
            expect(problems, r["status"] == "mismatch" and words in r["message"] and r["throughput_per_s"] is None,
                   "--modes %s: %s T=%d: %s %r" % (",".join(order), mode, threads, r["status"], r["message"][:300]))
    return proc


def disagreeing_sizes_are_invalid(polyhost, fixtures, tmp, problems):
    """The two files declare different sizes (workloads/sizes_disagree: the same quick size, different
    default ones): every run is invalid with run's message naming both (it was ok, or, where the
    quick sizes differ, a result mismatch blaming one mode)."""
    proc, runs = scale_runs(polyhost, [os.path.join(fixtures, "workloads", "sizes_disagree"), "--threads", "1",
                                       "--modes", "v8-isolates,cpython-threads"] + QUICK, tmp, problems, 1)
    if runs is None:
        return proc
    words = 'sizes differ between the files: js {"default":2,"quick":1} vs py {"default":3,"quick":1}'
    for mode in ("v8-isolates", "cpython-threads"):
        r = runs[("sizes_disagree", mode, 1)]
        expect(problems, r["status"] == "invalid" and r["message"] == words, "%s: %s %r" % (mode, r["status"], r["message"][:300]))
    return proc


def mode_failing_alone_is_still_compared(polyhost, fixtures, tmp, problems):
    """fails_alone_then_disagrees: the JavaScript file throws at T=1 and returns 1 at T=2, the Python file
    returns 2. v8-isolates' T=2 result is compared with cpython-threads' (it had no T=1 to be compared
    by and stayed ok beside a disagreeing mode): in either --modes order every ok run is a mismatch
    naming both modes, and the failed T=1 run keeps its error."""
    proc = None
    for order in (["v8-isolates", "cpython-threads"], ["cpython-threads", "v8-isolates"]):
        os.makedirs(os.path.join(tmp, order[0]), exist_ok=True)
        proc, runs = scale_runs(polyhost, [os.path.join(fixtures, "scale", "fails_alone_then_disagrees"), "--threads", "1,2",
                                           "--modes", ",".join(order)] + QUICK, os.path.join(tmp, order[0]), problems, 1)
        if runs is None:
            return proc
        where = "--modes %s" % ",".join(order)
        failed = runs[("fails_alone_then_disagrees", "v8-isolates", 1)]
        expect(problems, failed["status"] == "error" and "fails alone" in failed["message"],
               "%s: v8-isolates T=1: %s %r" % (where, failed["status"], failed["message"][:300]))
        for key in (("v8-isolates", 2), ("cpython-threads", 1), ("cpython-threads", 2)):
            r = runs[("fails_alone_then_disagrees",) + key]
            expect(problems, r["status"] == "mismatch" and "disagree at result" in r["message"]
                   and "v8-isolates (js, T=2)" in r["message"] and "cpython-threads (py)" in r["message"],
                   "%s: %s T=%d: %s %r" % (where, key[0], key[1], r["status"], r["message"][:300]))
    return proc


@driver.serial
def float_tolerance_verdict_is_the_same_in_any_order(polyhost, fixtures, tmp, problems):
    """floats_a_tolerance_apart: v8-isolates 1.0, node-workers 1 + 1.8e-9, cpython-threads 1 + 0.9e-9 in
    between. The tolerance is not transitive, so every pair of modes is compared: a mismatch in every
    --modes order (with cpython-threads first, each was compared with it only and all were ok)."""
    if not shutil.which("node"):
        print("SKIPPED: node is not installed")
        sys.exit(77)
    proc = None
    for order in (["cpython-threads", "v8-isolates", "node-workers"], ["v8-isolates", "cpython-threads", "node-workers"]):
        os.makedirs(os.path.join(tmp, order[0]), exist_ok=True)
        proc, runs = scale_runs(polyhost, [os.path.join(fixtures, "scale", "floats_a_tolerance_apart"), "--threads", "1",
                                           "--modes", ",".join(order)] + QUICK, os.path.join(tmp, order[0]), problems, 1)
        if runs is None:
            return proc
        for (_, mode, threads), r in sorted(runs.items()):
            expect(problems, r["status"] == "mismatch" and "v8-isolates (js) and node-workers (js) disagree at result" in r["message"],
                   "--modes %s: %s: %s %r" % (",".join(order), mode, r["status"], r["message"][:300]))
    return proc


def disagreeing_sizes_leave_skipped_runs_skipped(polyhost, fixtures, tmp, problems):
    """workloads/sizes_disagree with node off the PATH: node-workers was never run and stays skipped
    (it was made invalid); the modes that ran are invalid, exit 1."""
    proc, data = scale(polyhost, [os.path.join(fixtures, "workloads", "sizes_disagree"), "--threads", "1",
                                  "--modes", "node-workers,v8-isolates,cpython-threads"] + QUICK, tmp,
                       env=dict(os.environ, PATH="/nonexistent"))
    if data is None:
        problems.append("no JSON written: %r" % proc.stderr[-600:])
        return proc
    statuses = {r["mode"]: r["status"] for r in data["runs"]}
    expect(problems, statuses == {"node-workers": "skipped", "v8-isolates": "invalid", "cpython-threads": "invalid"},
           "statuses %r" % statuses)
    expect(problems, proc.returncode == 1, "exit status %d, expected 1" % proc.returncode)
    return proc


def exit_in_a_thread_is_an_error_in_every_mode(polyhost, fixtures, tmp, problems):
    """Thread 2 calls process.exit(3) / sys.exit(3) (exits_in_thread_2): in every mode, node's worker
    threads included (a crash, 'exited with code 3 without a report'), the run is an error naming
    thread 2, the file and the status."""
    proc, runs = scale_runs(polyhost, [os.path.join(fixtures, "scale", "exits_in_thread_2"), "--threads", "2"] + QUICK,
                            tmp, problems, 1)
    if runs is None:
        return proc
    for mode in MODES:
        r = runs[("exits_in_thread_2", mode, 2)]
        headline = r["message"].split("\n")[0]
        expect(problems, r["status"] == "error" and headline.startswith("thread 2 of 2: ") and "exits_in_thread_2." in headline
               and "the workload ended the process" in headline and headline.endswith("with status 3"),
               "%s: %s %r" % (mode, r["status"], r["message"][:300]))
    return proc


def hard_exit_names_the_file_and_threads(polyhost, fixtures, tmp, problems):
    """Thread 2 calls os._exit(3) (hard_exits_in_thread_2) where the lanes are threads of the worker:
    nothing can report which thread, but the crash names the file, the status and the thread count
    (it said only 'the worker exited with status 3 without a report')."""
    modes = ["cpython-threads", "cpython-subinterpreters", "python3-threads"]
    proc, runs = scale_runs(polyhost, [os.path.join(fixtures, "scale", "hard_exits_in_thread_2"), "--threads", "2",
                                       "--modes", ",".join(modes)] + QUICK, tmp, problems, 1)
    if runs is None:
        return proc
    for mode in modes:
        r = runs[("hard_exits_in_thread_2", mode, 2)]
        expect(problems, r["status"] == "crash" and "hard_exits_in_thread_2.py: the workload ended the process" in r["message"]
               and "with status 3 in one of its 2 threads" in r["message"], "%s: %s %r" % (mode, r["status"], r["message"][:300]))
    return proc


def hard_exit_in_a_single_thread_says_its_thread(polyhost, fixtures, tmp, problems):
    """os._exit(3) at T=1 (hard_exits_alone) where the lane is a thread of the worker: the crash says 'in
    its thread' (it said 'in one of its 1 thread (which one is not known...)')."""
    modes = ["cpython-threads", "python3-threads"]
    proc, runs = scale_runs(polyhost, [os.path.join(fixtures, "scale", "hard_exits_alone"), "--threads", "1",
                                       "--modes", ",".join(modes)] + QUICK, tmp, problems, 1)
    if runs is None:
        return proc
    for mode in modes:
        r = runs[("hard_exits_alone", mode, 1)]
        expect(problems, r["status"] == "crash" and "hard_exits_alone.py: the workload ended the process" in r["message"]
               and "with status 3 in its thread" in r["message"] and "one of its" not in r["message"],
               "%s: %s %r" % (mode, r["status"], r["message"][:300]))
    return proc


def hard_exit_with_status_0_is_an_error_naming_the_file(polyhost, fixtures, tmp, problems):
    """Thread 2 calls os._exit(0) (hard_exits_with_0_in_thread_2): as in run, status 0 without a report is
    an error naming the file in every Python mode (the thread modes named neither the file nor the
    thread count, the processes modes called it a crash and named no file)."""
    modes = ["cpython-threads", "cpython-subinterpreters", "cpython-processes", "python3-threads", "python3-processes"]
    proc, runs = scale_runs(polyhost, [os.path.join(fixtures, "scale", "hard_exits_with_0_in_thread_2"), "--threads", "2",
                                       "--modes", ",".join(modes)] + QUICK, tmp, problems, 1)
    if runs is None:
        return proc
    for mode in modes:
        r = runs[("hard_exits_with_0_in_thread_2", mode, 2)]
        expect(problems, r["status"] == "error" and "hard_exits_with_0_in_thread_2.py: the workload ended" in r["message"]
               and "with status 0" in r["message"], "%s: %s %r" % (mode, r["status"], r["message"][:300]))
        if mode.endswith("processes"):
            expect(problems, r["message"].startswith("thread 2 of 2: "), "%s does not name thread 2: %r" % (mode, r["message"]))
        else:
            expect(problems, "in one of its 2 threads" in r["message"], "%s: no thread count: %r" % (mode, r["message"]))
    return proc


def failing_node_is_not_blamed_on_the_workload(polyhost, fixtures, tmp, problems):
    """A node on the PATH that fails itself (prints a SyntaxError for the worker script and exits 1): the
    node-workers run is a crash with node's error, not the workload's os._exit (it was blamed on it)."""
    real_node = shutil.which("node")
    if not real_node:
        print("SKIPPED: node is not installed")
        sys.exit(77)
    folder = os.path.join(tmp, "bin")
    os.makedirs(folder)
    fake = os.path.join(folder, "node")
    with open(fake, "w") as f:
        f.write('#!/bin/sh\ncase "$*" in *scale_worker*) echo "scale_worker.js:70" >&2; '
                'echo "SyntaxError: Unexpected token \'?\'" >&2; exit 1;; esac\nexec %s "$@"\n' % real_node)
    os.chmod(fake, 0o755)
    proc, data = scale(polyhost, [os.path.join(fixtures, "scale", "lanes_ok"), "--threads", "1", "--modes", "node-workers"] + QUICK,
                       tmp, env=dict(os.environ, PATH=folder + os.pathsep + os.environ["PATH"]))
    if data is None:
        problems.append("no JSON written: %r" % proc.stderr[-600:])
        return proc
    r = data["runs"][0]
    expect(problems, r["status"] == "crash" and "the workload ended" not in r["message"]
           and "exited with status 1 without a report" in r["message"] and "SyntaxError: Unexpected token" in r["message"],
           "node-workers: %s %r" % (r["status"], r["message"][:300]))
    return proc


def failed_run_is_not_listed_for_its_quality(polyhost, fixtures, tmp, problems):
    """A run that failed (unsteady_threads_disagree at T=2: a mismatch) and never settled is listed
    under "not ok" only, not also under "no steady state" (the terminal and the Markdown); the ok
    T=1 run, unsteady too, is."""
    md = os.path.join(tmp, "s.md")
    proc, runs = scale_runs(polyhost, [os.path.join(fixtures, "scale", "unsteady_threads_disagree"), "--threads", "2",
                                       "--modes", "cpython-threads", "--quick", "--processes", "1", "--iterations", "2",
                                       "--min-time", "0", "--steady-window", "8", "--max-warmup", "16", "--markdown", md],
                            tmp, problems, 1)
    if runs is None:
        return proc
    failed = runs[("unsteady_threads_disagree", "cpython-threads", 2)]
    expect(problems, failed["status"] == "mismatch", "T=2: %s %r" % (failed["status"], failed["message"][:300]))
    expect(problems, "unsteady_threads_disagree | cpython-threads | T=2: MISMATCH" in proc.stdout, "T=2 is not listed as not ok")
    text = open(md).read() if os.path.exists(md) else ""
    for where, output in (("terminal", proc.stdout), ("Markdown", text)):
        unsteady = output[output.find("o steady state"):]
        expect(problems, "| T=1: 1 of 1 threads" in unsteady, "%s: the ok T=1 run is not listed as unsteady" % where)
        expect(problems, "| T=2: " not in unsteady, "%s: the failed T=2 run is listed under no steady state" % where)
    return proc


CASES = {
    "unstartable_worker_is_its_runs_verdict": unstartable_worker_is_its_runs_verdict,
    "every_mode_verified": every_mode_verified,
    "throws_in_one_thread": throws_in_one_thread,
    "failure_stops_warming_lanes": failure_stops_warming_lanes,
    "mismatch_gives_values_in_the_sentences_order": mismatch_gives_values_in_the_sentences_order,
    "failure_message_is_shown_escaped": failure_message_is_shown_escaped,
    # run() returns another result on each call, or only its first call differs (a warm-up call).
    "changing_result_is_mismatch": mismatch_in_every_mode(
        "result_drifts", "different results in warm-up iteration 1 and measured iteration 1: result: "),
    "result_changing_in_warmup_is_mismatch": mismatch_in_every_mode(
        "result_settles", "different results in warm-up iteration 1 and measured iteration 1: result: 10 vs 11"),
    "loop_stopped_v8_isolates": loop_stopped(["v8-isolates"]),
    "loop_stopped_cpython_threads": loop_stopped(["cpython-threads"]),
    "loop_stopped_cpython_subinterpreters": loop_stopped(["cpython-subinterpreters"]),
    "loop_stopped_cpython_processes": loop_stopped(["cpython-processes"]),
    "loop_stopped_reference_runtimes": loop_stopped(["node-workers", "python3-threads", "python3-processes"]),
    "every_looping_lane_stopped_cpython_subinterpreters": every_looping_lane_stopped(["cpython-subinterpreters"]),
    "every_looping_lane_stopped_cpython_threads": every_looping_lane_stopped(["cpython-threads"]),
    "small_max_heap_says_why": small_max_heap_says_why,
    "report_reads_it": report_reads_it,
    "auto_warmup_goes_past_a_slow_start": auto_warmup_goes_past_a_slow_start,
    "fixed_warmup_keeps_its_count": fixed_warmup_keeps_its_count,
    "warmup_cap_is_flagged": warmup_cap_is_flagged,
    "missing_node_is_skipped_and_not_planned": missing_node_is_skipped_and_not_planned,
    "threads_follow_the_cpu_affinity": threads_follow_the_cpu_affinity,
    "no_warmup_makes_exactly_the_iterations": no_warmup_makes_exactly_the_iterations,
    "usage_errors": usage_errors,
    "interrupt_keeps_finished_processes": interrupt_keeps_finished_processes,
    "mode_failing_alone_is_still_compared": mode_failing_alone_is_still_compared,
    "hard_exit_in_a_single_thread_says_its_thread": hard_exit_in_a_single_thread_says_its_thread,
    "hard_exit_with_status_0_is_an_error_naming_the_file": hard_exit_with_status_0_is_an_error_naming_the_file,
    "failing_node_is_not_blamed_on_the_workload": failing_node_is_not_blamed_on_the_workload,
    "float_tolerance_verdict_is_the_same_in_any_order": float_tolerance_verdict_is_the_same_in_any_order,
    "disagreeing_sizes_leave_skipped_runs_skipped": disagreeing_sizes_leave_skipped_runs_skipped,
    "languages_disagree_in_either_order": languages_disagree_in_either_order,
    "disagreeing_sizes_are_invalid": disagreeing_sizes_are_invalid,
    "exit_in_a_thread_is_an_error_in_every_mode": exit_in_a_thread_is_an_error_in_every_mode,
    "hard_exit_names_the_file_and_threads": hard_exit_names_the_file_and_threads,
    "failed_run_is_not_listed_for_its_quality": failed_run_is_not_listed_for_its_quality,
}

if __name__ == "__main__":
    sys.exit(driver.main(CASES))
