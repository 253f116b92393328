"""CLI cases for `polyhost exec` and `polyhost --version`, run by ctest (one test per case).

Usage: exec_cases.py POLYHOST FIXTURES CASE    (or --list to print the case names)
Each case gives the arguments, the exit status, and text that stdout / stderr must contain
(strings) or match (compiled regular expressions), and text that must be absent.
"""
import os
import re
import subprocess
import sys
import urllib.parse

import driver

R = re.compile

CASES = {
    "version": dict(args=["--version"], status=0,
                    stdout=[R(r"^polyhost \d+\.\d+\.\d+$", re.M), R(r"^V8 10\.2\.\d+", re.M), R(r"^Python 3\.11\.\d+", re.M)]),
    "both_engines_in_order": dict(
        args=["exec", "{f}/hello.js", "{f}/hello.py", "--", "x", "y"], status=0,
        stdout=[R(r"hello from JavaScript 2\n(.*\n)*hello from Python 2"), "args: x,y\nnow is",
                "{ a: 1, b: 'two', c: [ 1, 2, 3 ], d: { e: null } }", "main: __main__"]),
    "console_shows_buffers_and_views": dict(
        args=["exec", "{f}/console_shapes.js"], status=0,
        stdout=["ArrayBuffer { [Uint8Contents]: <00 00 00 00>, byteLength: 4 }\n",
                "DataView {\n  byteLength: 1,\n  byteOffset: 1,\n  buffer: ArrayBuffer { [Uint8Contents]: <00 00>, byteLength: 2 }\n}\n",
                "Uint8Array(2) [ 1, 2 ] Map(1) { 1 => 'a' } Set(1) { 1 }\n",
                "... 20 more bytes>,\n  byteLength: 120\n}",
                "ArrayBuffer { (detached), byteLength: 0 }\n", "ArrayBuffer {} DataView {}\n"],
        absent_stdout=["DataView(undefined)"]),
    "one_process": dict(args=["exec", "{f}/hello.js", "{f}/same_process.py"], status=0,
                        stdout=["libnode mapped here: True"]),
    "commonjs_graph": dict(args=["exec", "{f}/cjs/main.js"], status=0,
                           stdout=["a.value = a+b ; b.sawPartialA = true", "data = fixture 3",
                                   "cached: true loads of a: 1", "filename: true", "main is this module: true"]),
    "es_module_graph": dict(args=["exec", "{f}/esm/main.mjs"], status=0,
                            stdout=["square(7) = 49 PI = 3.14", "cjs default: commonjs named: 42",
                                    "esm .js default: from an ES module in a .js file", "meta: true true",
                                    "dynamic import: 9"]),
    "python_package": dict(args=["exec", "{f}/py/main.py"], status=0, stdout=["package: mypkg 15 hello py"]),
    "js_finalizer_error_is_uncaught": dict(args=["exec", "--v8-flag=--expose-gc", "{f}/errors/finalizer_throws.js"], status=1,
                                           stdout=["after gc"],
                                           stderr=[R(r"^\S*/errors/finalizer_throws\.js:5:9: Error: cleanup of the token failed$", re.M),
                                                   R(r"    at \S*/errors/finalizer_throws\.js:5:9")]),
    "js_uncaught_error": dict(args=["exec", "{f}/errors/throw.js"], status=1,
                              stderr=[R(r"^\S*/errors/throw\.js:2:9: TypeError: bad thing$", re.M),
                                      R(r"at inner \(\S*/throw\.js:2:9\)")],
                              absent_stderr=["prelude"]),
    "py_uncaught_error": dict(args=["exec", "{f}/errors/throw.py"], status=1,
                              stderr=[R(r"^\S*/errors/throw\.py:2:12: ZeroDivisionError: division by zero$", re.M),
                                      "Traceback (most recent call last)", 'line 5, in <module>'],
                              absent_stderr=["prelude"]),
    "js_syntax_error": dict(args=["exec", "{f}/errors/syntax.js"], status=1,
                            stderr=[R(r"^\S*/errors/syntax\.js:2:9: SyntaxError: Unexpected token ';'$", re.M)]),
    "py_syntax_error": dict(args=["exec", "{f}/errors/syntax.py"], status=1,
                            stderr=[R(r"^\S*/errors/syntax\.py:2:12: SyntaxError: invalid syntax$", re.M)]),
    "top_level_await_rejection": dict(args=["exec", "{f}/errors/reject.mjs"], status=1,
                                      stderr=[R(r"reject\.mjs:1:\d+: RangeError: rejected at top level")]),
    "static_import_of_broken_module": dict(args=["exec", "{f}/errors/imports_broken.mjs"], status=1,
                                           stderr=[R(r"^\S*/errors/broken_module\.mjs:2:22: SyntaxError: Unexpected token ';'$", re.M)],
                                           absent_stdout=["never printed"]),
    # A JSON file that is not JSON is located in itself, imported or required.
    "imported_bad_json_is_located": dict(args=["exec", "{f}/errors/imports_bad_json.mjs"], status=1,
                                         stderr=[R(r"^\S*/errors/bad_data\.json:3:19: SyntaxError: Unexpected token , in JSON", re.M)],
                                         absent_stdout=["never printed"]),
    "required_bad_json_is_located": dict(args=["exec", "{f}/errors/requires_bad_json.js"], status=1,
                                         stderr=[R(r"^\S*/errors/bad_data\.json:3:19: SyntaxError: Unexpected token , in JSON", re.M)],
                                         absent_stdout=["never printed"]),
    "thrown_object_is_shown_as_json": dict(args=["exec", "{f}/errors/throw_object.js"], status=1,
                                           stderr=[R(r"throw_object\.js:2:1: Uncaught: \{\"code\":7,\"reason\":\"not an Error\"\}")]),
    "exception_with_broken_str_keeps_its_location": dict(
        args=["exec", "{f}/errors/broken_str.py"], status=1,
        stderr=[R(r"broken_str\.py:6:1: Odd: <str\(\) of the exception failed: ValueError: no text for you>")]),
    "directory_is_usage_error": dict(args=["exec", "{f}/errors"], status=2, stderr=["is a directory, not a script"]),
    "bad_package_json_is_named": dict(args=["exec", "{f}/errors/requires_bad_package.js"], status=1,
                                      stderr=[R(r"SyntaxError: Invalid package config \S*/errors/bad_package/package\.json: ")]),
    "stops_at_first_error": dict(args=["exec", "{f}/errors/throw.js", "{f}/hello.py"], status=1,
                                 absent_stdout=["hello from Python"]),
    "js_process_exit_status": dict(args=["exec", "{f}/errors/exit3.js"], status=3,
                                   stdout=["before exit"], absent_stdout=["never printed"]),
    "py_sys_exit_status": dict(args=["exec", "{f}/errors/exit4.py"], status=4, stdout=["before exit"]),
    "py_sys_exit_with_an_unprintable_code": dict(args=["exec", "{f}/errors/exit_with_broken_str.py"], status=1,
                                                 stdout=["before exit"], stderr=[R(r"\A\n\Z")]),
    "missing_file_is_usage_error": dict(args=["exec", "{f}/hello.js", "{f}/does-not-exist.py"], status=2,
                                        stderr=["does-not-exist.py: no such file"], absent_stdout=["hello"]),
    "unknown_extension_is_usage_error": dict(args=["exec", "{f}/cjs/lib/data.json"], status=2,
                                             stderr=["unknown extension '.json'"]),
    "unknown_v8_flag_is_usage_error": dict(args=["exec", "--v8-flag", "--no-such-flag", "{f}/hello.js"], status=2,
                                           stderr=["V8 does not know the flag --no-such-flag"], absent_stdout=["hello"]),
    "v8_heap_flag_is_usage_error": dict(args=["exec", "--v8-flag", "--max-old-space-size=20", "{f}/hello.js"], status=2,
                                        stderr=["--max-old-space-size=20: the JavaScript heap's limit is polyhost's --max-heap"],
                                        absent_stdout=["hello"]),
    "v8_heap_flag_with_one_dash_is_usage_error": dict(args=["exec", "--v8-flag=-max_old_space_size=30", "{f}/hello.js"], status=2,
                                                      stderr=["-max_old_space_size=30: the JavaScript heap's limit is polyhost's --max-heap"],
                                                      absent_stdout=["hello"]),
    # Each --v8-flag takes one value: the scripts after it are scripts, not more flags.
    "v8_flag_takes_one_value": dict(args=["exec", "--v8-flag=--expose-gc", "{f}/hello.js", "{f}/hello.py"], status=0,
                                    stdout=[R(r"hello from JavaScript 2\n(.*\n)*hello from Python 2")]),
    "v8_flag_repeated_before_the_scripts": dict(
        args=["exec", "--v8-flag", "--expose-gc", "--v8-flag", "--jitless", "{f}/hello.js", "{f}/hello.py"], status=0,
        stdout=[R(r"hello from JavaScript 2\n(.*\n)*hello from Python 2")]),
    "timeout_must_be_finite": dict(args=["exec", "--timeout", "nan", "{f}/hello.js"], status=2,
                                   stderr=["--timeout: expected a number of seconds"], absent_stdout=["hello"]),
    "negative_timeout_is_usage_error": dict(args=["exec", "--timeout", "-1", "{f}/hello.js"], status=2,
                                            stderr=["--timeout: expected a number of seconds >= 0"]),
    "zero_heap_is_usage_error": dict(args=["exec", "--max-heap", "0", "{f}/hello.js"], status=2,
                                     stderr=["--max-heap: expected a whole number of MB from 16"]),
    "timeout_bounds_a_thread_that_outlives_the_script": dict(
        args=["exec", "--timeout", "0.5", "{f}/errors/thread_outlives_script.py"], status=124, stdout=["script done"],
        stderr=["the script's threads were still running 5.5 s after it ended (--timeout 0.5 s); exiting"]),
    "timeout_bounding_threads_keeps_the_scripts_status": dict(
        args=["exec", "--timeout", "0.5", "{f}/errors/thread_outlives_exit3.py"], status=3,
        stderr=["the script's threads were still running 5.5 s after it ended"]),
    "unknown_command_is_named": dict(args=["bench"], status=2, stderr=["unknown command 'bench'; give a command first (exec, run,"]),
    "unknown_leading_option_is_named": dict(args=["--bogus"], status=2, stderr=["unknown option '--bogus'"]),
    "unknown_option_of_a_command_is_named": dict(args=["exec", "--version"], status=2,
                                                 stderr=["polyhost exec: unknown option '--version'", "./NAME"],
                                                 absent_stderr=["files is required"]),
    "unknown_option_of_compare_is_named": dict(args=["compare", "--bogus"], status=2,
                                               stderr=["polyhost compare: unknown option '--bogus'"],
                                               absent_stderr=["is required", "./NAME"]),
    "export_in_cjs_is_a_syntax_error": dict(args=["exec", "{f}/errors/export_in_cjs.cjs"], status=1,
                                            stderr=[R(r"export_in_cjs\.cjs:2:1: SyntaxError: Unexpected token 'export'")],
                                            absent_stderr=["require() of ES Module", "prelude.js"]),
    "frameless_error_printed_once": dict(args=["exec", "{f}/errors/imports_missing.mjs"], status=1,
                                         stderr=[R(r"\A\S*imports_missing\.mjs:1:15: Error: Cannot find module '\./no_such_module\.mjs' "
                                                   r"imported from \S*imports_missing\.mjs\n\Z")]),
    "no_subcommand_is_usage_error": dict(args=[], status=2, stderr=["subcommand"]),
}


