"""CLI cases for `polyhost startup`, run by ctest. Start-up times depend on the machine and on what
else runs, so the figures are checked for presence and plausibility (positive, a CI around the
median, one sample per process, parts that add up, memory that grows with instances kept alive),
never for how big they are.

Usage: startup_cases.py POLYHOST FIXTURES CASE    (or --list)
"""
import html.parser
import json
import os
import signal
import subprocess
import sys
import time

import driver

QUICK_PROCESSES = 6  # what --quick promises: the fewest processes that give a 95% CI of the median
PHASES = {"V8": ["platform", "isolate", "context", "empty_script"], "CPython": ["initialize", "first_import", "empty_script"]}
PROGRAMS = ["node -e 0", "python3 -c pass", "python3 -c pass (direct)", "python3 -S -c pass (direct)", "pypy3 -c pass",
            "polyhost --version", "polyhost exec empty.js", "polyhost exec empty.py"]


def expect(problems, condition, text):
    if not condition:
        problems.append(text)


def check_figure(problems, where, figure, count, positive=True):
    """A median with a 95% CI around it, from COUNT samples (one per process)."""
    samples = figure.get("samples", [])
    expect(problems, len(samples) == count, "%s: %d samples, expected %d" % (where, len(samples), count))
    if not samples:
        return
    median, ci = figure.get("median"), figure.get("ci95")
    expect(problems, isinstance(ci, list) and len(ci) == 2 and ci[0] <= median <= ci[1], "%s: CI %r around %r" % (where, ci, median))
    if ci and ci[0] == ci[1] == median and len(set(samples)) > 1:
        problems.append("%s: a degenerate CI from different samples" % where)
    if positive:
        expect(problems, all(s > 0 for s in samples), "%s: samples not all positive: %r" % (where, samples))


def quick_run(polyhost, fixtures, tmp, workloads):
    out, md = os.path.join(tmp, "s.json"), os.path.join(tmp, "s.md")
    proc = subprocess.run([polyhost, "startup", "--quick", "--instances", "4", "--json", out, "--markdown", md] +
                          [os.path.join(fixtures, "workloads", w) for w in workloads],
                          capture_output=True, text=True, timeout=900)
    data = json.load(open(out)) if os.path.exists(out) else None
    return proc, data, out, md


