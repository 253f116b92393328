"""polyhost's reference worker for standalone Python runtimes (python3, pypy3).

The same job as polyhost's own worker (host/runner/worker.cc), for an interpreter polyhost does
not embed: load one workload file, check the contract, call setup(n) untimed, W warm-up and N
measured run(n) calls (awaiting coroutines on one event loop), comparing each result with the
first (no more calls once one differs), then verify() the first, and write the report as JSON to a
file descriptor. Timing: time.perf_counter_ns() around the call and its awaiting only. Runs on
Python 3.9+ (PyPy 7.3 is 3.9).

Usage: worker.py --file F --size quick|default --warmup W --iterations N [--min-measure-time S --max-measured M]
                 --result-fd FD [--calibrate]
                 [--timeout SECONDS] [--max-heap MB]
"""
import argparse
import asyncio
import importlib.util
import inspect
import json
import math
import os
import platform
import signal
import sys
import tempfile
import time
import traceback

CALIBRATION_WARMUP = 2000
CALIBRATION_CALLS = 10000


CONTROL_FD = 4  # polyhost's answers with --warmup auto (host/runner/subprocess.h kControlFd)


def keep_from_the_script(fd):
    """FD moved to a high number, closed on exec, as the embedded worker moves its pipes
    (host/runner/subprocess.cc): a workload's os.close(3) or child processes cannot reach it.
    FD itself when it is not open or cannot be moved."""
    import fcntl
    import resource
    limit = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    out_of_the_way = 200 if limit == resource.RLIM_INFINITY or limit > 216 else max(10, limit - 16)
    dup_closed_on_exec = getattr(fcntl, "F_DUPFD_CLOEXEC", 1030)  # Linux's number; PyPy's fcntl lacks the name
    try:
        moved = fcntl.fcntl(fd, dup_closed_on_exec, out_of_the_way)
    except OSError:
        return fd
    os.close(fd)
    return moved


class ContractError(Exception):
    pass


class TimeIsUp(BaseException):
    """Raised by the interval timer at --timeout; a BaseException, so workload code rarely catches it."""


MAX_EXACT = 2**53
MAX_DEPTH = 200  # host/value_path.h kMaxValueDepth


class NotJsonLike(TypeError):
    """A result the contract refuses: JSON cannot hold it (see encode)."""


class ValuePath:
    """Where a value sits inside a result, written as host/value_path.h writes it for Python
    (`run() result['items'][3]`, shortened when deep: `run() result[0][0][0]…[0][0] (201 levels)`).
    Steps are kept, not text, so a large result builds no strings until a message needs one."""

    def __init__(self, root="run() result"):
        self.root = root
        self.steps = []  # ints (indexes) and strs (keys)

    def depth(self):
        return len(self.steps)

    def str(self):
        return self._render(len(self.steps), True)

    def prefix(self, depth):
        """The ancestor DEPTH steps below the root."""
        return self._render(depth, True)

    def bare(self):
        return self._render(len(self.steps), False)

    @staticmethod
    def _step_text(step):
        if isinstance(step, int):
            return "[%d]" % step
        key = step if len(step) <= 24 else step[:24] + "\u2026"
        escaped = "".join("\\" + c if c in "'\\" else "\\x%02x" % ord(c) if ord(c) < 0x20 else c for c in key)
        return "['%s']" % escaped

    def _join(self, count, head, tail):
        """The root plus the first HEAD and last TAIL of the first COUNT steps, "…" between them if apart."""
        text = lambda steps: "".join(self._step_text(s) for s in steps)  # noqa: E731
        if head + tail >= count:
            return self.root + text(self.steps[:count])
        return self.root + text(self.steps[:head]) + "\u2026" + text(self.steps[count - tail:count])

    def _render(self, count, note_levels):
        out = self._join(count, count, 0)
        if count <= 6 and len(out) <= 80:
            return out
        head, tail = 3, 2
        out = self._join(count, head, tail)
        if len(out) > 80:
            head, tail = 1, 1
            out = self._join(count, head, tail)
        if note_levels and head + tail < count:
            out += " (%d levels)" % count
        return out