def import_meta_url_is_percent_encoded(polyhost, fixtures, tmp, problems):
    """import.meta.url of a module in a folder whose name a URL must encode, as node's
    pathToFileURL writes it; a file: URL made from it imports the file it names."""
    folder = os.path.join(tmp, "sp ace #%?\u00fc~")
    os.makedirs(folder)
    with open(os.path.join(folder, "m.mjs"), "w", encoding="utf-8") as f:
        f.write("console.log(import.meta.url);\n"
                "const other = await import(import.meta.url.replace(/m\\.mjs$/, 'other.mjs'));\n"
                "console.log(other.default);\n")
    with open(os.path.join(folder, "other.mjs"), "w", encoding="utf-8") as f:
        f.write("export default 'other loaded';\n")
    proc = subprocess.run([polyhost, "exec", os.path.join(folder, "m.mjs")], capture_output=True, text=True, timeout=60)
    want = "file://" + urllib.parse.quote(tmp) + "/sp%20ace%20%23%25%3F%C3%BC%7E/m.mjs\nother loaded\n"
    if proc.returncode != 0 or proc.stdout != want:
        problems.append("exit status %d and stdout %r, expected 0 and %r" % (proc.returncode, proc.stdout, want))
    return proc


def check(case):
    """A driver case: run polyhost with CASE's arguments and check its status and output."""
    def run(polyhost, fixtures, tmp, problems):
        args = [a.replace("{f}", fixtures) for a in case["args"]]
        proc = subprocess.run([polyhost] + args, capture_output=True, text=True, timeout=60)
        if proc.returncode != case["status"]:
            problems.append("exit status %d, expected %d" % (proc.returncode, case["status"]))
        for stream in ("stdout", "stderr"):
            text = getattr(proc, stream)
            for want in case.get(stream, []):
                found = want.search(text) if hasattr(want, "search") else want in text
                if not found:
                    problems.append("%s lacks %r" % (stream, getattr(want, "pattern", want)))
            for unwanted in case.get("absent_" + stream, []):
                if unwanted in text:
                    problems.append("%s contains %r" % (stream, unwanted))
        if problems:
            print("$ polyhost " + " ".join(args))
        return proc
    return run


CASES["import_meta_url_is_percent_encoded"] = import_meta_url_is_percent_encoded

if __name__ == "__main__":
    sys.exit(driver.main({name: case if callable(case) else check(case) for name, case in CASES.items()}))
