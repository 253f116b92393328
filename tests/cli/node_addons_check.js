// Loads each Node.js addon polyhost built (node ADDON_DIR) and prints, as JSON, what its functions
// return and which errors wrong arguments raise; extension_cases.py checks the answers. The same
// calls as tests/bindings_test.cc makes of the embedded V8's adapters.
'use strict';
const path = require('path');

const TEXT = 'polyhost \u2713 12345';
const ADDONS = ['polyhost_node_api', 'polyhost_node_addon_api', 'polyhost_node_v8'];

function errorOf(f) {
  try {
    f();
    return 'no error';
  } catch (e) {
    return e.name + ': ' + e.message;
  }
}

function check(lib) {
  return {
    functions: Object.keys(lib).sort(),
    values: {
      noop: lib.noop() === undefined,
      add_i32: [lib.add_i32(2, 3), lib.add_i32(2147483647, 1), lib.add_i32(-5, 3)],
      add_f64: lib.add_f64(0.25, 0.5),
      str_len: [lib.str_len(TEXT), lib.str_len('')],
      str_repeat: [lib.str_repeat('ab', 3), lib.str_repeat('\u2713', 2), lib.str_repeat('x', 0)],
      sum_f64_array: lib.sum_f64([1.5, 2.5, 3]),
      sum_f64_typed: lib.sum_f64(new Float64Array([1.5, 2.5, 3])),
      sum_f64_subarray: lib.sum_f64(new Float64Array([9, 1, 2, 9]).subarray(1, 3)),
      make_point: lib.make_point(1.5, -2),
      call_back: lib.call_back((i) => i * i, 4),
    },
    errors: {
      noop_count: errorOf(() => lib.noop(1)),
      add_i32_count: errorOf(() => lib.add_i32(1)),
      add_i32_type: errorOf(() => lib.add_i32('1', 2)),
      add_f64_type: errorOf(() => lib.add_f64({}, 2)),
      str_len_type: errorOf(() => lib.str_len(5)),
      str_repeat_type: errorOf(() => lib.str_repeat('a', 'b')),
      sum_f64_type: errorOf(() => lib.sum_f64('abc')),
      sum_f64_int32_array: errorOf(() => lib.sum_f64(new Int32Array(2))),
      sum_f64_element: errorOf(() => lib.sum_f64([1, 'x'])),
      make_point_type: errorOf(() => lib.make_point(1)),
      call_back_type: errorOf(() => lib.call_back(5, 1)),
      call_back_returns_string: errorOf(() => lib.call_back(() => 'x', 2)),
      call_back_throws: errorOf(() => lib.call_back(() => { throw new RangeError('inside'); }, 2)),
    },
  };
}

const report = { node: process.version, v8: process.versions.v8, addons: {} };
for (const name of ADDONS) {
  const file = path.join(process.argv[2], name + '.node');
  try {
    report.addons[name] = check(require(file));
  } catch (e) {
    report.addons[name] = { load_error: file + ': ' + e.message };
  }
}
console.log(JSON.stringify(report));
