# The Python side of polyhost's CPython runtime. Loaded as the module `_polyhost` before any
# script; the C++ engine (python_engine.cc) calls these functions.
import asyncio
import builtins
import importlib.util
import inspect
import itertools
import os
import signal
import sys
import threading
import traceback
import types

_PRELUDE_FILE = "polyhost:prelude.py"
# Several engines may share this module, one per thread (polyhost scale): each thread gets its own
# event loop, and module numbers come from one counter that two threads cannot both read first.
_loops = threading.local()
_module_numbers = itertools.count(1)


def _with_script_dir(path):
    directory = os.path.dirname(os.path.abspath(path))
    if not sys.path or sys.path[0] != directory:
        sys.path.insert(0, directory)


def run_main(path, argv):
    """Runs PATH as `python3 PATH ARGV...` would. Returns None when the script ran to its end, or
    the status it gave sys.exit (which ends the whole exec, as process.exit does)."""
    sys.argv = [path] + list(argv)
    _with_script_dir(path)
    with open(path, "rb") as f:  # bytes, so that a PEP 263 coding line is honoured
        source = f.read()
    code = compile(source, path, "exec", dont_inherit=True)
    main = types.ModuleType("__main__")
    main.__file__ = path
    main.__builtins__ = builtins
    main.__cached__ = None
    sys.modules["__main__"] = main
    try:
        exec(code, main.__dict__)
    except SystemExit as e:
        return _exit_status(e)
    finally:
        _flush()
    return None


def _exit_status(e):
    code = e.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    try:
        text = str(code)
    except Exception:  # python3 prints only the line's end then, and exits 1 all the same
        text = ""
    print(text, file=sys.stderr)
    return 1


def _flush():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass


def load_module(path):
    """Imports PATH under a unique name; helper modules next to it are importable."""
    _with_script_dir(path)
    stem = os.path.splitext(os.path.basename(path))[0]
    name = "_polyhost_module_%d_%s" % (next(_module_numbers), stem)
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError("cannot load %s as a Python module" % path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _stop(signum, frame):
    raise KeyboardInterrupt("polyhost: the script's time ran out")


def install_stop_handler():
    """The host's watchdog stops a script by sending SIGUSR2 to its thread (PythonEngine::request_stop):
    a signal reaches code looping in bytecode and interrupts a blocked system call alike. Only the
    main thread of the main interpreter can have a handler, so the engine calls this only there;
    engines on other threads and in sub-interpreters are stopped with an asynchronous exception."""
    signal.signal(signal.SIGUSR2, _stop)


def call(fn, args):
    """Calls FN(*ARGS); a returned coroutine or awaitable is run to completion on one event loop
    that lives as long as the engine (so its creation is not part of every call)."""
    result = fn(*args)
    if inspect.isawaitable(result):
        loop = getattr(_loops, "loop", None)
        if loop is None:
            loop = _loops.loop = asyncio.new_event_loop()
        result = loop.run_until_complete(result)
    return result


def describe(exc):
    """(type, message, file, line, column, stack) for an uncaught exception."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if not f.filename.startswith("polyhost:")]
    file, line, column = "", 0, 0
    if isinstance(exc, SyntaxError) and exc.filename:
        file, line, column = exc.filename, exc.lineno or 0, exc.offset or 0
        message = exc.msg
    else:
        try:
            message = str(exc)
        except BaseException as failure:  # a broken __str__ must not hide the error it describes
            message = "<str() of the exception failed: %s: %s>" % (type(failure).__qualname__, failure)
        if frames:
            last = frames[-1]
            file, line = last.filename, last.lineno or 0
            column = (last.colno + 1) if getattr(last, "colno", None) is not None else 0
    # A JavaScript error (polyhost.JSError, host/bridge) is shown as JavaScript's error, where it was thrown.
    js_type = _own_attribute(exc, "_polyhost_type")
    if js_type:
        message = _own_attribute(exc, "message", message)
        location = _own_attribute(exc, "_polyhost_location")
        if location and location[0]:
            file, line, column = location
    exc.__traceback__ = _strip_prelude(exc.__traceback__)
    try:
        stack = "".join(traceback.format_exception(exc))
    except Exception:  # an exception whose attributes raise (a __getattr__ that raises for __notes__)
        stack = "Traceback (most recent call last):\n%s%s: %s" % (
            "".join(traceback.format_tb(exc.__traceback__)), type(exc).__qualname__, message)
    return (js_type or type(exc).__qualname__, message, file, line, column, stack.rstrip("\n"))


def _own_attribute(obj, name, default=None):
    """OBJ's attribute NAME as set on it, or DEFAULT: never through a __getattr__ of the script's,
    which may raise anything."""
    try:
        return vars(obj).get(name, default)
    except Exception:
        return default


def _strip_prelude(tb):
    while tb is not None and tb.tb_frame.f_code.co_filename == _PRELUDE_FILE:
        tb = tb.tb_next
    return tb
