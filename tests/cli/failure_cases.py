"""Failure handling, run by ctest (one test per case): every bad workload gets its verdict and a
clear message, the good workload in the same run keeps its results, nothing hangs or crashes.

Usage: failure_cases.py POLYHOST FIXTURES CASE    (or --list)
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import driver

FAST = ["--quick", "--processes", "1", "--warmup", "0", "--iterations", "2", "--timeout", "3", "--max-heap", "256"]


def expect(problems, condition, text):
    if not condition:
        problems.append(text)


def run_with_good(polyhost, fixtures, bad, tmp, extra=(), timeout="3"):
    out = os.path.join(tmp, "r.json")
    fast = [timeout if previous == "--timeout" else arg for previous, arg in zip([None] + FAST, FAST)]
    args = [polyhost, "run", os.path.join(fixtures, "workloads", "good"), os.path.join(fixtures, "bad", bad),
            "--json", out] + fast + list(extra)
    started = time.monotonic()
    proc = subprocess.run(args, capture_output=True, text=True, timeout=120)
    proc.seconds = time.monotonic() - started
    data = json.load(open(out)) if os.path.exists(out) else None
    return proc, data


def verdict(bad, statuses, words, size=None, timeout="3"):
    """BAD's runs have STATUSES (config -> status or set of statuses); messages contain WORDS[config];
    with SIZE, every run records it (a run whose worker crashed included). TIMEOUT is the workers'
    --timeout: short, for the fixtures that loop forever."""
    def check(polyhost, fixtures, tmp, problems):
        proc, data = run_with_good(polyhost, fixtures, bad, tmp, timeout=timeout)
        if data is None:
            problems.append("no JSON written")
            return proc
        runs = {(r["workload"], r["config"]): r for r in data["runs"]}
        all_ok = True
        for config, want in statuses.items():
            r = runs[(bad, config)]
            allowed = want if isinstance(want, set) else {want}
            all_ok = all_ok and r["status"] == "ok"
            if r["status"] not in allowed:
                problems.append("%s: status %s, expected %s (%s)" % (config, r["status"], want, r["message"][:300]))
            for word in words.get(config, []):
                if word not in r["message"]:
                    problems.append("%s: message lacks %r: %r" % (config, word, r["message"][:300]))
            if size is not None and r["size"] != size:
                problems.append("%s (%s): size %r, expected %r" % (config, r["status"], r["size"], size))
            if r["status"] not in ("ok", "skipped") and r["status"].upper() not in proc.stdout:
                problems.append("%s: the table does not show %s" % (config, r["status"].upper()))
        for config in ("v8-jit", "cpython"):
            good = runs[("good", config)]
            if good["status"] != "ok" or len(good["samples_ns"]) != 2:
                problems.append("the good workload lost its results under %s: %s" % (config, good["status"]))
        want_status = 0 if all_ok else 1
        if proc.returncode != want_status:
            problems.append("exit status %d, expected %d" % (proc.returncode, want_status))
        if proc.seconds > 60:
            problems.append("took %.0f s" % proc.seconds)
        return proc
    return check


def interrupted_by(sig, cause):
    """SIG (Ctrl-C's SIGINT, or SIGTERM): the running worker is stopped, what was measured is
    written, exit 128 + SIG (130, 143), and the stopped runs' messages name CAUSE. Processes run in rounds: good's
    first process is done, the infinite loop's first is running. So the loop is interrupted and
    good is ok on one process of two, with a warning that says so."""
    @driver.serial
    def check(polyhost, fixtures, tmp, problems):
        out = os.path.join(tmp, "r.json")
        proc = subprocess.Popen([polyhost, "run", os.path.join(fixtures, "workloads", "good"),
                                 os.path.join(fixtures, "bad", "infinite_loop"), "--json", out, "--quick",
                                 "--processes", "2", "--warmup", "0", "--iterations", "2", "--timeout", "60"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        # good (sorted first) is done once the infinite loop's worker runs (it has 60 s): wait for that,
        # not for a fixed time (4 s was too short for the sanitizer build under load).
        loop = os.path.join(fixtures, "bad", "infinite_loop")
        deadline = time.monotonic() + 60
        while not workers_running(loop) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)  # into its loop
        proc.send_signal(sig)
        stdout, stderr = proc.communicate(timeout=30)
        proc.stdout, proc.stderr = stdout, stderr
        if proc.returncode != 128 + sig:
            problems.append("exit status %d, expected %d" % (proc.returncode, 128 + sig))
        data = json.load(open(out)) if os.path.exists(out) else None
        if data is None:
            problems.append("no JSON written after %s" % cause)
            return proc
        runs = {(r["workload"], r["config"]): r for r in data["runs"]}
        for config in ("v8-jit", "cpython"):
            if runs[("good", config)]["status"] != "ok" or not runs[("good", config)]["samples_ns"]:
                problems.append("good/%s lost its results: %s" % (config, runs[("good", config)]["status"]))
            good = runs[("good", config)]
            if good["processes"] != 1 or not any(w["kind"] == "fewer processes" for w in good["warnings"]):
                problems.append("good/%s: %d processes, warnings %r; expected 1 and a fewer-processes warning"
                                % (config, good["processes"], [w["kind"] for w in good["warnings"]]))
            loop = runs[("infinite_loop", config)]
            if loop["status"] != "interrupted":
                problems.append("infinite_loop/%s is %s, expected interrupted" % (config, loop["status"]))
            if "(%s)" % cause not in loop["message"]:
                problems.append("infinite_loop/%s: the message %r does not name %s" % (config, loop["message"], cause))
        return proc
    return check


def late_signal_keeps_the_files(polyhost, fixtures, tmp, problems):
    """A signal that comes while the result files are being written (sent as soon as the first one
    exists) is taken as an interrupt: every file is written, and polyhost exits 128 + the signal
    (or 0, had it finished first), never killed by the signal itself."""
    files = [os.path.join(tmp, name) for name in ("r.json", "r.csv", "r.md")]
    for sig in (signal.SIGINT, signal.SIGTERM):
        proc = subprocess.Popen([polyhost, "run", os.path.join(fixtures, "workloads", "good"), "--quick", "--processes", "1",
                                 "--warmup", "1", "--iterations", "2", "--json", files[0], "--csv", files[1],
                                 "--markdown", files[2]], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while not os.path.exists(files[0]) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.0005)
        if proc.poll() is None:
            proc.send_signal(sig)
        stdout, stderr = proc.communicate(timeout=60)
        proc.stdout, proc.stderr = stdout, stderr
        if proc.returncode not in (0, 128 + sig):
            problems.append("%s: exit status %d, expected %d (or 0)" % (sig.name, proc.returncode, 128 + sig))
        missing = [os.path.basename(f) for f in files if not os.path.exists(f)]
        if missing:
            problems.append("%s: %s not written" % (sig.name, ", ".join(missing)))
        for f in files:
            if os.path.exists(f):
                os.remove(f)
    return proc


def unwritable_output_refused_first(polyhost, fixtures, tmp, problems):
    """An output file that cannot be written is a usage error before anything is measured."""
    missing = os.path.join(tmp, "no_such_dir", "r.json")
    started = time.monotonic()
    proc = subprocess.run([polyhost, "run", os.path.join(fixtures, "bad", "infinite_loop"), "--csv", os.path.join(tmp, "r.csv"),
                           "--json", missing, "--timeout", "30"], capture_output=True, text=True, timeout=60)
    if proc.returncode != 2:
        problems.append("exit status %d, expected 2" % proc.returncode)
    if "cannot write --json " + missing not in proc.stderr or "No such file or directory" not in proc.stderr:
        problems.append("stderr does not name the path and the reason")
    if time.monotonic() - started > 10:
        problems.append("it measured before refusing (%.0f s)" % (time.monotonic() - started))
    return proc


def error_in_eval_code_is_located_in_its_file(polyhost, fixtures, tmp, problems):
    """Located from the error's stack text in a timed call (no detailed stack trace there): an eval
    frame is skipped for its caller's line, and a folder whose name holds " (" stays whole."""
    folder = os.path.join(fixtures, "bad", "error_in_eval (copy)", "error_in_eval")
    out = os.path.join(tmp, "r.json")
    proc = subprocess.run([polyhost, "run", folder, "--configs", "v8-jit", "--json", out] + FAST,
                          capture_output=True, text=True, timeout=120)
    data = json.load(open(out)) if os.path.exists(out) else {"runs": [{"status": "none", "message": ""}]}
    r = data["runs"][0]
    expect(problems, r["status"] == "error" and
           "error_in_eval (copy)/error_in_eval/error_in_eval.js:4:22: TypeError: Cannot read properties of null" in r["message"],
           "%s: %r" % (r["status"], r["message"][:300]))
    return proc


def output_that_fails_at_the_end_is_kept_elsewhere(polyhost, fixtures, tmp, problems):
    """An output that passes the check before the run but cannot be written after it (/dev/full: no
    space left) is named with its option, and its content goes to the temporary directory; the
    other outputs are written."""
    kept_dir = os.path.join(tmp, "kept")
    os.makedirs(kept_dir)
    csv = os.path.join(tmp, "r.csv")
    proc = subprocess.run([polyhost, "run", os.path.join(fixtures, "workloads", "good"), "--json", "/dev/full", "--csv", csv]
                          + FAST, capture_output=True, text=True, timeout=120, env=dict(os.environ, TMPDIR=kept_dir))
    expect(problems, proc.returncode == 1, "exit status %d, expected 1" % proc.returncode)
    match = re.search(r"cannot write --json /dev/full: No space left on device; its content is in (\S+) instead", proc.stderr)
    expect(problems, match is not None, "stderr does not name --json, the reason and where its content is")
    if match:
        expect(problems, os.path.dirname(match.group(1)) == kept_dir, "kept outside TMPDIR: " + match.group(1))
        try:
            kept = json.load(open(match.group(1)))
            expect(problems, [r["status"] for r in kept["runs"]] == ["ok", "ok"], "the kept results are not the run's")
        except (OSError, ValueError) as e:
            problems.append("the kept file is not the results JSON: %s" % e)
    expect(problems, os.path.exists(csv), "the CSV was not written")
    # A $TMPDIR that is not there: /tmp takes it.
    proc = subprocess.run([polyhost, "run", os.path.join(fixtures, "workloads", "good"), "--json", "/dev/full"] + FAST,
                          capture_output=True, text=True, timeout=120, env=dict(os.environ, TMPDIR=os.path.join(tmp, "none")))
    match = re.search(r"its content is in (/tmp/polyhost-full-\S+) instead", proc.stderr)
    expect(problems, match is not None, "with $TMPDIR missing, nothing kept in /tmp: %r" % proc.stderr[-300:])
    if match:
        os.unlink(match.group(1))
    return proc


def outputs_never_replace_what_they_should_not(polyhost, fixtures, tmp, problems):
    """A symbolic link stays a link (its target gets the file); stdout given as /dev/stdout gets the
    JSON after the table, through its own descriptor (reopened, it would start over the table, and
    renamed over, /dev/stdout itself would become a file); two outputs naming one file, or an output
    naming an input, are usage errors (exit 2) before anything runs."""
    good = os.path.join(fixtures, "workloads", "good")
    quick = ["--quick", "--processes", "1", "--warmup", "1", "--iterations", "2", "--configs", "v8-jit"]
    real, link = os.path.join(tmp, "real.json"), os.path.join(tmp, "link.json")
    open(real, "w").write("ORIGINAL")
    os.symlink("real.json", link)
    proc = subprocess.run([polyhost, "run", good] + quick + ["--json", link], capture_output=True, text=True, timeout=120)
    expect(problems, proc.returncode == 0 and os.path.islink(link), "--json LINK: exit %d, link kept: %s" % (proc.returncode, os.path.islink(link)))
    expect(problems, '"schema": "polyhost.results/1"' in open(real).read(), "the link's target does not hold the results")
    with open(os.path.join(tmp, "stdout.txt"), "w") as sink:
        proc = subprocess.run([polyhost, "run", good] + quick + ["--json", "/dev/stdout"], stdout=sink, stderr=subprocess.PIPE,
                              text=True, timeout=120)
    text = open(os.path.join(tmp, "stdout.txt")).read()
    brace = text.find("\n{") + 1
    try:
        document, end = json.JSONDecoder().raw_decode(text[brace:])
        rest = text[:brace] + text[brace + end:]
        expect(problems, proc.returncode == 0 and document["runs"][0]["workload"] == "good" and "verified" in rest,
               "--json /dev/stdout: exit %d, or the table is not beside the JSON: %r" % (proc.returncode, rest[:300]))
    except ValueError as e:
        problems.append("--json /dev/stdout: the JSON on stdout does not parse: %s" % e)
    expect(problems, os.path.islink("/dev/stdout"), "/dev/stdout is no longer a link")
    usage = [(["run", good] + quick + ["--json", os.path.join(tmp, "same.out"), "--csv", os.path.join(tmp, "same.out")],
              "is the same file"),
             (["compare", real, real, "--markdown", real], "it is the input"),
             (["report", real, "-o", link], "it is the input"),
             (["merge", real, "-o", os.path.join(tmp, ".", "real.json")], "it is the input")]
    # A workload's own files are inputs too (in a copy: were it written, the fixture would be lost).
    import shutil
    copy = os.path.join(tmp, "copied", "good")
    shutil.copytree(good, copy)
    with open(os.path.join(copy, "data.json"), "w") as f:
        f.write('{"k": 5}\n')  # data a workload might read: replacing it would break the workload
    sources = sorted(os.path.join(copy, f) for f in os.listdir(copy))
    usage += [([command, copy, "--quick", "--json", source], words)
              for command, source, words in (("run", sources[0], "it is the input"),
                                             ("startup", sources[-1], "source file"), ("scale", sources[2], "source file"),
                                             ("run", os.path.join(copy, "data.json"), "it is the input"))]
    # Nor a module a workload loads from outside its folder (the suite's common/), nor any other program.
    common = os.path.join(tmp, "copied", "common")
    os.makedirs(common)
    for name in ("helper.js", "helper.py"):
        with open(os.path.join(common, name), "w") as f:
            f.write("// a module\n" if name.endswith(".js") else "# a module\n")
        sources.append(os.path.join(common, name))
    usage += [(["startup", copy, "--quick", "--json", os.path.join(common, "helper.js")], "source file"),
              (["scale", copy, "--quick", "--markdown", os.path.join(common, "helper.py")], "source file"),
              (["report", real, "-o", os.path.join(common, "helper.js")], "source file")]
    for args, words in usage:
        before = [open(f).read() for f in [real] + sources]
        proc = subprocess.run([polyhost] + args, capture_output=True, text=True, timeout=120)
        expect(problems, proc.returncode == 2 and words in proc.stderr, "%s: exit %d, %r" % (args[0], proc.returncode, proc.stderr[-300:]))
        expect(problems, [open(f).read() for f in [real] + sources] == before, "%s: an input was changed" % args[0])
    expect(problems, not os.path.exists(os.path.join(tmp, "same.out")), "run measured before refusing same.out")
    # What polyhost wrote in a workload's folder is its own output: the same command again replaces it.
    again = [polyhost, "run", copy] + quick + ["--json", os.path.join(copy, "results.json")]
    codes = [subprocess.run(again, capture_output=True, text=True, timeout=120).returncode for _ in range(2)]
    expect(problems, codes == [0, 0], "run --json into the workload's folder, twice: exit %r" % codes)
    # A link reached through a linked folder: its relative target counts from the real folder.
    os.makedirs(os.path.join(tmp, "top"))
    os.makedirs(os.path.join(tmp, "deep", "inner"))
    os.symlink("../deep/inner", os.path.join(tmp, "top", "ld"))
    os.symlink("../target.md", os.path.join(tmp, "deep", "inner", "out.md"))
    proc = subprocess.run([polyhost, "compare", real, real, "--markdown", os.path.join(tmp, "top", "ld", "out.md")],
                          capture_output=True, text=True, timeout=120)
    expect(problems, os.path.isfile(os.path.join(tmp, "deep", "target.md")) and not os.path.exists(os.path.join(tmp, "top", "target.md")),
           "a link through a linked folder: written to %r" % sorted(os.listdir(tmp)))
    # A link to /dev/stdout reaches our own stdout, sent to a file: the file keeps what was there
    # and gets the Markdown and the table (renamed over, it lost what was there).
    os.symlink("/dev/stdout", os.path.join(tmp, "to_stdout.md"))
    with open(os.path.join(tmp, "captured.txt"), "w") as sink:
        sink.write("BEFORE\n")
        sink.flush()
        subprocess.run([polyhost, "compare", real, real, "--markdown", os.path.join(tmp, "to_stdout.md")], stdout=sink,
                       stderr=subprocess.PIPE, text=True, timeout=120)
    captured = open(os.path.join(tmp, "captured.txt")).read()
    expect(problems, captured.startswith("BEFORE\n") and "# polyhost compare" in captured and "base: " in captured,
           "a link to /dev/stdout: %r" % captured[:200])
    # A FIFO read once (its reader stops at the first end of input) gets the whole file.
    fifo = os.path.join(tmp, "reader.md")
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", fifo], stdout=subprocess.PIPE, text=True)
    proc = subprocess.run([polyhost, "compare", real, real, "--markdown", fifo], capture_output=True, text=True, timeout=60)
    got, _ = reader.communicate(timeout=60)
    expect(problems, proc.returncode == 0 and got.startswith("# polyhost compare"), "a FIFO: exit %d, read %r" % (proc.returncode, got[:80]))
    # A regular file under /dev (tmpfs) is replaced like any other, never appended to.
    if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK):
        shm = "/dev/shm/polyhost-test-%d.md" % os.getpid()
        try:
            open(shm, "w").write("old\n")
            subprocess.run([polyhost, "compare", real, real, "--markdown", shm], capture_output=True, text=True, timeout=120)
            expect(problems, open(shm).read().startswith("# polyhost compare"), "%s was appended to, not replaced" % shm)
        finally:
            if os.path.exists(shm):
                os.remove(shm)
    return proc


