"""CLI cases for `polyhost run` and `polyhost list` on the fixture workloads, run by ctest.

Usage: run_cases.py POLYHOST FIXTURES CASE    (or --list)
Each case runs polyhost with a JSON output file and checks the exit status and, per
(workload, config), the run's status, the key words of its message and its result.
"""
import csv
import json
import os
import shutil
import subprocess
import sys
import unicodedata

import driver
import report_cases

FAST = ["--quick", "--processes", "1", "--warmup", "0", "--iterations", "2"]
RUN_FIELDS = ["workload", "language", "config", "status", "message", "size", "samples_ns", "warmup_ns", "stats"]
STAT_FIELDS = ["median_ns", "mean_ns", "stdev_ns", "min_ns", "max_ns", "ci95_ns"]


def run(polyhost, args, tmp, env=None):
    out = os.path.join(tmp, "r.json")
    proc = subprocess.run([polyhost, "run"] + args + FAST + ["--json", out, "--csv", os.path.join(tmp, "r.csv"),
                                                            "--markdown", os.path.join(tmp, "r.md")],
                          capture_output=True, text=True, timeout=300, env=env)
    data = json.load(open(out)) if os.path.exists(out) else None
    return proc, data


def runs_by(data):
    return {(r["workload"], r["config"]): r for r in data["runs"]}


def expect(problems, condition, text):
    if not condition:
        problems.append(text)


def verdict(workload, statuses, words=(), result=None):
    """A case: every config of WORKLOAD has the given status; non-ok messages contain WORDS."""
    def check(polyhost, fixtures, tmp, problems):
        proc, data = run(polyhost, [os.path.join(fixtures, "workloads", workload)], tmp)
        all_ok = all(s == "ok" for s in statuses.values())
        expect(problems, proc.returncode == (0 if all_ok else 1), "exit status %d" % proc.returncode)
        expect(problems, data is not None, "no JSON written")
        if data is None:
            return proc
        runs = runs_by(data)
        for config, status in statuses.items():
            r = runs.get((workload, config))
            expect(problems, r is not None, "no run for %s/%s" % (workload, config))
            if r is None:
                continue
            expect(problems, r["status"] == status, "%s: status %s, expected %s (%s)" % (config, r["status"], status, r["message"]))
            for field in RUN_FIELDS:
                expect(problems, field in r, "%s: field %s missing" % (config, field))
            if status == "ok":
                expect(problems, len(r["samples_ns"]) == 2 and all(s > 0 for s in r["samples_ns"]), "%s: samples %r" % (config, r["samples_ns"]))
                expect(problems, all(k in (r["stats"] or {}) for k in STAT_FIELDS), "%s: stats %r" % (config, r["stats"]))
                if result is not None:
                    expect(problems, r["result"] == result, "%s: result %r, expected %r" % (config, r["result"], result))
            else:
                for word in words:
                    expect(problems, word in r["message"], "%s: message %r lacks %r" % (config, r["message"], word))
                expect(problems, r["status"].upper() in proc.stdout, "terminal table does not show %s" % r["status"].upper())
        return proc
    return check


def result_changing_in_warmup_is_mismatch(polyhost, fixtures, tmp, problems):
    """Only the first call's result differs: with a warm-up, every worker (polyhost's and the
    reference workers) checks the warm-up's results too and names the two calls."""
    configs = ["v8-jit", "cpython", "python3", "node"]
    proc = subprocess.run([polyhost, "run", os.path.join(fixtures, "workloads", "result_settles"), "--quick",
                           "--processes", "1", "--warmup", "2", "--iterations", "2", "--configs", ",".join(configs),
                           "--json", os.path.join(tmp, "r.json")], capture_output=True, text=True, timeout=300)
    expect(problems, proc.returncode == 1, "exit status %d, expected 1" % proc.returncode)
    data = json.load(open(os.path.join(tmp, "r.json"))) if os.path.exists(os.path.join(tmp, "r.json")) else None
    if data is None:
        problems.append("no JSON written")
        return proc
    runs = runs_by(data)
    for config in configs:
        r = runs.get(("result_settles", config))
        if r is None or r["status"] == "skipped":
            expect(problems, config == "node" and r is not None, "%s: no run or skipped: %r" % (config, r))
            continue
        expect(problems, r["status"] == "mismatch" and
               "run(10) returned different results in warm-up iteration 1 and warm-up iteration 2: result: 10 vs 11" in r["message"],
               "%s: %s: %r" % (config, r["status"], r["message"]))
    return proc


def mismatch_stops_the_calls(polyhost, fixtures, tmp, problems):
    """Once a result differs from the first, the verdict is mismatch whatever follows: the worker
    stops calling run() (it made every warm-up and measured call: 10 here, several seconds for a
    slow workload, up to the warm-up cap with --warmup auto)."""
    calls = os.path.join(tmp, "calls.txt")
    proc = subprocess.run([polyhost, "run", os.path.join(fixtures, "workloads", "result_varies_counted"), "--quick",
                           "--processes", "1", "--warmup", "5", "--iterations", "5", "--configs", "v8-jit,cpython"],
                          capture_output=True, text=True, timeout=300, env=dict(os.environ, POLYHOST_TEST_CALLS=calls))
    expect(problems, proc.returncode == 1, "exit status %d, expected 1" % proc.returncode)
    expect(problems, proc.stdout.count("returned different results in warm-up iteration 1 and warm-up iteration 2") == 2,
           "not two mismatches at the 2nd call")
    made = open(calls).read().split() if os.path.exists(calls) else []
    expect(problems, sorted(made) == ["js", "js", "py", "py"], "calls made: %r" % sorted(made))
    return proc


def calls_after_a_mismatch(polyhost, tmp, workload, configs):
    """{config: (measured calls, warm-up calls, run)} for WORKLOAD (its result differs from the third
    call on) under CONFIGS, with --warmup 0 --iterations 5 and with --warmup auto, from the samples
    the runs keep (a process's, when it has measured ones); a run that is missing or skipped is None."""
    found = {}
    for warmup in ("0", "auto"):
        out = os.path.join(tmp, "r-%s.json" % warmup)
        proc = subprocess.run([polyhost, "run", workload, "--quick", "--processes", "1", "--warmup", warmup,
                               "--iterations", "5", "--configs", ",".join(configs), "--json", out],
                              capture_output=True, text=True, timeout=300)
        runs = runs_by(json.load(open(out))) if os.path.exists(out) else {}
        for config in configs:
            r = runs.get((os.path.basename(workload), config))
            ok = r is not None and r["status"] != "skipped"
            found.setdefault(config, []).append((len(r["samples_ns"]), len(r["warmup_ns"]), r) if ok else None)
    return proc, found


