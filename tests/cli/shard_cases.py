"""CLI cases for `polyhost run --shard` and `polyhost merge`, and the cluster files in scripts/cluster/,
with local processes standing in for the scheduler: the environment variables set as Kubernetes,
Slurm or GitHub Actions would set them, the files' own commands run as their pods, tasks and jobs
would run them.

Usage: shard_cases.py POLYHOST FIXTURES CASE    (or --list)
The Kubernetes and GitHub Actions files are read with Debian's python3 and its yaml module
(python3-yaml, which `scripts/setup-deps --test` installs); without it those cases are skipped.
"""
import json
import os
import re
import shutil
import subprocess
import sys

import driver

SKIP = 77  # ctest's SKIP_RETURN_CODE
# A small part of the real suite at quick sizes, one process, two iterations: seconds, not minutes.
WORKLOADS = ["nbody", "richards", "sieve", "towers"]
FAST = ["--quick", "--processes", "1", "--warmup", "0", "--iterations", "2"]
CONFIGS = ["v8-jit", "cpython"]
EXPECTED_ROWS = [(w, c) for w in WORKLOADS for c in CONFIGS]
DEBIAN_PYTHON = "/usr/bin/python3"


def expect(problems, condition, text):
    if not condition:
        problems.append(text)


def root_of(fixtures):
    return os.path.dirname(os.path.dirname(os.path.abspath(fixtures)))


def cluster_file(fixtures, name):
    return os.path.join(root_of(fixtures), "scripts", "cluster", name)


def load(path):
    with open(path) as f:
        return json.load(f)


def rows(data):
    return [(r["workload"], r["config"]) for r in data["runs"]]


def run(command, env=None, cwd=None, timeout=300):
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env, cwd=cwd)


def scheduler_env(**variables):
    """The environment a pod or task gets: this one without any scheduler's variables, plus VARIABLES."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLURM_", "JOB_COMPLETION_INDEX"))}
    env.update({k: str(v) for k, v in variables.items()})
    return env


def run_shards(polyhost, tmp, variables_of, extra=()):
    """Starts the 3 shards at once, as a scheduler would, shard K with the variables VARIABLES_OF(K)."""
    procs, paths = [], []
    for k in (1, 2, 3):
        path = os.path.join(tmp, "shard-%d.json" % k)
        paths.append(path)
        procs.append(subprocess.Popen([polyhost, "run", "--shard", "auto"] + list(extra) + WORKLOADS + FAST + ["--json", path],
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                      env=scheduler_env(**variables_of(k))))
    outputs = [p.communicate(timeout=300) for p in procs]
    return [p.returncode for p in procs], outputs, paths


def kubernetes_shards(polyhost, tmp):
    return run_shards(polyhost, tmp, lambda k: {"JOB_COMPLETION_INDEX": k - 1}, extra=["--shard-count", "3"])


def check_merged(problems, merged, what):
    """MERGED has exactly the rows of an unsharded run of WORKLOADS, all ok and compared."""
    expect(problems, rows(merged) == EXPECTED_ROWS, "%s: rows %r, expected %r" % (what, rows(merged), EXPECTED_ROWS))
    expect(problems, merged["settings"]["configs"] == CONFIGS, "%s: configs %r" % (what, merged["settings"]["configs"]))
    expect(problems, all(r["status"] == "ok" for r in merged["runs"]), "%s: runs not ok: %r" %
           (what, [(r["workload"], r["config"], r["status"], r["message"]) for r in merged["runs"] if r["status"] != "ok"]))
    compared = sorted(c["workload"] for c in merged["comparisons"])
    expect(problems, compared == WORKLOADS, "%s: comparisons recomputed for %r" % (what, compared))
    expect(problems, "cpython" in merged["geometric_mean_ratio"] and merged["tier_ratios"]
           and merged["tier_ratios"][0]["workloads"] == len(WORKLOADS),
           "%s: geometric mean %r, tier ratios %r" % (what, merged["geometric_mean_ratio"], merged["tier_ratios"]))
    shard = merged["settings"].get("shard") or {}
    expect(problems, shard.get("count") == 3 and shard.get("included") == [1, 2, 3], "%s: shard record %r" % (what, shard))


def yaml_document(path):
    """PATH parsed by Debian's python3 yaml module, or None (then the case is skipped)."""
    if not os.path.exists(DEBIAN_PYTHON):
        return None
    proc = run([DEBIAN_PYTHON, "-c", "import json, sys, yaml\n"
                "d = yaml.safe_load(open(sys.argv[1]))\n"
                "if isinstance(d, dict) and True in d: d['on'] = d.pop(True)  # YAML 1.1 reads a bare on as true\n"
                "print(json.dumps(d))", path])
    if proc.returncode != 0 and "No module named 'yaml'" in proc.stderr:
        return None
    if proc.returncode != 0:
        raise AssertionError("%s is not valid YAML: %s" % (path, proc.stderr.strip()))
    return json.loads(proc.stdout)


def skip_without_yaml():
    print("SKIPPED: Debian's python3 has no yaml module (python3-yaml; scripts/test installs it)")
    sys.exit(SKIP)


# --- the flow with polyhost alone -------------------------------------------------------------------

