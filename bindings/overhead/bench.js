// The JavaScript side of `polyhost overhead`: calibrated loops of calls to one binding.
// For every case there are two loops, written out separately so each call site stays
// monomorphic: one with the call, one doing the same work around it without the call. The cost
// of a call is (time(call loop) - time(empty loop)) / n, with n doubled until the call loop takes
// the target time. `lib` is the binding under test (globalThis.__polyhost_native) or pure JS.
// The rule every pair follows (as in bench.py): the empty loop is the call loop with the call
// taken out, nothing else changed: the same argument computation (i & 1023), the same reads of the
// result (.x, .length), and one addition to acc of a number of the kind the call returns (a small
// integer, or a fraction for add_f64), never an extra operation the call loop does not do.
'use strict';

const TEXT = 'polyhost \u2713 12345';  // 16 UTF-16 units, 18 UTF-8 bytes
const LIST = Array.from({ length: 64 }, (_, i) => i * 0.5);
const TYPED = Float64Array.from(LIST);
const BACK = (i) => i;
const SHAPE = { x: 0, y: 1 };  // a point-shaped object for make_point's empty loop
// Stored to once more, so V8 tracks x as a mutable field: a constant field is folded into the empty
// loop (acc += 0), which then does less than the call loop's read of .x and addition (the pure
// make_point, inlined, measured 0.17 ns instead of 0.00).
SHAPE.x = 1;
SHAPE.x = 0;
let sink = 0;  // every loop's result lands here, so no loop is dead code

function utf8Length(s) {
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c < 0xdc00) { bytes += 4; i++; }
    else bytes += 3;
  }
  return bytes;
}

// The same functions in plain JavaScript: the baseline a JIT can inline.
const PURE = {
  noop() {},
  add_i32(a, b) { return (a + b) | 0; },
  add_f64(a, b) { return a + b; },
  str_len(s) { return utf8Length(s); },
  str_repeat(s, k) { return s.repeat(k); },
  sum_f64(xs) { let t = 0; for (let i = 0; i < xs.length; i++) t += xs[i]; return t; },
  // A second copy for Float64Array, so neither copy turns polymorphic by seeing both kinds.
  sum_f64_typed(xs) { let t = 0; for (let i = 0; i < xs.length; i++) t += xs[i]; return t; },
  make_point(x, y) { return { x, y }; },
  call_back(fn, k) { let t = 0; for (let i = 0; i < k; i++) t += fn(i); return t; },
};

const LOOPS = {
  noop: [
    (lib, n) => { let acc = 0; for (let i = 0; i < n; i++) { lib.noop(); acc += i; } return acc; },
    (lib, n) => { let acc = 0; for (let i = 0; i < n; i++) { acc += i; } return acc; },
  ],
  add_i32: [
    (lib, n) => { let acc = 0; for (let i = 0; i < n; i++) acc += lib.add_i32(i & 1023, 7); return acc; },
    (lib, n) => { let acc = 0; for (let i = 0; i < n; i++) acc += (i & 1023); return acc; },
  ],
  add_f64: [
    (lib, n) => { let acc = 0; for (let i = 0; i < n; i++) acc += lib.add_f64(i, 0.5); return acc; },
    (lib, n) => { const h = 0.5; let acc = 0; for (let i = 0; i < n; i++) acc += h; return acc; },
  ],
  str_len: [
    (lib, n) => { let acc = 0; for (let i = 0; i < n; i++) acc += lib.str_len(TEXT); return acc; },
    (lib, n) => { let acc = 0; for (let i = 0; i < n; i++) acc += TEXT.length; return acc; },
  ],
  str_repeat: [
    (lib, n) => { let acc = 0; for (let i = 0; i < n; i++) acc += lib.str_repeat(TEXT, 3).length; return acc; },
    (lib, n) => { let acc = 0; for (let i = 0; i < n; i++) acc += TEXT.length; return acc; },
  ],
  sum_f64_array: [
    (lib, n) => { let acc = 0; for (let i = 0; i < n; i++) acc += lib.sum_f64(LIST); return acc; },
    (lib, n) => { let acc = 0; for (let i = 0; i < n; i++) acc += i; return acc; },
  ],
  sum_f64_typed: [
    (lib, n) => { let acc = 0; for (let i = 0; i < n; i++) acc += lib.sum_f64_typed(TYPED); return acc; },
    (lib, n) => { let acc = 0; for (let i = 0; i < n; i++) acc += i; return acc; },
  ],
  make_point: [
    (lib, n) => { let acc = 0; for (let i = 0; i < n; i++) acc += lib.make_point(i, 1).x; return acc; },
    // Reads .x of an object, as the call loop reads .x of the point it gets back, and adds it.
    (lib, n) => { let acc = 0; for (let i = 0; i < n; i++) acc += SHAPE.x; return acc; },
  ],
  call_back: [
    (lib, n) => { let acc = 0; for (let i = 0; i < n; i++) acc += lib.call_back(BACK, 10); return acc; },
    (lib, n) => { let acc = 0; for (let i = 0; i < n; i++) acc += 45; return acc; },
  ],
};