def check_reference_stops_at_a_mismatch(polyhost, fixtures, tmp, problems, configs):
    """CONFIGS (reference workers) stop calling run() at the third call, whose result differs: three
    measured calls of the five asked for with no warm-up, and with --warmup auto none measured (the
    warm-up ended at the mismatch). A configuration that is skipped is named in the output."""
    workload = os.path.join(fixtures, "workloads", "result_differs_from_third_call")
    proc, found = calls_after_a_mismatch(polyhost, tmp, workload, configs)
    for config, (fixed, automatic) in found.items():
        if fixed is None or automatic is None:
            print("%s: skipped or missing" % config)
            expect(problems, config != "python3", "python3 did not run")
            continue
        expect(problems, fixed[2]["status"] == "mismatch" and fixed[:2] == (3, 0),
               "%s, --warmup 0: %s, %d measured and %d warm-up calls kept, expected 3 and 0" % (
                   config, fixed[2]["status"], fixed[0], fixed[1]))
        expect(problems, automatic[2]["status"] == "mismatch" and automatic[:2] == (0, 0),
               "%s, --warmup auto: %s, %d measured calls kept, expected none (the worker went on warming up)" % (
                   config, automatic[2]["status"], automatic[0]))
    return proc


def reference_python_workers_stop_at_a_mismatch(polyhost, fixtures, tmp, problems):
    """python3 and pypy3 stop calling run() once a result differs, as polyhost's own worker does
    (they made every warm-up and measured call)."""
    return check_reference_stops_at_a_mismatch(polyhost, fixtures, tmp, problems, ["python3", "pypy3"])


def reference_node_worker_stops_at_a_mismatch(polyhost, fixtures, tmp, problems):
    """node's reference worker stops calling run() once a result differs, as polyhost's own worker
    does (it made every warm-up and measured call). Skipped without node."""
    if shutil.which("node") is None:
        print("skipped: node is not installed")
        sys.exit(77)
    return check_reference_stops_at_a_mismatch(polyhost, fixtures, tmp, problems, ["node"])


def null_result_is_verified(polyhost, fixtures, tmp, problems):
    """run() returning null / None passes its verify(): the run is verified (the null was read as no
    result, and the ok run stayed unverified although it has a verify())."""
    proc, data = run(polyhost, [os.path.join(fixtures, "workloads", "returns_null")], tmp)
    expect(problems, proc.returncode == 0, "exit status %d" % proc.returncode)
    for r in (data or {"runs": []})["runs"]:
        expect(problems, r["status"] == "ok" and r["verified"] and r["has_verify"] and r["result"] is None,
               "%s: %s, verified %r, has_verify %r, result %r" % (r["config"], r["status"], r["verified"], r["has_verify"], r["result"]))
    report = subprocess.run([polyhost, "report", os.path.join(tmp, "r.json"), "-o", os.path.join(tmp, "r.html")],
                            capture_output=True, text=True, timeout=120)
    expect(problems, report.returncode == 0, "report: exit %d, %r" % (report.returncode, report.stderr[-300:]))
    return proc


def es_module_with_top_level_await(polyhost, fixtures, tmp, problems):
    """An ES module workload that awaits at its top level runs under node's reference worker as under
    v8-jit (node 20's require() refuses such a module: the worker imports it instead)."""
    proc, data = run(polyhost, [os.path.join(fixtures, "workloads", "esm_top_level_await"), "--configs", "v8-jit,node",
                                ], tmp)
    for r in (data or {"runs": []})["runs"]:
        expect(problems, r["status"] == "ok" or (r["config"] == "node" and r["status"] == "skipped"),
               "%s: %s %r" % (r["config"], r["status"], r["message"][:300]))
    expect(problems, data is not None and len(data["runs"]) == 2, "runs: %r" % (data and len(data["runs"])))
    return proc


def copies_of_good(fixtures, tmp, names):
    """The fixture workload good copied once per name in NAMES, as workload folders so named: their paths."""
    folders = []
    for name in names:
        folder = os.path.join(tmp, "w", name)
        os.makedirs(folder)
        good = os.path.join(fixtures, "workloads", "good")
        for file in os.listdir(good):
            shutil.copy(os.path.join(good, file), os.path.join(folder, file.replace("good.", name + ".")))
        folders.append(folder)
    return folders


def control_characters_in_names_are_shown_escaped(polyhost, fixtures, tmp, problems):
    """Workload folders named with a newline, an ESC colour sequence and a tab, and a results file
    whose workload name holds a NUL: list, run and compare show them escaped (a raw newline split a
    row in two, the ESC painted the rest of the table red, the tab broke the columns)."""
    names = {"new\nline": "new\\nline", "\x1b[31mred": "\\x1b[31mred", "tab\tname": "tab\\tname"}
    folders = copies_of_good(fixtures, tmp, names)
    listed = subprocess.run([polyhost, "list"] + folders, capture_output=True, text=True, timeout=120)
    proc, data = run(polyhost, folders + ["--configs", "v8-jit"], tmp)
    expect(problems, listed.returncode == 0 and proc.returncode == 0, "list: exit %d, run: exit %d" % (listed.returncode, proc.returncode))
    named = json.load(open(os.path.join(tmp, "r.json")))
    named["runs"][0]["workload"] = "nul\0name"
    edited = os.path.join(tmp, "edited.json")
    json.dump(named, open(edited, "w"))
    compared = subprocess.run([polyhost, "compare", os.path.join(tmp, "r.json"), edited], capture_output=True, text=True,
                              timeout=120)
    for command, output, shown in (("list", listed.stdout, names.values()), ("run", proc.stdout, names.values()),
                                   ("compare", compared.stdout, list(names.values())[1:] + ["nul\\x00name"])):
        raw = sorted({c for c in output if (ord(c) < 0x20 and c != "\n") or ord(c) == 0x7F})
        expect(problems, not raw, "%s printed control characters %r: %r" % (command, raw, output[-600:]))
        for name in shown:
            expect(problems, name in output, "%s does not show %r: %r" % (command, name, output[-600:]))
    return proc


def terminal_columns(text):
    """Columns TEXT takes on a terminal: two for a wide or fullwidth character, none for a combining
    or zero-width one, one for any other."""
    width = 0
    for c in text:
        if unicodedata.combining(c) or unicodedata.category(c) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(c) in "WF" else 1
    return width


