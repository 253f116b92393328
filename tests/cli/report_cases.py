"""polyhost report, run by ctest: the HTML is self-contained, has every chart with a title, axes
and units, shows every non-ok verdict and the overhead heat map; and it renders in Debian's
headless Chromium with no console errors (skipped, visibly, when Chromium is not installed).
Crafted inputs check the rest: a malformed file is an exit 2 naming the file and the JSON path,
failed overhead cells and failed runs are loud, warnings and sizes are shown.

Usage: report_cases.py POLYHOST FIXTURES CASE    (or --list)
"""
import html.parser
import json
import os
import re
import shutil
import statistics
import subprocess
import sys

import driver

SKIP = 77  # ctest's SKIP_RETURN_CODE for these tests


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = {}
        self.svg_titles = []
        self.fetching = []  # attributes that would make the browser fetch something
        self._in_svg_title = False
        self.text = []

    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        for name, value in attrs:
            if name in ("src", "href") and value and not value.startswith("#"):
                self.fetching.append("%s %s=%s" % (tag, name, value))
        if tag in ("script", "link", "iframe", "img"):
            self.fetching.append(tag)
        self._in_svg_title = tag == "title" and self.tags.get("svg", 0) > 0

    def handle_data(self, data):
        self.text.append(data)
        if self._in_svg_title:
            self.svg_titles.append(data)
            self._in_svg_title = False


def make_inputs(polyhost, fixtures, tmp):
    """A run with good and bad workloads, and an overhead file, as the report's inputs."""
    results = os.path.join(tmp, "results.json")
    subprocess.run([polyhost, "run", os.path.join(fixtures, "workloads", "good"), os.path.join(fixtures, "workloads", "async_ok"),
                    os.path.join(fixtures, "workloads", "languages_disagree"), "--quick", "--processes", "1",
                    "--warmup", "2", "--iterations", "10", "--json", results], capture_output=True, timeout=300)
    overhead = os.path.join(tmp, "overhead.json")
    subprocess.run([polyhost, "overhead", "--quick", "--json", overhead], capture_output=True, timeout=300)
    report = os.path.join(tmp, "report.html")
    proc = subprocess.run([polyhost, "report", results, overhead, "-o", report], capture_output=True, text=True, timeout=60)
    return proc, report


def self_contained_with_every_chart(polyhost, fixtures, tmp, problems):
    proc, report = make_inputs(polyhost, fixtures, tmp)
    if proc.returncode != 0 or not os.path.exists(report):
        problems.append("report failed: %d %s" % (proc.returncode, proc.stderr))
        return proc
    page = Page()
    page.feed(open(report, encoding="utf-8").read())
    text = " ".join(page.text)
    if page.fetching:
        problems.append("the page would fetch: %r" % page.fetching)
    # 3 workloads: a bar chart each for the two that have ok runs, a warm-up chart each; and the memory chart.
    if page.tags.get("svg", 0) != 6:
        problems.append("%d charts, expected 6" % page.tags.get("svg", 0))
    if "Peak resident memory" not in page.svg_titles:
        problems.append("no memory chart: %r" % page.svg_titles)
    for name, charts in (("good", 2), ("async_ok", 2), ("languages_disagree", 1)):
        if page.svg_titles.count(name) != charts:
            problems.append("chart titles for %s: %r" % (name, page.svg_titles))
    if "Nothing to plot:" not in text:
        problems.append("languages_disagree (all runs MISMATCH) is not said to have nothing to plot")
    for words in ("time per iteration (median, 95% CI; log scale)", "iteration in the process", "v8-jit", "cpython"):
        if words not in text:
            problems.append("no %r on the page" % words)
    if not re.search(r"\d+ of \d+ runs are not ok", text) or "MISMATCH" not in text:
        problems.append("the non-ok verdicts are not shown loudly")
    if "Extension-call overhead" not in text or "v8-fast-api" not in text or "pybind11" not in text:
        problems.append("no overhead heat map")
    if "CPU" not in text or "Command" not in text:
        problems.append("no environment section")
    bad = subprocess.run([polyhost, "report", os.path.join(tmp, "missing.json"), "-o", os.path.join(tmp, "x.html")],
                         capture_output=True, text=True, timeout=60)
    if bad.returncode != 2 or "missing.json" not in bad.stderr:
        problems.append("a missing input is not a clear error: %d %r" % (bad.returncode, bad.stderr))
    return proc