def encode(value, path=None, enclosing=None):
    """A result as polyhost's lossless JSON (see host/value_json.h), by the embedded hosts' rules
    (host/python/python_convert.cc); NotJsonLike, naming where, for what JSON cannot hold. As there,
    only containers count towards the depth limit (host/value_path.h EnclosingScope): a list 200
    steps below the top may hold numbers, one 201 steps below is refused; a container inside itself
    is a cycle, told apart from a deep value by the containers that enclose it."""
    if path is None:
        path, enclosing = ValuePath(), []

    def fail(what):
        raise NotJsonLike("%s %s" % (path.str(), what))
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            fail("is a string with a lone surrogate, not valid Unicode")
        return value
    if isinstance(value, int):
        if not -MAX_EXACT <= value <= MAX_EXACT:
            fail("is an int beyond ±2^53 (%d); return it as a string, str(x), since JS numbers cannot hold it exactly" % value)
        return value
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            fail("is %s, which JSON cannot represent" % ("NaN" if math.isnan(value) else "Infinity" if value > 0 else "-Infinity"))
        return value
    if not isinstance(value, (list, tuple, dict)):
        fail("is a %s, which is not JSON-like" % type(value).__name__)
    again = next((depth for depth, container in enumerate(enclosing) if container is value), None)
    if again is not None:
        fail("is %s again (a cycle), which JSON cannot represent" % path.prefix(again))
    if path.depth() > MAX_DEPTH:
        raise NotJsonLike("%s is nested %d levels deep; the limit is %d" % (path.bare(), path.depth(), MAX_DEPTH))

    def inside(step, item):
        path.steps.append(step)
        try:
            return encode(item, path, enclosing)
        finally:
            path.steps.pop()
    enclosing.append(value)
    try:
        if not isinstance(value, dict):
            return [inside(i, item) for i, item in enumerate(value)]
        out = {}
        for k, v in value.items():
            if not isinstance(k, str):
                fail("has a key of type %s; only str keys are JSON-like" % type(k).__name__)
            out[k] = inside(k, v)
        return out
    finally:
        enclosing.pop()


def agree(a, b):
    """polyhost's rule for equal results (host/value_compare.h): ints and strings exactly,
    other numbers to 1e-9 relative, NaN equal to NaN, lists and dicts deeply."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if isinstance(a, int) and isinstance(b, int):
            return a == b
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        if a == b:
            return True
        if math.isinf(a) or math.isinf(b):
            return False
        return abs(a - b) <= 1e-9 * max(abs(a), abs(b))
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(agree(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(agree(a[k], b[k]) for k in a)
    return a == b


def load(path, name="polyhost_workload"):
    """Imports PATH as module NAME (the scale worker loads one copy per thread) and checks it."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    if not callable(getattr(module, "run", None)):
        raise ContractError("the workload defines no run() function")
    sizes = getattr(module, "SIZES", None)
    if sizes is None:
        raise ContractError("the workload defines no SIZES = {quick: N, default: N}")
    for key in ("quick", "default"):
        if not isinstance(sizes, dict) or not isinstance(sizes.get(key), int) or isinstance(sizes.get(key), bool) or sizes[key] <= 0:
            raise ContractError('SIZES must map "quick" and "default" to positive integers; it is %r' % (sizes,))
    return module, {"quick": sizes["quick"], "default": sizes["default"]}


def raised_at(exc):
    """Where EXC was raised: "FILE:LINE:COLUMN", or "FILE:LINE" where the runtime keeps no columns
    (PyPy 3.9); "" without a frame."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return ""
    last = frames[-1]
    column = getattr(last, "colno", None)
    return "%s:%d" % (last.filename, last.lineno) + (":%d" % (column + 1) if column is not None else "")


def traceback_text(exc):
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)).rstrip("\n")


def describe_error(exc):
    if isinstance(exc, SyntaxError) and exc.filename:
        location, message = "%s:%s:%s" % (exc.filename, exc.lineno or 0, exc.offset or 0), exc.msg
    else:
        location, message = raised_at(exc), str(exc)
    # "Exception" alone for an empty message, as the embedded CPython and Python's traceback print it.
    headline = type(exc).__qualname__ + (": " + message if message else "")
    return "%s%s\n%s" % (location + ": " if location else "", headline, traceback_text(exc))


def python_exit_status(code):
    """The status python3 exits with for sys.exit(CODE), as polyhost's CPython reads it
    (host/python/python_engine.cc): None is 0, an int itself as a C int (-1 beyond a C long), any
    other code 1."""
    if code is None:
        return 0
    if not isinstance(code, int):
        return 1
    if not -2**63 <= code < 2**63:
        return -1
    return (code + 2**31) % 2**32 - 2**31


def describe_exit(file, exc):
    """ "FILE:LINE:COLUMN: the workload ended the process (sys.exit) with status S[: MESSAGE]" and the
    stack, for EXC, the SystemExit of a sys.exit() call: the message is what python3 prints for a code
    neither None nor an int (nothing when its str() fails), the location the workload's FILE when
    the call's is not known."""
    code = exc.code
    message = None
    if code is not None and not isinstance(code, int):
        try:
            message = str(code)
        except Exception:  # noqa: B902 - python3 prints an empty line for it
            message = ""
    return "%s: the workload ended the process (sys.exit) with status %d%s\n%s" % (
        raised_at(exc) or file, python_exit_status(code), "" if message is None else ": " + message, traceback_text(exc))


