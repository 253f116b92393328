# The Python half of polyhost's JavaScript bridge, run in the namespace of the `polyhost` module
# (polyhost_module.cc adds the C++ half: js, JSObject, JSFunction, copy, view, new, stats, ...).
# The names starting with an underscore are called by the bridge's C++ code.
import builtins
import collections
import functools
import itertools
import os
import sys
import traceback
# A Mapping's index-like names are read from JavaScript as keys, int or str, unless it is a Sequence
# too: then they are positions (python_object_proxy.cc, is_mapping).
from collections.abc import Sequence as _Sequence

from _polyhost import _own_attribute  # the prelude's (host/python/prelude.py), loaded before the bridge

_MAX_FRAMES = 64  # Python frames written into a JavaScript stack
# How V8 shows the call of a proxy of a Python object (a callable's prototype is Function's).
_PROXY_CALL_FRAMES = ("    at Object.<anonymous> (<anonymous>)", "    at Function.<anonymous> (<anonymous>)")


class JSError(Exception):
    """A JavaScript exception, raised in Python.

    name     the JavaScript error's name ("TypeError"), or "Uncaught" for a thrown non-Error
    message  its message
    stack    the JavaScript stack text (with the Python frames it crossed, where it crossed back)
    value    what was thrown: an Error arrives as a JSObject proxy, a string or number as itself
    """

    def __init__(self, name, message, stack="", value=None, location=None):
        super().__init__(name, message)
        self.name = name
        self.message = message
        self.stack = stack
        self.value = value
        self._polyhost_type = name          # what `polyhost exec` prints as the error's type
        self._polyhost_location = location  # (file, line, column) where JavaScript threw it
        # How many entries at the end of its traceback its JavaScript stack already shows (the
        # JavaScript frames, and the Python frames of the crossings before).
        self._polyhost_frames_in_stack = 0

    def __str__(self):
        return "%s: %s" % (self.name, self.message) if self.message else self.name


class JSRecursionError(JSError, RecursionError):
    """JavaScript ran out of stack (RangeError: Maximum call stack size exceeded), or a chain of
    calls between the languages reached the bridge's limit on the JavaScript side."""


# Mark a JSError whose thrown value was undefined (its value reads None) or a BigInt (an int, as a
# number's), so that crossing back throws undefined or a BigInt again, not null or a number.
_js_undefined = object()
_js_bigint = object()

_js_namespace = {"__name__": "__polyhost_js__", "__builtins__": builtins}


def _import_for_js(name, directory):
    """python.import(NAME) from a JavaScript file in DIRECTORY: that folder is searched first for
    this import, as a Python script's own folder is. Afterwards it is where it was on sys.path, or
    last when it was not there (once: files in different folders that take turns importing add
    their folders once), so that it does not come before the Python script's own folder for the
    script's imports, and a module imported from there still finds its siblings later."""
    if not directory:
        return _import_module(name)
    was_at = sys.path.index(directory) if directory in sys.path else None
    if was_at is not None:
        del sys.path[was_at]
    sys.path.insert(0, directory)
    try:
        return _import_module(name)
    finally:
        if sys.path and sys.path[0] == directory:
            del sys.path[0]
        elif directory in sys.path:  # the import moved it
            sys.path.remove(directory)
        sys.path.insert(len(sys.path) if was_at is None else was_at, directory)


def _import_module(name):
    if name.startswith("."):
        raise TypeError("python.import(%r): a relative name needs a package to be relative to, and a JavaScript "
                        "file is none: give the module's full name" % name)
    # Through `import`'s own path (not importlib.import_module), which takes importlib's frames out
    # of an error's traceback, as a failed `import` statement shows it.
    top = builtins.__import__(name)
    module = sys.modules.get(name)
    return module if module is not None else functools.reduce(getattr, name.split(".")[1:], top)


def _namespace(names):
    namespace = dict(_js_namespace) if names else _js_namespace
    if names:
        namespace.update(names)
    return namespace


def _eval_for_js(source, names):
    """python.eval(SOURCE, NAMES): an expression, in the namespace JavaScript's python.exec shares."""
    # Named as python.exec's code is; leading spaces and tabs dropped, as eval() drops them.
    return eval(compile(source.lstrip(" \t"), "<python.eval>", "eval"), _namespace(names))


def _exec_for_js(source, names):
    """python.exec(SOURCE, NAMES): statements; what they define stays for later eval/exec calls
    (unless NAMES is given, which makes a namespace of its own for this call)."""
    exec(compile(source, "<python.exec>", "exec"), _namespace(names))


def require(spec):
    """Loads a CommonJS module (or .json) into the JavaScript engine and returns its exports,
    resolving SPEC as JavaScript's require() in the calling Python file would: "./lib" or
    "../lib" relative to that file's folder (with .js, .json or .cjs added, or a folder's
    package.json main or index.js), or an absolute path; nothing else."""
    if not isinstance(spec, str):
        raise TypeError("polyhost.require(path): the path must be a str, not %s" % type(spec).__name__)
    caller = sys._getframe(1).f_code.co_filename
    parent = caller if os.path.isabs(caller) else os.path.join(os.getcwd(), "<python>")
    return _require_from(spec, parent)