def renders_in_chromium(polyhost, fixtures, tmp, problems):
    chromium = shutil.which("chromium")
    if not chromium:
        print("SKIPPED: Debian's chromium is not installed (scripts/test installs it)")
        sys.exit(SKIP)
    proc, report = make_inputs(polyhost, fixtures, tmp)
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--user-data-dir=" + os.path.join(tmp, "profile"), "--enable-logging=stderr", "--v=0"]
    dom = subprocess.run([chromium] + flags + ["--dump-dom", "file://" + report], capture_output=True, text=True, timeout=120)
    rendered = dom.stdout.count("<svg")
    if rendered != 6:
        problems.append("Chromium rendered %d charts, expected 6" % rendered)
    console = [line for line in dom.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line or "net::ERR" in line]
    if console:
        problems.append("console errors: %r" % console[:5])
    shot = os.path.join(tmp, "report.png")
    subprocess.run([chromium] + flags + ["--hide-scrollbars", "--window-size=1360,2000", "--screenshot=" + shot,
                                         "file://" + report], capture_output=True, timeout=120)
    if not os.path.exists(shot) or os.path.getsize(shot) < 20000:
        problems.append("no screenshot (or an empty one)")
    return dom


# --- Crafted inputs -------------------------------------------------------------------------------

def results_doc(runs):
    """A small polyhost.results/1 document around RUNS (see results_run)."""
    return {
        "schema": "polyhost.results/1",
        "environment": {"polyhost_version": "0.1.0", "git_commit": "abc", "v8_version": "10.2", "python_version": "3.11.7",
                        "python_executable": "/usr/bin/python3", "cpu_model": "Test CPU", "cpu_count": 2, "os": "Linux",
                        "command_line": "polyhost run", "start_time": "2026-01-01T00:00:00Z",
                        "configs": {"v8-jit": {"engine": "V8 10.2", "flags": []}, "cpython": {"engine": "CPython 3.11.7"}},
                        "empty_call_ns": {"v8-jit": 150, "cpython": 500}},
        "settings": {"size": "quick", "processes": 1, "warmup": 1, "iterations": 5, "configs": ["v8-jit", "cpython"],
                     "wall_seconds": 1.0},
        "runs": runs,
        "comparisons": [],
        "geometric_mean_ratio": {},
        "tier_ratios": [],
    }


def results_run(workload, config, median_ns, status="ok", size=100, spread=0.01):
    """5 samples around MEDIAN_NS, SPREAD apart (stdev / mean = 1.58 SPREAD); the report derives warnings from them."""
    samples = [median_ns * (1 + spread * k) for k in (-2, -1, 0, 1, 2)]
    return {"workload": workload, "language": "js" if config == "v8-jit" else "py", "config": config, "status": status,
            "message": "" if status == "ok" else "boom at line 3", "size_name": "quick", "size": size, "processes": 1,
            "samples_ns": samples, "warmup_ns": [median_ns * 2], "process_samples_ns": [samples],
            "process_warmup_ns": [[median_ns * 2]],
            "stats": {"median_ns": median_ns, "mean_ns": statistics.mean(samples), "stdev_ns": statistics.stdev(samples),
                      "min_ns": samples[0], "max_ns": samples[-1], "ci95_ns": [samples[0], samples[-1]], "count": 5},
            "warnings": [], "result": 1, "verified": status == "ok", "has_verify": True, "warmup": None}


