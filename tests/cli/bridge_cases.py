"""CLI cases for the JavaScript/Python bridge (host/bridge), run by ctest: `polyhost exec` on the
fixtures in fixtures/bridge/, one test per case.

Usage: bridge_cases.py POLYHOST FIXTURES CASE    (or --list to print the case names)
Each case gives the arguments, the exit status, and text that stdout / stderr must contain
(strings) or match (compiled regular expressions, searched in the whole text), and text that
must be absent.
"""
import os
import re
import signal
import subprocess
import sys

import driver

R = re.compile
B = "{f}/bridge/"
EXEC = ["exec"]
GC = ["--v8-flag", "--expose-gc"]

CASES = {
    # 1. JavaScript sees Python.
    "js_sees_python": dict(
        args=EXEC + [B + "js_sees_python.js"], status=0,
        stdout=["import: origin 7 /", "call + kw: 3 4 a 5 1", "attribute write: 10 Point(6, 8, label='a')",
                "method: 7 10 a'", "callables are functions: true 6 9 11 false", "keywords only: a='x', b=2",
                "kw misplaced: TypeError: python.kw(...) must be the last argument of the call | "
                "TypeError: python.kw(names): give the keyword arguments as a plain object | "
                "TypeError: python.kw(names): give the keyword arguments as a plain object | a='p', b=1",
                "kw keys: TypeError: python.kw(names): the key Symbol(x) is a Symbol, and a keyword's name is a string "
                "(only own enumerable string keys are passed) |  | a=1", "items: 10 30 undefined 3",
                "after writes: [10, 21, 30, 40] 4", "dict: 1 2 3 one,two,three dflt",
                "for...of: 3 2 1 one two three 1a 2b", "spread: 0,1,2,3 x", "callback: 42 9",
                "python returns a function: 21", "identity: true true true",
                "typeof: function object object false true", "inspect: Point(6, 8, label='a') [10, 21, 30, 40]",
                "exec + eval: 42 40"]),
    "import_from_files_in_two_folders_taking_turns": dict(
        args=EXEC + [B + "sys_path/a/main.js"], status=0,
        stdout=["growth after 1000 turns: 1 ; a: 1 b: 1", "after b imports: true", "after a imports, where it was: true",
                "b finds: b"]),
    # A JavaScript library's python.import leaves its folder last on sys.path, not before the
    # Python script's own folder.
    "python_import_from_a_library_leaves_the_script_folder_first": dict(
        args=EXEC + [B + "sys_path/py_main/main.py"], status=0,
        stdout=["the library's import: b\n", "the script's import: py_main\n",
                "the script's folder first, the library's last: True True\n",
                "a later import in the library's module finds its sibling: b\n"]),
    "copies_of_maps_and_sets_lose_no_entry": dict(
        args=EXEC + [B + "copy_keys.py"], status=0,
        stdout=["set 1 true -> ValueError: copy: the Set's values 1 and true (entries 1 and 2) are the same in Python "
                "(1 and True): a set would keep one of the two, so the Set is not copied; use its proxy instead",
                "map 1 true -> ValueError: copy: the Map's keys 1 and true (entries 1 and 2) are the same in Python "
                "(1 and True): a dict would keep one entry of the two",
                "map 1 1n -> ValueError: copy: the Map's keys 1 and 1n (entries 2 and 3)",
                "map null undefined -> ValueError: copy: the Map's keys null and undefined (entries 1 and 2) are the "
                "same in Python (None and None)",
                "map 2**53 -> ValueError: copy: the Map's keys 9007199254740992 and 9007199254740992n",
                "map buffers -> ValueError: copy: the Map's keys a JavaScript ArrayBuffer and a JavaScript ArrayBuffer "
                "(entries 1 and 2) are the same in Python (b'ab' and b'ab')",
                "map array key -> TypeError: copy: the Map's key at entry 2, a JavaScript Array, becomes the Python list "
                "[1, 2], which cannot be a dict key (unhashable type: 'list'), so the Map cannot be copied to a dict; "
                "use its proxy instead",
                "set object -> TypeError: copy: the Set's value at entry 1, a JavaScript Object, becomes the Python dict "
                "{'a': 1}, which cannot be in a set",
                "nested -> ValueError: copy: the Set's values 0 and false",
                "distinct keys: [(\"'1'\", 'b'), ('1', 'a'), ('1.5', 'e'), ('<js [Function: f]>', 'd'), ('None', 'c')]",
                "set: ['1', 0.5, 1, 18446744073709551616, None]"]),
    "python_classes_in_js": dict(
        args=EXEC + [B + "python_classes_in_js.js"], status=0,
        stdout=["instanceof: true true false true false false true false", "names: Point Base free bound free",
                "extends: TypeError: the Python class Point has no JavaScript prototype, so a JavaScript class cannot "
                "extend it; subclass it in Python (python.exec)", "construct still works: 7 8 9"]),
    "in_operator_lets_errors_other_than_attribute_error_cross": dict(
        args=EXEC + [B + "in_operator.js"], status=0,
        stdout=["present: true", "missing: false", "other error: threw ValueError: getattr x",
                "property: threw KeyError: 'broken property'", "hasOwnProperty: threw ValueError: getattr x",
                "dict: true false"]),
    "enumerating_a_python_object_throws_what_a_lookup_raises": dict(
        args=EXEC + [B + "enumerating_keys.js"], status=0,
        stdout=["Object.keys: threw ValueError: descriptor get", "for...in: threw ValueError: descriptor get",
                "getOwnPropertyNames: threw ValueError: descriptor get", "entries: threw ValueError: descriptor get",
                "then a call: 2, after, no error", "AttributeError leaves the name out: shown, in shown, after, no error",
                "in after keys: 1, false, true, threw RuntimeError: getattr x",
                "flaky: every_other_read_raises reads, 4, after, no error"]),
    "dict_keys_that_look_like_indices": dict(
        args=EXEC + [B + "dict_index_keys.js"], status=0,
        stdout=["read: OK Not Found 1 200 404 x", "in: true true false true",
                'spread: {"200":"OK","404":"Not Found","x":1}', 'entries: [["200","OK"],["404","Not Found"],["x",1]]',
                "written: {'200': 'Fine', '404': 'Not Found', 'x': 1, 7: 'new'}",
                "deleted: {'200': 'Fine', 'x': 1, 7: 'new'} true", "int key first: int true str true undefined false",
                "list: b true false undefined"]),
    "mapping_index_keys_are_int_then_str_keys": dict(
        args=EXEC + [B + "mapping_index_keys.js"], status=0,
        stdout=["mappingproxy: five seven true false undefined", "chainmap: C d true ChainMap({9: 'new'}, {4: 'd'})",
                "own mapping: TEN true false true {'10': 'TEN'}", "sequence: 3 5 undefined true false",
                "refuses int keys: str five str five true undefined [5, '5', 5, '5', 5, '5', 6, '6']",
                "keys of a mapping: []", "mapping and sequence: a b true false"]),
    "dict_subclass_index_keys_do_not_run_missing": dict(
        args=EXEC + [B + "dict_subclass_index_keys.js"], status=0,
        stdout=['defaultdict: [["3",30]] 30 undefined true defaultdict(<class \'int\'>, {\'3\': 30})',
                "Counter: 3 3 true undefined Counter({'5': 3})",
                "written, deleted: defaultdict(<class 'int'>, {'3': 31}) Counter()",
                "subclass __getitem__: traced five undefined traced n undefined ['5', 'name']",
                "defaultdict by name: 1 undefined true",
                "subclass by name, written and deleted: {'b': 'BEE'} [('set', 'b'), ('del', 'a')]"]),
    "enumeration_reads_once_and_forgets_at_the_next_crossing": dict(
        args=EXEC + [B + "enumeration_reads_and_forgets.js"], status=0,
        stdout=["reads: keys 1 for-in 1 entries 3 spread 3", "listed: fail,p",
                "'p' in s after keys: threw ValueError p now raises",
                "hasOwnProperty after keys: threw ValueError p now raises", "in right after keys: true"]),
    "index_like_attribute_names_are_attributes": dict(
        args=EXEC + [B + "index_like_attributes.js"], status=0,
        stdout=['read: ["5","x"] five five undefined true false {"5":"five","x":1}',
                'namespace: seven [["7","seven"]]', "written, deleted: 6,x six false true",
                "list unchanged: 1 undefined false", "classes: list[5] five"]),
    # 2. Python sees JavaScript.
    "python_sees_js": dict(
        args=EXEC + [B + "python_sees_js.py"], status=0,
        stdout=["globals: 5 42 9007199254740991", "require + new: square 9 3 True",
                "require resolution: square JSError JSError JSError TypeError", "attribute write: 25 absent True",
                "items: 10 4 4 True False [10, 2, 3, 4]", "object: 1 True None three ['a', 'c', 'nested'] True",
                "Map/Set: 1 2 2 3 True [1, 2, 3] ['j', 'k']", "byte lengths: 3 5", "iteration: ['x', 'y'] ['a', 'b']",
                "callbacks: [10, 20, 30] HI", "this: 4 1-2-3", "keywords refused: JavaScript functions take no keyword",
                "identity: True True True", "repr/str: <js [ 1, 'a' ]> 1,a"]),
    "refused_write_from_python_is_located_at_the_python_line": dict(
        args=EXEC + [B + "refused_write_location.py"], status=1,
        stderr=["refused_write_location.py:6:1: TypeError: Cannot assign to read only property 'a'",
                "polyhost.JSError: TypeError"],
        absent_stderr=["<unknown>", "<anonymous>", "prelude"]),
    "refused_write_called_from_js_shows_no_runtime_frame": dict(
        args=EXEC + [B + "refused_write_from_js.js"], status=1,
        stderr=["at write (<python.exec>:3:5)", "refused_write_from_js.js:8:"],
        absent_stderr=["<unknown>", "<anonymous>:1", "prelude"]),
    "deleting_a_negative_index_counts_from_the_end": dict(
        args=EXEC + [B + "negative_index_deletes.py"], status=0,
        stdout=["del a[-1]: keys ['0', '1'] length 3", "del a[-4]: IndexError JavaScript array index out of range",
                "del frozen[-1]: TypeError Cannot delete property '1' of #<Array>"]),
    "writes_js_refuses_raise_type_error_as_in_strict_mode": dict(
        args=EXEC + [B + "strict_writes.py"], status=0,
        stdout=[
                "setattr frozen: TypeError: Cannot assign to read only property 'a' of object '#<Object>' | 1",
                'new attribute frozen: TypeError: Cannot add property b, object is not extensible | False',
                "delattr frozen: TypeError: Cannot delete property 'a' of #<Object> | 1",
                "setitem frozen: TypeError: Cannot assign to read only property 'a' of object '#<Object>' | 1",
                "delitem frozen: TypeError: Cannot delete property 'a' of #<Object> | 1",
                "setitem frozen array: TypeError: Cannot assign to read only property '0' of object '[object Array]' | [1, 2]",
                "delitem frozen array: TypeError: Cannot delete property '1' of #<Array> | [1, 2]",
                'append to frozen array: TypeError: Cannot add property 2, object is not extensible | 2',
                "non-writable: TypeError: Cannot assign to read only property 'r' of object '#<Object>' | 1",
                "non-configurable delete: TypeError: Cannot delete property 'r' of #<Object> | 1",
                'getter without setter: TypeError: Cannot set property g of #<Object> which has only a getter | got',
                "Proxy set trap false: TypeError: 'set' on proxy: trap returned falsish for property 'p' | False",
                "Proxy delete trap false: TypeError: Cannot delete property 'p' of #<Object> | -",
                'sealed, existing: wrote | 5',
                'sealed, new: TypeError: Cannot add property t, object is not extensible | False',
                'plain: wrote | {"y":2}',
                'missing delete: wrote | -']),
    # 3. Values: by value, by proxy, copies and zero-copy views, both ways.
    "values_from_js": dict(
        args=EXEC + [B + "values.js"], status=0,
        stdout=["to Python: NoneType:None NoneType:None bool:True int:0 float:-0.0 int:42 int:9007199254740992 "
                "float:9007199254740994.0 float:0.5 float:nan float:-inf int:12345678901234567890 int:-5",
                "strings: str:'héllo' str:'😀' str:'\\ud800' 2",
                "from Python: object:null boolean:true bigint:1180591620717411303424 bigint:-18446744073709551616 "
                "number:9007199254740992 number:1.5 string:😀 number:1",
                "round trips: true true 7 true true true", "identity of JS values through Python: true true 1",
                "identity of Python values through JS: true",
                'python.copy: true [1,[2,3],{"k":[4,5]}] true 2 true', "cycle kept: true",
                "buffer copies: Float64Array 2.5 Uint8Array", "JS memory written by Python: 99.5 d",
                "Python memory written by JS: b'Abc' Uint8Array Int32Array",
                "read-only refused: TypeError view: this bytes is read-only"]),
    "values_from_python": dict(
        args=EXEC + [B + "values.py"], status=0,
        stdout=["to JavaScript: object:null boolean:true number:7 number:0(-0) number:9007199254740992 "
                "bigint:9007199254740993 bigint:1208925819614629174706176 bigint:-1180591620717411303424 number:0.25 "
                "string:é😀",
                "from JavaScript: [None, None, False, 3, 3.5, 9007199254740992, 18446744073709551616, '😀']",
                "identity of Python values through JS: True True True",
                "polyhost.copy: [1, {'y': 2}] {'a': 1} {1} [5, 6] JSObject 5", "cycle kept: True",
                "JS memory from Python: d [1.0, 2.0, 30.5] 30.5 33.5",
                "Python memory from JS: [0.5, 42.0] Float64Array", "read-only refused: view: this bytes is read-only"]),
    # Each buffer format's typed array, as the README lists them; bytes for the others.
    "views_and_copies_of_buffers_take_the_typed_array_of_their_format": dict(
        args=EXEC + [B + "view_formats.js"], status=0,
        stdout=["b: Int8Array(16) Int8Array(16)\nB: Uint8Array(16) Uint8Array(16)\nc: Uint8Array(16) Uint8Array(16)\n"
                "h: Int16Array(8) Int16Array(8)\nH: Uint16Array(8) Uint16Array(8)\ni: Int32Array(4) Int32Array(4)\n"
                "I: Uint32Array(4) Uint32Array(4)\nl: BigInt64Array(2) BigInt64Array(2)\n"
                "L: BigUint64Array(2) BigUint64Array(2)\nq: BigInt64Array(2) BigInt64Array(2)\n"
                "Q: BigUint64Array(2) BigUint64Array(2)\nn: BigInt64Array(2) BigInt64Array(2)\n"
                "N: BigUint64Array(2) BigUint64Array(2)\nf: Float32Array(4) Float32Array(4)\n"
                "d: Float64Array(2) Float64Array(2)\n?: Uint8Array(16) Uint8Array(16)\n"
                "P: BigUint64Array(2) BigUint64Array(2)\nw (array u): Uint8Array(8) Uint8Array(8)\n"
                ">i: Uint8Array(8) Uint8Array(8)\nstruct: Uint8Array(16) Uint8Array(16)\n"]),
    "ints_written_into_typed_arrays_take_the_element_type": dict(
        args=EXEC + [B + "typed_array_items.py"], status=0,
        stdout=[
                'BigInt64Array: 5 -9223372036854775808 7 1 -1',
                'BigUint64Array: 18446744073709551615 18446744073709551615',
                'Float64Array: 1.1805916207174113e+21 -9007199254740992 inf',
                'Int8Array: 44 0',
                'Uint8ClampedArray: 255',
                'a float into a BigInt64Array: TypeError: Cannot convert 1.5 to a BigInt',
                'named by a str: 5 1.1805916207174113e+21 5', "'01' is a property: 5 0 2"]),
    # 4. Errors, both ways, caught and uncaught, crossing twice, from callbacks.
    "python_error_caught_in_js": dict(
        args=EXEC + [B + "errors_py_in_js.js"], status=0,
        stdout=["caught: true ZeroDivisionError division by zero", "python frames: true js frame: true",
                "exception object: division by zero ArithmeticError",
                "ValueError: ValueError invalid literal for int() with base 10: 'x1'",
                "RecursionError: RecursionError true", "import: ModuleNotFoundError No module named 'no_such_module_here'",
                R(r"ZeroDivisionError: division by zero \|     at divide \(\S*/bridge/risky\.py:3:12\) \|     "
                  r"at e_stack \(\S*/bridge/errors_py_in_js\.js:27:\d+\)")]),
    "js_error_caught_in_python": dict(
        args=EXEC + [B + "errors_js_in_py.py"], status=0,
        stdout=["caught: TypeError | cannot use bad input | True TypeError", "js stack: True",
                "traceback: [('<module>', 7), ('fail', 3)]",
                "TypeError: TypeError Cannot read properties of null (reading 'x')",
                'non-Error: Uncaught {"code":7} 7', "stack overflow: JSRecursionError RangeError True"]),
    "python_error_crossing_twice_keeps_all_frames": dict(
        args=EXEC + [B + "crossing_twice.py"], status=1,
        stderr=[R(r"^\S*/bridge/risky\.py:3:12: ZeroDivisionError: division by zero$", re.M),
                R(r'File "\S*/bridge/crossing_twice\.py", line 13, in <module>\n(.*\n)*'
                  r'  File "\S*/bridge/crossing_twice\.py", line 10, in main\n(.*\n)*'
                  r'  File "\S*/bridge/relay\.js", line 4, in relay\n    return risky\.divide\(1, divisor\);\n'
                  r'  File "\S*/bridge/risky\.py", line 3, in divide\n')],
        absent_stderr=["polyhost:", "JSError"]),
    "js_error_crossing_twice_keeps_all_frames": dict(
        args=EXEC + [B + "crossing_twice.js"], status=1,
        stderr=[R(r"^\S*/bridge/crossing_twice\.js:4:9: TypeError: refused 42$", re.M),
                R(r"    at thrower \(\S*/crossing_twice\.js:4:9\)\n    at call_back \(\S*/bridge/risky\.py:11:12\)\n"
                  r"    at main \(\S*/crossing_twice\.js:7:\d+\)")],
        absent_stderr=["<anonymous> (<anonymous>)"]),
    "js_error_crossing_three_times_keeps_all_frames": dict(
        args=EXEC + [B + "js_error_three_crossings.py"], status=1,
        stderr=[R(r"^\S*/bridge/relay_and_throw\.js:4:40: TypeError: thrown at the top$", re.M),
                R(r'File "\S*/js_error_three_crossings\.py", line 16, in <module>\n(.*\n)*'
                  r'  File "\S*/js_error_three_crossings\.py", line 13, in main\n(.*\n)*'
                  r'  File "\S*/relay_and_throw\.js", line 3, in relay\n.*\n'
                  r'  File "\S*/js_error_three_crossings\.py", line 9, in middle\n(.*\n)*'
                  r'  File "\S*/relay_and_throw\.js", line 4, in boom\n')]),
    "errors_crossing_back_are_the_same_object_in_python": dict(
        args=EXEC + [B + "errors_keep_identity.py"], status=0,
        stdout=["JSError: True added in middle ['<module>', 'relay', 'middle', 'boom']",
                "its stack: Object.boom < middle < Object.relay",
                "thrown string: 'a plain string' ['<module>', 'relay', 'middle_of_a_string', 'throwString']",
                "Python exception: True ['<module>', 'relay', 'python_middle', 'relay', 'raiser']",
                "JSErrors alive: 0", "JSErrors alive inside one long call, at most 8: True"]),
    "errors_crossing_back_are_the_same_object_in_js": dict(
        args=EXEC + [B + "errors_keep_identity.js"], status=0,
        stdout=["same Error: true added in middle",
                R(r"ValueError: raised at the top\n    at raiser \(\S*/bridge/crossings\.py:3:5\)\n"
                  r"    at middle \(\S*/errors_keep_identity\.js:7:\d+\)\n    at relay \(\S*/bridge/crossings\.py:7:12\)\n"
                  r"    at Object\.<anonymous> \(\S*/errors_keep_identity\.js:15:\d+\)")]),
    "hostile_exception_keeps_its_message_and_frames": dict(
        args=EXEC + [B + "hostile_exception.py"], status=1,
        stdout=[R(r"^in JavaScript: WeirdExc: weird \|     at raise_weird \(\S*/hostile_exception\.py:12:5\)$", re.M)],
        stderr=[R(r"^\S*/hostile_exception\.py:12:5: WeirdExc: weird\nTraceback \(most recent call last\):\n(.*\n)*"
                  r'  File "\S*/hostile_exception\.py", line 12, in raise_weird\n.*\nWeirdExc: weird$', re.M)]),
    "python_syntax_error_uncaught_in_js_shows_its_line": dict(
        args=EXEC + [B + "python_syntax_error_in_js.js"], status=1,
        stderr=[R(r"^\S*/python_syntax_error_in_js\.js:2:8: SyntaxError: '\(' was never closed\nx = \(\n    \^\n"
                  r"SyntaxError: '\(' was never closed\n    at <python\.exec>:1:5\n"
                  r"    at Object\.<anonymous> \(\S*/python_syntax_error_in_js\.js:2:8\)", re.M)]),
    # An error raised in code of no file is located where JavaScript called Python; an import's
    # error has no frames of importlib's own, as a failed `import` shows none.
    "failed_python_import_is_located_at_the_js_call": dict(
        args=EXEC + [B + "python_code_errors.js", "--", "missing_module"], status=1,
        stderr=[R(r"\A\S*/bridge/python_code_errors\.js:4:\d+: ModuleNotFoundError: No module named 'no_such_module_anywhere'\n"
                  r"ModuleNotFoundError: No module named 'no_such_module_anywhere'\n    at Object\.<anonymous> \(\S*/python_code_errors\.js:4:\d+\)")],
        absent_stderr=["<frozen", "importlib"]),
    "module_raising_on_python_import_has_no_importlib_frames": dict(
        args=EXEC + [B + "python_code_errors.js", "--", "raising_module"], status=1,
        stderr=[R(r"\A\S*/bridge/raises_on_import\.py:2:1: ValueError: refused on import\nValueError: refused on import\n"
                  r"    at <module> \(\S*/raises_on_import\.py:2:1\)\n    at Object\.<anonymous> \(\S*/python_code_errors\.js:5:\d+\)")],
        absent_stderr=["<frozen", "importlib"]),
    "error_in_python_eval_code_is_located_at_the_js_call": dict(
        args=EXEC + [B + "python_code_errors.js", "--", "eval_code"], status=1,
        stderr=[R(r"\A\S*/bridge/python_code_errors\.js:8:3: KeyError: 3\nKeyError: 3\n    at <lambda> \(<python\.eval>:1:\d+\)\n"
                  r"    at Object\.<anonymous> \(\S*/python_code_errors\.js:8:3\)")],
        absent_stderr=["<string>"]),
    "js_eval_code_is_named_with_line_and_column": dict(
        args=EXEC + [B + "js_eval_error.py"], status=1,
        stderr=[R(r"^<eval>:2:8: TypeError: Cannot read properties of null \(reading 'x'\)$", re.M),
                'File "<eval>", line 2, in eval'],
        absent_stderr=["<unknown>"]),
    "js_eval_code_throwing_a_value_is_named_with_line_and_column": dict(
        args=EXEC + [B + "js_eval_throws_a_value.py"], status=1,
        stderr=[R(r"^<eval>:2:3: Custom: thrown object$", re.M), 'File "<eval>", line 2, in eval']),
    "fork_after_js_started_is_a_clear_error_in_the_child": dict(
        args=EXEC + [B + "fork_after_js.py"], status=0,
        stdout=["parent before: 4", "child python: 45",
                "child call RuntimeError: polyhost: JavaScript cannot be used in a process forked (os.fork) after it started",
                "child eval RuntimeError: polyhost: JavaScript cannot be used", "child stats RuntimeError: polyhost: JavaScript",
                "child status: 3", "child file: child data", "child thread finished", "child atexit ran",
                "pool RuntimeError: polyhost: JavaScript cannot be", "parent after: 10"],
        absent_stdout=["ran JavaScript"]),
    "fork_from_js_ends_the_child_before_it_returns_into_js": dict(
        args=EXEC + [B + "fork_from_js.js"], status=0,
        stdout=["returning child status: 1", "child ending in Python, status: 7", "child atexit ran\nchild calling sys.exit(5), status: 5",
                "child raising, status: 1", "child interrupted, status: 130"],
        absent_stdout=["child back in JavaScript"],
        stderr=["polyhost: a process forked (os.fork) while JavaScript was running cannot return into JavaScript",
                "ValueError: invalid literal for int() with base 10: 'not a number'"]),
    "delete_refused_by_python_throws": dict(
        args=EXEC + [B + "delete_refused.js"], status=0,
        stdout=["property: AttributeError: property 'p' of 'G' object has no deleter",
                "method: AttributeError: 'G' object has no attribute 'm'",
                "slot: AttributeError: 'tuple' object attribute 'count' is read-only", "missing: true",
                "property whose getter raises: AttributeError: property 'bad' of 'G' object has no deleter",
                "dict method: AttributeError: 'dict' object attribute 'keys' is read-only", "dict key: true",
                "dict subclass attribute: true", "unset slot: true",
                "inherited class attribute: AttributeError: type object 'C' has no attribute 'x'", "after: false 1",
                "instance attribute: true false; still there: true true"]),
    "objects_inheriting_from_a_proxy_print_as_its_python_object": dict(
        args=EXEC + [B + "inherits_from_proxy.js"], status=0,
        stdout=["inherited: 3 4 a P0 a P0\nP0()\nwrapped: a P0\nlist: 1,2,3\ninstanceof: true false true 3\nunwrapped: true false true"]),
    "js_iterator_left_early_by_python_is_closed": dict(
        args=EXEC + [B + "js_iterator_left_early.py"], status=0,
        stdout=["after break: ['finally']\nafter full loop: ['finally', 'finally']\nafter del: ['finally', 'finally', 'finally']",
                "array: [1]", "after failing cleanup", "next threw: Error: next failed",
                "log: ['finally', 'finally', 'finally']", "after odd returns"],
        stderr=["Exception ignored in: <js [Function: next]>", "polyhost.JSError: Error: cleanup failed",
                "TypeError: the JavaScript iterator's return is not a function",
                "TypeError: the JavaScript iterator's return() gave a non-object"]),
    "uncaught_python_error_in_js": dict(
        args=EXEC + [B + "uncaught_in_js.js"], status=1,
        stderr=[R(r"^\S*/bridge/risky\.py:7:12: ValueError: invalid literal for int\(\) with base 10: 'seven'$", re.M),
                R(r"    at parse \(\S*/bridge/risky\.py:7:12\)\n    at Object\.<anonymous> \(\S*/uncaught_in_js\.js:3:7\)")]),
    # A Python exception thrown as it is (e.pythonException, a proxy) prints as the Python error it
    # is, located where Python raised it, or where JavaScript threw it when it never was raised.
    "python_exception_thrown_as_is_prints_as_python_error": dict(
        args=EXEC + [B + "thrown_python_exception.js", "--", "rethrown"], status=1,
        stderr=[R(r"^\S*/json/decoder\.py:\d+:\d+: JSONDecodeError: Expecting property name enclosed in double quotes: "
                  r"line 1 column 2 \(char 1\)\nJSONDecodeError: .*\n    at raw_decode \(\S*/json/decoder\.py:\d+:\d+\)\n"
                  r"(    at .*\n)*    at \S*/thrown_python_exception\.js:6:\d+$", re.M)],
        absent_stderr=['{"args"']),
    "python_exception_never_raised_thrown_in_js": dict(
        args=EXEC + [B + "thrown_python_exception.js", "--", "never_raised"], status=1,
        stderr=[R(r"^\S*/thrown_python_exception\.js:7:\d+: ValueError: made, not raised\nValueError: made, not raised\n"
                  r"    at \S*/thrown_python_exception\.js:7:\d+$", re.M)],
        absent_stderr=["Uncaught", '{"args"']),
    "python_exception_rejected_unhandled": dict(
        args=EXEC + [B + "thrown_python_exception.js", "--", "rejected"], status=1,
        stderr=[R(r"^ValueError: \(unhandled Promise rejection\) rejected$", re.M)], absent_stderr=["Uncaught", '{"args"']),
    "python_exception_as_a_cause_prints_as_python_error": dict(
        args=EXEC + [B + "thrown_python_exception.js", "--", "cause"], status=1,
        stderr=[R(r"Error: wrapped\n    at .*\n  \[cause\]: JSONDecodeError: Expecting property name enclosed in double "
                  r"quotes: line 1 column 2 \(char 1\)\n      at raw_decode \(\S*/json/decoder\.py:\d+:\d+\)")],
        absent_stderr=['{"args"']),
    "uncaught_js_error_in_python": dict(
        args=EXEC + [B + "uncaught_in_python.py"], status=1,
        stderr=[R(r"^\S*/bridge/thrower\.js:3:9: TypeError: cannot use nothing$", re.M),
                R(r'File "\S*/uncaught_in_python\.py", line 5, in <module>\n(.*\n)*  File "\S*/thrower\.js", line 3, in fail'),
                "polyhost.JSError: TypeError: cannot use nothing"]),
    "python_generators_follow_the_iterator_protocol_in_js": dict(
        args=EXEC + [B + "python_generators_in_js.js"], status=0,
        stdout=["break: 1 ['finally']", "throw: 2 out", "destructuring: 1 3",
                'send: [{"value":"first","done":false},{"value":"got 7","done":false},{"value":"got x","done":false},'
                '{"value":"stopped","done":true},{"done":true}]',
                'no return value: [1] {"value":1,"done":false}', 'end without a value: {"done":true} true',
                'return(): {"value":5,"done":true} {"done":true} 4', "a list iterator has no return: undefined",
                'next(v) while delegating to a JS iterator: [{"value":"i2","done":false},{"done":true}]']),
    "a_circular_cause_prints_once": dict(
        args=EXEC + [B + "circular_cause.js"], status=1,
        stderr=[R(r"Error: me\n    at .*circular_cause\.js:2:\d+\)?\n  \[cause\]: \[Circular\]\n?$")]),
    "only_sequences_list_positions": dict(
        args=EXEC + [B + "no_phantom_positions.js"], status=0,
        stdout=["Color: [] false", 'Registry(): ["0","1"] true', 'Pair(): ["0","1"] true', 'Duck(): ["0","1"] true',
                '[5, 6]: ["0","1"] true']),
    "error_causes_cross_both_ways": dict(
        args=EXEC + [B + "error_causes.js"], status=1,
        stdout=["explicit: ValueError <- ZeroDivisionError division by zero false true",
                "implicit: RuntimeError <- KeyError 'k' false true",
                "suppressed: RuntimeError <- undefined undefined false false",
                "js causes in python: Error: outer <- JSError Error: middle, its own cause "
                "\"TypeError: Cannot read properties of null (reading 'x')\"",
                "a cause that is not an error: Error: e <- JSError Uncaught: 42, its own cause None",
                "a JS error as a Python cause is itself again: ValueError true",
                "a Python exception as a JS cause: ValueError pv",
                "round trip: the same exception: True, its cause: ZeroDivisionError"],
        stderr=[R(r"error_causes\.js:\d+:\d+: Error: uncaught\nError: uncaught\n    at .*\n"
                  r"  \[cause\]: ValueError: outer\n      at explicit \(<python\.exec>:10:9\)\n.*\n"
                  r"    \[cause\]: ZeroDivisionError: division by zero\n        at explicit \(<python\.exec>:7:9\)")]),
    "callback_that_throws_from_js": dict(
        args=EXEC + [B + "callback_throws.js"], status=0,
        stdout=["JS callback threw through Python: true RangeError from the callback",
                "its stack went through Python: true", "Python callback raised in JS: KeyError 1"]),
    "callback_that_raises_from_python": dict(
        args=EXEC + [B + "callback_throws.py"], status=0,
        stdout=["Python callback raised through JavaScript: LookupError no 1", "frames: ['<module>', 'bad']",
                "JavaScript caught LookupError: no x"]),
    # 5. Lifetimes and safety.
    "million_js_proxies_of_python_objects_are_released": dict(
        args=EXEC + GC + [B + "million_js_proxies.js"], status=0, timeout=600, memory=True,
        stdout=[R(r"made 1000000; Python objects still alive after gc: 0 \(before gc: \d+\); "
                  r"JavaScript proxies of Python objects: \d+;"), R(r"^ok$", re.M)]),
    "million_python_proxies_of_js_objects_are_released": dict(
        args=EXEC + GC + [B + "million_py_proxies.py"], status=0, timeout=600, memory=True,
        stdout=[R(r"made 1000000; Python proxies of JavaScript objects alive: \d; "), R(r"^ok$", re.M)]),
    "proxies_of_large_buffers_are_collected_as_their_memory_grows": dict(
        args=EXEC + [B + "buffer_proxies.py"], status=0, timeout=300, memory=True,
        stdout=["bytearray: 5000 proxies of 100 kB, RSS grew by under 200 MB", "bytes: 5000 proxies",
                "memoryview: 5000 proxies", "array.array: 5000 proxies", "still alive in JavaScript: True",
                R(r"^ok$", re.M)]),
    "views_of_a_large_buffer_held_elsewhere_are_not_counted_as_memory": dict(
        args=EXEC + ["--v8-flag", "--trace-gc", B + "views_of_a_large_buffer.py"], status=0,
        stdout=["views passed: 4000"], absent_stdout=["external memory pressure"]),
    "views_made_in_a_python_loop_give_their_buffers_back": dict(
        args=EXEC + [B + "views_made_in_a_python_loop.py"], status=0, timeout=300,
        stdout=["views made: 200000", R(r"^bounded$", re.M)]),
    "one_way_handoffs_do_not_pile_up": dict(
        args=EXEC + [B + "one_way_handoffs.py"], status=0, timeout=600,
        stdout=[R(r"^long strs read by JavaScript: 1500; most alive at once: \d+$", re.M), R(r"^ok$", re.M)]),
    "edge_cases_of_js_using_python": dict(
        args=EXEC + [B + "edge_cases.js"], status=0,
        stdout=["next on a list: TypeError: next() needs a Python iterator as `this`",
                "next on a plain object: TypeError: this function belongs to proxies of Python objects",
                "lone surrogate key, then a call: undefined 2",
                'Python message in JavaScript: "a\\u0000b" true', 'Python message in JavaScript: "x\\ud800y" true',
                "kw with an index-like name: ((1,), {'0': 1, 'b': 2})", "kw of a Python dict: ((), {'a': 3})",
                "kw of a Python dict with an int key: TypeError: keywords must be strings",
                'JSON of Python containers: {"l":[1,[2,null],{"k":[3]}]}', "keys of a dict: a b",
                "SyntaxError whose msg is not a str: SyntaxError: ['x']",
                'JSON of a dict with other keys: {"2":"b","a":1,"null":[true],"1.5":0}',
                "JSON of a dict with a tuple key: TypeError: JSON keys must be str, int, float, bool or None, not tuple",
                "containers share the proxies' constructor: true true [1,2]",
                'JSON of a dict whose key changes it: {"1.5":[1,2,3]}',
                'JSON keys of subclasses and special floats: {"1":1,"Infinity":2,"NaN":3}']),
    "symbols_and_function_names_seen_from_python": dict(
        args=EXEC + [B + "symbols_and_function_names.py"], status=0,
        stdout=["str of symbols: Symbol(foo) Symbol() Symbol(Symbol.iterator)",
                "function names: foo max '' K bound inner ''"]),
    "edge_cases_of_python_using_js": dict(
        args=EXEC + [B + "edge_cases.py"], status=0,
        stdout=["JavaScript message in Python: 'bad \\ud800 text' 'Error: bad \\ud800 text'",
                "JavaScript message in Python: 'bad \\ud800 text' 'Uncaught: bad \\ud800 text'",
                "JavaScript message in Python: 'a\\x00b' 'Error: a\\x00b'",
                "copy with a throwing getter: JSError: 'TypeError: getter threw'",
                "a[2**32] = 'X': ['a', 'b', 'c'] X", "a[-10] = 'Z': IndexError:", "slice: TypeError:",
                "len of {length: Infinity}: OverflowError:", "in a BigInt64Array: True False",
                "sys.exit('...') through JavaScript, caught: caught 'fatal: caught'"],
        absent_stderr=["fatal: caught"]),
    "uncaught_error_with_a_nul_keeps_its_frames": dict(
        args=EXEC + [B + "uncaught_with_nul.js"], status=1,
        stderr=[R(r"ValueError: a\x00c\n    at boom \(<python\.exec>:2:5\)\n    at Object\.<anonymous> \(\S*uncaught_with_nul\.js:3:20\)")]),
    "sys_exit_message_through_js": dict(
        args=EXEC + [B + "exit_with_message.py"], status=1, stderr=["fatal: config missing"], absent_stdout=["not reached"]),
    "json_of_python_containers_refuses_cycles": dict(
        args=EXEC + [B + "json_cycles.js"], status=0,
        stdout=["list holding itself: TypeError: Converting circular structure to JSON |    --> starting at object with "
                "constructor 'Array' |    --- index 0 closes the circle",
                "dict holding itself: TypeError: Converting circular structure to JSON |    --> starting at object with "
                "constructor 'Object' |    --- property 'self' closes the circle",
                "cycle through a dict: TypeError: Converting circular structure to JSON |    --> starting at object with "
                "constructor 'Array' |    |     index 1 -> object with constructor 'Object' |    |     property 'back' -> "
                "object with constructor 'Array' |    --- index 1 closes the circle",
                "cycle through JavaScript: TypeError: Converting circular structure to JSON",
                'shared, not a cycle: [[1,2],[[1,2],[1,2]],{"k":[1,2]}]',
                'a subclass, a "toJSON" key: {"x":[1],"y":{"toJSON":3}}',
                "deep nesting: RangeError: Maximum call stack size exceeded", "after: [[[[]]]]"]),
    "lone_surrogates_printed_by_js_as_u_fffd": dict(
        args=EXEC + [B + "lone_surrogates_printed.js"], status=1,
        stdout=["JavaScript string: a\ufffdb", "from Python: c\ufffdd"],
        stderr=["on stderr: e\ufffdf", R(r"^\S*/lone_surrogates_printed\.js:6:8: ValueError: bad \ufffd here$", re.M),
                R(r"^ValueError: bad \ufffd here\n    at <module>", re.M)],
        absent_stdout=["\\xed"], absent_stderr=["\\xed", "\ufffd\ufffd"]),
    "lone_surrogates_printed_by_python_as_escapes": dict(
        args=EXEC + [B + "lone_surrogates_printed.py"], status=1,
        stdout=["crossed: 'a\\ud800b'", "print() refuses it, as any such str: surrogates not allowed"],
        stderr=["on stderr: a\\ud800b", R(r"^<eval>:1:7: Error: uncaught \\ud800 here$", re.M),
                "polyhost.JSError: Error: uncaught \\ud800 here"],
        absent_stderr=["\\xed", "\ufffd"]),
    "hooks_that_change_what_is_converted_from_python": dict(
        args=EXEC + [B + "hostile_hooks.py"], status=0,
        stdout=["item read by JavaScript: bigint true", "passed to JavaScript: True", "copied while it shrinks: 101",
                "dict copied while it grows: a,b", "set of fresh items copied: [[0,[0]],[1,[1]],[2,[2]]]",
                "OrderedDict copied in its order: b,c,a"]),
    "hooks_that_change_what_is_converted_from_js": dict(
        args=EXEC + [B + "hostile_hooks.js"], status=0,
        stdout=["JSON of a list that shrinks: true", "copy of a list that shrinks: 101",
                "a list being built, seen from Python: 3"]),
    "recursion_stops_at_the_limit_in_js": dict(
        args=EXEC + [B + "recursion.js"], status=0,
        stdout=["round 1: RangeError (a RangeError): the chain of calls between JavaScript and Python went deeper than 200 crossings",
                "round 2: RangeError (a RangeError)", "deepest JavaScript level: 200; limit 200; crossings now 1"]),
    "recursion_stops_at_the_limit_in_python": dict(
        args=EXEC + [B + "recursion.py"], status=0,
        stdout=["round 1: RecursionError: the chain of calls between JavaScript and Python went deeper than 200 crossings",
                "round 2: RecursionError", "deepest Python level: 200; limit 200; crossings now 0"]),
    "proxy_after_its_engine_is_gone": dict(
        args=EXEC + [B + "engine_gone.py"], status=0,
        stdout=["while running: 42", "after shutdown: polyhost: this proxy's JavaScript value is gone",
                "module after shutdown: polyhost: this proxy's JavaScript value is gone",
                "copy after shutdown: polyhost: this proxy's JavaScript value is gone"]),
    "proxy_from_another_thread": dict(
        args=EXEC + [B + "other_thread.py"], status=0,
        stdout=["from another thread: ['polyhost: JavaScript can only be used from the thread that runs it",
                "'stats: polyhost: JavaScript can only be used from the thread that runs it", "from the main thread: 1"]),
    "first_use_of_js_from_another_thread": dict(
        args=EXEC + [B + "first_use_from_another_thread.py"], status=0,
        stdout=["first use from another thread: ['polyhost: JavaScript can only be used from the thread that runs it",
                "JavaScript started by then: False", "then from the main thread: 4"]),
    "unhandled_rejection_ends_a_python_script": dict(
        args=EXEC + [B + "unhandled_rejection.py"], status=1,
        stdout=["caught: handled later", "the script ran to its end"],
        stderr=["(unhandled Promise rejection) nobody handles this"], absent_stderr=["handled later"]),
    "thrown_values_round_trip": dict(
        args=EXEC + [B + "thrown_values_round_trip.js"], status=0,
        stdout=["primitives: true true true true true true true", "objects: true true true"]),
    "thrown_exception_round_trip": dict(
        args=EXEC + [B + "thrown_exception_round_trip.py"], status=0,
        stdout=["thrown by JavaScript, caught as itself: True"]),
    "timeout_stops_a_loop_in_python_called_from_js": dict(
        args=EXEC + ["--timeout", "2", B + "loop_in_python.js"], status=124,  # CPython starts within it, loaded ASan too
        stdout=["calling Python, which loops forever"],
        stderr=[R(r"loop_in_python\.js: stopped: .* after its time ran out")], absent_stderr=["did not stop within"]),
    "timeout_stops_a_loop_in_js_called_from_python": dict(
        args=EXEC + ["--timeout", "0.5", B + "loop_in_js.py"], status=124,
        stdout=["calling JavaScript, which loops forever"],
        stderr=[R(r"loop_in_js\.py: stopped: .* after its time ran out")], absent_stderr=["did not stop within"]),
    "timeout_stops_a_loop_two_crossings_deep": dict(
        args=EXEC + ["--timeout", "0.5", B + "loop_nested.js"], status=124,
        stderr=[R(r"loop_nested\.js: stopped: .* after its time ran out")],
        absent_stderr=["did not stop within", "Exception ignored"]),
    "helper_threads_leave_signals_to_the_engines_thread": dict(
        args=EXEC + ["--timeout", "60", B + "helper_threads_signals.py"], status=0,
        stdout=[R(r"^helper threads: [1-9]", re.M), "helper threads that take SIGINT or SIGTERM: []"]),
    "sys_exit_in_python_called_from_js": dict(
        args=EXEC + [B + "exits.js"], status=7, stdout=["before"], absent_stdout=["never printed"]),
    "sys_exit_code_crosses_javascript_unchanged": dict(
        args=EXEC + [B + "exit_code_through_js.py"], status=0,
        stdout=["sys.exit(None) caught below JavaScript: None True", "sys.exit(3) caught below JavaScript: 3 True",
                "sys.exit('message') caught below JavaScript: 'message' True",
                "sys.exit('') caught below JavaScript: '' True",
                "sys.exit([1, 2]) caught below JavaScript: [1, 2] True",
                "sys.exit(3.5) caught below JavaScript: 3.5 True"]),
    "sys_exit_with_a_list_from_js": dict(
        args=EXEC + [B + "exit_code_from_python.js", "--", "[1, 2]"], status=1,
        stdout=["before"], stderr=[R(r"\A\[1, 2\]\n\Z")], absent_stdout=["never printed"]),
    "sys_exit_with_an_empty_message_from_js": dict(
        args=EXEC + [B + "exit_code_from_python.js", "--", "''"], status=1,
        stdout=["before"], stderr=[R(r"\A\n\Z")], absent_stdout=["never printed"]),
    "sys_exit_with_an_unprintable_code_from_js": dict(
        args=EXEC + [B + "exit_code_from_python.js", "--", "type('U', (), {'__str__': lambda self: 1 / 0})()"],
        status=1, stdout=["before"], stderr=[R(r"\A\n\Z")], absent_stdout=["never printed"]),
    "sys_exit_with_none_from_js": dict(
        args=EXEC + [B + "exit_code_from_python.js", "--", "None"], status=0,
        stdout=["before"], absent_stdout=["never printed"]),
    "sys_exit_message_with_a_lone_surrogate_from_js": dict(
        args=EXEC + [B + "exit_code_from_python.js", "--", "'bad \\ud800'"], status=1,
        stderr=["bad \\ud800\n"], absent_stderr=["\\xed", "\ufffd"]),
    "process_exit_in_js_called_from_python": dict(
        args=EXEC + [B + "exits.py"], status=5, stdout=["before"], absent_stdout=["never printed"]),
}