def wide_characters_in_names_keep_the_table_aligned(polyhost, fixtures, tmp, problems):
    """Workload folders named in CJK, with an emoji and with a combining accent: every row of run's
    table starts its last column where the header's does, in terminal columns (counted as code
    points, a row named in CJK was padded two columns short, and its cells sat right of the header's)."""
    names = ["\u6392\u5e8f", "rocket\U0001F680", "cafe\u0301", "plain"]
    proc, data = run(polyhost, copies_of_good(fixtures, tmp, names) + ["--configs", "v8-jit"], tmp)
    expect(problems, proc.returncode == 0, "exit status %d: %r" % (proc.returncode, proc.stderr[-300:]))
    lines = proc.stdout.splitlines()
    header_at = next((i for i, line in enumerate(lines) if line.startswith("workload ")), None)
    if header_at is None:
        problems.append("no table: %r" % proc.stdout[-600:])
        return proc
    header, rule, rows = lines[header_at], lines[header_at + 1], lines[header_at + 2:header_at + 2 + len(names)]
    verified_at = terminal_columns(header[:header.index("verified")])
    expect(problems, terminal_columns(rule) == terminal_columns(header), "the rule %r is not as wide as the header %r" % (rule, header))
    shown = set()
    for row in rows:
        shown.update(name for name in names if row.startswith(name + " "))
        expect(problems, terminal_columns(row[:row.rindex(" ") + 1]) == verified_at,
               "row %r: its last cell is not under \"verified\" (column %d):\n%s" % (row, verified_at, "\n".join(lines[header_at:])))
    expect(problems, shown == set(names), "the table's rows name %r, expected %r" % (sorted(shown), names))
    return proc


def good_and_bad_together(polyhost, fixtures, tmp, problems):
    """A failing workload does not lose the results of a good one in the same run; all files are written."""
    proc, data = run(polyhost, [os.path.join(fixtures, "workloads", w) for w in ("good", "throws", "languages_disagree")], tmp)
    expect(problems, proc.returncode == 1, "exit status %d, expected 1" % proc.returncode)
    runs = runs_by(data)
    for config in ("v8-jit", "cpython"):
        expect(problems, runs[("good", config)]["status"] == "ok", "good/%s not ok" % config)
        expect(problems, len(runs[("good", config)]["samples_ns"]) == 2, "good/%s lost its samples" % config)
        expect(problems, runs[("throws", config)]["status"] == "error", "throws/%s not error" % config)
    expect(problems, data["schema"] == "polyhost.results/1", "schema %r" % data.get("schema"))
    env = data["environment"]
    for key in ("polyhost_version", "git_commit", "engines", "cpu_model", "cpu_count", "os",
                "command_line", "start_time", "empty_call_ns"):
        expect(problems, key in env, "environment lacks %s" % key)
    expect(problems, [e.get("name") for e in env.get("engines", [])] == ["V8", "CPython"], "engines %r" % env.get("engines"))
    expect(problems, set(env.get("empty_call_ns", {})) == {"v8-jit", "cpython"}, "empty_call_ns %r" % env.get("empty_call_ns"))
    comparisons = [c for c in data["comparisons"] if c["workload"] == "good"]
    expect(problems, len(comparisons) == 1 and comparisons[0]["baseline"] == "v8-jit" and comparisons[0]["config"] == "cpython"
           and comparisons[0]["ci95"][0] <= comparisons[0]["ratio"] <= comparisons[0]["ci95"][1], "comparisons %r" % comparisons)
    expect(problems, not any(c["workload"] in ("throws", "languages_disagree") for c in data["comparisons"]),
           "a failed workload was ranked")
    rows = list(csv.DictReader(open(os.path.join(tmp, "r.csv"))))
    expect(problems, len(rows) == 6, "CSV has %d rows, expected 6" % len(rows))
    markdown = open(os.path.join(tmp, "r.md")).read()
    expect(problems, "| good" in markdown or "| `good`" in markdown, "Markdown table lacks the good workload")
    return proc


def folder_named_with_slash_or_dot(polyhost, fixtures, tmp, problems):
    """A workload folder given as good/, good/. or . (from inside it) is that workload."""
    good = os.path.join(fixtures, "workloads", "good")
    for target, cwd in ((good + "/", None), (good + "/.", None), (".", good), ("./", good)):
        proc = subprocess.run([polyhost, "list", target], capture_output=True, text=True, timeout=60, cwd=cwd)
        names = [line.split()[0] for line in proc.stdout.splitlines()[1:] if line.strip()]
        expect(problems, proc.returncode == 0 and names == ["good"], "list %s (in %s): exit %d, %r %r" % (target, cwd, proc.returncode, names, proc.stderr[-200:]))
    return proc


def too_few_samples_have_no_ci(polyhost, fixtures, tmp, problems):
    """2 measured samples cannot give a 95% CI of the median: a warning says the interval is their
    range; 6 samples can, and get none."""
    good = os.path.join(fixtures, "workloads", "good")
    for iterations, warned in (("2", True), ("6", False)):
        out = os.path.join(tmp, "w%s.json" % iterations)
        proc = subprocess.run([polyhost, "run", good, "--quick", "--processes", "1", "--warmup", "0", "--iterations", iterations,
                               "--configs", "v8-jit", "--json", out], capture_output=True, text=True, timeout=120)
        kinds = [w["kind"] for w in json.load(open(out))["runs"][0]["warnings"]] if os.path.exists(out) else None
        expect(problems, kinds is not None and ("no 95% CI" in kinds) == warned, "%s samples: warnings %r" % (iterations, kinds))
        if warned:
            expect(problems, "no 95% CI (1): fewer than 6 measured samples" in proc.stdout, "the terminal lacks the warning")
    return proc


def list_flags_broken_contracts(polyhost, fixtures, tmp, problems):
    proc = subprocess.run([polyhost, "list", os.path.join(fixtures, "workloads")], capture_output=True, text=True, timeout=60)
    expect(problems, proc.returncode == 1, "exit status %d, expected 1" % proc.returncode)
    lines = {line.split()[0]: line for line in proc.stdout.splitlines() if line.strip()}
    expect(problems, "INVALID" not in lines.get("good", "INVALID") and " 1000 " in lines.get("good", ""), "good: %r" % lines.get("good"))
    expect(problems, "no run() function" in lines.get("no_run", ""), "no_run: %r" % lines.get("no_run"))
    expect(problems, "sizes differ" in lines.get("sizes_disagree", ""), "sizes_disagree: %r" % lines.get("sizes_disagree"))
    expect(problems, "missing missing_py.py" in lines.get("missing_py", ""), "missing_py: %r" % lines.get("missing_py"))
    for name, what in (("run_not_function", "run"), ("verify_not_function", "verify")):
        line = lines.get(name, "")
        for language in ("js", "py"):
            expect(problems, "INVALID" in line and "%s.%s: %s is not a function" % (name, language, what) in line,
                   "%s (%s): %r" % (name, language, line))
    return proc


def list_lines(proc):
    return {line.split()[0]: line for line in proc.stdout.splitlines()[1:] if line.strip()}