def overhead_doc():
    """A small polyhost.overhead/1 document: ok, unsupported and failed cells, and a note."""
    def cell(binding, case, status="ok", ns=10.0, reason=None):
        e = {"language": "js", "binding": binding, "case": case, "status": status}
        if status == "ok":
            e.update(ns_per_call=ns, ci95=[ns * 0.9, ns * 1.1], samples_ns=[ns])
        else:
            e.update(ns_per_call=None, ci95=None, reason=reason)
        return e
    return {"schema": "polyhost.overhead/1",
            "environment": {"cpu_model": "Test CPU", "cpu_count": 2, "os": "Linux", "v8_version": "10.2",
                            "python_version": "3.11.7", "start_time": "2026-01-01T00:00:00Z"},
            "settings": {"quick": True, "processes": 1, "repeats": 1},
            "entries": [cell("cpp", "noop", ns=1.0), cell("cpp", "str_len", ns=1.2),
                        cell("v8-callback", "noop", ns=7.0),
                        cell("v8-callback", "str_len", "error", reason="worker crashed: SIGSEGV"),
                        cell("v8-fast-api", "noop", ns=2.8),
                        cell("v8-fast-api", "str_len", "unsupported", reason="no string parameter type in V8 10.2")],
            "notes": [{"binding": "v8-fast-api", "note": "fast calls taken: 0 (V8 never used the fast path)"}]}


def write_json(tmp, name, doc):
    path = os.path.join(tmp, name)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f)
    return path


def report_page(polyhost, tmp, inputs, problems):
    """Runs polyhost report on INPUTS; returns (process, the page's text, the HTML) or (process, None, None)."""
    out = os.path.join(tmp, "report.html")
    proc = subprocess.run([polyhost, "report"] + inputs + ["-o", out], capture_output=True, text=True, timeout=60)
    if proc.returncode != 0:
        problems.append("report of %r failed: %d %s" % (inputs, proc.returncode, proc.stderr))
        return proc, None, None
    markup = open(out, encoding="utf-8").read()
    page = Page()
    page.feed(markup)
    return proc, " ".join(" ".join(page.text).split()), markup


def malformed_inputs_are_named(polyhost, fixtures, tmp, problems):
    """Each malformed input is exit 2 with 'polyhost report: FILE: JSON.PATH: what', never an nlohmann exception."""
    good = results_doc([results_run("sieve", "v8-jit", 1e6), results_run("sieve", "cpython", 5e6)])
    cases = []  # (file name, document, JSON path the message must name)
    d = json.loads(json.dumps(good))
    d["comparisons"] = [{"workload": "sieve", "baseline": "v8-jit", "config": "cpython", "ratio": 5.0, "ci95": None}]
    cases.append(("cmpnull.json", d, "comparisons[0].ci95"))
    d = json.loads(json.dumps(good))
    d["settings"]["size"] = 5
    cases.append(("settingsize.json", d, "settings.size"))
    d = json.loads(json.dumps(good))
    del d["runs"][1]["stats"]["ci95_ns"]
    cases.append(("noci.json", d, "runs[1].stats.ci95_ns"))
    d = json.loads(json.dumps(good))
    d["runs"][0]["stats"]["median_ns"] *= 2  # statistics are derived from the samples: these are not theirs
    cases.append(("wrongstats.json", d, "runs[0].stats.median_ns"))
    d = json.loads(json.dumps(good))
    d["tier_ratios"] = [{"question": "q", "numerator": "cpython", "denominator": "v8-jit", "geometric_mean": 5.0,
                         "ci95": [4.0], "workloads": 1}]
    cases.append(("tiers.json", d, "tier_ratios[0].ci95"))
    d = json.loads(json.dumps(good))
    d["environment"]["configs"]["v8-jit"]["flags"] = "--jitless"
    cases.append(("flags.json", d, "environment.configs.v8-jit.flags"))
    o = overhead_doc()
    o["entries"][0]["ci95"] = [None, None]
    cases.append(("o_nullci.json", o, "entries[0].ci95[0]"))
    o = overhead_doc()
    o["entries"][2]["case"] = None
    cases.append(("o_nullcase.json", o, "entries[2].case"))
    o = overhead_doc()
    o["entries"][1]["status"] = "fine"
    cases.append(("o_status.json", o, "entries[1].status"))
    o = overhead_doc()
    del o["entries"][4]["ns_per_call"]
    cases.append(("o_nons.json", o, "entries[4].ns_per_call"))
    o = overhead_doc()
    o["entries"] = {}
    cases.append(("o_entries.json", o, "entries"))
    o = overhead_doc()
    o["notes"] = [{"binding": "v8-fast-api"}]
    cases.append(("o_note.json", o, "notes[0].note"))
    last = None
    for name, doc, where in cases:
        path = write_json(tmp, name, doc)
        last = subprocess.run([polyhost, "report", path, "-o", os.path.join(tmp, "x.html")],
                              capture_output=True, text=True, timeout=60)
        expected = "polyhost report: %s: %s: " % (path, where)
        if last.returncode != 2 or not last.stderr.startswith(expected) or "json.exception" in last.stderr:
            problems.append("%s: expected exit 2 and %r, got %d %r" % (name, expected, last.returncode, last.stderr))
        if os.path.exists(os.path.join(tmp, "x.html")):
            problems.append("%s: a report was written from a malformed file" % name)
    return last


