"""polyhost's reference scale worker for the standalone python3 (the python3-threads and
python3-processes modes of `polyhost scale`).

The same job as polyhost's own scale worker (host/scale/), with the standard library: T lanes,
threading.Threads or multiprocessing processes (fork), each loading its own copy of the workload
(worker.py's loader), calling setup(n) and warming up: W run(n) calls, or with --warmup auto until
polyhost finds the lane's series steady (each call is relayed to polyhost as "@iteration K NS", K the
lane, and polyhost answers more or measure, as for worker.py); once every lane is warm, all make
the same N measured calls at once (N: at least --iterations, and enough for about --min-time seconds
by the slowest lane's typical warm call: the median of its last five warm-up calls). Every result
of a lane, warm-up calls included, is compared with its first, verify() is called on it, and the lanes' results are compared with each other. A lane that fails
before it is ready has the others still warming up stopped at once (threads: an asynchronous
exception; processes: SIGUSR1), and its verdict is the run's. At --timeout a lane still
running is interrupted (threads: an asynchronous exception; processes: an interval timer), and one
that has not reported GRACE seconds later is given up on. The message
(host/model/scale_worker_message.h) goes to a file descriptor as JSON.

Usage: scale_worker.py --lanes threads|processes --file F --size quick|default --threads T --warmup W|auto
                       --iterations N --min-time S --timeout S --max-heap MB --result-fd FD
"""
import argparse
import asyncio
import ctypes
import inspect
import json
import math
import multiprocessing
import os
import queue
import signal
import statistics
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import worker  # noqa: E402 - polyhost's run worker: the loader, result rules and verdicts

class StoppedForOther(BaseException):
    """Raised in a lane that another lane's failure stops before its measured calls."""


GRACE = 2.0  # seconds after --timeout for a lane to report (as host/scale/scale_worker.h)
MAX_ITERATIONS = 10000


def lane_name(k, threads):
    return "thread %d of %d" % (k, threads)


def timeout_report(args):
    return {"status": "timeout", "message": "%s: the script was stopped (an interrupt raised in it) after its time ran out "
                                            "(--timeout %g s)" % (args.file, args.timeout)}


_relay_lock = threading.Lock()


def relay_warmup(args, k, elapsed_ns):
    """--warmup auto: asks polyhost whether lane K needs another warm-up call. One question at a
    time, so that answers cannot cross between lanes."""
    with _relay_lock:
        return worker.ask_for_more(args.result_fd, elapsed_ns, k)


def run_lane(args, k, ready, more_warmup):
    """One lane: READY(warm_call_ns) waits for the others and returns ("go", N) or
    ("stop", status, message); MORE_WARMUP(ns) says whether auto warm-up goes on. Returns the
    lane's report."""
    report = {"status": "ok", "message": "", "warmup_ns": [], "samples_ns": [], "has_verify": False,
              "verified": False, "result": None, "started_ns": 0, "ended_ns": 0}
    loop = None

    def call(fn, *call_args):
        nonlocal loop
        start = time.perf_counter_ns()
        result = fn(*call_args)
        if inspect.isawaitable(result):
            if loop is None:
                loop = asyncio.new_event_loop()
            result = loop.run_until_complete(result)
        return result, time.perf_counter_ns() - start

    try:
        module, sizes = worker.load(args.file, "polyhost_workload_%d" % k)
        n = sizes[args.size]
        report["sizes"], report["size"] = sizes, n
        verify = getattr(module, "verify", None)
        report["has_verify"] = callable(verify)
        if callable(getattr(module, "setup", None)):
            call(module.setup, n)
        checked = worker.ResultCheck(n)

        def warm_up_once():
            result, elapsed = call(module.run, n)
            report["warmup_ns"].append(elapsed)
            checked.add("warm-up", result)
            return elapsed
        if args.warmup == "auto":
            while more_warmup(warm_up_once()):
                pass
        else:
            for _ in range(int(args.warmup)):
                warm_up_once()
        go = ready(statistics.median(report["warmup_ns"][-5:]) if report["warmup_ns"] else 0)
        if go[0] == "stop":
            report["status"], report["message"] = go[1], go[2]
            return report
        results = []
        report["started_ns"] = time.monotonic_ns()  # CLOCK_MONOTONIC: comparable across processes
        for _ in range(go[1]):
            result, elapsed = call(module.run, n)
            report["samples_ns"].append(elapsed)
            results.append(result)
        report["ended_ns"] = time.monotonic_ns()
        for result in results:  # compared after the timed part, which they would slow
            checked.add("measured", result)
        mismatch = checked.mismatch(verify)
        if mismatch is not None:
            report["status"], report["message"] = "mismatch", mismatch
            return report
        report["result"], report["verified"] = checked.first, callable(verify)
    except worker.ContractError as e:
        report["status"], report["message"] = "invalid", "%s: %s" % (args.file, e)
    except TypeError as e:
        if any(word in str(e) for word in ("JSON-like", "JSON cannot", "2^53", "levels deep", "surrogate")):
            report["status"], report["message"] = "invalid", "not JSON-like: " + str(e)
        else:
            report["status"], report["message"] = "error", worker.describe_error(e)
    except worker.TimeIsUp:
        report.update(timeout_report(args))
    except StoppedForOther:
        report["status"], report["message"] = "skipped", ""  # the coordinator says why
    except MemoryError:
        report["status"] = "out-of-memory"
        report["message"] = "%s: MemoryError: the memory limit was reached (--max-heap %d MB)" % (args.file, args.max_heap)
    except RecursionError as e:
        report["status"], report["message"] = "stack-overflow", worker.describe_error(e)
    except SystemExit as e:
        report["status"] = "error"
        report["message"] = "%s: the workload ended the process (sys.exit) with status %s" % (args.file, e.code)
    except BaseException as e:  # noqa: B902 - every failure of the workload is reported, not raised
        report["status"], report["message"] = "error", worker.describe_error(e)
    return report