def three_shards_merge_into_the_unsharded_rows(polyhost, fixtures, tmp, problems):
    """The Kubernetes variables set as an Indexed Job sets them: 3 shards, merged, are the unsharded run."""
    whole = os.path.join(tmp, "whole.json")
    proc = run([polyhost, "run"] + WORKLOADS + FAST + ["--json", whole], env=scheduler_env())
    expect(problems, proc.returncode == 0, "unsharded run: exit status %d" % proc.returncode)
    statuses, outputs, paths = kubernetes_shards(polyhost, tmp)
    expect(problems, statuses == [0, 0, 0], "shards' exit statuses %r" % statuses)
    planned = []
    for k, (out, err) in enumerate(outputs, 1):
        expect(problems, out.startswith("Shard %d of 3: " % k) and "durations recorded in" in out.splitlines()[0],
               "shard %d's first line: %r" % (k, out.splitlines()[:1]))
        shard = load(paths[k - 1])["settings"]["shard"]
        expect(problems, shard["included"] == [k] and shard["count"] == 3, "shard %d records %r" % (k, shard))
        planned.append(sorted(shard["plan"][k - 1]))
        expect(problems, sorted({w for w, _ in rows(load(paths[k - 1]))}) == planned[-1],
               "shard %d ran %r, planned %r" % (k, rows(load(paths[k - 1])), planned[-1]))
    expect(problems, sorted(w for p in planned for w in p) == WORKLOADS, "the shards' workloads %r" % planned)

    merged_path = os.path.join(tmp, "all.json")
    proc = run([polyhost, "merge"] + paths + ["-o", merged_path])
    expect(problems, proc.returncode == 0, "merge: exit status %d: %s" % (proc.returncode, proc.stderr))
    expect(problems, "merged 3 files (shards 1, 2, 3 of 3): 4 workloads x 2 configurations, 8 runs" in proc.stdout,
           "merge's summary: %r" % proc.stdout)
    if proc.returncode != 0:
        return proc
    merged, unsharded = load(merged_path), load(whole)
    check_merged(problems, merged, "merged")
    expect(problems, rows(merged) == rows(unsharded), "rows %r vs unsharded %r" % (rows(merged), rows(unsharded)))
    for key in ("size", "processes", "warmup", "iterations", "configs"):
        expect(problems, merged["settings"][key] == unsharded["settings"][key], "settings.%s differs" % key)
    for m, u in zip(merged["runs"], unsharded["runs"]):
        expect(problems, (m["size"], m["size_name"], m["result"]) == (u["size"], u["size_name"], u["result"]),
               "%s [%s]: size or result differs from the unsharded run" % (m["workload"], m["config"]))
        expect(problems, len(m["samples_ns"]) == 2, "%s [%s]: samples %r" % (m["workload"], m["config"], m["samples_ns"]))

    report = run([polyhost, "report", merged_path, "-o", os.path.join(tmp, "report.html")])
    expect(problems, report.returncode == 0, "report: exit status %d: %s" % (report.returncode, report.stderr))
    page = open(os.path.join(tmp, "report.html")).read() if report.returncode == 0 else ""
    for workload in WORKLOADS:
        expect(problems, "<title>%s</title>" % workload in page, "the report has no chart of %s" % workload)
    compare = run([polyhost, "compare", whole, merged_path])
    expect(problems, compare.returncode in (0, 1), "compare: exit status %d: %s" % (compare.returncode, compare.stderr))
    expect(problems, "only in" not in compare.stdout and "over 8 rows" in compare.stdout,
           "compare did not match all 8 rows: %s" % compare.stdout[-1500:])
    return proc


def shard_usage_errors(polyhost, fixtures, tmp, problems):
    """Missing, malformed or inconsistent shard options and variables: exit 2, saying which and why, before any work."""
    cases = [
        (["--shard", "0/3"], {}, "--shard 0/3: K must be from 1 to N"),
        (["--shard", "4/3"], {}, "--shard 4/3: K must be from 1 to N"),
        (["--shard", "two"], {}, "--shard two: expected K/N"),
        (["--shard", "1/2000000"], {}, "--shard 1/2000000: at most 10000 shards"),
        (["--shard", "auto"], {}, "neither JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) nor SLURM_ARRAY_TASK_ID"),
        (["--shard", "auto"], {"JOB_COMPLETION_INDEX": "0"}, "no --shard-count"),
        (["--shard", "auto", "--shard-count", "3"], {"JOB_COMPLETION_INDEX": "3"}, "JOB_COMPLETION_INDEX=3 is not below --shard-count 3"),
        (["--shard", "auto", "--shard-count", "3"], {"JOB_COMPLETION_INDEX": "-1"}, "JOB_COMPLETION_INDEX='-1': expected a whole number"),
        (["--shard", "auto"], {"SLURM_ARRAY_TASK_ID": "1"}, "SLURM_ARRAY_TASK_COUNT is not"),
        (["--shard", "auto"], {"SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_COUNT": "3", "SLURM_ARRAY_TASK_MAX": "3"},
         "SLURM_ARRAY_TASK_MIN is not"),
        (["--shard", "auto"], {"SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_COUNT": "3", "SLURM_ARRAY_TASK_MIN": "1",
                               "SLURM_ARRAY_TASK_MAX": "3"}, "SLURM_ARRAY_TASK_ID=5 is outside the job array's ids 1..3"),
        (["--shard", "auto"], {"SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "3", "SLURM_ARRAY_TASK_MIN": "0",
                               "SLURM_ARRAY_TASK_MAX": "4"}, "not one contiguous range"),
        (["--shard", "auto", "--shard-count", "2"], {"SLURM_ARRAY_TASK_ID": "0", "SLURM_ARRAY_TASK_COUNT": "3"},
         "--shard-count 2 disagrees with SLURM_ARRAY_TASK_COUNT=3"),
        (["--shard", "auto", "--shard-count", "3"], {"JOB_COMPLETION_INDEX": "0", "SLURM_ARRAY_TASK_ID": "0",
                                                     "SLURM_ARRAY_TASK_COUNT": "3"}, "found both"),
        (["--shard", "1/3", "--shard-count", "3"], {}, "--shard-count goes with --shard auto"),
        (["--shard-durations", os.path.join(tmp, "none.json")], {}, "--shard-durations goes with --shard"),
        (["--shard", "1/3", "--shard-durations", os.path.join(tmp, "none.json")], {}, "none.json: cannot read the file"),
    ]
    proc = None
    for args, variables, words in cases:
        out = os.path.join(tmp, "r.json")
        proc = run([polyhost, "run", "nbody", "--json", out] + args, env=scheduler_env(**variables), timeout=60)
        what = "%s %r" % (" ".join(args), variables)
        expect(problems, proc.returncode == 2, "%s: exit status %d, expected 2" % (what, proc.returncode))
        expect(problems, words in proc.stderr, "%s: stderr %r lacks %r" % (what, proc.stderr, words))
        expect(problems, not os.path.exists(out) and "Plan:" not in proc.stdout, "%s: it ran anyway" % what)
    return proc