def crash_in_a_later_process_is_named(polyhost, fixtures, tmp, problems):
    """A crash in process 2 of 3 is the run's verdict, names that process, keeps process 1's
    samples, and starts no process 3."""
    loads = os.path.join(tmp, "loads")
    out = os.path.join(tmp, "r.json")
    proc = subprocess.run([polyhost, "run", os.path.join(fixtures, "bad", "crashes_in_second_process"), "--configs", "cpython",
                           "--quick", "--processes", "3", "--warmup", "1", "--iterations", "2", "--json", out],
                          capture_output=True, text=True, timeout=120, env=dict(os.environ, POLYHOST_TEST_LOADS=loads))
    expect(problems, proc.returncode == 1, "exit status %d, expected 1" % proc.returncode)
    r = json.load(open(out))["runs"][0] if os.path.exists(out) else {}
    crashed = os.path.join(fixtures, "bad", "crashes_in_second_process", "crashes_in_second_process.py")
    expect(problems, r.get("status") == "crash" and
           r.get("message", "").startswith("process 2 of 3: %s: the worker died by SIGSEGV" % crashed),
           "verdict %r: %r" % (r.get("status"), r.get("message")))
    expect(problems, r.get("processes") == 1 and len(r.get("samples_ns", [])) == 2, "process 1's samples: %r" % r.get("samples_ns"))
    expect(problems, open(loads).read() == "2", "loads: %s" % (open(loads).read() if os.path.exists(loads) else None))
    return proc