def list_survives_hanging_and_crashing_loads(polyhost, fixtures, tmp, problems):
    """A workload that loops forever while loading is a timeout, one that crashes its worker while
    loading is a crash; list still lists a good workload, in bounded time."""
    import time
    folder = os.path.join(fixtures, "workloads")
    started = time.monotonic()
    proc = subprocess.run([polyhost, "list", "--timeout", "2", os.path.join(folder, "list", "loops_at_load"),
                           os.path.join(folder, "list", "crashes_at_load"), os.path.join(folder, "good")],
                          capture_output=True, text=True, timeout=120)
    elapsed = time.monotonic() - started
    expect(problems, proc.returncode == 1, "exit status %d, expected 1" % proc.returncode)
    expect(problems, elapsed < 30, "list took %.1f s with --timeout 2" % elapsed)
    lines = list_lines(proc)
    loops = lines.get("loops_at_load", "")
    for language in ("js", "py"):
        expect(problems, "TIMEOUT while loading loops_at_load.%s" % language in loops, "loops_at_load (%s): %r" % (language, loops))
    crashes = lines.get("crashes_at_load", "")
    expect(problems, "CRASH while loading crashes_at_load.py" in crashes and "SIGSEGV" in crashes, "crashes_at_load: %r" % crashes)
    expect(problems, "crashes_at_load.js" not in crashes.split("INVALID")[-1], "the fine .js is flagged: %r" % crashes)
    good = lines.get("good", "INVALID")
    expect(problems, "INVALID" not in good and good.split()[1:3] == ["1000", "100000"], "good: %r" % good)
    return proc


def list_keeps_python_helpers_apart(polyhost, fixtures, tmp, problems):
    """Two workloads each import their own helper.py (different sizes): each is loaded on its own."""
    proc = subprocess.run([polyhost, "list", os.path.join(fixtures, "workloads", "list", "same_helper")],
                          capture_output=True, text=True, timeout=60)
    expect(problems, proc.returncode == 0, "exit status %d, expected 0" % proc.returncode)
    lines = list_lines(proc)
    for name, sizes in (("alpha", ["10", "20"]), ("beta", ["30", "40"])):
        line = lines.get(name, "INVALID")
        expect(problems, "INVALID" not in line and line.split()[1:3] == sizes, "%s: %r" % (name, line))
    return proc


ALL_CONFIGS = ["v8-jit", "v8-sparkplug", "v8-ignition", "cpython", "node", "python3", "pypy3", "pypy3-nojit"]


def all_configs_present_or_skipped(polyhost, fixtures, tmp, problems):
    """--configs all: every configuration has a run (ok, or skipped with a reason), flags and versions recorded."""
    proc, data = run(polyhost, [os.path.join(fixtures, "workloads", "good"), "--configs", "all"], tmp)
    expect(problems, proc.returncode == 0, "exit status %d" % proc.returncode)
    runs = runs_by(data)
    for config in ALL_CONFIGS:
        r = runs.get(("good", config))
        expect(problems, r is not None, "no run for %s" % config)
        if r is None:
            continue
        expect(problems, r["status"] in ("ok", "skipped"), "%s: %s %s" % (config, r["status"], r["message"]))
        if r["status"] == "skipped":
            expect(problems, "not installed" in r["message"], "%s skipped without a reason: %r" % (config, r["message"]))
    configs = data["environment"]["configs"]
    expect(problems, configs.get("v8-ignition", {}).get("flags") == ["--jitless"], "v8-ignition flags %r" % configs.get("v8-ignition"))
    expect(problems, configs.get("v8-sparkplug", {}).get("flags") == ["--no-opt"], "v8-sparkplug flags %r" % configs.get("v8-sparkplug"))
    expect(problems, "V8 10.2" in configs.get("v8-ignition", {}).get("engine", ""), "v8-ignition engine %r" % configs.get("v8-ignition"))
    cpython = next(e for e in data["environment"]["engines"] if e["name"] == "CPython")
    expect(problems, configs.get("python3", {}).get("engine", "") == "CPython " + cpython["version"],
           "python3 is not the embedded build: %r" % configs.get("python3"))
    expect(problems, configs.get("pypy3-nojit", {}).get("flags") == ["--jit", "off"], "pypy3-nojit flags %r" % configs.get("pypy3-nojit"))
    questions = {(t["numerator"], t["denominator"]) for t in data["tier_ratios"]}
    expect(problems, ("v8-ignition", "v8-jit") in questions and ("cpython", "python3") in questions,
           "tier ratios %r" % questions)
    if runs.get(("good", "pypy3-nojit"), {}).get("status") == "ok":
        expect(problems, ("pypy3-nojit", "pypy3") in questions, "no tier ratio for PyPy's JIT: %r" % questions)
        expect(problems, configs["pypy3-nojit"].get("engine", "").startswith("PyPy"), "pypy3-nojit engine %r" % configs["pypy3-nojit"])
    expect(problems, all("warmup" in r for r in data["runs"]), "a run lacks its warmup object")
    return proc


def missing_program_is_skipped(polyhost, fixtures, tmp, problems):
    """With node and pypy3 off the PATH their configurations are skipped, and that is no failure."""
    env = dict(os.environ, PATH="/nonexistent")
    proc, data = run(polyhost, [os.path.join(fixtures, "workloads", "good"), "--configs", "v8-jit,node,pypy3,pypy3-nojit"], tmp, env)
    expect(problems, proc.returncode == 0, "exit status %d, expected 0" % proc.returncode)
    runs = runs_by(data)
    for config, program in (("node", "node"), ("pypy3", "pypy3"), ("pypy3-nojit", "pypy3")):
        r = runs.get(("good", config), {})
        expect(problems, r.get("status") == "skipped", "%s: %r" % (config, r.get("status")))
        expect(problems, program + " is not installed" in r.get("message", ""), "%s: %r" % (config, r.get("message")))
    expect(problems, runs.get(("good", "v8-jit"), {}).get("status") == "ok", "v8-jit did not run")
    expect(problems, "SKIPPED" in proc.stdout, "the table does not show SKIPPED")
    # The plan's warm-up range is the running configurations': cpython's 8 + 8 with --quick, not
    # the 10 of the skipped node.
    plan = subprocess.run([polyhost, "run", os.path.join(fixtures, "workloads", "good"), "--configs", "cpython,node", "--quick",
                           "--processes", "1", "--iterations", "2"], capture_output=True, text=True, timeout=120, env=env)
    expect(problems, "), 16 to 400 iterations or" in plan.stdout, "plan: %r" % plan.stdout.splitlines()[:1])
    # The worker processes it starts: cpython's calibration and its one process; none for node.
    expect(problems, "quick sizes: 2 worker processes" in plan.stdout, "plan: %r" % plan.stdout.splitlines()[:1])
    return proc


OVERHEAD_CASES = ["noop", "add_i32", "add_f64", "str_len", "str_repeat", "sum_f64_array", "sum_f64_typed",
                  "make_point", "call_back"]
OVERHEAD_BINDINGS = {"cpp": "cpp", "js": "js", "v8-callback": "js", "v8-fast-api": "js", "py": "py", "capi": "py",
                     "cython": "py", "pybind11": "py", "ctypes": "py", "cffi": "py",
                     # measured in the system's node and in pypy3, separate programs
                     "node": "node", "node-api": "node", "node-addon-api": "node", "node-v8": "node",
                     "pypy": "pypy", "pypy-cffi": "pypy",
                     # the bridge (host/bridge): the language is the callee's
                     "js->py": "py", "py->js": "js"}