// What each case must return, so a binding that computes the wrong thing is caught.
const EXPECTED = {
  add_i32: [
    [lib => lib.add_i32(2147483647, 1), -2147483648],
    [lib => lib.add_i32(-2147483648, -1), 2147483647],
    [lib => lib.add_i32(-5, 3), -2],
  ],
  add_f64: [[lib => lib.add_f64(0.25, 0.5), 0.75]],
  str_len: [[lib => lib.str_len(TEXT), 18]],
  str_repeat: [[lib => lib.str_repeat('ab', 3), 'ababab']],
  sum_f64_array: [[lib => lib.sum_f64(LIST), 1008]],
  sum_f64_typed: [[lib => lib.sum_f64_typed(TYPED), 1008]],
  make_point: [[lib => JSON.stringify(lib.make_point(1.5, -2)), '{"x":1.5,"y":-2}']],
  call_back: [[lib => lib.call_back(BACK, 10), 45]],
};

function time(loop, lib, n) {
  const start = performance.now();
  sink += loop(lib, n);
  return (performance.now() - start) * 1e6;  // ns
}

// The number of calls per loop: doubled until the call loop takes the target time twice in a row
// (at least half of it the second time), so one loop slowed by a compile or a collection does not
// end the calibration with loops far shorter than the target. The empty loop runs at each step too,
// so that it is warm (compiled) before the first sample, as the call loop is.
function calibrate(call, empty, lib, targetNs) {
  let n = 16;
  for (; n < 2 ** 30; n *= 2) {
    time(empty, lib, n);
    if (time(call, lib, n) >= targetNs && time(call, lib, n) >= targetNs / 2) break;
  }
  return n;
}

function measure(name, lib, targetNs, repeats) {
  const [call, empty] = LOOPS[name];
  const n = calibrate(call, empty, lib, targetNs);
  // No fixed warm-up: every pair of loops is a sample, in order, and polyhost finds where the series
  // is steady (host/overhead/overhead_runner.cc).
  const ns = [];
  for (let r = 0; r < repeats; r++) {
    const withCall = time(call, lib, n);
    const without = time(empty, lib, n);
    ns.push((withCall - without) / n);
  }
  return { n, ns };
}

// The js->py column: the pure-Python functions of bench.py (its Pure class), called through
// polyhost's bridge. Each property is a live proxy of the Python function, read once here as the
// loops read lib.f every time; arguments cross by value (numbers, strings) or as live proxies
// (the arrays: Python reads the Float64Array's memory without copying).
function pythonLib() {
  const Pure = python.import('bench').Pure;  // bench.py, next to this file
  const lib = {};
  for (const name of ['noop', 'add_i32', 'add_f64', 'str_len', 'str_repeat', 'sum_f64', 'make_point', 'call_back']) {
    lib[name] = Pure[name];
  }
  return lib;
}

// CONFIG: { binding, target_ns, repeats, skip: [case names with the reason elsewhere] }.
function run(config) {
  const lib = config.binding === 'js' ? PURE : config.binding === 'js->py' ? pythonLib() : globalThis.__polyhost_native;
  return measureCases(lib, config);
}

// Every case through LIB (also used by peers.js, for the bridges polyhost is compared with).
function measureCases(lib, config) {
  if (lib.sum_f64_typed === undefined) lib.sum_f64_typed = lib.sum_f64;  // natives: one function takes both
  const cases = {};
  const errors = {};
  for (const name of Object.keys(LOOPS)) {
    if ((config.skip || []).includes(name)) continue;
    for (const [call, want] of EXPECTED[name] || []) {
      const got = call(lib);
      if (got !== want) errors[name] = 'returned ' + JSON.stringify(got) + ', expected ' + JSON.stringify(want);
    }
    if (errors[name]) continue;
    cases[name] = measure(name, lib, config.target_ns, config.repeats);
  }
  return { cases, errors, sink: Number.isFinite(sink) };
}

// PURE: for the py->js column; the rest: for peers.js.
module.exports = { run, sizes: { quick: 1, default: 1 }, PURE, measureCases, LOOPS, EXPECTED, TEXT, LIST, TYPED, BACK };