def quick_run_has_every_figure(polyhost, fixtures, tmp, problems):
    proc, data, out, md = quick_run(polyhost, fixtures, tmp, ["good", "throws", "missing_py"])
    expect(problems, proc.returncode == 1, "exit status %d, expected 1 (the workload that throws)" % proc.returncode)
    if data is None:
        problems.append("no JSON written")
        return proc
    n = QUICK_PROCESSES
    expect(problems, data.get("schema") == "polyhost.startup/1", "schema %r" % data.get("schema"))
    s = data["settings"]
    expect(problems, s["processes"] == n and s["first_result_processes"] == n and s["size_name"] == "quick" and s["quick"],
           "settings %r" % s)
    phases = {(p["engine"], p["phase"]): p for p in data["phases"]}
    for engine, steps in PHASES.items():
        for step in steps:
            p = phases.get((engine, step))
            if p is None:
                problems.append("no phase %s %s" % (engine, step))
                continue
            expect(problems, p["status"] == "ok", "%s %s: %s %s" % (engine, step, p["status"], p.get("message")))
            check_figure(problems, "%s %s time" % (engine, step), p["time_ns"], n)
            check_figure(problems, "%s %s resident" % (engine, step), p["rss_after_bytes"], n)
    for group in data["instances"]:
        where = group["engine"] + " instances"
        expect(problems, group["status"] == "ok" and group["count"] == 4, "%s: %r" % (where, group.get("message")))
        expect(problems, [st["index"] for st in group["steps"]] == [2, 3, 4], "%s: steps %r" % (where, group["steps"]))
        for st in group["steps"]:
            check_figure(problems, "%s #%d time" % (where, st["index"]), st["time_ns"], n)
            check_figure(problems, "%s #%d resident" % (where, st["index"]), st["rss_after_bytes"], n)
            check_figure(problems, "%s #%d added" % (where, st["index"]), st["rss_added_bytes"], n, positive=False)
        check_figure(problems, where + " mean time", group["mean_time_ns"], n)
        check_figure(problems, where + " mean added", group["mean_rss_added_bytes"], n, positive=False)
        # Every instance stays alive: the process holds more with four than with two.
        if group["steps"]:
            first, last = group["steps"][0]["rss_after_bytes"]["median"], group["steps"][-1]["rss_after_bytes"]["median"]
            expect(problems, last > first, "%s: resident %r with 4 alive, %r with 2" % (where, last, first))
    expect(problems, sorted(g["engine"] for g in data["instances"]) == ["CPython", "V8"], "instances %r" % data["instances"])
    programs = {p["name"]: p for p in data["processes"]}
    expect(problems, sorted(programs) == sorted(PROGRAMS), "programs %r" % list(programs))
    for name in PROGRAMS:
        p = programs.get(name)
        if p is None:
            problems.append("no program %r" % name)
            continue
        expect(problems, p["status"] == "ok", "%s: %s %s" % (name, p["status"], p.get("message")))
        expect(problems, p["argv"] and os.path.isabs(p["argv"][0]), "%s: argv %r" % (name, p["argv"]))
        check_figure(problems, name + " time", p["time_ns"], n)
        check_figure(problems, name + " peak", p["peak_rss_bytes"], n)
        # A whole process holds at least a megabyte (the helper makes sure the figure is the child's).
        expect(problems, p["peak_rss_bytes"]["samples"] and min(p["peak_rss_bytes"]["samples"]) > 1 << 20, "%s: peak %r" % (name, p["peak_rss_bytes"]))
    expect(problems, "pyenv" not in programs.get("python3 -c pass", {}).get("description", "pyenv") or
           any(d["name"] == "pyenv shim" for d in data["differences"]), "the shim is not named as such")
    for d in data["differences"]:
        expect(problems, d["minuend"] in programs and d["subtrahend"] in programs, "difference %r" % d)
        expect(problems, d["median_ns"] is not None and d["ci95_ns"][0] <= d["median_ns"] <= d["ci95_ns"][1], "difference %r" % d)
    expect(problems, len(data["differences"]) == 4, "%d differences" % len(data["differences"]))
    first = {(f["workload"], f["config"]): f for f in data["first_results"]}
    for workload in ("good",):
        for config in ("v8-jit", "cpython"):
            f = first.get((workload, config))
            if f is None:
                problems.append("no first result for %s/%s" % (workload, config))
                continue
            where = "%s/%s" % (workload, config)
            expect(problems, f["status"] == "ok" and f["size"] > 0, "%s: %s %s" % (where, f["status"], f.get("message")))
            for field in ("start_ns", "engine_ns", "load_ns", "run_ns", "total_ns", "rss_after_bytes", "peak_rss_bytes"):
                check_figure(problems, where + " " + field, f[field], n)
            check_figure(problems, where + " setup_ns", f["setup_ns"], n, positive=f["has_setup"])
            parts = zip(*(f[k]["samples"] for k in ("start_ns", "engine_ns", "load_ns", "setup_ns", "run_ns")))
            sums = [sum(p) for p in parts]
            expect(problems, all(abs(x - t) <= 1e-6 * t for x, t in zip(sums, f["total_ns"]["samples"])),
                   "%s: total is not the sum of its parts" % where)
            expect(problems, all(p >= r for p, r in zip(f["peak_rss_bytes"]["samples"], f["rss_after_bytes"]["samples"])),
                   "%s: peak below the resident size" % where)
    for config in ("v8-jit", "cpython"):
        f = first.get(("throws", config), {})
        expect(problems, f.get("status") == "error" and "throws" in f.get("message", ""), "throws/%s: %r" % (config, f))
        expect(problems, len(f.get("total_ns", {}).get("samples", [None])) == 0, "throws/%s has samples" % config)
    # A workload without its .py is refused before any process, as run says it (not an import error).
    f = first.get(("missing_py", "cpython"), {})
    expect(problems, f.get("status") == "error" and f.get("message", "").startswith("missing ") and "missing_py.py" in f["message"],
           "missing_py/cpython: %r" % f)
    expect(problems, first.get(("missing_py", "v8-jit"), {}).get("status") == "ok", "missing_py/v8-jit was not measured")
    text = proc.stdout
    for words in ("In one fresh process", "Further instances", "Whole programs", "Costs shown apart", "Time to first result",
                  "node -e 0", "ERROR", "3 not ok:", "throws [cpython]: error:"):
        expect(problems, words in text, "no %r in the table" % words)
    markdown = open(md, encoding="utf-8").read() if os.path.exists(md) else ""
    for words in ("# polyhost start-up and memory", "## Whole programs", "`node -e 0`", "## Not ok"):
        expect(problems, words in markdown, "no %r in the Markdown" % words)
    report_has_the_charts(polyhost, out, tmp, problems)
    return proc


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.svg = 0
        self.titles = []
        self._title = False

    def handle_starttag(self, tag, attrs):
        if tag == "svg":
            self.svg += 1
        self._title = tag == "title" and self.svg > 0

    def handle_data(self, data):
        if self._title:
            self.titles.append(data)
            self._title = False