class ThreadLanes:
    """Lanes as threading.Threads of this process."""

    def __init__(self, args, events):
        self.args, self.events = args, events
        self.answers = [queue.Queue() for _ in range(args.threads)]
        self.threads = []
        for k in range(1, args.threads + 1):
            t = threading.Thread(target=self._lane, args=(k,), name="polyhost-thread-%d" % k, daemon=True)
            self.threads.append(t)
            t.start()

    def _lane(self, k):
        def ready(warm_call_ns):
            self.events.put((k, "ready", warm_call_ns))
            return self.answers[k - 1].get()
        try:
            self.events.put((k, "report", run_lane(self.args, k, ready, lambda ns: relay_warmup(self.args, k, ns))))
        except worker.TimeIsUp:  # the interrupt came as the lane finished, outside run_lane's own handling
            self.events.put((k, "report", timeout_report(self.args)))
        except StoppedForOther:  # likewise
            self.events.put((k, "report", {"status": "skipped", "message": ""}))
        self.events.put((k, "ended", None))

    def tell(self, k, answer):
        self.answers[k - 1].put(answer)

    def interrupt(self, k, exception=worker.TimeIsUp):
        """Raises EXCEPTION in lane K's thread at its next bytecode."""
        ident = self.threads[k - 1].ident
        if ident is not None:
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), ctypes.py_object(exception))

    def cancel(self, k):
        self.interrupt(k, StoppedForOther)

    def how_it_ended(self, k):
        return None, ""

    def give_up(self, k):
        pass


def process_lane(args, k, connection, deadline):
    """A lane in a forked process: its own interpreter state, its own timer."""
    threading.current_thread().name = "polyhost-thread-%d" % k
    armed = True

    def time_is_up(signum, frame):
        if armed:
            raise worker.TimeIsUp()

    def arm():
        if args.timeout > 0:
            signal.setitimer(signal.ITIMER_REAL, max(deadline - time.monotonic(), 0.001))
    def stopped_for_other(signum, frame):
        if armed:
            raise StoppedForOther()
    signal.signal(signal.SIGALRM, time_is_up)
    signal.signal(signal.SIGUSR1, stopped_for_other)
    arm()
    if args.max_heap > 0:
        worker._limit_memory(args.max_heap)

    def ready(warm_call_ns):
        # While it waits for the others the coordinator answers for the time (as for threads).
        signal.setitimer(signal.ITIMER_REAL, 0)
        connection.send(("ready", warm_call_ns))
        answer = connection.recv()
        if answer[0] == "go":
            arm()
        return answer
    def more_warmup(ns):
        connection.send(("iteration", ns))
        return connection.recv()[1]
    try:
        report = run_lane(args, k, ready, more_warmup)
        armed = False
    except worker.TimeIsUp:  # the timer went off as the lane finished, outside run_lane's own handling
        armed = False
        report = timeout_report(args)
    except StoppedForOther:  # likewise for the coordinator's stop
        armed = False
        report = {"status": "skipped", "message": ""}
    signal.setitimer(signal.ITIMER_REAL, 0)
    connection.send(("report", report))
    connection.close()
    sys.stdout.flush()
    os._exit(0)  # as polyhost's worker: threads a workload left behind must not keep it alive