def overhead_quick_matrix(polyhost, fixtures, tmp, problems):
    """polyhost overhead --quick: every (binding, case) cell is measured or says why not."""
    out, md = os.path.join(tmp, "o.json"), os.path.join(tmp, "o.md")
    proc = subprocess.run([polyhost, "overhead", "--quick", "--json", out, "--markdown", md],
                          capture_output=True, text=True, timeout=300)
    expect(problems, proc.returncode == 0, "exit status %d" % proc.returncode)
    data = json.load(open(out))
    expect(problems, data["schema"] == "polyhost.overhead/1", "schema %r" % data.get("schema"))
    cells = {(e["binding"], e["case"]): e for e in data["entries"]}
    for binding, language in OVERHEAD_BINDINGS.items():
        for case in OVERHEAD_CASES:
            e = cells.get((binding, case))
            expect(problems, e is not None, "no entry for %s/%s" % (binding, case))
            if e is None:
                continue
            expect(problems, e["language"] == language, "%s/%s language %r" % (binding, case, e["language"]))
            if e["status"] == "ok":
                ok = isinstance(e["ns_per_call"], (int, float)) and e["ci95"][0] <= e["ns_per_call"] <= e["ci95"][1]
                expect(problems, ok, "%s/%s: ns %r ci %r" % (binding, case, e["ns_per_call"], e["ci95"]))
            else:
                expect(problems, e["status"] == "unsupported" and e.get("reason"), "%s/%s: %r" % (binding, case, e))
    for binding in ("cpp", "js", "v8-callback", "py", "capi", "cython", "pybind11", "ctypes", "js->py", "py->js"):
        expect(problems, all(cells[(binding, c)]["status"] == "ok" for c in OVERHEAD_CASES), "%s has a gap" % binding)
    # Columns of other runtimes: every case measured where the runtime is installed, and the runtime's
    # version recorded; where it is not, every cell says so (see extension_cases.py).
    engines = {b["binding"]: b.get("engine", "") for b in data["bindings"]}
    for binding, program, version in (("node", "node", "Node.js v"), ("node-api", "node", "Node.js v"),
                                      ("node-addon-api", "node", "Node.js v"), ("node-v8", "node", "Node.js v"),
                                      ("pypy", "pypy3", "PyPy "), ("pypy-cffi", "pypy3", "PyPy ")):
        if shutil.which(program):
            expect(problems, all(cells[(binding, c)]["status"] == "ok" for c in OVERHEAD_CASES), "%s has a gap" % binding)
            expect(problems, engines.get(binding, "").startswith(version), "%s ran in %r" % (binding, engines.get(binding)))
    expect(problems, "V8 11." in engines.get("node-v8", "V8 11.") and "Node-API" in engines.get("node-api", "Node-API"),
           "node's versions: %r" % engines.get("node-api"))
    # cffi comes with the embedded Python's own packages; where it is missing, every cell must say so.
    cffi = [cells[("cffi", c)] for c in OVERHEAD_CASES]
    expect(problems, all(e["status"] == "ok" for e in cffi) or
           all(e["status"] == "unsupported" and "cannot import" in e.get("reason", "") for e in cffi), "cffi: %r" % cffi[0])
    expect(problems, all(cells[("v8-fast-api", c)]["status"] == "ok" for c in ("noop", "add_i32", "add_f64", "sum_f64_typed")),
           "fast API cases missing")
    # V8's columns compile on the main thread (V8 10.2's concurrent tier-up never optimizes a calibrated
    # call loop: see host/overhead/catalogue.cc), and every cell says whether its loops settled.
    flags = {b["binding"]: b.get("flags") for b in data["bindings"]}
    for binding in ("js", "v8-callback", "v8-fast-api"):
        expect(problems, "--no-concurrent-recompilation" in (flags.get(binding) or []), "%s flags %r" % (binding, flags.get(binding)))
    expect(problems, all(isinstance(e.get("unsteady_processes"), int) for e in data["entries"]), "entries lack unsteady_processes")
    notes = " ".join(n["note"] for n in data["notes"])
    expect(problems, "fast calls taken:" in notes and "never used" not in notes, "fast path not taken: %r" % notes)
    markdown = open(md).read()
    expect(problems, "## Nanoseconds per call" in markdown, "Markdown lacks the matrix")
    expect(problems, "v8-fast-api" in proc.stdout and "not measured:" in proc.stdout, "table incomplete")
    ran_in = [line for line in markdown.splitlines() if line.startswith("- **Ran in:** ")]
    expect(problems, any("cython" in line and "CPython 3.11" in line for line in ran_in), "Markdown runtimes: %r" % ran_in)
    expect(problems, "\nran in:\n" in proc.stdout, "the table does not say where each column ran")
    # The terminal matrix shows each median with its CI; both relative tables explain their markers.
    # Two grids, JavaScript's columns and Python's, each with the C++ floor, and the relative costs after them.
    ns_table = proc.stdout[:proc.stdout.index("relative cost:")]
    noop = [line for line in ns_table.splitlines() if line.startswith("noop ")]
    measured = sum(1 for b in OVERHEAD_BINDINGS if cells.get((b, "noop"), {}).get("status") == "ok")
    expect(problems, len(noop) == 2 and sum(line.count("\u00b1") for line in noop) == measured + 1,
           "no CI in the terminal rows: %r" % noop)
    rows = [line for line in proc.stdout.splitlines() if line.split(" ")[0] in OVERHEAD_CASES + ["case"]]
    expect(problems, rows and max(len(line) for line in rows) < 200, "terminal rows of %d characters" % max(map(len, rows or [""])))
    expect(problems, "  n/a    the binding does not support the case" in proc.stdout, "no legend under the table")
    expect(problems, "- `n/a`: the binding does not support the case" in markdown, "no legend in the Markdown")
    # An output that cannot be written is a usage error found before measuring, not after.
    missing = os.path.join(tmp, "missing", "o.json")
    bad = subprocess.run([polyhost, "overhead", "--quick", "--json", missing], capture_output=True, text=True, timeout=30)
    expect(problems, bad.returncode == 2 and missing in bad.stderr and "Measuring" not in bad.stdout,
           "unwritable --json: %d %r" % (bad.returncode, bad.stderr))
    return proc