def bad_merges_are_refused(polyhost, fixtures, tmp, problems):
    """Overlap, a missing shard, different machines or settings, damaged files: exit 2, naming files and rows, nothing written."""
    statuses, _, paths = kubernetes_shards(polyhost, tmp)
    expect(problems, statuses == [0, 0, 0], "shards' exit statuses %r" % statuses)
    one, two, three = paths
    data = load(two)
    second_rows = ", ".join("%s [%s]" % row for row in rows(data))

    def variant(name, change):
        copy = json.loads(json.dumps(data))
        change(copy)
        path = os.path.join(tmp, name)
        with open(path, "w") as f:
            json.dump(copy, f)
        return path

    other_cpu = variant("other-cpu.json", lambda d: d["environment"].update(cpu_model="Other CPU @ 9 GHz"))
    other_kernel = variant("other-kernel.json", lambda d: d["environment"].update(os=d["environment"]["os"] + "-rt"))
    other_v8 = variant("other-v8.json", lambda d: d["environment"]["engines"][0].update(version="11.3.244.8"))
    python = next(e for e in data["environment"]["engines"] if e["name"] == "CPython")
    other_python = variant("other-python.json", lambda d: next(e for e in d["environment"]["engines"] if e["name"] == "CPython")
                           .update(executable="/usr/bin/python3.11-elsewhere"))
    cores = data["environment"]["cpu_count"]
    more_cores = variant("more-cores.json", lambda d: d["environment"].update(cpu_count=cores + 62))
    other_iterations = variant("other-iterations.json", lambda d: d["settings"].update(iterations=5))
    tampered = variant("tampered.json", lambda d: d["runs"][0]["stats"].update(median_ns=1))
    doubled = variant("doubled.json", lambda d: d["runs"].append(json.loads(json.dumps(d["runs"][0]))))
    no_size = variant("no-size.json", lambda d: d["runs"][0].pop("size"))
    truncated = os.path.join(tmp, "truncated.json")
    with open(truncated, "w") as f:
        f.write(open(two).read()[:2000])
    two_copy = os.path.join(tmp, "shard-2-copy.json")
    shutil.copyfile(two, two_copy)
    not_results = os.path.join(tmp, "not-results.json")
    with open(not_results, "w") as f:
        f.write('{"schema": "polyhost.overhead/1"}')

    cases = [
        ([one, three], ["shard 2 of 3 is missing (its workloads: %s)" % ", ".join(load(two)["settings"]["shard"]["plan"][1])]),
        ([one, two, three, two], ["%s is given twice" % two]),
        ([one, two, three, two_copy], ["shard 2 of 3 is in both %s and %s" % (two, two_copy),
                                       "%s and %s both hold %d rows: %s" % (two, two_copy, len(data["runs"]), second_rows)]),
        ([one, other_cpu, three], ["%s and %s come from different machines or builds: cpu_model" % (one, other_cpu),
                                   '"Other CPU @ 9 GHz"', "--allow-mixed-machines"]),
        ([one, other_kernel, three], ["%s and %s come from different machines or builds: os" % (one, other_kernel)]),
        ([one, other_v8, three], ['engine V8 "%s" vs "11.3.244.8"' % data["environment"]["engines"][0]["version"]]),
        # Another CPython executable is another build (it merged, as "A | B" in one machine's file).
        ([one, other_python, three], ['%s and %s come from different machines or builds: engine CPython executable "%s" vs '
                                      '"/usr/bin/python3.11-elsewhere"' % (one, other_python, python.get("executable")),
                                      "--allow-mixed-machines"]),
        # A number is shown as a number (it was quoted: cpu_count "2" vs "64").
        ([one, more_cores, three], ["cpu_count %d vs %d (merge --allow-mixed-machines" % (cores, cores + 62)]),
        ([one, other_iterations, three], ["%s and %s were run with different settings: iterations 2 vs 5" % (one, other_iterations)]),
        ([one, tampered, three], ["%s: runs[0].stats.median_ns: 1, but the samples give" % tampered]),
        ([one, truncated, three], ["%s:" % truncated, "not valid JSON"]),
        ([one, not_results, three], ["%s: not a polyhost results file" % not_results]),
        ([one, os.path.join(tmp, "absent.json"), three], ["absent.json: cannot read the file"]),
    ]
    doubled_row = "%s: runs[0] and runs[%d] are both %s [%s]" % (doubled, len(data["runs"]), data["runs"][0]["workload"],
                                                                  data["runs"][0]["config"])
    cases += [
        ([one, doubled, three], [doubled_row]),  # once: both runs carry it
        ([one, no_size, three], ["%s: runs[0].size: missing" % no_size]),  # it was read as 0, and merge named sizes
    ]
    proc = None
    for inputs, words in cases:
        out = os.path.join(tmp, "all.json")
        proc = run([polyhost, "merge"] + inputs + ["-o", out])
        what = "merge " + " ".join(os.path.basename(p) for p in inputs)
        expect(problems, proc.returncode == 2, "%s: exit status %d, expected 2" % (what, proc.returncode))
        for word in words:
            expect(problems, word in proc.stderr, "%s: stderr %r lacks %r" % (what, proc.stderr, word))
            expect(problems, proc.stderr.count(word + "\n") <= 1, "%s: stderr says %r more than once" % (what, word))
        expect(problems, not os.path.exists(out), "%s: wrote %s anyway" % (what, out))
    return proc


def interrupted_run(run):
    """RUN as `run` writes it when Ctrl-C came before any of its processes finished."""
    return {"workload": run["workload"], "language": run["language"], "config": run["config"], "status": "interrupted",
            "message": "not finished: the run was interrupted (Ctrl-C)", "size_name": run["size_name"], "size": 0,
            "processes": 0, "samples_ns": [], "warmup_ns": [], "process_samples_ns": [], "process_warmup_ns": [],
            "cold_ns": [], "steady_from": [], "stats": None, "warnings": [], "result": None, "verified": False,
            "has_verify": False, "warmup": None}