def check(case):
    """A driver case: run polyhost with CASE's arguments and check its status and output."""
    def run(polyhost, fixtures, tmp, problems):
        args = [a.replace("{f}", fixtures) for a in case["args"]]
        env = dict(os.environ)
        if case.get("memory") and "ASAN_OPTIONS" in env:
            # AddressSanitizer's quarantine holds freed memory back (256 MB by default), which would
            # look like memory not returned; without it, RSS measures the program again.
            env["ASAN_OPTIONS"] += ":quarantine_size_mb=0"
        # Bytes that are not UTF-8 (a lone surrogate written as its encoding) show as \xNN escapes.
        proc = subprocess.run([polyhost] + args, capture_output=True, encoding="utf-8", errors="backslashreplace",
                              timeout=case.get("timeout", 120), env=env)
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


def ctrl_c(fixture, status, stdout=(), stderr=(), absent_stdout=()):
    """A driver case: Ctrl-C (SIGINT) to `polyhost exec FIXTURE` once it has printed "ready"; it
    must end within 30 s with STATUS and the output given."""
    def run(polyhost, fixtures, tmp, problems):
        proc = subprocess.Popen([polyhost, "exec", os.path.join(fixtures, "bridge", fixture)], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True,
                                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        ready = proc.stdout.readline()
        proc.send_signal(signal.SIGINT)
        try:
            rest, proc.stderr = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            rest, proc.stderr = proc.communicate()
            problems.append("still running 30 s after Ctrl-C")
        proc.stdout = ready + rest
        if ready.strip() != "ready":
            problems.append("the script did not start: %r" % ready)
        if proc.returncode != status:
            problems.append("exit status %d, expected %d" % (proc.returncode, status))
        for stream, wanted in (("stdout", stdout), ("stderr", stderr)):
            problems.extend("%s lacks %r" % (stream, w) for w in wanted if w not in getattr(proc, stream))
        problems.extend("stdout contains %r" % w for w in absent_stdout if w in proc.stdout)
        return proc
    return run


CTRL_C_CASES = {
    "ctrl_c_stops_a_js_loop_after_python_started": ctrl_c(
        "ctrl_c_js_loop_after_python.js", 130, stderr=["KeyboardInterrupt", "ctrl_c_js_loop_after_python.js:5:"]),
    "ctrl_c_is_not_caught_by_js_around_a_python_loop": ctrl_c(
        "ctrl_c_js_catch_around_python_loop.js", 130, stderr=["KeyboardInterrupt"], absent_stdout=["JavaScript caught"]),
    "ctrl_c_in_js_called_from_python_is_a_keyboard_interrupt": ctrl_c(
        "ctrl_c_js_loop_called_from_python.py", 0, stdout=["Python caught KeyboardInterrupt()", "JavaScript afterwards: 2"]),
}


if __name__ == "__main__":
    cases = {name: check(case) for name, case in CASES.items()}
    cases.update(CTRL_C_CASES)
    sys.exit(driver.main(cases))