@driver.serial
def overhead_peers_when_installed(polyhost, fixtures, tmp, problems):
    """polyhost overhead --peers with node-calls-python and pythonia (only where scripts/setup-peers
    installed them already: installing them takes a minute and the npm registry)."""
    root = os.path.dirname(os.path.dirname(fixtures))
    if not os.path.exists(os.path.join(root, ".deps", "peers", ".installed")):
        print("SKIPPED: the peers are not installed (scripts/setup-peers installs them)")
        sys.exit(77)
    out = os.path.join(tmp, "o.json")
    proc = subprocess.run([polyhost, "overhead", "--quick", "--peers", "--json", out],
                          capture_output=True, text=True, timeout=900)
    expect(problems, proc.returncode == 0, "exit status %d" % proc.returncode)
    cells = {(e["binding"], e["case"]): e for e in json.load(open(out))["entries"]}
    for peer in ("node-calls-python", "pythonia"):
        for case in ("noop", "add_i32", "str_repeat", "call_back"):
            e = cells.get((peer, case), {})
            expect(problems, e.get("status") == "ok" and e.get("ns_per_call", 0) > 0, "%s/%s: %r" % (peer, case, e))
    # node-calls-python hands a Float64Array to Python as its bytes: the check catches the wrong sum.
    typed = cells.get(("node-calls-python", "sum_f64_typed"), {})
    expect(problems, typed.get("status") == "ok" or "wrong result" in typed.get("reason", ""), "typed: %r" % typed)
    return proc


@driver.serial
def compare_flags_the_slowed_workload(polyhost, fixtures, tmp, problems):
    """Two real runs of v8-jit, one with sieve made to do its work three times: compare reads both
    files, prints sieve's row with its change (about +200% on a quiet machine) and writes the
    Markdown; a file against itself passes the gate, a broken file is named with its line. The
    verdicts are not checked on these real runs: they depend on the machine's load during them
    (towers, unchanged, once read +44% with p = 8e-6 in CI, and with 2 processes a side one disturbed
    process put +339% within a CI that included no change). compare_leaves_the_unchanged_row_alone
    checks them on crafted files."""
    import shutil
    suite = os.path.join(os.path.dirname(os.path.dirname(fixtures)), "workloads")
    results = []
    for variant in ("base", "new"):
        folder = os.path.join(tmp, variant)
        shutil.copytree(os.path.join(suite, "sieve"), os.path.join(folder, "sieve"))
        if variant == "new":
            with open(os.path.join(folder, "sieve", "sieve.js"), "a") as f:
                f.write("\nconst once = module.exports.run;\nmodule.exports.run = (n) => { once(n); once(n); return once(n); };\n")
        out = os.path.join(tmp, variant + ".json")
        subprocess.run([polyhost, "run", folder, "--configs", "v8-jit", "--quick", "--processes", "2",
                        "--iterations", "10", "--json", out], capture_output=True, text=True, timeout=300)
        results.append(out)
    proc = subprocess.run([polyhost, "compare", results[0], results[1], "--threshold", "40", "--markdown",
                           os.path.join(tmp, "c.md")], capture_output=True, text=True, timeout=60)
    expect(problems, proc.returncode in (0, 1), "exit status %d, expected 0 or 1 (the gate's verdict)" % proc.returncode)
    lines = {line.split()[0]: line for line in proc.stdout.splitlines() if line.startswith("sieve")}
    expect(problems, "v8-jit" in lines.get("sieve", "") and "%" in lines.get("sieve", ""), "sieve's row: %r" % lines.get("sieve"))
    same = subprocess.run([polyhost, "compare", results[0], results[0]], capture_output=True, text=True, timeout=60)
    expect(problems, same.returncode == 0 and "no significant slowdown" in same.stdout, "a file against itself: %r" % same.stdout)
    broken = os.path.join(tmp, "broken.json")
    with open(broken, "w") as f:
        f.write('{"schema": "polyhost.results/1",\n  "runs": [\n')
    bad = subprocess.run([polyhost, "compare", results[0], broken], capture_output=True, text=True, timeout=60)
    expect(problems, bad.returncode == 2 and "broken.json:3:" in bad.stderr and "not valid JSON" in bad.stderr,
           "broken file: %d %r" % (bad.returncode, bad.stderr))
    expect(problems, "| sieve |" in open(os.path.join(tmp, "c.md")).read(), "Markdown lacks the table")
    return proc


def compare_results_file(tmp, name, samples, processes=1):
    """A results file of v8-jit rows whose samples are SAMPLES (workload -> list), split over PROCESSES."""
    runs = []
    for w, s in samples.items():
        per = len(s) // processes
        runs.append({"workload": w, "language": "js", "config": "v8-jit", "status": "ok", "message": "", "size_name": "quick",
                     "size": 5, "processes": processes, "samples_ns": s, "warmup_ns": [],
                     "process_samples_ns": [s[k * per:(k + 1) * per] for k in range(processes)],
                     "process_warmup_ns": [[] for _ in range(processes)], "result": 1, "verified": True, "has_verify": True})
    document = report_cases.results_doc(runs)
    document["settings"].update(warmup=0, iterations=len(next(iter(samples.values()))) // processes,
                                processes=processes, configs=["v8-jit"])
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        json.dump(document, f)
    return path


def compare_leaves_the_unchanged_row_alone(polyhost, fixtures, tmp, problems):
    """20 samples a side: a row three times slower is flagged beyond a 40% threshold, a row drawn from
    the same +-5% spread both times is not flagged at all, and a row 20% slower is significant but
    within the threshold, so the gate fails for the first only."""
    spread = [1 + 0.05 * ((k * 7) % 11 - 5) / 5 for k in range(20)]
    reordered = spread[7:] + spread[:7]
    base = compare_results_file(tmp, "base.json", {"slowed": [1000 * f for f in spread], "same": [2000 * f for f in spread],
                                                   "mild": [3000 * f for f in spread]}, processes=2)
    new = compare_results_file(tmp, "new.json", {"slowed": [3000 * f for f in reordered], "same": [2000 * f for f in reordered],
                                                 "mild": [3600 * f for f in reordered]}, processes=2)
    proc = subprocess.run([polyhost, "compare", base, new, "--threshold", "40"], capture_output=True, text=True, timeout=60)
    expect(problems, proc.returncode == 1, "exit status %d, expected 1" % proc.returncode)
    lines = {line.split()[0]: line for line in proc.stdout.splitlines() if line.startswith(("slowed", "same", "mild"))}
    expect(problems, "SLOWER (beyond the threshold)" in lines.get("slowed", ""), "slowed: %r" % lines.get("slowed"))
    expect(problems, "SLOWER" not in lines.get("same", "SLOWER") and "beyond" not in lines.get("same", "beyond"),
           "same: %r" % lines.get("same"))
    expect(problems, "SLOWER" in lines.get("mild", "") and "beyond" not in lines.get("mild", "beyond"),
           "mild: %r" % lines.get("mild"))
    expect(problems, "1 significant slowdown(s) beyond 40%" in proc.stdout, "summary: %r" % proc.stdout[-300:])
    return proc