def closed_descriptors_cost_no_results(polyhost, fixtures, tmp, problems):
    """A workload that closes file descriptors 3-9 on every call is measured as any other, with
    warm-up by detection (whose replies come on a pipe of their own)."""
    out = os.path.join(tmp, "r.json")
    proc = subprocess.run([polyhost, "run", os.path.join(fixtures, "bad", "closes_descriptors"), "--configs", "cpython,python3",
                           "--quick", "--processes", "1", "--warmup", "auto", "--max-warmup", "16", "--iterations", "2",
                           "--json", out], capture_output=True, text=True, timeout=120)
    expect(problems, proc.returncode == 0, "exit status %d, expected 0: %s" % (proc.returncode, proc.stdout[-500:]))
    runs = json.load(open(out))["runs"] if os.path.exists(out) else []
    expect(problems, len(runs) == 2, "%d runs" % len(runs))
    for r in runs:
        expect(problems, r.get("status") == "ok" and len(r.get("samples_ns", [])) == 2,
               "%s: verdict %r: %r" % (r.get("config"), r.get("status"), r.get("message")))
    # scale's lanes talk to their coordinator over pipes of their own (one lane: no other thread's
    # files for the workload to close under it).
    scaled = os.path.join(tmp, "s.json")
    lanes = subprocess.run([polyhost, "scale", os.path.join(fixtures, "bad", "closes_descriptors"), "--modes",
                            "cpython-threads,cpython-subinterpreters,python3-threads", "--threads", "1", "--quick",
                            "--processes", "1", "--warmup", "2", "--iterations", "2", "--min-time", "0", "--timeout", "20",
                            "--json", scaled], capture_output=True, text=True, timeout=120)
    expect(problems, lanes.returncode == 0, "scale: exit status %d: %s" % (lanes.returncode, lanes.stdout[-600:]))
    return proc


def exec_refuses_what_is_not_a_readable_file(polyhost, fixtures, tmp, problems):
    """A pipe given to exec is named as not a regular file (it said 'no such file'), exit 2. (An
    unreadable file, or one in a folder that cannot be searched, says why: checked by hand with
    setpriv, since the tests may run as root, who reads everything.)"""
    fifo = os.path.join(tmp, "pipe.js")
    os.mkfifo(fifo)
    proc = subprocess.run([polyhost, "exec", fifo], capture_output=True, text=True, timeout=60)
    expect(problems, proc.returncode == 2 and "pipe.js: is not a regular file" in proc.stderr,
           "exit %d, %r" % (proc.returncode, proc.stderr))
    return proc