def report_has_the_charts(polyhost, startup_json, tmp, problems):
    html_file = os.path.join(tmp, "r.html")
    proc = subprocess.run([polyhost, "report", startup_json, "-o", html_file], capture_output=True, text=True, timeout=60)
    expect(problems, proc.returncode == 0, "report failed: %d %s" % (proc.returncode, proc.stderr))
    if not os.path.exists(html_file):
        return
    page = Page()
    page.feed(open(html_file, encoding="utf-8").read())
    for title in ("Whole programs: spawn to exit", "Whole programs: peak resident memory", "In one process, step by step: time",
                  "In one process: resident memory after each step", "Memory each further instance adds",
                  "Time to first result: engine start + load + setup + first run", "Resident memory at the first result"):
        expect(problems, title in page.titles, "no chart %r in the report (charts: %r)" % (title, page.titles))


def damaged_file_is_refused(polyhost, fixtures, tmp, problems):
    """A startup file whose median is not what its samples give: report names the file and field."""
    doc = {"schema": "polyhost.startup/1", "environment": {},
           "settings": {"quick": True, "processes": 6, "first_result_processes": 6, "instances": 2, "size_name": "quick",
                        "configs": ["v8-jit"], "wall_seconds": 1},
           "phases": [{"engine": "V8", "phase": "platform", "description": "d", "status": "ok",
                       "time_ns": {"median": 6, "ci95": [1, 9], "samples": [1, 2, 3, 7, 8, 9]},
                       "rss_after_bytes": {"median": None, "ci95": None, "samples": []}}],
           "instances": [], "processes": [], "differences": [], "first_results": []}
    path = os.path.join(tmp, "damaged.json")
    json.dump(doc, open(path, "w"))
    proc = subprocess.run([polyhost, "report", path, "-o", os.path.join(tmp, "x.html")], capture_output=True, text=True, timeout=60)
    expect(problems, proc.returncode == 2, "exit status %d, expected 2" % proc.returncode)
    expect(problems, "damaged.json: phases[0].time_ns.median: differs from the median of the samples" in proc.stderr,
           "stderr: %r" % proc.stderr)
    expect(problems, not os.path.exists(os.path.join(tmp, "x.html")), "a report was written")
    return proc