def overhead_failures_are_loud(polyhost, fixtures, tmp, problems):
    path = write_json(tmp, "overhead.json", overhead_doc())
    proc, text, markup = report_page(polyhost, tmp, [path], problems)
    if text is None:
        return proc
    if not re.search(r'<td class="error"[^>]*>ERROR</td>', markup):
        problems.append("the failed cell does not show as ERROR")
    if not re.search(r'<td class="na"[^>]*>n/a</td>', markup):
        problems.append("the unsupported cell does not show as n/a")
    for words in ("1 measurement failed", "worker crashed: SIGSEGV", "no string parameter type in V8 10.2",
                  "fast calls taken: 0 (V8 never used the fast path)"):
        if words not in text:  # as text on the page, not only in a hover title
            problems.append("no %r under the heat map" % words)
    if "running the same workloads" in text:
        problems.append("an overhead-only report says it ran workloads")
    # Beside runs that are all ok, the failed overhead cell still keeps the page from saying "all ok".
    runs = write_json(tmp, "ok.json", results_doc([results_run("sieve", "v8-jit", 1e6), results_run("sieve", "cpython", 5e6)]))
    proc, text, markup = report_page(polyhost, tmp, [runs, path], problems)
    if text is None:
        return proc
    if 'class="all-ok"' in markup:
        problems.append("a green all-ok banner beside a failed overhead measurement")
    if "1 overhead measurement failed" not in text:
        problems.append("the verdicts do not count the failed overhead measurement")
    # A results file with no runs (an empty shard) gets no green banner either.
    empty = write_json(tmp, "empty.json", results_doc([]))
    proc, text, markup = report_page(polyhost, tmp, [empty], problems)
    if text is not None and ('class="all-ok"' in markup or "holds no runs" not in text):
        problems.append("a results file with no runs: %r" % text[:300])
    return proc