class WorkloadStep:
    """Which of the workload's steps is running, for the message of an error that comes from it,
    worded as polyhost's own worker words it (host/runner/worker.cc WorkloadStep)."""

    def __init__(self):
        self.kind, self.n, self.iteration = "load", None, 0

    def enter(self, kind, n, iteration=0):
        """KIND is "load", "setup", "warm-up", "measured" or "verify"."""
        self.kind, self.n, self.iteration = kind, n, iteration

    def describe(self):
        n = json.dumps(self.n)
        return {"load": "while loading",
                "setup": "in setup(%s)" % n,
                "warm-up": "in run(%s), warm-up iteration %d" % (n, self.iteration),
                "measured": "in run(%s), measured iteration %d" % (n, self.iteration),
                "verify": "in verify(result, %s)" % n}[self.kind]


def with_step(message, step):
    """MESSAGE with the step in brackets at the end of its first line, the headline (a message of
    several lines, or the stack below it, would push it out of sight)."""
    headline, newline, rest = message.partition("\n")
    return "%s (%s)%s%s" % (headline, step.describe(), newline, rest)


def ask_for_more(result_fd, elapsed_ns, lane=None):
    """--warmup auto: report one warm-up iteration to polyhost and read its answer (fd 4). LANE
    (scale_worker.py) names the lane whose iteration it is."""
    os.write(result_fd, b"@iteration %s%d\n" % (b"" if lane is None else b"%d " % lane, elapsed_ns))
    answer = b""
    while not answer.endswith(b"\n"):
        chunk = os.read(CONTROL_FD, 64)
        if not chunk:
            return False  # polyhost is gone: measure now
        answer += chunk
    return answer.strip() == b"more"