def compare_says_when_too_few_samples_cannot_be_tested(polyhost, fixtures, tmp, problems):
    """One process of 3 iterations a side: the Mann-Whitney test cannot go below p = 0.081. A tenfold
    slowdown fails the gate as measured (it exited 0, "no significant change"), an unchanged row
    passes for want of samples, and a warning says the gate cannot judge them."""
    base = compare_results_file(tmp, "base.json", {"slowed": [100, 101, 102], "same": [200, 201, 202]})
    new = compare_results_file(tmp, "new.json", {"slowed": [1000, 1010, 1020], "same": [200.5, 201, 201.5]})
    proc = subprocess.run([polyhost, "compare", base, new], capture_output=True, text=True, timeout=60)
    expect(problems, proc.returncode == 1, "exit status %d, expected 1 (a tenfold slowdown)" % proc.returncode)
    lines = {line.split()[0]: line for line in proc.stdout.splitlines() if line.startswith(("slowed", "same"))}
    expect(problems, "SLOWER as measured (beyond the threshold), too few samples to test (3 and 3: p >= 0.081 unless values tie)"
           in lines.get("slowed", ""), "slowed: %r" % lines.get("slowed"))
    expect(problems, "passes for want of samples" in lines.get("same", ""), "same: %r" % lines.get("same"))
    expect(problems, "WARNING: 2 rows have too few samples for the Mann-Whitney test to reach p < 0.05" in proc.stdout,
           "no warning")
    alone = subprocess.run([polyhost, "compare", base, base], capture_output=True, text=True, timeout=60)
    expect(problems, alone.returncode == 0 and "2 row(s) passed for want of samples to test" in alone.stdout,
           "a file against itself: %d %r" % (alone.returncode, alone.stdout[-300:]))
    return proc


def compare_says_why_a_lost_row_fails_the_gate(polyhost, fixtures, tmp, problems):
    """A row ok in the base and missing from the new file fails the gate (exit 1) while the one compared
    row is unchanged: the closing line starts with why it fails (it began "no significant slowdown
    beyond 5%", which reads as a pass), and the geometric mean is "over 1 row" (it said "1 rows")."""
    spread = [1 + 0.05 * ((k * 7) % 11 - 5) / 5 for k in range(20)]
    base = compare_results_file(tmp, "base.json", {"stays": [1000 * f for f in spread], "vanishes": [2000 * f for f in spread]}, 2)
    new = compare_results_file(tmp, "new.json", {"stays": [1000 * f for f in spread[7:] + spread[:7]]}, 2)
    proc = subprocess.run([polyhost, "compare", base, new], capture_output=True, text=True, timeout=60)
    expect(problems, proc.returncode == 1, "exit status %d, expected 1 (a row was lost)" % proc.returncode)
    last = proc.stdout.rstrip("\n").splitlines()[-1] if proc.stdout.strip() else ""
    expect(problems, last == "the gate fails: 1 row(s) ok in the base could not be compared (missing, not ok, damaged or of "
                             "another size); no significant slowdown beyond 5%", "closing line: %r" % last)
    expect(problems, "] over 1 row (95% CI" in proc.stdout and "1 rows" not in proc.stdout,
           "geometric mean line: %r" % [line for line in proc.stdout.splitlines() if "geometric mean" in line])
    return proc


def exception_located(polyhost, fixtures, tmp, problems):
    """An exception in either language is an error whose message has file:line:column and the type."""
    proc = verdict("throws", {"v8-jit": "error", "cpython": "error"}, [])(polyhost, fixtures, tmp, problems)
    runs = runs_by(json.load(open(os.path.join(tmp, "r.json"))))
    js, py = runs[("throws", "v8-jit")]["message"], runs[("throws", "cpython")]["message"]
    expect(problems, "throws.js:3:15: SyntaxError" in js, "js location: %r" % js[:200])
    expect(problems, "throws.py:5:12: KeyError" in py, "py location: %r" % py[:200])
    return proc


def same_name_twice_is_refused(polyhost, fixtures, tmp, problems):
    """Two different folders of one workload name would share a row: a usage error naming both."""
    import shutil
    for side in ("a", "b"):
        shutil.copytree(os.path.join(fixtures, "workloads", "good"), os.path.join(tmp, side, "good"))
    proc = subprocess.run([polyhost, "run", os.path.join(tmp, "a", "good"), os.path.join(tmp, "b", "good"), "--quick"],
                          capture_output=True, text=True, timeout=60)
    expect(problems, proc.returncode == 2, "exit status %d, expected 2" % proc.returncode)
    expect(problems, "two workloads are named 'good'" in proc.stderr and os.path.join(tmp, "b", "good") in proc.stderr,
           "stderr: %r" % proc.stderr)
    return proc


def usage_error(args, words):
    def check(polyhost, fixtures, tmp, problems):
        proc = subprocess.run([polyhost] + args, capture_output=True, text=True, timeout=60)
        expect(problems, proc.returncode == 2, "exit status %d, expected 2" % proc.returncode)
        for word in words:
            expect(problems, word in proc.stderr, "stderr lacks %r" % word)
        return proc
    return check


def integers_are_decimal(polyhost, fixtures, tmp, problems):
    """CLI11 reads integers as strtoll's base 0: "010" was eight iterations and "0x2" two processes."""
    workload = os.path.join(fixtures, "workloads", "good")
    proc = subprocess.run([polyhost, "run", workload, "--configs", "v8-jit", "--processes", "01", "--warmup", "1",
                           "--iterations", "010", "--quick", "--json", os.path.join(tmp, "r.json")],
                          capture_output=True, text=True, timeout=120)
    expect(problems, proc.returncode == 0, "exit status %d" % proc.returncode)
    if proc.returncode == 0:
        run = json.load(open(os.path.join(tmp, "r.json")))["runs"][0]
        expect(problems, len(run["samples_ns"]) == 10, "--iterations 010 made %d measured calls" % len(run["samples_ns"]))
    for args in (["run", workload, "--processes", "0x2"], ["list", "--jobs", "1e1"], ["startup", "--processes", "+"]):
        proc = subprocess.run([polyhost] + args, capture_output=True, text=True, timeout=60)
        expect(problems, proc.returncode == 2 and "expected a whole number, got '%s'" % args[-1] in proc.stderr,
               "%s: exit %d, %r" % (" ".join(args[1:]), proc.returncode, proc.stderr))
    return proc