class ProcessLanes:
    """Lanes as multiprocessing processes (fork), each reporting on a pipe read by a thread here."""

    def __init__(self, args, events, deadline):
        self.args, self.events = args, events
        context = multiprocessing.get_context("fork")
        self.processes, self.connections = [], []
        for k in range(1, args.threads + 1):
            mine, theirs = context.Pipe()
            p = context.Process(target=process_lane, args=(args, k, theirs, deadline), name="polyhost-thread-%d" % k)
            p.start()
            theirs.close()
            self.processes.append(p)
            self.connections.append(mine)
            threading.Thread(target=self._forward, args=(k, mine), daemon=True).start()

    def _forward(self, k, connection):
        try:
            while True:
                kind, payload = connection.recv()
                if kind == "iteration":  # answered here: the coordinator may be waiting for other lanes
                    self.tell(k, ("more", relay_warmup(self.args, k, payload)))
                    continue
                self.events.put((k, kind, payload))
        except (EOFError, OSError):
            self.events.put((k, "ended", None))

    def tell(self, k, answer):
        try:
            self.connections[k - 1].send(answer)
        except OSError:
            pass  # the lane is gone; its end is noticed on its pipe

    def interrupt(self, k):
        pass  # each process has its own timer

    def cancel(self, k):
        try:
            os.kill(self.processes[k - 1].pid, signal.SIGUSR1)
        except OSError:
            pass  # it has ended; its end is noticed on its pipe

    def how_it_ended(self, k):
        p = self.processes[k - 1]
        p.join(1)
        if p.exitcode is None:
            return None, "its process closed its pipe and kept running"
        if p.exitcode < 0:
            return None, "its process died by %s" % signal.Signals(-p.exitcode).name
        return p.exitcode, ""

    def give_up(self, k):
        self.processes[k - 1].kill()


def iterations_for(states, args):
    slowest = max(s["last"] for s in states)
    if slowest <= 0 or args.min_time <= 0:
        return args.iterations
    return int(min(max(args.iterations, MAX_ITERATIONS), max(args.iterations, math.ceil(args.min_time * 1e9 / slowest))))


def coordinate(args, lanes, events, deadline):
    """Waits for every lane to be ready or failed, tells them to go (or not), collects the reports,
    and combines them as host/scale/lane_link.cc does."""
    states = [{"ready": False, "told": False, "ended": False, "report": None, "last": 0, "cancelled": False, "end_order": 0}
              for _ in range(args.threads)]
    decided, past_deadline, iterations, stop, ended = False, False, 0, None, 0
    timeout_text = " (--timeout %g s)" % args.timeout
    while not all(s["ended"] for s in states):
        now = time.monotonic()
        if not past_deadline and now >= deadline:
            past_deadline = True
            if not decided:
                decided = True
                stop = ("stop", "skipped", "not measured: the time ran out%s while waiting for the other threads" % timeout_text)
            for k, s in enumerate(states, 1):
                if not s["ended"] and not (s["ready"] and not s["told"]):
                    lanes.interrupt(k)
        if now >= deadline + GRACE:
            break
        # A lane that ended without being ready failed: the others are stopped at once, warming up or not.
        failed = sorted((s["end_order"], k) for k, s in enumerate(states, 1) if s["ended"] and not s["ready"])
        if not decided and failed:
            decided = True
            stop = ("stop", "skipped", "not measured: stopped because %s failed before its measured calls"
                    % lane_name(failed[0][1], args.threads))
            for k, s in enumerate(states, 1):
                if not s["ended"] and not s["ready"]:
                    s["cancelled"] = True
                    lanes.cancel(k)
        if not decided and all(s["ready"] for s in states):
            decided = True
            iterations = iterations_for(states, args)
        if decided:
            for k, s in enumerate(states, 1):
                if s["ready"] and not s["told"] and not s["ended"]:
                    lanes.tell(k, stop or ("go", iterations))
                    s["told"] = True
        until = deadline if not past_deadline else deadline + GRACE
        try:
            k, kind, payload = events.get(timeout=max(0.001, min(until - time.monotonic(), 1.0)))
        except queue.Empty:
            continue
        s = states[k - 1]
        if kind == "ready":
            s["ready"], s["last"] = True, payload
        elif kind == "report" and s["report"] is None:
            if s["cancelled"] and payload["status"] == "skipped" and not payload["message"]:
                payload["message"] = stop[2]
            s["report"] = payload
        elif kind == "ended":
            ended += 1
            s["ended"], s["end_order"] = True, ended
    for k, s in enumerate(states, 1):
        if s["report"] is not None:
            continue
        if not s["ended"]:
            lanes.give_up(k)
            s["report"] = {"status": "timeout", "message": "still running %g s after the --timeout of %g s (it did not stop when "
                                                          "asked), so it was given up on" % (GRACE, args.timeout)}
        else:
            exit_status, how = lanes.how_it_ended(k)
            if exit_status is not None:
                # As in run: status 0 without a report is the workload's error, any other status a crash.
                s["report"] = {"status": "error" if exit_status == 0 else "crash",
                               "message": "%s: the workload ended its process (os._exit, or exit() from native code) "
                                          "with status %d" % (args.file, exit_status)}
            else:
                s["report"] = {"status": "crash", "message": "ended without a report" + (": " + how if how else "")}
    return combine([s["report"] for s in states], [s["end_order"] for s in states], iterations, args)