def failed_runs_warnings_and_sizes(polyhost, fixtures, tmp, problems):
    a = results_doc([results_run("sieve", "v8-jit", 110e3, spread=0.449), results_run("sieve", "cpython", 6e6),
                     results_run("broken", "v8-jit", 1e6, status="error"),
                     results_run("broken", "cpython", 1e6, status="mismatch")])
    b = results_doc([results_run("sieve", "v8-jit", 220e3, size=200), results_run("sieve", "cpython", 12e6, size=200)])
    proc, text, markup = report_page(polyhost, tmp, [write_json(tmp, "a.json", a), write_json(tmp, "b.json", b)], problems)
    if text is None:
        return proc
    page = Page()
    page.feed(markup)
    if "unstable: the standard deviation is 71% of the mean" not in text or "stability warning" not in text:
        problems.append("the run's stability warning is not shown")
    if "Nothing to plot:" not in text:
        problems.append("broken (all runs failed) is not said to have nothing to plot")
    if page.svg_titles.count("broken") != 1:  # its warm-up chart, and no bar chart
        problems.append("broken has a bar chart, or lost its warm-up chart: %r" % page.svg_titles)
    if "(ERROR, not a measurement)" not in text or "(MISMATCH, not a measurement)" not in text:
        problems.append("the warm-up curves of failed runs are not marked")
    if "n = 100" not in text or "Different sizes" not in text or "n = 200" not in text:
        problems.append("the sizes, or that they differ between the files, are not shown")
    if re.search(r"<h2>Summary: [^<]*</h2>(?!<p>)", markup):
        problems.append("an empty Summary heading")
    # The log axis starts well below the smallest bar (110 µs next to 6 ms), so that bar is visible.
    sieve_chart = markup[markup.index("<title>sieve</title>"):]
    sieve_chart = sieve_chart[:sieve_chart.index("</svg>")]
    widths = [float(w) for w in re.findall(r'<rect x="120" y="[\d.]+" width="([\d.]+)"', sieve_chart)]
    if not widths or min(widths) < 0.12 * max(widths):
        problems.append("the smallest bar is hardly visible: widths %r" % widths)
    return proc


GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "golden")
DERIVED = ("comparisons", "geometric_mean_ratio", "geometric_mean_memory_ratio", "tier_ratios", "break_evens")