def status_bytes(key):
    """A figure of /proc/self/status in bytes (VmRSS, VmHWM: the process's own peak, where
    getrusage's ru_maxrss would report the peak of the process that started this one)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
    return None


def _pymalloc_bytes():
    """pymalloc's bytes in allocated blocks, from its own statistics (sys._debugmallocstats writes
    them to the C stderr, so fd 2 is pointed at a temporary file meanwhile)."""
    with tempfile.TemporaryFile() as out:
        saved = os.dup(2)
        try:
            sys.stderr.flush()
            os.dup2(out.fileno(), 2)
            sys._debugmallocstats()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        out.seek(0)
        for line in out.read().decode(errors="replace").splitlines():
            if line.startswith("# bytes in allocated blocks"):
                return int(line.split("=")[1].strip().replace(",", ""))
    return None


_MALLINFO2 = None


def _malloc_bytes():
    """glibc's bytes in use (mallinfo2's uordblks + hblkhd), through ctypes."""
    global _MALLINFO2
    import ctypes
    if _MALLINFO2 is None:
        class Mallinfo2(ctypes.Structure):
            _fields_ = [(name, ctypes.c_size_t) for name in
                        ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]
        libc = ctypes.CDLL(None)
        libc.mallinfo2.restype = Mallinfo2
        _MALLINFO2 = libc.mallinfo2
    info = _MALLINFO2()
    return info.uordblks + info.hblkhd


def heap_bytes():
    """What the interpreter holds, as the embedded CPython worker reads it (pymalloc + malloc), or
    None where the runtime has no such figure (PyPy's GC reports only rounded text)."""
    if platform.python_implementation() != "CPython":
        return None
    pymalloc = _pymalloc_bytes()
    return None if pymalloc is None else pymalloc + _malloc_bytes()


def heap_measure():
    if platform.python_implementation() != "CPython":
        return "none: PyPy reports its GC's memory only as rounded text (gc.get_stats())"
    return "pymalloc allocated blocks + malloc in use"


class ResultCheck:
    """Every result of a process's calls of run(), warm-up included, against the first, and verify()
    on the first, as polyhost's own worker checks them (host/runner/result_check.h); also
    scale_worker's. Results are encoded and compared as they are added: a result object run()
    reuses is seen as it was."""

    def __init__(self, n):
        self.n = n
        self.calls = {"warm-up": 0, "measured": 0}
        self.first_call = None  # "warm-up iteration 1" or "measured iteration 1"
        self.first = self.first_result = None
        self.difference = None

    def add(self, phase, result):
        """PHASE is "warm-up" or "measured"."""
        self.calls[phase] += 1
        call = "%s iteration %d" % (phase, self.calls[phase])
        encoded = encode(result)
        if self.first_call is None:
            self.first_call, self.first, self.first_result = call, encoded, result
        elif self.difference is None and not agree(self.first, encoded):
            self.difference = "run(%d) returned different results in %s and %s: result: %s vs %s" % (
                self.n, self.first_call, call, _shown(self.first), _shown(encoded))

    def mismatch(self, verify):
        """After the last call: the mismatch message, or None when the results pass."""
        if self.difference is not None:
            return self.difference
        if callable(verify) and self.first_call is not None:
            ok = verify(self.first_result, self.n)
            if ok is not True:
                return verify_message(self.n, ok, self.first)
        return None


def _shown(encoded):
    text = json.dumps(encoded)
    return text if len(text) <= 60 else text[:60] + "..."


def verify_message(n, ok, first):
    """The mismatch of a verify() that did not return True for FIRST, encoded."""
    said = repr(ok) if isinstance(ok, (bool, type(None))) else json.dumps(ok) if isinstance(ok, (int, float, str)) else repr(ok)
    return "verify(result, %d) returned %s for the first result; the result was %s" % (n, said, json.dumps(first)[:200])


def measure(module, n, warmup, iterations, min_measure_ns, max_measured, report, result_fd, step):
    """Measured calls: ITERATIONS, then more until they have lasted MIN_MEASURE_NS, up to MAX_MEASURED;
    fewer once a result differs from the first (the verdict is mismatch whatever follows). STEP
    follows the calls."""
    loop = None

    def call(fn, *args):
        nonlocal loop
        start = time.perf_counter_ns()
        result = fn(*args)
        if inspect.isawaitable(result):
            if loop is None:
                loop = asyncio.new_event_loop()
            result = loop.run_until_complete(result)
        return result, time.perf_counter_ns() - start

    step.enter("setup", n)
    if callable(getattr(module, "setup", None)):
        call(module.setup, n)
    memory = report["memory"] = {"peak_rss_bytes": None, "rss_after_setup_bytes": status_bytes("VmRSS"),
                                 "heap_after_setup_bytes": heap_bytes(), "heap_total_after_setup_bytes": None,
                                 "heap_peak_bytes": None, "heap_measure": heap_measure()}
    memory["heap_peak_bytes"] = memory["heap_after_setup_bytes"]

    def note_heap():  # between timed calls, never inside one
        if memory["heap_peak_bytes"] is not None:
            memory["heap_peak_bytes"] = max(memory["heap_peak_bytes"], heap_bytes())
    # Nothing of the workload's runs between calls (verify() can share code with run() and change
    # what the interpreter specialized): verify() sees the first result after the last call.
    results = ResultCheck(n)

    def warm_up_once():
        step.enter("warm-up", n, len(report["warmup_ns"]) + 1)
        result, elapsed = call(module.run, n)
        report["warmup_ns"].append(elapsed)
        note_heap()
        results.add("warm-up", result)
    if warmup == "auto":
        while True:
            warm_up_once()
            if results.difference is not None or not ask_for_more(result_fd, report["warmup_ns"][-1]):
                break
    else:
        for _ in range(int(warmup)):
            if results.difference is not None:
                break
            warm_up_once()
    verify = getattr(module, "verify", None)
    measured, i = 0, 0
    while results.difference is None and (i < iterations or (measured < min_measure_ns and i < max_measured)):
        i += 1
        step.enter("measured", n, i)
        result, elapsed = call(module.run, n)
        measured += elapsed
        report["samples_ns"].append(elapsed)
        note_heap()
        results.add("measured", result)
    report["result"] = results.first
    step.enter("verify", n)
    mismatch = results.mismatch(verify)
    if mismatch is not None:
        report["status"] = "mismatch"
        report["message"] = mismatch
        return
    report["verified"] = callable(verify)


def engine_name():
    impl = platform.python_implementation()
    version = platform.python_version()
    if impl == "PyPy":
        return "PyPy %s (Python %s)" % (".".join(map(str, sys.pypy_version_info[:3])), version)
    return "%s %s" % ("CPython" if impl == "CPython" else impl, version)


def _time_is_up(signum, frame):
    raise TimeIsUp()


def _limit_memory(max_heap_mb):
    """Cap the address space at what is used now plus MAX_HEAP_MB, as polyhost's own worker does."""
    import resource
    with open("/proc/self/status") as status:
        current_kb = next(int(line.split()[1]) for line in status if line.startswith("VmSize:"))
    limit = current_kb * 1024 + max_heap_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--file", default="")
    parser.add_argument("--size", default="default", choices=["quick", "default"])
    parser.add_argument("--warmup", default="1", help="a count, or auto (polyhost decides, see ask_for_more)")
    parser.add_argument("--iterations", type=int, default=5)
    parser.add_argument("--min-measure-time", type=float, default=0)
    parser.add_argument("--max-measured", type=int, default=0)
    parser.add_argument("--result-fd", type=int, default=3)
    parser.add_argument("--calibrate", action="store_true")
    parser.add_argument("--timeout", type=float, default=0)
    parser.add_argument("--max-heap", type=int, default=0)
    args = parser.parse_args()
    global CONTROL_FD
    args.result_fd = keep_from_the_script(args.result_fd)
    CONTROL_FD = keep_from_the_script(CONTROL_FD)
    if args.timeout > 0:
        signal.signal(signal.SIGALRM, _time_is_up)
        signal.setitimer(signal.ITIMER_REAL, args.timeout)
    if args.max_heap > 0:
        _limit_memory(args.max_heap)
    report = {"status": "ok", "message": "", "warmup_ns": [], "samples_ns": [], "verified": False,
              "has_verify": False, "result": None, "engine": engine_name(), "flags": [],
              "executable": sys.executable}
    step = WorkloadStep()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path, size, warmup, iterations = args.file, args.size, args.warmup, args.iterations
            min_measure_ns = args.min_measure_time * 1e9
            if args.calibrate:
                path = os.path.join(tmp, "empty.py")
                with open(path, "w") as f:
                    f.write("SIZES = {'quick': 1, 'default': 1}\ndef run(n):\n    return None\n")
                size, warmup, iterations, min_measure_ns = "quick", CALIBRATION_WARMUP, CALIBRATION_CALLS, 0
            module, sizes = load(path)
            report["sizes"] = sizes
            report["size"] = sizes[size]
            report["has_verify"] = callable(getattr(module, "verify", None))
            measure(module, sizes[size], warmup, iterations, min_measure_ns, args.max_measured, report, args.result_fd, step)
            report["memory"]["peak_rss_bytes"] = status_bytes("VmHWM")
            if args.calibrate:
                report["warmup_ns"] = []
    except ContractError as e:
        report["status"], report["message"] = "invalid", "%s: %s" % (args.file, e)
    except NotJsonLike as e:
        report["status"], report["message"] = "invalid", "%s: not JSON-like: %s" % (args.file, e)
    except TimeIsUp:
        report["status"] = "timeout"
        report["message"] = "%s: the script was stopped (an interrupt raised in it) after its time ran out (--timeout %d s)" % (
            args.file, args.timeout)
    except MemoryError:
        report["status"] = "out-of-memory"
        report["message"] = "%s: MemoryError: the worker's memory limit was reached (--max-heap %d MB)" % (args.file, args.max_heap)
    except RecursionError as e:
        report["status"], report["message"] = "stack-overflow", describe_error(e)
    except SystemExit as e:
        report["status"], report["message"] = "error", describe_exit(args.file, e)
    except BaseException as e:  # noqa: B902 - every failure of the workload is reported, not raised
        report["status"], report["message"] = "error", describe_error(e)
    if report["status"] not in ("ok", "mismatch"):  # an exception's verdict: it came from a step
        report["message"] = with_step(report["message"], step)
    signal.setitimer(signal.ITIMER_REAL, 0)
    sys.stdout.flush()
    data = json.dumps(report).encode()
    while data:
        written = os.write(args.result_fd, data)
        data = data[written:]
    os.close(args.result_fd)
    sys.stderr.flush()
    os._exit(0)  # as polyhost's worker: threads a workload left behind must not keep it alive


if __name__ == "__main__":
    main()