def exec_ctrl_c_is_130(polyhost, fixtures, tmp, problems):
    """Ctrl-C in a Python script run by exec ends it as python3 would: KeyboardInterrupt, exit 130."""
    proc = subprocess.Popen([polyhost, "exec", os.path.join(fixtures, "errors", "ready_then_sleep.py")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    ready = proc.stdout.readline()  # the script runs: Python's own SIGINT handler is in place
    proc.send_signal(signal.SIGINT)
    rest, proc.stderr = proc.communicate(timeout=30)
    proc.stdout = ready + rest
    if ready.strip() != "ready":
        problems.append("the script did not start: %r" % ready)
    if proc.returncode != 130:
        problems.append("exit status %d, expected 130" % proc.returncode)
    if "KeyboardInterrupt" not in proc.stderr:
        problems.append("stderr lacks KeyboardInterrupt")
    return proc


def wide_result_is_not_stored(polyhost, fixtures, tmp, problems):
    """A 20,000-key result is verified and agrees, and the results file notes it instead of holding it."""
    proc = verdict("wide_result", {c: "ok" for c in BOTH}, {})(polyhost, fixtures, tmp, problems)
    data = json.load(open(os.path.join(tmp, "r.json")))
    for r in data["runs"]:
        if r["workload"] == "wide_result" and "$omitted" not in (r.get("result") or {}):
            problems.append("%s: the result was stored: %r" % (r["config"], str(r.get("result"))[:100]))
    return proc


def closed_stdout_keeps_the_files(polyhost, fixtures, tmp, problems):
    """`polyhost run ... | true`: the table cannot be printed, but the files are written and it says so."""
    out = os.path.join(tmp, "r.json")
    reader, writer = os.pipe()
    os.close(reader)  # nobody will read standard output
    proc = subprocess.run([polyhost, "run", os.path.join(fixtures, "workloads", "good"), "--json", out] + FAST,
                          stdout=writer, stderr=subprocess.PIPE, text=True, timeout=120)
    os.close(writer)
    proc.stdout = ""
    if proc.returncode != 1:
        problems.append("exit status %d, expected 1" % proc.returncode)
    if not os.path.exists(out):
        problems.append("no JSON written")
    if "could not print the results table" not in proc.stderr:
        problems.append("stderr does not say the table was lost")
    # compare and merge read that file: their files are written before what they print.
    # compare keeps its gate's status (0 here: a file against itself), which a CI job reads.
    for command, args, written, lost, status in (("compare", [out, out, "--markdown"], "c.md", "the comparison", 0),
                                                 ("merge", [out, "-o"], "m.json", "the summary", 1)):
        target = os.path.join(tmp, written)
        reader, writer = os.pipe()
        os.close(reader)
        other = subprocess.run([polyhost, command] + args + [target], stdout=writer, stderr=subprocess.PIPE, text=True,
                               timeout=120)
        os.close(writer)
        expect(problems, other.returncode == status and os.path.exists(target) and "could not print " + lost in other.stderr,
               "%s with a closed stdout: exit %d, %s written, %r" % (command, other.returncode, written, other.stderr[-200:]))
    return proc


def overhead_interrupted_with_closed_stdout_keeps_its_cells(polyhost, fixtures, tmp, problems):
    """`polyhost overhead --json F | true`, then Ctrl-C: the cells measured so far are in F, the others
    say they were not measured (status "interrupted", not "error"), and it exits 130 (it lost its whole
    run before)."""
    out = os.path.join(tmp, "o.json")
    reader, writer = os.pipe()
    os.close(reader)  # nobody will read standard output
    proc = subprocess.Popen([polyhost, "overhead", "--quick", "--json", out], stdout=writer, stderr=subprocess.PIPE, text=True)
    os.close(writer)
    time.sleep(6)  # the C++ floor (first) is measured by then, the last columns are not
    proc.send_signal(signal.SIGINT)
    proc.stdout = ""
    proc.stderr = proc.communicate(timeout=60)[1]
    expect(problems, proc.returncode == 130, "exit status %d, expected 130" % proc.returncode)
    if not os.path.exists(out):
        problems.append("no JSON written")
        return proc
    entries = json.load(open(out))["entries"]
    measured = [e for e in entries if e["status"] == "ok"]
    skipped = [e for e in entries if e["status"] == "interrupted" and e["reason"] == "not measured: the run was interrupted (Ctrl-C)"]
    expect(problems, any(e["binding"] == "cpp" for e in measured), "the C++ floor was not kept")
    expect(problems, any(e["binding"] == "py->js" for e in skipped), "the last columns do not say they were not measured")
    expect(problems, len(measured) + len(skipped) + sum(e["status"] == "unsupported" for e in entries) == len(entries),
           "cells neither measured nor marked: %r" % [e for e in entries if e not in measured and e not in skipped][:2])
    # Not measured is not failed: the report of the file calls them stopped, not ERROR.
    report = os.path.join(tmp, "report.html")
    shown = subprocess.run([polyhost, "report", out, "-o", report], capture_output=True, text=True, timeout=60)
    page = open(report).read() if os.path.exists(report) else ""
    expect(problems, ">stopped</td>" in page and ">ERROR</td>" not in page,
           "the report does not show the interrupted cells as stopped: %r" % shown.stderr[-300:])
    return proc


def workers_running(path):
    """PIDs of polyhost workers whose command line names PATH (read from /proc: no procps needed)."""
    pids = []
    for entry in os.listdir("/proc"):
        try:
            with open("/proc/%s/cmdline" % entry, "rb") as f:
                words = f.read().split(b"\0")
        except (OSError, ValueError):
            continue
        if b"worker" in words and any(path.encode() in w for w in words):
            pids.append(entry)
    return pids


def killed_run_leaves_no_worker(polyhost, fixtures, tmp, problems):
    """A run killed outright (SIGKILL: no chance to clean up) takes its worker with it."""
    loop = os.path.join(fixtures, "bad", "infinite_loop")
    proc = subprocess.Popen([polyhost, "run", loop, "--configs", "v8-jit", "--quick", "--processes", "1", "--timeout", "60"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(3)  # the worker is spinning in the loop
    proc.kill()
    proc.stdout, proc.stderr = proc.communicate(timeout=30)
    deadline = time.monotonic() + 10
    while True:
        left = workers_running(loop)
        if not left or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    if left:
        problems.append("worker(s) still running: %s" % left)
        for pid in left:
            os.kill(int(pid), signal.SIGKILL)
    return proc


def list_reports_errors(polyhost, fixtures, tmp, problems):
    """polyhost list on workloads that fail while loading (MemoryError, a thrown error): INVALID, no abort."""
    proc = subprocess.run([polyhost, "list", os.path.join(fixtures, "bad", "memory_error_at_load"),
                           os.path.join(fixtures, "workloads", "good")], capture_output=True, text=True, timeout=60)
    if proc.returncode != 1:
        problems.append("exit status %d, expected 1" % proc.returncode)
    line = next((l for l in proc.stdout.splitlines() if l.startswith("memory_error_at_load")), "")
    if "INVALID" not in line or "cannot load this workload" not in line:
        problems.append("memory_error_at_load: %r" % line)
    if not any(l.startswith("good") and "INVALID" not in l for l in proc.stdout.splitlines()):
        problems.append("good is not listed")
    # Every error list finds is while loading, which it says once (the worker's step note is dropped).
    syntax = subprocess.run([polyhost, "list", os.path.join(fixtures, "bad", "syntax_error_cjs")],
                            capture_output=True, text=True, timeout=60)
    expect(problems, "ERROR while loading syntax_error_cjs.js:5:1: SyntaxError: Unexpected end of input" in syntax.stdout and
           "(while loading)" not in syntax.stdout, "syntax_error_cjs: %r" % syntax.stdout[-300:])
    return proc


NOT_STARTED = "could not start the worker process: Permission denied"


def unstartable_workers(fixtures):
    """good, then revokes_exec (its Python worker takes the execute bits off polyhost's copy), then
    runs_after, whose workers cannot be started."""
    return [os.path.join(fixtures, "workloads", "good"), os.path.join(fixtures, "unstartable", "revokes_exec"),
            os.path.join(fixtures, "unstartable", "runs_after")]


def unstartable_worker_is_its_runs_verdict(polyhost, fixtures, tmp, problems):
    """A worker process that cannot be started (here its binary lost its execute bits mid-run; EAGAIN
    under a process limit is the same) is that run's error, naming the reason; the runs before it
    keep their results, the files are written, exit 1 (it exited 2 with no file)."""
    copy = driver.revocable_copy(polyhost, tmp)
    out = os.path.join(tmp, "r.json")
    proc = subprocess.run([copy, "run"] + unstartable_workers(fixtures) + ["--json", out] + FAST,
                          capture_output=True, text=True, timeout=120)
    expect(problems, proc.returncode == 1, "exit status %d, expected 1" % proc.returncode)
    if not os.path.exists(out):
        problems.append("no JSON written")
        return proc
    runs = {(r["workload"], r["config"]): r for r in json.load(open(out))["runs"]}
    for workload in ("good", "revokes_exec"):
        for config in BOTH:
            r = runs[(workload, config)]
            expect(problems, r["status"] == "ok" and len(r["samples_ns"]) == 2,
                   "%s [%s] lost its results: %s %s" % (workload, config, r["status"], r.get("message", "")[:200]))
    for config in BOTH:
        r = runs[("runs_after", config)]
        expect(problems, r["status"] == "error" and r["message"] == NOT_STARTED,
               "runs_after [%s]: %s %r" % (config, r["status"], r.get("message", "")[:200]))
    expect(problems, NOT_STARTED in proc.stdout, "the table does not say why")
    return proc


def list_names_an_unstartable_worker(polyhost, fixtures, tmp, problems):
    """list: a file whose worker cannot be started is NOT CHECKED with the reason, not a crash of the
    workload; the files loaded before it are listed as usual; exit 1. (--jobs 1: one at a time, in order.)"""
    copy = driver.revocable_copy(polyhost, tmp)
    proc = subprocess.run([copy, "list", "--jobs", "1"] + unstartable_workers(fixtures), capture_output=True, text=True,
                          timeout=60)
    expect(problems, proc.returncode == 1, "exit status %d, expected 1" % proc.returncode)
    lines = {l.split()[0]: l for l in proc.stdout.splitlines()[1:] if l.strip()}
    for workload in ("good", "revokes_exec"):
        expect(problems, workload in lines and "INVALID" not in lines[workload] and "NOT CHECKED" not in lines[workload],
               "%s: %r" % (workload, lines.get(workload)))
    after = lines.get("runs_after", "")
    expect(problems, "NOT CHECKED: runs_after.js: " + NOT_STARTED in after and "runs_after.py: " + NOT_STARTED in after,
           "runs_after: %r" % after)
    return proc


def overhead_under_a_process_limit_writes_its_file(polyhost, fixtures, tmp, problems):
    """overhead with no process to spare (RLIMIT_NPROC 1 for a user id of its own, as a pids limit
    would do): every binding's worker fails with EAGAIN, named on each cell; the file is written and
    it exits 1 (it exited 2 with no file). Needs root to take another user id (CI runs as root),
    since root itself is not held to the limit; skipped otherwise."""
    if os.geteuid() != 0 or not shutil.which("setpriv") or not shutil.which("prlimit"):
        print("skipped: needs root, setpriv and prlimit")
        sys.exit(77)
    folder = os.path.join(tmp, "out")
    os.makedirs(folder)
    os.chmod(tmp, 0o755)
    os.chmod(folder, 0o777)
    out = os.path.join(folder, "o.json")
    unused_uid = "61234"  # no process of it runs: the limit of 1 is polyhost itself
    proc = subprocess.run(["prlimit", "--nproc=1:1", "setpriv", "--reuid=" + unused_uid, "--regid=" + unused_uid,
                           "--clear-groups", polyhost, "overhead", "--quick", "--json", out],
                          capture_output=True, text=True, timeout=120)
    expect(problems, proc.returncode == 1, "exit status %d, expected 1" % proc.returncode)
    if not os.path.exists(out):
        problems.append("no JSON written")
        return proc
    entries = json.load(open(out))["entries"]
    reason = "could not start the worker process: Resource temporarily unavailable"
    measured = [e for e in entries if e["status"] != "unsupported"]
    expect(problems, measured and all(e["status"] == "error" and e["reason"] == reason for e in measured),
           "cells not failing with the reason: %r" % [e for e in measured if e.get("reason") != reason][:2])
    return proc


def list_under_a_process_limit_names_each_file(polyhost, fixtures, tmp, problems):
    """list with 4 jobs and no thread or process to spare (RLIMIT_NPROC 1 for a user id of its own):
    its worker threads cannot start (it aborted: 'terminate called without an active exception'),
    so it lists the files itself, each NOT CHECKED with the reason, and exits 1. Needs root."""
    if os.geteuid() != 0 or not shutil.which("setpriv") or not shutil.which("prlimit"):
        print("skipped: needs root, setpriv and prlimit")
        sys.exit(77)
    unused_uid = "61235"
    proc = subprocess.run(["prlimit", "--nproc=1:1", "setpriv", "--reuid=" + unused_uid, "--regid=" + unused_uid,
                           "--clear-groups", polyhost, "list", "--jobs", "4", os.path.join(fixtures, "workloads", "good"),
                           os.path.join(fixtures, "workloads", "throws")], capture_output=True, text=True, timeout=120)
    expect(problems, proc.returncode == 1, "exit status %d, expected 1: %s" % (proc.returncode, proc.stderr[-300:]))
    rows = [line for line in proc.stdout.splitlines() if line.startswith(("good", "throws"))]
    expect(problems, len(rows) == 2 and all("NOT CHECKED" in r and "Resource temporarily unavailable" in r for r in rows),
           "rows: %r" % rows)
    return proc


def exec_case(script, extra, status, words):
    def check(polyhost, fixtures, tmp, problems):
        proc = subprocess.run([polyhost, "exec", os.path.join(fixtures, "errors", script)] + extra,
                              capture_output=True, text=True, timeout=60)
        if proc.returncode != status:
            problems.append("exit status %d, expected %d" % (proc.returncode, status))
        for word in words:
            if word not in proc.stderr:
                problems.append("stderr lacks %r" % word)
        return proc
    return check


def exec_until_it_ends(polyhost, script_path, stdout, stderr, problems):
    """Runs `polyhost exec --timeout 1 SCRIPT_PATH` with the given streams (an unread pipe among
    them) and waits for it, killing it after 40 s; checks that it ended with 124."""
    proc = subprocess.Popen([polyhost, "exec", "--timeout", "1", script_path], stdout=stdout, stderr=stderr)
    started = time.monotonic()
    try:
        proc.wait(timeout=40)  # the pipe is never read: it fills at once
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        problems.append("polyhost was still running %.0f s after --timeout 1" % (time.monotonic() - started))
    for stream in (proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()
    if proc.returncode != 124:
        problems.append("exit status %s, expected 124" % proc.returncode)
    return proc


def timeout_ends_a_script_flooding_stderr(polyhost, fixtures, tmp, problems):
    """A Python script flooding a stderr pipe nobody reads is stopped at --timeout; polyhost's own
    message about it then cannot be written either, and the watchdog's hard exit, still armed while
    that message is written, ends the process with 124 (it hung for ever)."""
    proc = exec_until_it_ends(polyhost, os.path.join(fixtures, "errors", "floods_stderr.py"), subprocess.DEVNULL,
                              subprocess.PIPE, problems)
    proc.stdout, proc.stderr = "", ""
    return proc


def timeout_ends_a_script_blocked_on_output(script, stderr_too, reason):
    """SCRIPT blocked writing to a pipe nobody reads still ends by --timeout plus the 5 s of grace,
    with status 124, and says REASON: V8 cannot stop a blocked write (the hard exit ends it, waiting
    neither on stdout, whose lock the script holds, nor, with STDERR_TOO (2>&1 into the same unread
    pipe), on stderr); CPython's interrupt ends the write itself."""
    def check(polyhost, fixtures, tmp, problems):
        err_path = os.path.join(tmp, "stderr.txt")
        with open(err_path, "wb") as err_file:
            proc = exec_until_it_ends(polyhost, os.path.join(fixtures, "errors", script), subprocess.PIPE,
                                      subprocess.STDOUT if stderr_too else err_file, problems)
        stderr = open(err_path, encoding="utf-8", errors="replace").read()
        if not stderr_too and reason not in stderr:
            problems.append("stderr lacks %r: %r" % (reason, stderr[-300:]))
        proc.stdout, proc.stderr = "", stderr
        return proc
    return check


def thread_under_a_small_max_heap_names_the_cap(polyhost, fixtures, tmp, problems):
    """A Python thread cannot start under --max-heap 16 (its stack counts against the address-space
    cap): the error says the cap is the likely cause. V8's heap limit caps no address space: v8-jit is ok."""
    out = os.path.join(tmp, "r.json")
    proc = subprocess.run([polyhost, "run", os.path.join(fixtures, "bad", "starts_a_thread"), "--json", out,
                           "--quick", "--processes", "1", "--warmup", "0", "--iterations", "1", "--max-heap", "16"],
                          capture_output=True, text=True, timeout=120)
    if not os.path.exists(out):
        problems.append("no JSON written")
        return proc
    runs = {r["config"]: r for r in json.load(open(out))["runs"]}
    message = runs["cpython"]["message"]
    expect(problems, runs["cpython"]["status"] == "error" and "can't start new thread" in message,
           "cpython: %s: %r" % (runs["cpython"]["status"], message[:300]))
    expect(problems, "likely the --max-heap 16 MB cap" in message, "cpython's message does not name the cap: %r" % message[:400])
    expect(problems, "likely the --max-heap 16 MB cap" in proc.stdout, "the list of runs not ok does not name the cap")
    expect(problems, runs["v8-jit"]["status"] == "ok", "v8-jit: %s" % runs["v8-jit"]["status"])
    return proc


def sleeps_alive(pids):
    """Those of PIDS that are still a running `sleep` (a PID reused by another program is not)."""
    alive = []
    for pid in pids:
        try:
            with open("/proc/%d/cmdline" % pid, "rb") as f:
                if f.read().split(b"\0")[0].endswith(b"sleep"):
                    alive.append(pid)
        except OSError:
            pass
    return alive


def processes_leaving_the_session_end_with_their_worker(polyhost, fixtures, tmp, problems):
    """A workload's process that left its worker's process group and session (setsid, then a double
    fork, as a daemon starts; node's detached child) is ended with the worker: when the worker
    finishes, and when it dies at once (SIGKILL). Each records its PID; none may be left running."""
    pids_file = os.path.join(tmp, "pids")
    out = os.path.join(tmp, "r.json")
    proc = subprocess.run([polyhost, "run", os.path.join(fixtures, "bad", "leaves_a_daemon"),
                           os.path.join(fixtures, "bad", "leaves_a_daemon_and_dies"), "--configs", "v8-jit,cpython,node,python3",
                           "--json", out] + FAST, capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, POLYHOST_TEST_PIDS=pids_file))
    pids = [int(line) for line in open(pids_file)] if os.path.exists(pids_file) else []
    left = sleeps_alive(pids)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    expect(problems, len(pids) >= 4, "the fixtures recorded %d daemons, expected at least 4" % len(pids))
    expect(problems, not left, "%d of %d daemons outlived polyhost: %r" % (len(left), len(pids), left))
    runs = {(r["workload"], r["config"]): r for r in json.load(open(out))["runs"]} if os.path.exists(out) else {}
    for config in ("cpython", "python3"):
        expect(problems, runs.get(("leaves_a_daemon", config), {}).get("status") == "ok",
               "leaves_a_daemon [%s]: %r" % (config, runs.get(("leaves_a_daemon", config))))
        expect(problems, runs.get(("leaves_a_daemon_and_dies", config), {}).get("status") == "crash",
               "leaves_a_daemon_and_dies [%s]: %r" % (config, runs.get(("leaves_a_daemon_and_dies", config))))
    return proc


def processes_polyhost_had_before_are_spared(polyhost, fixtures, tmp, problems):
    """A shell that runs `job & exec polyhost ...` leaves its job to polyhost as a child: it is not a
    workload's orphan and must outlive the run (the subreaper killed it)."""
    pid_file = os.path.join(tmp, "job")
    script = 'sleep 120 >/dev/null 2>&1 & echo $! > "$1"; shift; exec "$@"'
    proc = subprocess.run(["bash", "-c", script, "bash", pid_file, polyhost, "run", os.path.join(fixtures, "bad", "spawns_process")]
                          + FAST, capture_output=True, text=True, timeout=120)
    pid = int(open(pid_file).read()) if os.path.exists(pid_file) else None
    alive = sleeps_alive([pid]) if pid else []
    for p in alive:
        os.kill(p, signal.SIGKILL)
    expect(problems, pid is not None and alive == [pid], "the shell's job %r did not outlive polyhost" % pid)
    return proc


def reference_workers_give_the_embedded_verdicts(polyhost, fixtures, tmp, problems):
    """node and python3 (the reference workers, host/runner/reference/) give a workload the verdict
    the embedded engine of its language gives it: a result 201 arrays deep is ok (only containers
    count towards the limit of 200 steps), a cycle is named as one, a syntax error is located in the
    workload's file or in the module it imports that has it (not in node's loader), and process.exit() / sys.exit() is an error naming
    where it was called (node gave no report: a crash)."""
    names = ["nested_201_deep", "cyclic_result", "syntax_error_cjs", "syntax_error_esm", "syntax_error_esm_import", "exits",
             "never_settles"]
    out = os.path.join(tmp, "r.json")
    proc = subprocess.run([polyhost, "run"] + [os.path.join(fixtures, "bad", name) for name in names] +
                          ["--configs", "v8-jit,cpython,node,python3", "--json", out] + FAST,
                          capture_output=True, text=True, timeout=300)
    if not os.path.exists(out):
        problems.append("no JSON written")
        return proc
    runs = {(r["workload"], r["config"]): r for r in json.load(open(out))["runs"]}
    embedded = {"node": "v8-jit", "python3": "cpython"}
    for name in names:
        for config, same_language in embedded.items():
            r, want = runs[(name, config)], runs[(name, same_language)]
            if r["status"] == "skipped" and config == "node":
                continue
            expect(problems, r["status"] == want["status"], "%s [%s]: %s (%r), but %s under %s" % (
                name, config, r["status"], r["message"][:200], want["status"], same_language))
    def message(name, config):
        r = runs[(name, config)]
        return "" if r["status"] == "skipped" else r["message"]
    js = lambda name: os.path.join(fixtures, "bad", name, name + ".js")  # noqa: E731
    for config in ("node", "python3"):
        text = message("cyclic_result", config)
        expect(problems, text == "" or "not JSON-like: run() result[1] is run() result again (a cycle)" in text,
               "cyclic_result [%s]: %r" % (config, text[:200]))
    for name, where in (("syntax_error_cjs", ":5"), ("syntax_error_esm", ":4:13")):
        text = message(name, "node")
        expect(problems, text == "" or text.startswith(js(name) + where + ": SyntaxError: "), "%s [node]: %r" % (name, text[:200]))
    # In a module the workload imports, node's loader names no file: the module is found and named.
    imported = os.path.join(fixtures, "bad", "syntax_error_esm_import", "lib", "twice.mjs")
    for config in ("v8-jit", "node"):
        text = message("syntax_error_esm_import", config)
        expect(problems, text == "" or text.startswith(imported + ":3:17: SyntaxError: "),
               "syntax_error_esm_import [%s]: %r" % (config, text[:200]))
    text = message("exits", "node")
    expect(problems, text == "" or text.startswith(js("exits") + ":2:30: the workload ended the process (process.exit) with status 3"),
           "exits [node]: %r" % text[:200])
    text = message("never_settles", "node")
    expect(problems, text == "" or (text.startswith(js("never_settles")) and "never settled" in text),
           "never_settles [node]: %r" % text[:200])
    return proc


# Workloads that fail in each of their steps, and what ends the first line of their verdict's message
# under --warmup 2 --iterations 2 in every worker; with the text before it in each language.
STEP_CASES = {
    "throws_in_setup": ("(in setup(1))", {"js": "Error: bad setup", "py": "ValueError: bad setup"}),
    "throws_in_second_call": ("(in run(1), warm-up iteration 2)", {"js": "Error: second call", "py": "RuntimeError: second call"}),
    "throws_two_lines_on_third_call": ("(in run(1), measured iteration 1)", {"js": "Error: line one", "py": "ValueError: line one"}),
    "throws_in_verify": ("(in verify(result, 1))", {"js": "Error: bad verify", "py": "ValueError: bad verify"}),
    "exits_at_load": ("(while loading)", {"js": "the workload ended the process (process.exit) with status 4",
                                          "py": "the workload ended the process (sys.exit) with status 1: bye at load"}),
    "exits_bare_in_setup": ("(in setup(1))", {"js": "the workload ended the process (process.exit) with status 0",
                                              "py": "the workload ended the process (sys.exit) with status 0"}),
    "throws_without_message": ("(in run(1), warm-up iteration 1)", {"js": "Error", "py": "Exception"}),
    "exits": ("(in run(1), warm-up iteration 1)", {"js": "the workload ended the process (process.exit) with status 3",
                                                   "py": "the workload ended the process (sys.exit) with status 3"}),
}


def run_step_cases(polyhost, fixtures, tmp, configs, names):
    """The runs of the fixtures NAMES (in bad/) under CONFIGS, by (workload, config); None, with
    the process, when no JSON was written."""
    out = os.path.join(tmp, "r.json")
    proc = subprocess.run([polyhost, "run"] + [os.path.join(fixtures, "bad", name) for name in names] +
                          ["--configs", ",".join(configs), "--json", out, "--quick", "--processes", "1", "--warmup", "2",
                           "--iterations", "2", "--timeout", "20"], capture_output=True, text=True, timeout=300)
    runs = {(r["workload"], r["config"]): r for r in json.load(open(out))["runs"]} if os.path.exists(out) else None
    return proc, runs


def step_ends_the_first_line_of_a_multiline_error(polyhost, fixtures, tmp, problems):
    """The step a workload's error came from ends the message's first line, its headline (it
    followed the whole message, after 'line two' for Error('line one\\nline two'), out of sight
    on the terminal)."""
    proc, runs = run_step_cases(polyhost, fixtures, tmp, BOTH, ["throws_two_lines_on_third_call"])
    if runs is None:
        problems.append("no JSON written")
        return proc
    for config in BOTH:
        text = runs[("throws_two_lines_on_third_call", config)]["message"]
        expect(problems, "line one (in run(1), measured iteration 1)\nline two\n" in text, "%s: %r" % (config, text[:300]))
    return proc


def without_column(headline):
    """HEADLINE with its location's column left out: PyPy 3.9 keeps no columns in its tracebacks."""
    return re.sub(r"^([^\n]*?:\d+):\d+: ", r"\1: ", headline, count=1)


def check_reference_steps(polyhost, fixtures, tmp, problems, language, embedded, references):
    """The reference workers REFERENCES of LANGUAGE ("js" or "py") give each STEP_CASES fixture the
    headline polyhost's EMBEDDED worker gives it: where, what, and the step at the end of the first
    line. A reference configuration that is skipped (its program is not installed) is named in the
    output and left out."""
    proc, runs = run_step_cases(polyhost, fixtures, tmp, [embedded] + references, list(STEP_CASES))
    if runs is None:
        problems.append("no JSON written")
        return proc
    for name, (step, what) in STEP_CASES.items():
        file = os.path.join(fixtures, "bad", name, name + "." + language)
        want = runs[(name, embedded)]["message"].split("\n")[0]
        expect(problems, want.startswith(file + ":") and want.endswith(what[language] + " " + step),
               "%s [%s]: %r" % (name, embedded, want))
        for config in references:
            r = runs[(name, config)]
            if r["status"] == "skipped":
                print("%s: %s skipped (%s)" % (name, config, r["message"]))
                continue
            headline = r["message"].split("\n")[0]
            expect(problems, r["status"] == "error" and (headline == want or without_column(headline) == without_column(want)),
                   "%s [%s]: %s %r, but %r under %s" % (name, config, r["status"], headline, want, embedded))
            expect(problems, "\n" + ("    at " if language == "js" else "Traceback (most recent call last):") in r["message"],
                   "%s [%s]: no stack: %r" % (name, config, r["message"][:300]))
    return proc


def reference_python_workers_name_the_step_and_the_exit(polyhost, fixtures, tmp, problems):
    """python3 and pypy3 (host/runner/reference/worker.py) end an error's first line with its step
    as polyhost's CPython does ('(in setup(1))', '(in run(1), warm-up iteration 2)', ...; they named
    none), and name a sys.exit call as it does: where it was made, its status by Python's rule and
    its message ('status 1: bye at load', 'status 0' for sys.exit(): they printed 'status bye at
    load' and 'status None', naming only the file)."""
    return check_reference_steps(polyhost, fixtures, tmp, problems, "py", "cpython", ["python3", "pypy3"])


def reference_node_worker_names_the_step_and_the_exit(polyhost, fixtures, tmp, problems):
    """node's reference worker (host/runner/reference/worker.js) ends an error's first line with its
    step as polyhost's V8 does, and names a process.exit call as it does: where it was made, with
    the stack (it named only the file). Skipped without node."""
    if shutil.which("node") is None:
        print("skipped: node is not installed")
        sys.exit(77)
    return check_reference_steps(polyhost, fixtures, tmp, problems, "js", "v8-jit", ["node"])


def node_worker_names_the_file_of_a_thrown_string(polyhost, fixtures, tmp, problems):
    """A thrown string under node: 'FILE: Uncaught: plain string (in run(1), ...)', as the embedded V8
    names the file (node's worker named none). Skipped without node."""
    if shutil.which("node") is None:
        print("skipped: node is not installed")
        sys.exit(77)
    out = os.path.join(tmp, "r.json")
    folder = os.path.join(fixtures, "bad", "throws_a_string")
    proc = subprocess.run([polyhost, "run", folder, "--configs", "node", "--json", out] + FAST,
                          capture_output=True, text=True, timeout=120)
    data = json.load(open(out)) if os.path.exists(out) else {"runs": [{"status": "none", "message": ""}]}
    r = data["runs"][0]
    expect(problems, r["status"] == "error" and r["message"].startswith(
        os.path.join(folder, "throws_a_string.js") + ": Uncaught: plain string (in run(1), "), "%s: %r" % (r["status"], r["message"]))
    return proc


def node_worker_scans_static_imports_only(polyhost, fixtures, tmp, problems):
    """The node reference worker locates a syntax error in an imported module by checking the modules
    the workload's static imports load; its scanner must skip comments, strings, templates and
    regular expression literals (a quote in /["']/ once hid the import after it). The cases are in
    fixtures/reference/static_imports_cases.js. (Without node, as the node runs themselves, nothing to check.)"""
    node = shutil.which("node")
    if node is None:
        return None
    worker = os.path.join(os.path.dirname(os.path.dirname(fixtures)), "host", "runner", "reference", "worker.js")
    proc = subprocess.run([node, os.path.join(fixtures, "reference", "static_imports_cases.js"), worker],
                          capture_output=True, text=True, timeout=60)
    expect(problems, proc.returncode == 0 and proc.stdout.startswith("all "), "%s %s" % (proc.stdout[-2000:], proc.stderr[-500:]))
    return proc


BOTH = ("v8-jit", "cpython")
CASES = {
    "timeout_stops_infinite_loops": verdict("infinite_loop", {c: "timeout" for c in BOTH},
                                            {"v8-jit": ["TerminateExecution", "--timeout 3"], "cpython": ["interrupt", "--timeout 3"]}),
    "heap_limit_is_out_of_memory": verdict("runaway_memory", {c: "out-of-memory" for c in BOTH},
                                           {"v8-jit": ["heap reached its limit", "256 MB"], "cpython": ["MemoryError", "256 MB"]}),
    "unbounded_recursion_is_stack_overflow": verdict("deep_recursion", {c: "stack-overflow" for c in BOTH},
                                                     {"v8-jit": ["RangeError", "Maximum call stack"], "cpython": ["RecursionError"]}),
    "native_crash_is_named": verdict("native_crash", {"v8-jit": "ok", "cpython": "crash"}, {"cpython": ["SIGSEGV"]}, size=1),
    "empty_files_are_invalid": verdict("empty_files", {c: "invalid" for c in BOTH}, {c: ["no run() function"] for c in BOTH}),
    "non_utf8_source_is_handled": verdict("non_utf8", {"v8-jit": "ok", "cpython": "error"},
                                          {"cpython": ["non_utf8.py:2:", "SyntaxError", "utf-8"]}),
    "a_process_left_running_does_not_cost_the_results": verdict("spawns_process", {c: "ok" for c in BOTH}, {}),
    "list_reports_errors_at_load": list_reports_errors,
    "output_that_fails_at_the_end_is_kept_elsewhere": output_that_fails_at_the_end_is_kept_elsewhere,
    "unstartable_worker_is_its_runs_verdict": unstartable_worker_is_its_runs_verdict,
    "list_names_an_unstartable_worker": list_names_an_unstartable_worker,
    "overhead_under_a_process_limit_writes_its_file": overhead_under_a_process_limit_writes_its_file,
    # Printing 200 MB took over 3 s with ten busy loops on the machine: it has no loop to bound.
    "printing_100mb_is_harmless": verdict("prints_100mb", {c: "ok" for c in BOTH}, {}, timeout="60"),
    # os._exit(0): the workload ended its process, an error as sys.exit is (a crash is a signal),
    # named by its file as every other verdict.
    "hard_exit_is_an_error_that_says_so": verdict("hard_exit", {"v8-jit": "ok", "cpython": "error"},
                                                  {"cpython": ["hard_exit.py: the worker exited with status 0 without a report",
                                                               "the workload ended the process itself"]}),
    "error_in_eval_code_is_located_in_its_file": error_in_eval_code_is_located_in_its_file,
    "node_worker_names_the_file_of_a_thrown_string": node_worker_names_the_file_of_a_thrown_string,
    # exit(0) from native code: as os._exit(0), not a crash of the worker's teardown.
    "native_exit_is_an_error_not_a_crash": verdict("native_exit", {c: "error" for c in BOTH},
                                                   {c: ["native_exit." + ("js" if c == "v8-jit" else "py") +
                                                        ": the worker exited with status 0 without a report"] for c in BOTH}),
    # A static import of a file that is not there: where it is imported, the specifier as written.
    "missing_es_module_import_is_located": verdict(
        "esm_missing_import", {"v8-jit": "error", "cpython": "ok"},
        {"v8-jit": ["esm_missing_import.js:2:25: Error: Cannot find module './nope.js' imported from "]}),
    # An error says which of the workload's calls it came from, as a mismatch names its calls.
    "error_names_the_measured_iteration": verdict("exit_message", {c: "error" for c in BOTH},
                                                  {c: ["fatal: config broken (in run(1), measured iteration 2)\n"] for c in BOTH}),
    # A Python exception that JavaScript throws as it is: the Python error it is, not its attributes.
    "python_exception_thrown_by_js_is_named": verdict(
        "throws_python_exception", {"v8-jit": "error", "cpython": "ok"},
        {"v8-jit": ["/json/decoder.py:", ": JSONDecodeError: Expecting property name enclosed in double quotes",
                    "throws_python_exception.js:8:"]}),
    # An error raised in Python code of no file is located where JavaScript called it.
    "failed_python_import_names_the_js_line": verdict(
        "imports_missing_python_module", {"v8-jit": "error", "cpython": "ok"},
        {"v8-jit": ["imports_missing_python_module.js:3:29: ModuleNotFoundError: No module named 'no_such_helper_module' "
                    "(while loading)"]}),
    "error_in_python_eval_code_names_the_js_line": verdict(
        "raises_in_python_eval_code", {"v8-jit": "error", "cpython": "ok"},
        {"v8-jit": ["raises_in_python_eval_code.js:5:22: KeyError: 1 (in run(1), ", "at <lambda> (<python.eval>:1:"]}),
    "error_while_loading_says_so": verdict("esm_missing_import", {"v8-jit": "error", "cpython": "ok"},
                                           {"v8-jit": ["esm_missing_import.js (while loading)"]}),
    "exit_calls_are_errors": verdict("exits", {c: "error" for c in BOTH},
                                     {"v8-jit": ["exits.js:2:30: the workload ended the process (process.exit) with status 3",
                                                 "\n    at exports.run ("],
                                      "cpython": ["exits.py:7:5: the workload ended the process (sys.exit) with status 3",
                                                  "\nTraceback (most recent call last):"]}),
    # sys.exit("...") keeps its message, where it was called and the calls that led there; from
    # JavaScript (through the bridge), where JavaScript called it.
    "exit_message_and_call_site_are_kept": verdict(
        "exit_message", {c: "error" for c in BOTH},
        {"v8-jit": ["exit_message.js:5:7: the workload ended the process (sys.exit) with status 1: fatal: config broken",
                    "exit_message.js:9:22)"],
         "cpython": ["exit_message.py:8:5: the workload ended the process (sys.exit) with status 1: fatal: config broken",
                     "line 15, in run"]}),
    "unsettled_promise_and_coroutine": verdict("never_settles", {"v8-jit": "error", "cpython": "timeout"},
                                               {"v8-jit": ["never settled", "never_settles.js"], "cpython": ["interrupt"]}),
    "leftover_threads_do_not_hang": verdict("spawns_threads", {c: "ok" for c in BOTH}, {}),
    "ctrl_c_writes_results_and_exits_130": interrupted_by(signal.SIGINT, "Ctrl-C"),
    "sigterm_writes_results_exits_143_and_names_itself": interrupted_by(signal.SIGTERM, "SIGTERM"),
    "late_signal_keeps_the_files": late_signal_keeps_the_files,
    "unwritable_output_is_refused_before_measuring": unwritable_output_refused_first,
    "outputs_never_replace_what_they_should_not": outputs_never_replace_what_they_should_not,
    "crash_in_a_later_process_is_named": crash_in_a_later_process_is_named,
    "closed_descriptors_cost_no_results": closed_descriptors_cost_no_results,
    "exec_refuses_what_is_not_a_readable_file": exec_refuses_what_is_not_a_readable_file,
    "exec_ctrl_c_in_python_is_130": exec_ctrl_c_is_130,
    "wide_result_is_not_stored": wide_result_is_not_stored,
    "closed_stdout_keeps_the_files": closed_stdout_keeps_the_files,
    "overhead_interrupted_with_closed_stdout_keeps_its_cells": overhead_interrupted_with_closed_stdout_keeps_its_cells,
    "killed_run_leaves_no_worker": killed_run_leaves_no_worker,
    "reference_workers_give_the_embedded_verdicts": reference_workers_give_the_embedded_verdicts,
    "node_worker_scans_static_imports_only": node_worker_scans_static_imports_only,
    "step_ends_the_first_line_of_a_multiline_error": step_ends_the_first_line_of_a_multiline_error,
    "reference_python_workers_name_the_step_and_the_exit": reference_python_workers_name_the_step_and_the_exit,
    "reference_node_worker_names_the_step_and_the_exit": reference_node_worker_names_the_step_and_the_exit,
    "processes_leaving_the_session_end_with_their_worker": processes_leaving_the_session_end_with_their_worker,
    "processes_polyhost_had_before_are_spared": processes_polyhost_had_before_are_spared,
    "list_under_a_process_limit_names_each_file": list_under_a_process_limit_names_each_file,
    "exec_timeout_js": exec_case("forever.js", ["--timeout", "1"], 124, ["forever.js: stopped", "TerminateExecution"]),
    "exec_timeout_py": exec_case("forever.py", ["--timeout", "1"], 124, ["forever.py: stopped", "interrupt"]),
    "exec_heap_limit_js": exec_case("hog.js", ["--max-heap", "128"], 1, ["hog.js: stopped", "heap reached its limit of 128 MB"]),
    "exec_memory_limit_py": exec_case("hog.py", ["--max-heap", "128"], 1, ["hog.py: stopped", "MemoryError"]),
    "thread_under_a_small_max_heap_names_the_cap": thread_under_a_small_max_heap_names_the_cap,
    "exec_thread_under_a_small_max_heap_names_the_cap": exec_case(
        "starts_threads.py", ["--max-heap", "16"], 1, ["can't start new thread", "likely the --max-heap 16 MB cap"]),
    "exec_thread_with_room_says_nothing_of_the_cap": exec_case("starts_threads.py", ["--max-heap", "2048"], 0, []),
    "exec_timeout_ends_a_js_script_blocked_on_stdout": timeout_ends_a_script_blocked_on_output(
        "floods_stdout.js", False, "did not stop within 5 s of its --timeout (1 s)"),
    "exec_timeout_ends_a_py_script_blocked_on_stdout": timeout_ends_a_script_blocked_on_output(
        "floods_stdout.py", False, "floods_stdout.py: stopped:"),
    "exec_timeout_ends_a_script_flooding_stderr": timeout_ends_a_script_flooding_stderr,
    "exec_timeout_ends_a_script_blocked_on_stdout_and_stderr": timeout_ends_a_script_blocked_on_output(
        "floods_stdout.js", True, ""),
    "exec_timeout_ignored_by_the_script": exec_case("stubborn.py", ["--timeout", "1"], 124,
                                                    ["did not stop within 5 s of its --timeout"]),
}



if __name__ == "__main__":
    sys.exit(driver.main(CASES))