def _message(exc):
    if isinstance(exc, SyntaxError) and isinstance(exc.msg, str) and exc.msg:
        return exc.msg
    try:
        return str(exc)
    except BaseException as failure:  # a broken __str__ must not hide the error it describes
        return "<str() of the exception failed: %s: %s>" % (type(failure).__qualname__, failure)


def _js_frame_line(frame):
    column = ":%d" % (frame.colno + 1) if getattr(frame, "colno", None) is not None else ""
    return "    at %s (%s:%d%s)" % (frame.name, frame.filename, frame.lineno or 0, column)


_Frame = collections.namedtuple("_Frame", "filename lineno name colno")
_columns = {}  # (code, instruction offset) -> 0-based column, or None


def _column(code, lasti):
    """Where in its line the instruction at LASTI starts. Cached: reading a code object's
    positions costs microseconds a frame, and an exception crossing in a loop repeats them."""
    key = (code, lasti)
    try:
        return _columns[key]
    except KeyError:
        pass
    position = next(itertools.islice(code.co_positions(), lasti // 2, None), None) if lasti >= 0 else None
    if len(_columns) >= 4096:
        _columns.clear()
    column = _columns[key] = position[2] if position else None
    return column


def _frames(tb):
    """TB's frames, outermost first, without polyhost's own (its preludes and this file). Unlike
    traceback.extract_tb, no source line is read (a stat of each file per crossing)."""
    frames = []
    while tb is not None:
        code = tb.tb_frame.f_code
        if not code.co_filename.startswith("polyhost:"):
            frames.append(_Frame(code.co_filename, tb.tb_lineno, code.co_name, _column(code, tb.tb_lasti)))
        tb = tb.tb_next
    return frames


def _count_frames(tb):
    return len(_frames(tb))


def _stack_lines(frames):
    """FRAMES (outermost first) as JavaScript stack lines, innermost first, at most _MAX_FRAMES."""
    lines = [_js_frame_line(f) for f in reversed(frames[-_MAX_FRAMES:])]
    if len(frames) > _MAX_FRAMES:
        lines.append("    ... %d more Python frames" % (len(frames) - _MAX_FRAMES))
    return lines


def _source_excerpt(exc):
    """A SyntaxError's source line and caret, as Python prints them (without their indent)."""
    try:
        lines = "".join(traceback.format_exception_only(type(exc), exc)).splitlines()
    except Exception:
        return ""
    return "\n".join(line[4:] for line in lines if line.startswith("    "))


def _describe_for_js(exc):
    """For a Python exception crossing into JavaScript: (name, message, Python stack lines,
    where it was raised as (file, line, column, a SyntaxError's source line and caret) or None).
    Raised in code of no file (python.eval's or python.exec's, a frozen module's: "<...>"), its
    file is "": the JavaScript call site is where the user's file and line are."""
    frames = _frames(exc.__traceback__)
    lines = _stack_lines(frames)
    origin = None
    if isinstance(exc, SyntaxError) and isinstance(exc.filename, str) and exc.filename:
        origin = (exc.filename, exc.lineno or 0, exc.offset or 0, _source_excerpt(exc))
    elif frames:
        last = frames[-1]
        origin = (last.filename, last.lineno or 0, (last.colno + 1) if last.colno is not None else 0, "")
    if origin and _in_no_file(origin[0]):
        if isinstance(exc, SyntaxError):  # it has no frame there: the stack says where in that code
            lines.insert(0, "    at %s:%d" % origin[:2] + (":%d" % origin[2] if origin[2] else ""))
        origin = ("", 0, 0, origin[3])
    name = _own_attribute(exc, "_polyhost_type") or type(exc).__qualname__
    return name, _message(exc), "\n".join(lines), origin


def _in_no_file(filename):
    """Whether FILENAME names code that is in no file: "<python.exec>", "<frozen importlib._bootstrap>"."""
    return filename.startswith("<") and filename.endswith(">")


def _merge_stack(stack, lines_accounted, exc, shown):
    """A JavaScript error that crossed into Python and comes back: its stack text with the Python
    frames it went through (EXC's traceback, without the SHOWN entries at its end that the stack
    has already) written in after the first LINES_ACCOUNTED frame lines. Returns (new stack,
    number of lines added)."""
    frames = _frames(exc.__traceback__)
    if shown:
        frames = frames[:-shown] if shown < len(frames) else []
    added = _stack_lines(frames)
    if not added or not isinstance(stack, str):
        return stack, 0
    # V8 shows the call of a proxy of a Python object as a frame of its own: the Python frames
    # take its place.
    lines = [line for line in stack.split("\n") if line not in _PROXY_CALL_FRAMES]
    first = next((i for i, line in enumerate(lines) if line.startswith("    at ")), len(lines))
    at = min(first + lines_accounted, len(lines))
    return "\n".join(lines[:at] + added + lines[at:]), len(added)