BOTH = ("v8-jit", "cpython")
CASES = {
    "integers_are_decimal": integers_are_decimal,
    "mismatch_stops_the_calls": mismatch_stops_the_calls,
    "reference_python_workers_stop_at_a_mismatch": reference_python_workers_stop_at_a_mismatch,
    "reference_node_worker_stops_at_a_mismatch": reference_node_worker_stops_at_a_mismatch,
    "compare_says_when_too_few_samples_cannot_be_tested": compare_says_when_too_few_samples_cannot_be_tested,
    "compare_says_why_a_lost_row_fails_the_gate": compare_says_why_a_lost_row_fails_the_gate,
    "good_workload_verified": verdict("good", {c: "ok" for c in BOTH}, result={"sum": 499500, "label": "sum", "ratio": 1000 / 3}),
    "async_workload": verdict("async_ok", {c: "ok" for c in BOTH}, result=1225),
    "es_module_workload_with_setup": verdict("esm_ok", {c: "ok" for c in BOTH}, result=20),
    "float_results_agree_within_tolerance": verdict("float_tolerance", {c: "ok" for c in BOTH}),
    "missing_run_is_invalid": verdict("no_run", {"v8-jit": "invalid", "cpython": "ok"}, ["no run() function"]),
    "missing_file_is_invalid": verdict("missing_py", {"cpython": "invalid"}, ["missing", "missing_py.py"]),
    "disagreeing_sizes_are_invalid": verdict("sizes_disagree", {c: "invalid" for c in BOTH}, ["sizes differ"]),
    "languages_disagreeing_is_mismatch": verdict("languages_disagree", {c: "mismatch" for c in BOTH},
                                                 ["disagree", "result.values[2]", "3 vs 4"]),
    "changing_result_is_mismatch": verdict("result_drifts", {c: "mismatch" for c in BOTH},
                                           ["returned different results in measured iteration 1 and measured iteration 2: result: "]),
    "result_changing_in_warmup_is_mismatch": result_changing_in_warmup_is_mismatch,
    "failing_verify_is_mismatch": verdict("verify_fails", {"v8-jit": "ok", "cpython": "mismatch"}, ["verify(result, 5) returned False"]),
    "exception_is_error_with_location": exception_located,
    "non_json_result_is_invalid": verdict("not_json_like", {c: "invalid" for c in BOTH}, ["callback", "function", "not JSON-like"]),
    "good_and_bad_in_one_run": good_and_bad_together,
    "null_result_is_verified": null_result_is_verified,
    "es_module_with_top_level_await": es_module_with_top_level_await,
    "control_characters_in_names_are_shown_escaped": control_characters_in_names_are_shown_escaped,
    "wide_characters_in_names_keep_the_table_aligned": wide_characters_in_names_keep_the_table_aligned,
    "workload_calls_the_other_language": verdict("bridged", {c: "ok" for c in BOTH}, result={"comb": 4060, "from": "python"}),
    "live_proxy_result_says_how_to_copy_it": verdict(
        "live_proxy_result", {c: "invalid" for c in BOTH},
        ["run() result is a", "live", "(a proxy, not a copy), which is not JSON-like: ", ".copy(x) makes a plain copy of it"]),
    "live_object_result_that_copy_keeps_live_says_to_convert_it": verdict(
        "live_object_result", {c: "invalid" for c in BOTH},
        ["run() result is a", "(a proxy, not a copy), which is not JSON-like: run() must convert it to JSON-like values"]),
    "all_configs_present_or_skipped": all_configs_present_or_skipped,
    "missing_program_is_skipped": missing_program_is_skipped,
    "overhead_quick_matrix": overhead_quick_matrix,
    "overhead_peers_when_installed": overhead_peers_when_installed,
    "compare_flags_the_slowed_workload": compare_flags_the_slowed_workload,
    "compare_leaves_the_unchanged_row_alone": compare_leaves_the_unchanged_row_alone,
    "list_flags_broken_contracts": list_flags_broken_contracts,
    "folder_named_with_slash_or_dot": folder_named_with_slash_or_dot,
    "too_few_samples_have_no_ci": too_few_samples_have_no_ci,
    "list_survives_hanging_and_crashing_loads": list_survives_hanging_and_crashing_loads,
    "list_keeps_python_helpers_apart": list_keeps_python_helpers_apart,
    "run_not_a_function_is_invalid": verdict("run_not_function", {c: "invalid" for c in BOTH},
                                             ["run_not_function.", "run is not a function", "the contract needs run(n)"]),
    "verify_not_a_function_is_invalid": verdict("verify_not_function", {c: "invalid" for c in BOTH},
                                                ["verify_not_function.", "verify is not a function"]),
    "same_workload_name_twice_is_usage_error": same_name_twice_is_refused,
    "unknown_config_is_usage_error": usage_error(["run", "--configs", "v8-turbo"], ["unknown configuration 'v8-turbo'"]),
    "empty_config_item_is_usage_error": usage_error(["run", "--configs", "v8-jit,,cpython"], ["unknown configuration ''"]),
    "unknown_workload_is_usage_error": usage_error(["run", "no_such_workload_here"], ["no_such_workload_here", "no such workload"]),
    "file_given_as_workload_is_named": usage_error(["list", "/etc/passwd"], ["/etc/passwd: is a file, not a workload"]),
    # An empty value is not the default: it is a mistake, said as one.
    "empty_iterations_is_usage_error": usage_error(["run", "good", "--iterations", ""], ["--iterations: expected a whole number, got ''"]),
    "empty_processes_is_usage_error": usage_error(["run", "good", "--processes", ""], ["--processes: expected a whole number, got ''"]),
    "empty_warmup_is_usage_error": usage_error(["run", "good", "--warmup", ""], ["--warmup", "must not be empty"]),
    "empty_threshold_is_usage_error": usage_error(["compare", "a.json", "b.json", "--threshold", ""],
                                                  ["--threshold: expected a finite percentage >= 0, got ''"]),
    # Quoted as typed; strtod's hexadecimal and infinities are not percentages a person means.
    "overflowing_threshold_is_quoted_as_typed": usage_error(["compare", "a.json", "b.json", "--threshold", "1e400"],
                                                            ["--threshold: expected a finite percentage >= 0, got '1e400'"]),
    "hexadecimal_threshold_is_usage_error": usage_error(["compare", "a.json", "b.json", "--threshold", "0x10"],
                                                        ["--threshold: expected a finite percentage >= 0, got '0x10'"]),
    "zero_iterations_names_only_that_option": usage_error(["run", "sieve", "--iterations", "0"],
                                                          ["--iterations 0: at least 1 is needed"]),
    "hexadecimal_timeout_is_usage_error": usage_error(["run", "good", "--timeout", "0x10"], ["--timeout", "got '0x10'"]),
    "empty_compare_markdown_is_usage_error": usage_error(["compare", "a.json", "b.json", "--markdown", ""],
                                                         ["--markdown", "must not be empty"]),
    "empty_jobs_is_usage_error": usage_error(["list", "--jobs", ""], ["--jobs: expected a whole number, got ''"]),
    "empty_list_timeout_is_usage_error": usage_error(["list", "--timeout", ""], ["--timeout"]),
    "empty_overhead_json_is_usage_error": usage_error(["overhead", "--json", ""], ["--json", "must not be empty"]),
    "empty_report_output_is_usage_error": usage_error(["report", "a.json", "-o", ""], ["--output", "must not be empty"]),
}



if __name__ == "__main__":
    sys.exit(driver.main(CASES))