def interrupted_shard_is_merged_and_counted(polyhost, fixtures, tmp, problems):
    """A shard interrupted before its first cpython worker started (every run interrupted, cpython's engine
    unrecorded, as `run` writes it) is the same machine (merge refused it as from "different machines or
    builds", configs.cpython.engine "CPython 3.11.7" against an empty one), the merged file has the others' engine, the summary
    counts the interrupted runs by file (it said nothing of them) and names the unrecorded engine, and the
    merge exits 1 as `run` would; the report labels the load average as the largest of the files'."""
    statuses, _, paths = kubernetes_shards(polyhost, tmp)
    expect(problems, statuses == [0, 0, 0], "shards' exit statuses %r" % statuses)
    one, two, three = paths
    data = load(two)
    data["runs"] = [interrupted_run(r) for r in data["runs"]]
    cpython = data["environment"]["configs"]["cpython"]
    cpython["engine"] = ""
    cpython.pop("idle_memory", None)
    data["environment"]["empty_call_ns"].pop("cpython", None)
    interrupted = os.path.join(tmp, "interrupted.json")
    with open(interrupted, "w") as f:
        json.dump(data, f)
    engine = load(one)["environment"]["configs"]["cpython"]["engine"]
    out = os.path.join(tmp, "all.json")
    proc = run([polyhost, "merge", one, interrupted, three, "-o", out])
    expect(problems, proc.returncode == 1, "merge: exit status %d, expected 1 (runs not ok): %s" % (proc.returncode, proc.stderr))
    runs = len(data["runs"])
    lines = proc.stdout.splitlines()
    for line in ["merged 3 files (shards 1, 2, 3 of 3): 4 workloads x 2 configurations, 8 runs",
                 "%d runs not ok: %d interrupted (in %s)" % (runs, runs, interrupted),
                 "%s records no engine for cpython, as no worker of it reported there (its runs of it: %d interrupted): "
                 "the merged file has the other files' (%s)" % (interrupted, runs // 2, engine)]:
        expect(problems, line in lines, "merge's summary lacks %r: %r" % (line, lines))
    if not os.path.exists(out):
        return proc
    merged = load(out)
    expect(problems, "machines" not in merged, "merged as %d machines" % len(merged.get("machines", [])))
    expect(problems, merged["environment"]["configs"]["cpython"]["engine"] == engine,
           "the merged cpython engine %r" % merged["environment"]["configs"]["cpython"]["engine"])
    expect(problems, merged["environment"].get("merged_files") == 3, "merged_files %r" % merged["environment"].get("merged_files"))
    report = run([polyhost, "report", out, "-o", os.path.join(tmp, "report.html")])
    expect(problems, report.returncode == 0, "report: exit status %d: %s" % (report.returncode, report.stderr))
    page = open(os.path.join(tmp, "report.html")).read() if report.returncode == 0 else ""
    label = "(1 minute: the largest of the 3 merged files&#39;, each at its start)"
    expect(problems, label in page and "(1 minute, at the start)" not in page,
           "the report's load average: %r" % re.findall(r"Load average</th><td>[^<]*", page))
    return proc


def mixed_machines_keep_their_machine(polyhost, fixtures, tmp, problems):
    """--allow-mixed-machines: every run names its machine, no ratio crosses machines, report and compare accept it."""
    statuses, _, paths = kubernetes_shards(polyhost, tmp)
    expect(problems, statuses == [0, 0, 0], "shards' exit statuses %r" % statuses)
    data = load(paths[1])
    data["environment"]["cpu_model"] = "Other CPU @ 9 GHz"
    moved = os.path.join(tmp, "elsewhere.json")
    with open(moved, "w") as f:
        json.dump(data, f)
    # One workload's cpython row measured elsewhere too: it must not be divided by its v8-jit row.
    split_workload = load(paths[0])["runs"][0]["workload"]
    first = load(paths[0])
    lone = json.loads(json.dumps(first))
    lone["runs"] = [r for r in first["runs"] if (r["workload"], r["config"]) == (split_workload, "cpython")]
    lone["environment"]["cpu_model"] = "Other CPU @ 9 GHz"
    lone["settings"].pop("shard")
    first["runs"] = [r for r in first["runs"] if (r["workload"], r["config"]) != (split_workload, "cpython")]
    first_path, lone_path = os.path.join(tmp, "first.json"), os.path.join(tmp, "lone.json")
    for path, content in ((first_path, first), (lone_path, lone)):
        with open(path, "w") as f:
            json.dump(content, f)
    # The shard record says the first shard plans the split workload's cpython row: merged with the
    # lone file, nothing is missing.
    out = os.path.join(tmp, "mixed.json")
    proc = run([polyhost, "merge", "--allow-mixed-machines", first_path, moved, paths[2], lone_path, "-o", out])
    expect(problems, proc.returncode == 0, "merge: exit status %d: %s" % (proc.returncode, proc.stderr))
    expect(problems, "measured on 2 machines" in proc.stdout, "merge's summary: %r" % proc.stdout)
    if proc.returncode != 0:
        return proc
    merged = load(out)
    expect(problems, rows(merged) == EXPECTED_ROWS, "rows %r" % rows(merged))
    machines = merged.get("machines", [])
    expect(problems, [m["cpu_model"] for m in machines][1:] == ["Other CPU @ 9 GHz"] and len(machines) == 2,
           "machines %r" % [m.get("cpu_model") for m in machines])
    expect(problems, machines and machines[1]["files"] == [moved, lone_path], "machine 2's files %r" % machines[1:])
    other = {w for w, _ in rows(data)}
    for r in merged["runs"]:
        elsewhere = r["workload"] in other or (r["workload"], r["config"]) == (split_workload, "cpython")
        expect(problems, r.get("machine") == (1 if elsewhere else 0), "%s [%s]: machine %r" % (r["workload"], r["config"], r.get("machine")))
    compared = sorted(c["workload"] for c in merged["comparisons"])
    expect(problems, compared == sorted(w for w in WORKLOADS if w != split_workload),
           "compared %r: %s's rows are on different machines" % (compared, split_workload))
    expect(problems, "Other CPU @ 9 GHz" in merged["environment"]["cpu_model"] and " | " in merged["environment"]["cpu_model"],
           "environment.cpu_model %r" % merged["environment"]["cpu_model"])
    report = run([polyhost, "report", out, "-o", os.path.join(tmp, "report.html")])
    expect(problems, report.returncode == 0, "report: exit status %d: %s" % (report.returncode, report.stderr))
    page = open(os.path.join(tmp, "report.html")).read() if report.returncode == 0 else ""
    expect(problems, "These runs come from 2 machines" in page and "<h3>Machine 2 (" in page
           and "%s [cpython]" % split_workload in page.split("<h3>Machine 2 (")[-1], "the report does not show the machines")
    compare = run([polyhost, "compare", out, out])
    expect(problems, compare.returncode == 0, "compare: exit status %d: %s" % (compare.returncode, compare.stderr))
    again = run([polyhost, "merge", "--allow-mixed-machines", out, "-o", os.path.join(tmp, "again.json")])
    expect(problems, again.returncode == 2 and "already holds runs of several machines" in again.stderr,
           "merging a mixed file again: %d %r" % (again.returncode, again.stderr))
    return proc


# --- the cluster files, run as their scheduler would run them ----------------------------------------

FAKE_SBATCH = r"""#!/usr/bin/env bash
# sbatch for the test: records each submission's arguments, one a line, in $FAKE_SBATCH_JOBS/JOBID and
# answers as --parsable does ("jobid;cluster"). Nothing runs: the test runs the jobs as Slurm would.
last=$(cat "$FAKE_SBATCH_JOBS/last" 2>/dev/null || echo 7000)
id=$((last + 1))
echo "$id" > "$FAKE_SBATCH_JOBS/last"
printf '%s\n' "$@" > "$FAKE_SBATCH_JOBS/$id"
echo "$id;test-cluster"
"""

CRASHING_POLYHOST = "#!/bin/sh\necho 'simulated crash' >&2\nkill -SEGV $$\n"


def write_executable(path, text):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, 0o755)


def slurm_checkout(polyhost, fixtures, tmp):
    """A checkout on the shared file system as slurm-submit expects it (its Slurm files, a build/polyhost, and
    scripts/setup-deps and scripts/build that have nothing left to do), and a PATH whose sbatch is the stand-in."""
    checkout = os.path.join(tmp, "checkout")
    os.makedirs(os.path.join(checkout, "scripts", "cluster"))
    for name in ("slurm-submit", "slurm-shards.sbatch", "slurm-merge.sbatch"):
        shutil.copy2(cluster_file(fixtures, name), os.path.join(checkout, "scripts", "cluster", name))
    for name in ("setup-deps", "build"):
        write_executable(os.path.join(checkout, "scripts", name), "#!/bin/sh\nexit 0\n")
    os.makedirs(os.path.join(checkout, "build"))
    os.symlink(os.path.abspath(polyhost), os.path.join(checkout, "build", "polyhost"))
    bin_dir, jobs = os.path.join(tmp, "bin"), os.path.join(tmp, "sbatch-jobs")
    os.makedirs(bin_dir)
    os.makedirs(jobs)
    write_executable(os.path.join(bin_dir, "sbatch"), FAKE_SBATCH)
    return checkout, scheduler_env(PATH=bin_dir + os.pathsep + os.environ["PATH"], FAKE_SBATCH_JOBS=jobs)


def slurm_submission(problems, checkout, env, args):
    """slurm-submit ARGS with the stand-in sbatch: the (array, merge) jobs it submitted, each as its sbatch arguments."""
    jobs = env["FAKE_SBATCH_JOBS"]
    before = set(os.listdir(jobs))
    proc = run([os.path.join(checkout, "scripts", "cluster", "slurm-submit")] + args, env=env, cwd=checkout)
    expect(problems, proc.returncode == 0, "slurm-submit: exit status %d: %s" % (proc.returncode, proc.stderr))
    submitted = sorted(int(name) for name in set(os.listdir(jobs)) - before - {"last"})
    expect(problems, len(submitted) == 2, "slurm-submit submitted %d jobs" % len(submitted))
    if len(submitted) != 2:
        return None
    array, merge = ({"id": str(job), "args": open(os.path.join(jobs, str(job))).read().splitlines()} for job in submitted)
    expect(problems, "all-%s.json" % array["id"] in proc.stdout, "slurm-submit does not name the results: %r" % proc.stdout)
    return array, merge


def sbatch_script(job, name):
    """The script JOB's sbatch arguments name (relative to the checkout), and the arguments after it."""
    at = next((i for i, arg in enumerate(job["args"]) if arg.endswith(name)), None)
    return (None, []) if at is None else (job["args"][at], job["args"][at + 1:])


def run_slurm_array(checkout, env, array, low, high, polyhost_of_task):
    """The array's tasks at once, as sbatch starts them: SLURM_ARRAY_* set, in the submission's directory."""
    script, args = sbatch_script(array, "slurm-shards.sbatch")
    procs = []
    for task in range(low, high + 1):
        task_env = dict(env, SLURM_ARRAY_JOB_ID=array["id"], SLURM_ARRAY_TASK_ID=str(task),
                        SLURM_ARRAY_TASK_COUNT=str(high - low + 1), SLURM_ARRAY_TASK_MIN=str(low), SLURM_ARRAY_TASK_MAX=str(high))
        if polyhost_of_task(task):
            task_env["POLYHOST"] = polyhost_of_task(task)
        procs.append(subprocess.Popen(["bash", script] + args, env=task_env, cwd=checkout, text=True,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    statuses = []
    for p in procs:
        p.communicate(timeout=300)
        statuses.append(p.returncode)
    return statuses


def slurm_array_script_runs_shards_and_merge(polyhost, fixtures, tmp, problems):
    """slurm-submit with a stand-in sbatch; the array's tasks (SLURM_ARRAY_* as sbatch sets them) and the merge as
    submitted. Then a second submission whose third task crashes: its merge names shard 3 as missing (it merged
    the first submission's shard-3.json in its place, "merged 3 files", exit status 0)."""
    script = cluster_file(fixtures, "slurm-shards.sbatch")
    text = open(script).read()
    array_line = re.search(r"^#SBATCH --array=(\d+)-(\d+)$", text, re.M)
    expect(problems, array_line is not None, "slurm-shards.sbatch has no '#SBATCH --array=MIN-MAX' line")
    if array_line is None:
        return None
    low, high = int(array_line.group(1)), int(array_line.group(2))
    expect(problems, high - low + 1 == 3, "the array has %d tasks" % (high - low + 1))
    expect(problems, "#SBATCH --output=results/shard-%A-%a.log" in text, "the tasks' logs are not named by the array's job id")
    checkout, env = slurm_checkout(polyhost, fixtures, tmp)
    results = os.path.join(checkout, "results")

    first = slurm_submission(problems, checkout, env, FAST + WORKLOADS)
    if first is None:
        return None
    array, merge = first
    expect(problems, sbatch_script(array, "slurm-shards.sbatch")[1] == FAST + WORKLOADS, "the array's arguments %r" % array["args"])
    expect(problems, "--dependency=afterany:%s" % array["id"] in merge["args"], "the merge's sbatch arguments %r" % merge["args"])
    statuses = run_slurm_array(checkout, env, array, low, high, lambda task: None)
    expect(problems, statuses == [0, 0, 0], "the tasks' exit statuses %r" % statuses)
    for task in range(low, high + 1):
        path = os.path.join(results, "shard-%s-%d.json" % (array["id"], task))
        expect(problems, os.path.exists(path), "task %d wrote no %s" % (task, path))
        if os.path.exists(path):
            shard = load(path)["settings"]["shard"]
            expect(problems, shard["included"] == [task - low + 1], "task %d ran shard %r" % (task, shard["included"]))
    merge_script, merge_args = sbatch_script(merge, "slurm-merge.sbatch")
    proc = run(["bash", merge_script] + merge_args, cwd=checkout, env=env)
    expect(problems, proc.returncode == 0, "slurm-merge.sbatch: exit status %d: %s" % (proc.returncode, proc.stderr))
    merged_path, report = (os.path.join(results, name % array["id"]) for name in ("all-%s.json", "report-%s.html"))
    expect(problems, os.path.exists(merged_path) and os.path.exists(report), "the merge wrote no %s or %s" % (merged_path, report))
    if proc.returncode == 0 and os.path.exists(merged_path):
        check_merged(problems, load(merged_path), "slurm")

    # The second submission: task 3 crashes without writing its file, and the first's files are still there.
    second = slurm_submission(problems, checkout, env, FAST + WORKLOADS)
    if second is None:
        return proc
    array2, merge2 = second
    crashing = os.path.join(tmp, "crashing-polyhost")
    write_executable(crashing, CRASHING_POLYHOST)
    statuses = run_slurm_array(checkout, env, array2, low, high, lambda task: crashing if task == high else None)
    expect(problems, statuses[:2] == [0, 0] and statuses[2] != 0, "the second array's exit statuses %r" % statuses)
    merge_script, merge_args = sbatch_script(merge2, "slurm-merge.sbatch")
    missing = run(["bash", merge_script] + merge_args, cwd=checkout, env=env)
    expect(problems, missing.returncode == 2 and "shard 3 of 3 is missing" in missing.stderr,
           "the second merge, task 3 crashed: %d %r %r" % (missing.returncode, missing.stdout, missing.stderr))
    expect(problems, not os.path.exists(os.path.join(results, "all-%s.json" % array2["id"])), "the second merge wrote its file")
    expect(problems, os.path.exists(merged_path), "the first submission's merged file is gone")
    # Had task 3 been stopped by the time limit instead, its file holds interrupted runs: merged and reported,
    # and the merge job fails with merge's status 1, naming them.
    stopped = load(os.path.join(results, "shard-%s-%d.json" % (array["id"], high)))
    stopped["runs"] = [interrupted_run(r) for r in stopped["runs"]]
    stopped_path = os.path.join("results", "shard-%s-%d.json" % (array2["id"], high))
    with open(os.path.join(checkout, stopped_path), "w") as f:
        json.dump(stopped, f)
    interrupted = run(["bash", merge_script] + merge_args, cwd=checkout, env=env)
    runs = len(stopped["runs"])
    expect(problems, interrupted.returncode == 1 and "%d runs not ok: %d interrupted (in %s)" % (runs, runs, stopped_path)
           in interrupted.stdout, "the second merge, task 3 interrupted: %d %r %r" % (interrupted.returncode, interrupted.stdout,
                                                                                    interrupted.stderr))
    expect(problems, os.path.exists(os.path.join(results, "report-%s.html" % array2["id"])), "no report of the interrupted merge")
    return missing


FAKE_KUBECTL = r"""#!/usr/bin/env bash
# kubectl for the test: the Indexed Job's pods already ran as local processes, and their logs
# (stdout and stderr together, as kubectl logs gives them) are in $FAKE_KUBE_LOGS/pod-INDEX.log.
echo "$*" >> "$FAKE_KUBE_LOGS/commands"
case "$1" in
  delete|apply) ;;
  get)
    if [[ "$2" == job ]]; then echo Complete; exit 0; fi
    index=$(sed -n 's/.*job-completion-index=\([0-9]*\).*/\1/p' <<<"$*")
    [[ -f "$FAKE_KUBE_LOGS/pod-$index.log" ]] && echo "pod-$index" ;;
  logs) cat "$FAKE_KUBE_LOGS/$2.log" ;;
  *) echo "fake kubectl: $1?" >&2; exit 1 ;;
esac
"""


def kubernetes_job_runs_shards_and_merge(polyhost, fixtures, tmp, problems):
    """The Indexed Job's container command as its pods (JOB_COMPLETION_INDEX), then kubernetes-run collecting their logs."""
    manifest = cluster_file(fixtures, "kubernetes-shards.yaml")
    job = yaml_document(manifest)
    if job is None:
        skip_without_yaml()
    spec = job["spec"]
    expect(problems, job["kind"] == "Job" and job["apiVersion"] == "batch/v1", "not a batch/v1 Job")
    expect(problems, spec.get("completionMode") == "Indexed", "completionMode %r" % spec.get("completionMode"))
    count = spec.get("completions")
    expect(problems, count == 3 and spec.get("parallelism") == count, "completions %r, parallelism %r" % (count, spec.get("parallelism")))
    pod = spec["template"]["spec"]
    expect(problems, pod.get("restartPolicy") == "Never", "restartPolicy %r" % pod.get("restartPolicy"))
    container = pod["containers"][0]
    command = container["command"] + container["args"]
    expect(problems, command[:2] == ["bash", "-c"] and len(command) == 3, "container command %r" % command)
    expect(problems, "--shard-count %d" % count in command[-1], "the command's --shard-count is not the completions (%d)" % count)
    expect(problems, container["resources"]["requests"] == container["resources"]["limits"], "requests differ from limits")

    bin_dir, logs = os.path.join(tmp, "bin"), os.path.join(tmp, "logs")
    os.makedirs(bin_dir)
    os.makedirs(logs)
    os.symlink(os.path.abspath(polyhost), os.path.join(bin_dir, "polyhost"))  # the image's /usr/local/bin/polyhost
    with open(os.path.join(bin_dir, "kubectl"), "w") as f:
        f.write(FAKE_KUBECTL)
    os.chmod(os.path.join(bin_dir, "kubectl"), 0o755)
    path = bin_dir + os.pathsep + os.environ["PATH"]
    pods = []
    for index in range(count):
        env = scheduler_env(JOB_COMPLETION_INDEX=index, PATH=path, POLYHOST_RUN_ARGS=" ".join(FAST + WORKLOADS))
        log = open(os.path.join(logs, "pod-%d.log" % index), "w")
        pod_dir = os.path.join(tmp, "pod-%d" % index)  # each pod has a file system of its own
        os.makedirs(pod_dir)
        pods.append((subprocess.Popen(command, env=env, cwd=pod_dir, stdout=log, stderr=subprocess.STDOUT), log))
    for index, (p, log) in enumerate(pods):
        p.wait(timeout=300)
        log.close()
        expect(problems, p.returncode == 0, "pod %d: exit status %d: %s" % (index, p.returncode, open(log.name).read()[-500:]))

    out = os.path.join(tmp, "results")
    env = scheduler_env(PATH=path, FAKE_KUBE_LOGS=logs, POLYHOST=polyhost)
    proc = run([cluster_file(fixtures, "kubernetes-run"), out], env=env, cwd=tmp)
    expect(problems, proc.returncode == 0, "kubernetes-run: exit status %d: %s" % (proc.returncode, proc.stderr[-1500:]))
    commands = open(os.path.join(logs, "commands")).read()
    expect(problems, "apply -f %s" % manifest in commands, "kubernetes-run did not apply the manifest: %r" % commands)
    if proc.returncode == 0:
        check_merged(problems, load(os.path.join(out, "all.json")), "kubernetes")
    # A pod that did not succeed: no log to take, and the merge names its shard.
    os.remove(os.path.join(logs, "pod-2.log"))
    missing = run([cluster_file(fixtures, "kubernetes-run"), out], env=env, cwd=tmp)
    expect(problems, missing.returncode == 2 and "no pod of shard 3 succeeded" in missing.stderr
           and "shard 3 of 3 is missing" in missing.stderr, "without pod 2: %d %r" % (missing.returncode, missing.stderr))
    return proc


def github_actions_matrix_runs_shards_and_merge(polyhost, fixtures, tmp, problems):
    """The workflow's shard step once per matrix value, then its merge step on the downloaded artifacts."""
    workflow = yaml_document(cluster_file(fixtures, "github-actions-shards.yml"))
    if workflow is None:
        skip_without_yaml()
    expect(problems, "workflow_dispatch" in (workflow.get("on") or {}), "on: %r" % workflow.get("on"))
    expect(problems, "POLYHOST_RUN_ARGS" in workflow.get("env", {}), "no POLYHOST_RUN_ARGS in env")
    shard_job, merge_job = workflow["jobs"]["shard"], workflow["jobs"]["merge"]
    matrix = shard_job["strategy"]["matrix"]
    expect(problems, list(matrix) == ["shard"] and matrix["shard"] == [1, 2, 3],
           "the matrix must be shard: [1..N] alone (N is strategy.job-total): %r" % matrix)
    expect(problems, merge_job.get("needs") == "shard", "merge needs %r" % merge_job.get("needs"))
    step = {s.get("name"): s for s in shard_job["steps"] + merge_job["steps"] if s.get("name")}
    upload = [s for s in shard_job["steps"] if s.get("uses", "").startswith("actions/upload-artifact")]
    expect(problems, upload and upload[0]["with"]["path"] == "shard-${{ matrix.shard }}.json", "the shard's upload %r" % upload)

    def run_step(name, cwd, **substitutions):
        text = step[name]["run"]
        for key, value in substitutions.items():
            text = text.replace("${{ %s }}" % key, str(value))
        expect(problems, "${{" not in text, "%s: unsubstituted expression in %r" % (name, text))
        os.makedirs(os.path.join(cwd, "build"), exist_ok=True)
        if not os.path.exists(os.path.join(cwd, "build", "polyhost")):
            os.symlink(os.path.abspath(polyhost), os.path.join(cwd, "build", "polyhost"))
        # GitHub runs a step's script with bash -e.
        return subprocess.Popen(["bash", "-e", "-c", text], cwd=cwd, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=scheduler_env(POLYHOST_RUN_ARGS=" ".join(FAST + WORKLOADS)))

    jobs = []
    for shard in matrix["shard"]:
        cwd = os.path.join(tmp, "job-%d" % shard)
        os.makedirs(cwd)
        jobs.append((shard, cwd, run_step("Run shard", cwd, **{"matrix.shard": shard, "strategy.job-total": len(matrix["shard"])})))
    merge_dir = os.path.join(tmp, "merge")
    os.makedirs(os.path.join(merge_dir, "shards"))
    for shard, cwd, p in jobs:
        out, err = p.communicate(timeout=300)
        expect(problems, p.returncode == 0, "shard job %d: exit status %d: %s" % (shard, p.returncode, err[-500:]))
        artifact = os.path.join(cwd, "shard-%d.json" % shard)
        if os.path.exists(artifact):  # download-artifact with merge-multiple puts them side by side
            shutil.copy(artifact, os.path.join(merge_dir, "shards"))
    proc = run_step("Merge", merge_dir)
    out, err = proc.communicate(timeout=120)
    expect(problems, proc.returncode == 0, "merge job: exit status %d: %s" % (proc.returncode, err))
    if proc.returncode == 0:
        check_merged(problems, load(os.path.join(merge_dir, "all.json")), "github actions")
        expect(problems, os.path.getsize(os.path.join(merge_dir, "report.html")) > 0, "no report.html")
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def builds_without_git_record_the_commit(polyhost, fixtures, tmp, problems):
    """Sources without .git (the workflow's checkout, in a container with no git; the Docker image, built from
    `git archive`) record the commit from POLYHOST_GIT_COMMIT: the workflow sets it from github.sha and the
    README's and the Dockerfile's docker build commands pass it (results from both recorded "unknown")."""
    workflow = yaml_document(cluster_file(fixtures, "github-actions-shards.yml"))
    if workflow is None:
        skip_without_yaml()
    given = (workflow.get("env") or {}).get("POLYHOST_GIT_COMMIT")
    expect(problems, given == "${{ github.sha }}", "the workflow's env.POLYHOST_GIT_COMMIT is %r" % given)
    # The build's own reading of it, in a tree without .git (git must not find one above it either).
    commit = "0123456789abcdef0123456789abcdef01234567"
    source, header = os.path.join(tmp, "archive"), os.path.join(tmp, "build_commit.h")
    os.makedirs(source)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CEILING_DIRECTORIES=tmp, POLYHOST_GIT_COMMIT=(given or "").replace("${{ github.sha }}", commit))
    proc = run(["cmake", "-DSOURCE_DIR=" + source, "-DOUT=" + header, "-P",
                os.path.join(root_of(fixtures), "cmake", "build_commit.cmake")], env=env)
    expect(problems, proc.returncode == 0, "build_commit.cmake: exit status %d: %s" % (proc.returncode, proc.stderr))
    recorded = open(header).read() if os.path.exists(header) else ""
    expect(problems, 'git_commit = "%s"' % commit in recorded, "the build recorded %r" % recorded)
    # The image: every docker build command the README and the Dockerfile give passes the commit, which the
    # Dockerfile takes as an ARG before it builds.
    argument = "--build-arg POLYHOST_GIT_COMMIT=$(git rev-parse HEAD)"
    dockerfile = open(cluster_file(fixtures, "Dockerfile")).read()
    readme = open(os.path.join(root_of(fixtures), "README.md")).read()
    commands = re.findall(r"docker build [^`\n]*", readme) + re.findall(r"docker build [^\n]*", dockerfile)
    expect(problems, len(commands) >= 2, "docker build commands found: %r" % commands)
    for command in commands:
        expect(problems, argument in command, "%r does not pass %s" % (command, argument))
    declared, builds = dockerfile.find("\nARG POLYHOST_GIT_COMMIT"), dockerfile.find("scripts/build &&")
    expect(problems, 0 <= declared < builds, "the Dockerfile does not declare ARG POLYHOST_GIT_COMMIT before it builds")
    return proc


def cluster_scripts_are_valid_shell(polyhost, fixtures, tmp, problems):
    """bash -n on every script in scripts/cluster, and shellcheck when it is installed (scripts/test installs it)."""
    folder = os.path.dirname(cluster_file(fixtures, "x"))
    scripts = sorted(os.path.join(folder, name) for name in os.listdir(folder)
                     if name.endswith(".sbatch") or open(os.path.join(folder, name)).readline().startswith("#!"))
    expect(problems, len(scripts) >= 4, "scripts found: %r" % scripts)
    proc = None
    for script in scripts:
        proc = run(["bash", "-n", script])
        expect(problems, proc.returncode == 0, "bash -n %s: %s" % (script, proc.stderr))
        expect(problems, os.access(script, os.X_OK), "%s is not executable" % script)
    if shutil.which("shellcheck"):
        proc = run(["shellcheck"] + scripts)
        expect(problems, proc.returncode == 0, "shellcheck: %s" % proc.stdout)
    else:
        print("shellcheck is not installed: only bash -n was checked")
    return proc


def damaged_durations_run_is_named(polyhost, fixtures, tmp, problems):
    """A damaged run in --shard-durations is left out, named on stderr (file, run, why), and the shard still planned."""
    data = load(os.path.join(root_of(fixtures), "workloads", "durations.json"))
    index = next(i for i, r in enumerate(data["runs"]) if (r["workload"], r["config"]) == ("nbody", "cpython"))
    data["runs"][index]["samples_ns"][0] = -5
    data["runs"][index]["process_samples_ns"][0][0] = -5
    damaged = os.path.join(tmp, "damaged.json")
    with open(damaged, "w") as f:
        json.dump(data, f)
    # Shard 3 of 3 of two workloads is empty: the plan is made, nothing is measured.
    proc = run([polyhost, "run", "nbody", "sieve", "--shard", "3/3", "--shard-durations", damaged,
                "--json", os.path.join(tmp, "r.json")], timeout=60)
    expect(problems, proc.returncode == 0, "exit status %d, expected 0" % proc.returncode)
    expect(problems, proc.stdout.startswith("Shard 3 of 3: "), "not planned: %r" % proc.stdout[:200])
    for words in ["--shard-durations: not using the damaged run nbody [cpython]: %s: runs[%d].samples_ns[0]: " % (damaged, index),
                  "found -5", "planned with the mean of the file's cpython runs"]:
        expect(problems, words in proc.stderr, "stderr %r lacks %r" % (proc.stderr, words))
    return proc


CASES = {
    "three_shards_merge_into_the_unsharded_rows": three_shards_merge_into_the_unsharded_rows,
    "shard_usage_errors": shard_usage_errors,
    "bad_merges_are_refused": bad_merges_are_refused,
    "mixed_machines_keep_their_machine": mixed_machines_keep_their_machine,
    "interrupted_shard_is_merged_and_counted": interrupted_shard_is_merged_and_counted,
    "slurm_array_script_runs_shards_and_merge": slurm_array_script_runs_shards_and_merge,
    "kubernetes_job_runs_shards_and_merge": kubernetes_job_runs_shards_and_merge,
    "github_actions_matrix_runs_shards_and_merge": github_actions_matrix_runs_shards_and_merge,
    "builds_without_git_record_the_commit": builds_without_git_record_the_commit,
    "cluster_scripts_are_valid_shell": cluster_scripts_are_valid_shell,
    "damaged_durations_run_is_named": damaged_durations_run_is_named,
}


if __name__ == "__main__":
    sys.exit(driver.main(CASES))