def ctrl_c_writes_what_was_measured(polyhost, fixtures, tmp, problems):
    """Ctrl-C stops the worker that runs, marks what was not finished, writes the file, exits 130."""
    out = os.path.join(tmp, "s.json")
    markdown = os.path.join(tmp, "s.md")
    proc = subprocess.Popen([polyhost, "startup", "--quick", "--json", out, "--markdown", markdown,
                             os.path.join(fixtures, "workloads", "good")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(3)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=120)
    proc.stdout, proc.stderr = stdout, stderr
    expect(problems, proc.returncode == 130, "exit status %d, expected 130" % proc.returncode)
    expect(problems, "interrupted" in stderr, "stderr %r" % stderr)
    if not os.path.exists(out):
        problems.append("no JSON written")
        return proc
    data = json.load(open(out))
    rows = data["phases"] + data["instances"] + data["processes"] + data["first_results"]
    interrupted = [r for r in rows if r["status"] == "interrupted"]
    expect(problems, interrupted and all("interrupted (Ctrl-C) after" in r["message"] for r in interrupted),
           "no row says it was interrupted: %r" % [r["status"] for r in rows])
    expect(problems, all(r["status"] in ("ok", "interrupted", "skipped") for r in rows), "statuses %r" % [r["status"] for r in rows])
    check_few_processes_are_a_range(problems, data, stdout, open(markdown).read() if os.path.exists(markdown) else "")
    return proc


def figures_in(node):
    """Every figure (an object with samples and a median) anywhere in NODE."""
    if isinstance(node, dict):
        if "samples" in node and "median" in node:
            yield node
        for value in node.values():
            yield from figures_in(value)
    elif isinstance(node, list):
        for value in node:
            yield from figures_in(value)


def check_few_processes_are_a_range(problems, data, stdout, markdown):
    """A figure from fewer than 6 processes (interrupted) is no 95% CI: its JSON has ci95 null and the
    processes' range, and the terminal and Markdown label its interval a range."""
    few = [f for f in figures_in(data) if 0 < len(f["samples"]) < 6]
    enough = [f for f in figures_in(data) if len(f["samples"]) >= 6]
    expect(problems, few, "no figure with fewer than 6 processes: interrupted too late to check")
    for f in few:
        expect(problems, f["ci95"] is None and f.get("range") == [min(f["samples"]), max(f["samples"])],
               "a figure of %d processes: ci95 %r, range %r" % (len(f["samples"]), f["ci95"], f.get("range")))
    for f in enough:
        expect(problems, f["ci95"] is not None and f.get("range") is None, "a figure of %d processes: %r" % (len(f["samples"]), f))
    if few:
        for name, text in (("stdout", stdout), ("Markdown", markdown)):
            expect(problems, "[range " in text and "not a 95% CI: fewer than 6 processes" in text,
                   "%s does not label the few processes' intervals a range" % name)
            expect(problems, "median [95% CI] over" not in text, "%s calls every interval a 95%% CI" % name)


def first_result_worker(polyhost, fixtures, name, extra, folder="startup"):
    """One startup-worker measuring the first result of tests/fixtures/FOLDER/NAME in cpython: its
    message (a JSON object), or None."""
    proc = subprocess.run([polyhost, "startup-worker", "--measure", "first-result", "--file",
                           os.path.join(fixtures, folder, name, name + ".py"), "--config", "cpython", "--size", "quick",
                           "--timeout", "30", "--result-fd", "1"] + extra, capture_output=True, text=True, timeout=60)
    try:
        return json.loads(proc.stdout)
    except ValueError:
        return None


def peak_is_taken_before_verify(polyhost, fixtures, tmp, problems):
    """The first result's peak is the process's when run(n) returned: verify() of verify_allocates
    holds about 200 MB, which it used to include."""
    m = first_result_worker(polyhost, fixtures, "verify_allocates", [])
    if m is None:
        problems.append("no message from the worker")
        return None
    expect(problems, m["ok"], "not ok: %r" % m.get("message"))
    rss_at_run = m["steps"][-1]["rss_after_bytes"]
    expect(problems, m["peak_rss_bytes"] < rss_at_run + 100 * 2**20,
           "peak %d bytes, resident at the result %d: verify()'s memory is in the peak" % (m["peak_rss_bytes"], rss_at_run))
    return None


def max_heap_caps_the_first_result(polyhost, fixtures, tmp, problems):
    """--max-heap reaches the first-result workers: a Python workload that allocates forever fails with
    a MemoryError under a 64 MB cap, instead of taking the machine's memory."""
    m = first_result_worker(polyhost, fixtures, "allocates_forever", ["--max-heap", "64"])
    if m is None:
        problems.append("no message from the worker")
        return None
    expect(problems, not m["ok"] and m.get("failure") == "out-of-memory" and "MemoryError" in m["message"]
           and "(--max-heap 64 MB)" in m["message"], "ok %r, %r: %r" % (m["ok"], m.get("failure"), m["message"][:300]))
    expect(problems, m["peak_rss_bytes"] < 400 * 2**20, "peak %d bytes under a 64 MB cap" % m["peak_rss_bytes"])
    return None


def loop_in_setup_is_a_timeout(polyhost, fixtures, tmp, problems):
    """A workload whose setup never returns is stopped at --timeout and fails with timeout, naming the
    limit as run does (it was an error, like any other failure), in both languages."""
    for language in ("py", "js"):
        proc = subprocess.run([polyhost, "startup-worker", "--measure", "first-result", "--file",
                               os.path.join(fixtures, "startup", "loops_in_setup", "loops_in_setup." + language),
                               "--config", "cpython" if language == "py" else "v8-jit", "--size", "quick", "--timeout", "2",
                               "--result-fd", "1"], capture_output=True, text=True, timeout=60)
        try:
            m = json.loads(proc.stdout)
        except ValueError:
            problems.append("%s: no message from the worker: %r" % (language, proc.stderr[-300:]))
            continue
        expect(problems, not m["ok"] and m.get("failure") == "timeout" and m["message"].endswith("(--timeout 2 s)"),
               "%s: ok %r, %r: %r" % (language, m["ok"], m.get("failure"), m["message"][:300]))
    return None


def thread_under_a_small_max_heap_names_the_cap(polyhost, fixtures, tmp, problems):
    """A first-result worker whose workload starts a thread under --max-heap 16 fails saying the cap is
    the likely cause (the thread's stack counts against it); under 2048 MB it is ok."""
    m = first_result_worker(polyhost, fixtures, "starts_a_thread", ["--max-heap", "16"], folder="bad")
    if m is None:
        problems.append("no message from the worker")
        return None
    expect(problems, not m["ok"] and "can't start new thread" in m["message"] and
           "likely the --max-heap 16 MB cap" in m["message"], "ok %r: %r" % (m["ok"], m["message"][:400]))
    m = first_result_worker(polyhost, fixtures, "starts_a_thread", ["--max-heap", "2048"], folder="bad")
    expect(problems, m is not None and m["ok"], "with room for the thread: %r" % m)
    return None


def raw_controls(text):
    """The control characters in TEXT that a terminal would act on (C0 but the newline, DEL, C1)."""
    return sorted({c for c in text if (ord(c) < 0x20 and c != "\n") or 0x7F <= ord(c) <= 0x9F})


def failure_message_is_shown_escaped(polyhost, fixtures, tmp, problems):
    """A workload whose first run fails with an ESC colour sequence in its message: the "not measured"
    lines show it escaped (raw, it painted the rest of the terminal red), the JSON keeps it as it was."""
    out = os.path.join(tmp, "s.json")
    proc = subprocess.run([polyhost, "startup", "--quick", "--instances", "2", "--json", out,
                           os.path.join(fixtures, "scale", "paints_the_terminal")], capture_output=True, text=True, timeout=900)
    expect(problems, proc.returncode == 1, "exit status %d, expected 1 (the workload fails)" % proc.returncode)
    raw = raw_controls(proc.stdout)
    expect(problems, not raw, "startup printed control characters %r: %r" % (raw, proc.stdout[-800:]))
    first = {f["config"]: f for f in json.load(open(out))["first_results"]} if os.path.exists(out) else {}
    for config in ("v8-jit", "cpython"):
        lines = [line for line in proc.stdout.splitlines() if "paints_the_terminal [%s]: error:" % config in line]
        expect(problems, len(lines) == 1 and "fails with \\x1b[31mred\\x1b[0m in its message" in lines[0],
               "%s: the not measured lines %r" % (config, lines))
        message = first.get(config, {}).get("message", "")
        expect(problems, "fails with \x1b[31mred\x1b[0m in its message" in message, "%s: the JSON's message %r" % (config, message))
    return proc


def usage_error(args, words):
    def check(polyhost, fixtures, tmp, problems):
        proc = subprocess.run([polyhost, "startup"] + [a.replace("TMP", tmp) for a in args], capture_output=True, text=True,
                              timeout=60)
        expect(problems, proc.returncode == 2, "exit status %d, expected 2" % proc.returncode)
        expect(problems, words in proc.stderr, "stderr %r lacks %r" % (proc.stderr, words))
        expect(problems, not raw_controls(proc.stderr), "control characters on stderr: %r" % proc.stderr)
        expect(problems, "Timing start-up" not in proc.stdout, "it started measuring")
        return proc
    return check


def unstartable_worker_keeps_what_was_measured(polyhost, fixtures, tmp, problems):
    """Workers that cannot be started (the binary lost its execute bits during the first round, see
    fixtures/unstartable) make their rows errors naming the reason; the first round's figures are kept,
    programs that do not need polyhost are still timed, the files are written, exit 1 (it exited 2
    with no file)."""
    copy = driver.revocable_copy(polyhost, tmp)
    out = os.path.join(tmp, "s.json")
    proc = subprocess.run([copy, "startup", "--quick", "--instances", "2", "--json", out] +
                          [os.path.join(fixtures, "unstartable", w) for w in ("revokes_exec", "runs_after")],
                          capture_output=True, text=True, timeout=300)
    expect(problems, proc.returncode == 1, "exit status %d, expected 1" % proc.returncode)
    if not os.path.exists(out):
        problems.append("no JSON written")
        return proc
    data = json.load(open(out))
    not_started = "could not start the worker process: Permission denied"
    for phase in data["phases"]:
        expect(problems, phase["status"] == "error" and phase["message"] == not_started and len(phase["time_ns"]["samples"]) == 1,
               "%s %s: %s %r, %d samples" % (phase["engine"], phase["phase"], phase["status"], phase.get("message"),
                                              len(phase["time_ns"]["samples"])))
    rows = {(r["workload"], r["config"]): r for r in data["first_results"]}
    for config in ("v8-jit", "cpython"):
        kept, lost = rows[("revokes_exec", config)], rows[("runs_after", config)]
        expect(problems, len(kept["total_ns"]["samples"]) == 1, "revokes_exec [%s] lost its first round" % config)
        expect(problems, lost["status"] == "error" and lost["message"] == not_started,
               "runs_after [%s]: %s %r" % (config, lost["status"], lost.get("message")))
    direct = next(p for p in data["processes"] if p["name"] == "python3 -S -c pass (direct)")
    expect(problems, direct["status"] == "ok", "python3 -S was not timed: %s" % direct["status"])
    return proc


def disagreeing_sizes_are_invalid(polyhost, fixtures, tmp, problems):
    """The two files declare different sizes (workloads/sizes_disagree): both first-result rows are
    invalid with run's message naming both (they were ok, side by side at different n), exit 1."""
    out = os.path.join(tmp, "s.json")
    proc = subprocess.run([polyhost, "startup", "--quick", "--instances", "2", "--json", out,
                           os.path.join(fixtures, "workloads", "sizes_disagree")], capture_output=True, text=True, timeout=900)
    expect(problems, proc.returncode == 1, "exit status %d, expected 1" % proc.returncode)
    rows = {f["config"]: f for f in json.load(open(out))["first_results"]} if os.path.exists(out) else {}
    words = 'sizes differ between the files: js {"default":2,"quick":1} vs py {"default":3,"quick":1}'
    for config in ("v8-jit", "cpython"):
        row = rows.get(config, {})
        expect(problems, row.get("status") == "invalid" and row.get("message") == words,
               "%s: %s %r" % (config, row.get("status"), row.get("message")))
        expect(problems, "sizes_disagree [%s]: invalid: %s" % (config, words) in proc.stdout, "%s: the terminal lacks the verdict" % config)
    return proc


def invalid_rows_have_no_figures(polyhost, fixtures, tmp, problems):
    """startup/sizes_disagree_py_fails: the .py declares another quick size than the .js and its run()
    raises, so only v8-jit gives first results. Both rows are invalid, as run and scale say (the
    failing side's sizes were read when it loaded the file; it was ok + error), with no figures in
    the JSON, the table, the Markdown or the report's charts, listed under "not ok" (the figures were
    shown, charted and listed under "not measured"). --configs all names every embedded configuration
    (it was refused)."""
    out, md, page = (os.path.join(tmp, f) for f in ("s.json", "s.md", "r.html"))
    proc = subprocess.run([polyhost, "startup", "--quick", "--instances", "2", "--configs", "all", "--json", out, "--markdown", md,
                           os.path.join(fixtures, "startup", "sizes_disagree_py_fails")], capture_output=True, text=True, timeout=900)
    expect(problems, proc.returncode == 1, "exit status %d, expected 1: %s" % (proc.returncode, proc.stderr[-300:]))
    if not os.path.exists(out):
        problems.append("no JSON written")
        return proc
    rows = {f["config"]: f for f in json.load(open(out))["first_results"]}
    expect(problems, sorted(rows) == sorted(["v8-jit", "v8-sparkplug", "v8-ignition", "cpython"]), "configs %r" % sorted(rows))
    words = 'sizes differ between the files: js {"default":1,"quick":1} vs py {"default":1,"quick":2}'
    for config, row in rows.items():
        expect(problems, row.get("status") == "invalid" and row.get("message") == words,
               "%s: %s %r" % (config, row.get("status"), row.get("message")))
        expect(problems, not row["total_ns"]["samples"] and not row["rss_after_bytes"]["samples"], "%s keeps its figures" % config)
    table = proc.stdout.split("Time to first result", 1)[-1]
    expect(problems, "ms" not in table.split("not ok:")[0] and "MiB" not in table.split("not ok:")[0],
           "the first-result table shows figures: %r" % table)
    expect(problems, "4 not ok:" in proc.stdout and "not measured" not in proc.stdout, "the heading: %r" % table)
    markdown = open(md, encoding="utf-8").read()
    expect(problems, "## Not ok" in markdown and "Not measured" not in markdown, "the Markdown's heading")
    first = markdown.split("## Time to first result", 1)[-1].split("## Not ok")[0]
    expect(problems, " ms" not in first and "MiB" not in first, "the Markdown shows figures: %r" % first)
    subprocess.run([polyhost, "report", out, "-o", page], capture_output=True, text=True, timeout=60)
    html_text = open(page, encoding="utf-8").read() if os.path.exists(page) else ""
    expect(problems, "no workload gave a first result" in html_text and "not ok</h3>" in html_text,
           "the report charts the invalid rows or lacks the not ok heading")
    return proc


CASES = {
    "unstartable_worker_keeps_what_was_measured": unstartable_worker_keeps_what_was_measured,
    "quick_run_has_every_figure": quick_run_has_every_figure,
    "failure_message_is_shown_escaped": failure_message_is_shown_escaped,
    "damaged_file_is_refused": damaged_file_is_refused,
    "ctrl_c_writes_what_was_measured": ctrl_c_writes_what_was_measured,
    "reference_config_refused": usage_error(["--configs", "node"], "'node' runs a separate program"),
    # The known ones are listed, as scale's --modes lists its modes.
    "unknown_config_refused": usage_error(["--configs", "v8-jit,bogus"],
                                          "unknown configuration 'bogus' (known: v8-jit, v8-sparkplug, v8-ignition, cpython)"),
    # What was typed is echoed escaped: raw, its ESC would paint the terminal.
    "config_with_an_escape_refused_escaped": usage_error(["--configs", "v8-jit,\x1b[31mred"], "unknown configuration '\\x1b[31mred'"),
    "workload_with_an_escape_refused_escaped": usage_error(["no_such\x1b[31mworkload"], "no_such\\x1b[31mworkload"),
    "unwritable_json_with_an_escape_refused_escaped": usage_error(["--json", "TMP/missing\x1b[31m/s.json"], "missing\\x1b[31m/s.json"),
    "empty_config_item_refused": usage_error(["--configs", "v8-jit,"], "unknown configuration ''"),
    "one_instance_refused": usage_error(["--instances", "1"], "--instances"),
    "too_few_processes_for_a_ci_refused": usage_error(["--processes", "5"], "--processes: Value 5 not in range 6"),
    "too_few_first_result_processes_refused": usage_error(["--first-result-processes", "2"], "--first-result-processes: Value 2 not in range 6"),
    "unknown_workload_refused": usage_error(["no_such_workload"], "no_such_workload"),
    "unwritable_json_refused": usage_error(["--json", "TMP/missing/dir/s.json"], "cannot write --json"),
    "loop_in_setup_is_a_timeout": loop_in_setup_is_a_timeout,
    "zero_max_heap_refused": usage_error(["--max-heap", "0"], "--max-heap"),
    "peak_is_taken_before_verify": peak_is_taken_before_verify,
    "max_heap_caps_the_first_result": max_heap_caps_the_first_result,
    "thread_under_a_small_max_heap_names_the_cap": thread_under_a_small_max_heap_names_the_cap,
    "disagreeing_sizes_are_invalid": disagreeing_sizes_are_invalid,
    "invalid_rows_have_no_figures": invalid_rows_have_no_figures,
}

if __name__ == "__main__":
    sys.exit(driver.main(CASES))