def first_failure(reports, end_orders):
    """The lane (1-based) whose verdict is the process's: of the lanes that failed (stopped ones
    are skipped), the first to end; lanes that never ended come last."""
    failed = [(end_orders[k - 1] or math.inf, k) for k, r in enumerate(reports, 1) if r["status"] not in ("ok", "skipped")]
    return min(failed)[1] if failed else None


def combine(reports, end_orders, iterations, args):
    m = {"status": "ok", "message": "", "engine": worker.engine_name(), "has_verify": False, "verified": True,
         "iterations": iterations, "wall_ns": 0, "threads": [], "result": None}
    failed = first_failure(reports, end_orders)
    if failed is not None:
        r = reports[failed - 1]
        m["status"], m["message"] = r["status"], "%s: %s" % (lane_name(failed, args.threads), r["message"])
    starts, ends = [], []
    for r in reports:
        if "sizes" in r and "sizes" not in m:
            m["sizes"], m["size"] = r["sizes"], r["size"]
        m["has_verify"] = m["has_verify"] or r.get("has_verify", False)
        m["verified"] = m["verified"] and r.get("verified", False)
        if r["status"] == "ok":
            starts.append(r["started_ns"])
            ends.append(r["ended_ns"])
        m["threads"].append({"status": r["status"], "message": r["message"], "warmup_ns": r.get("warmup_ns", []),
                             "samples_ns": r.get("samples_ns", [])})
    if m["status"] == "ok":
        for k in range(1, len(reports)):
            if not worker.agree(reports[0]["result"], reports[k]["result"]):
                m["status"], m["message"] = "mismatch", "thread %d's result differs from thread 1's: result: %s vs %s" % (
                    k + 1, worker._shown(reports[k]["result"]), worker._shown(reports[0]["result"]))
                break
    if m["status"] == "ok":
        m["result"] = reports[0]["result"]
        m["wall_ns"] = max(ends) - min(starts)
    else:
        m["verified"] = False
    return m


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lanes", choices=["threads", "processes"], default="threads")
    parser.add_argument("--file", required=True)
    parser.add_argument("--size", default="default", choices=["quick", "default"])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--warmup", default="1", help="a count, or auto (polyhost decides, see relay_warmup)")
    parser.add_argument("--iterations", type=int, default=1)
    parser.add_argument("--min-time", type=float, default=0)
    parser.add_argument("--timeout", type=float, default=0)
    parser.add_argument("--max-heap", type=int, default=0)
    parser.add_argument("--result-fd", type=int, default=3)
    args = parser.parse_args()
    args.result_fd = worker.keep_from_the_script(args.result_fd)
    worker.CONTROL_FD = worker.keep_from_the_script(worker.CONTROL_FD)
    deadline = time.monotonic() + (args.timeout if args.timeout > 0 else 1e9)
    events = queue.Queue()
    if args.lanes == "processes":
        # Ignored until a lane process sets its handler, so that a stop sent to a lane just forked
        # cannot end it.
        signal.signal(signal.SIGUSR1, signal.SIG_IGN)
        lanes = ProcessLanes(args, events, deadline)
    else:
        if args.max_heap > 0:
            worker._limit_memory(args.max_heap * args.threads)
        lanes = ThreadLanes(args, events)
    message = coordinate(args, lanes, events, deadline)
    sys.stdout.flush()
    data = json.dumps(message).encode()
    while data:
        data = data[os.write(args.result_fd, data):]
    os.close(args.result_fd)
    sys.stderr.flush()
    os._exit(0)  # lanes given up on, or threads a workload left, must not keep the worker alive


if __name__ == "__main__":
    main()