def report_of(polyhost, tmp, folder, doc, problems):
    """The report of DOC written as FOLDER/tiers.results.json (one base name, so one subtitle)."""
    os.makedirs(os.path.join(tmp, folder))
    path = os.path.join(tmp, folder, "tiers.results.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f)
    out = os.path.join(tmp, folder, "report.html")
    proc = subprocess.run([polyhost, "report", path, "-o", out], capture_output=True, text=True, timeout=60)
    if proc.returncode != 0:
        problems.append("report of %s exited %d: %s" % (folder, proc.returncode, proc.stderr))
        return proc, ""
    return proc, open(out, encoding="utf-8").read()


def derived_figures_follow_from_the_runs(polyhost, fixtures, tmp, problems):
    """The ratios, geometric means, tier ratios and break-evens a report shows are derived from the
    runs it shows, whatever the file stores: wrong stored figures, and stored figures that counted
    runs since deleted, change nothing."""
    original = json.load(open(os.path.join(GOLDEN, "tiers.results.json"), encoding="utf-8"))
    _, expected = report_of(polyhost, tmp, "original", original, problems)
    edited = json.loads(json.dumps(original))
    edited["comparisons"][0]["ratio"] = 1000
    edited["geometric_mean_ratio"]["cpython"] = 1000
    edited["tier_ratios"][0]["geometric_mean"] = -3
    edited["break_evens"][0]["iterations"] = 4321
    proc, shown = report_of(polyhost, tmp, "edited", edited, problems)
    if shown != expected:
        problems.append("the report of a file with edited ratios differs from the original's")
    for figure in ("\u00d71000", "\u00d7-3", "after 4321 iterations"):
        if figure in shown:
            problems.append("the stored figure %s is shown" % figure)
    # richards deleted: the stored figures still count it, the report must not.
    dropped = json.loads(json.dumps(original))
    dropped["runs"] = [r for r in dropped["runs"] if r["workload"] != "richards"]
    stripped = json.loads(json.dumps(dropped))
    for field in DERIVED:
        stripped[field] = [] if isinstance(stripped[field], list) else {}
    _, without = report_of(polyhost, tmp, "stripped", stripped, problems)
    proc, stale = report_of(polyhost, tmp, "dropped", dropped, problems)
    if stale != without:
        problems.append("the report of a file with runs deleted shows the figures stored before")
    cpython_row = re.search(r"<code>cpython / v8-jit</code></td><td class=\"num\">[^<]*</td><td class=\"num\">(\d+)</td>", stale)
    if not cpython_row or cpython_row.group(1) != "2":
        problems.append("cpython / v8-jit is not over the 2 workloads left: %r" % (cpython_row and cpython_row.group(0)))
    return proc


def same_names_in_different_folders(polyhost, fixtures, tmp, problems):
    """base/results.json and new/results.json: every section, bar and the subtitle say which."""
    for folder in ("base", "new"):
        os.makedirs(os.path.join(tmp, folder))
        shutil.copy(os.path.join(GOLDEN, "two.results.json"), os.path.join(tmp, folder, "results.json"))
    out = os.path.join(tmp, "report.html")
    proc = subprocess.run([polyhost, "report", os.path.join("base", "results.json"), os.path.join("new", "results.json"),
                           "-o", out], cwd=tmp, capture_output=True, text=True, timeout=60)
    if proc.returncode != 0:
        problems.append("report exited %d" % proc.returncode)
        return proc
    markup = open(out, encoding="utf-8").read()
    for folder in ("base", "new"):
        for words in ("<h2>Summary: %s/results.json</h2>", "<h2>Environment: %s/results.json</h2>",
                      "\u00b7 %s/results.json</text>"):
            if words % folder not in markup:
                problems.append("no %r" % (words % folder))
    if "from base/results.json, new/results.json" not in markup:
        problems.append("the subtitle does not tell the files apart")
    if re.search(r"[ >]results\.json", markup):
        problems.append("a file is called just results.json: %r" % re.search(r".{40}[ >]results\.json", markup).group(0))
    return proc


def a_file_given_twice_is_refused(polyhost, fixtures, tmp, problems):
    """The same results file twice (by the same name, or by two names) would count its runs twice:
    report and merge refuse it, naming the file."""
    path = write_json(tmp, "a.json", results_doc([results_run("sieve", "v8-jit", 1e6), results_run("sieve", "cpython", 5e6)]))
    os.link(path, os.path.join(tmp, "hard.json"))
    proc = None
    for command, names, words in (("report", ["a.json", "a.json"], "a.json is given twice"),
                                  ("report", ["a.json", "hard.json"], "a.json and hard.json are the same file, given twice"),
                                  ("report", ["a.json", "./a.json"], "a.json and ./a.json are the same file, given twice"),
                                  ("merge", ["a.json", os.path.join(tmp, "a.json")], "are the same file, given twice")):
        out = "x.html" if command == "report" else "x.json"
        proc = subprocess.run([polyhost, command] + names + ["-o", out], cwd=tmp, capture_output=True, text=True, timeout=60)
        if proc.returncode != 2 or words not in proc.stderr:
            problems.append("%s %s: exit %d, %r (wanted exit 2 and %r)" % (command, names, proc.returncode, proc.stderr, words))
        if os.path.exists(os.path.join(tmp, out)):
            problems.append("%s %s wrote %s" % (command, names, out))
    return proc


CASES = {
    "a_file_given_twice_is_refused": a_file_given_twice_is_refused,
    "self_contained_with_every_chart": self_contained_with_every_chart,
    "renders_in_chromium": renders_in_chromium,
    "malformed_inputs_are_named": malformed_inputs_are_named,
    "overhead_failures_are_loud": overhead_failures_are_loud,
    "failed_runs_warnings_and_sizes": failed_runs_warnings_and_sizes,
    "derived_figures_follow_from_the_runs": derived_figures_follow_from_the_runs,
    "same_names_in_different_folders": same_names_in_different_folders,
}


if __name__ == "__main__":
    sys.exit(driver.main(CASES))
