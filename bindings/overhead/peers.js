// `polyhost overhead --peers`: bench.js's cases, JavaScript calling the pure-Python functions of
// bench.py, through the bridges a Node.js user would pick instead of polyhost's, under Node:
//   node-calls-python  a Node add-on embedding CPython in the Node process (synchronous calls)
//   pythonia           Python in a child process, reached over pipes (every call is awaited)
// Usage: node peers.js PEER PEERS_DIR TARGET_NS REPEATS   (PEERS_DIR: from scripts/setup-peers)
// Writes {cases, unsupported, engine} as JSON to fd 3 (as polyhost's workers do). The method is
// bench.js's: a loop of n calls minus the same loop without the call, n doubled up to TARGET_NS.
'use strict';
const fs = require('fs');
const path = require('path');
const bench = require('./bench.js');

const [peer, peersDir, targetNs, repeats] = process.argv.slice(2);
const BENCH_PY = path.join(__dirname, 'bench.py');
const config = { target_ns: Number(targetNs), repeats: Number(repeats) };

// A result a peer computes differently from the others is reported, not measured.
function unsupportedFor(errors) {
  const out = {};
  for (const [name, message] of Object.entries(errors)) out[name] = 'wrong result: ' + message;
  return out;
}

function nodeCallsPython() {
  const py = require(path.join(peersDir, 'node_modules', 'node-calls-python')).interpreter;
  const module = py.importSync(BENCH_PY, false);
  const pure = py.createSync(module, 'Pure');
  // The library's calling convention is callSync(object, name, ...args); these closures are the
  // code its user writes, and V8 inlines them.
  const lib = {};
  for (const name of ['noop', 'add_i32', 'add_f64', 'str_len', 'str_repeat', 'sum_f64', 'make_point', 'call_back']) {
    lib[name] = (...args) => py.callSync(pure, name, ...args);
  }
  const result = bench.measureCases(lib, config);
  return { cases: result.cases, unsupported: unsupportedFor(result.errors) };
}

// pythonia: every call, and every attribute read of a Python object, is a round trip to the
// Python process, so it is awaited; the loops are bench.js's with `await` in them. Each entry is
// what bench.js's call loop does in one iteration (its empty loop, bench.LOOPS[name][1], is the
// same loop without the call); the `await` is part of pythonia's call, so the empty loop has none.
const ASYNC_CALLS = {
  noop: async (P, i) => { await P.noop(); return i; },
  add_i32: (P, i) => P.add_i32(i & 1023, 7),
  add_f64: (P, i) => P.add_f64(i, 0.5),
  str_len: (P) => P.str_len(bench.TEXT),
  str_repeat: async (P) => (await P.str_repeat(bench.TEXT, 3)).length,
  sum_f64_array: (P) => P.sum_f64(bench.LIST),
  sum_f64_typed: (P) => P.sum_f64(bench.TYPED),
  make_point: async (P, i) => (await P.make_point(i, 1)).x,
  call_back: (P) => P.call_back(bench.BACK, 10),
};
const ASYNC_CHECKS = {
  add_i32: [
    [(P) => P.add_i32(2147483647, 1), -2147483648],
    [(P) => P.add_i32(-2147483648, -1), 2147483647],
    [(P) => P.add_i32(-5, 3), -2],
  ],
  add_f64: [[(P) => P.add_f64(0.25, 0.5), 0.75]],
  str_len: [[(P) => P.str_len(bench.TEXT), 18]],
  str_repeat: [[(P) => P.str_repeat('ab', 3), 'ababab']],
  sum_f64_array: [[(P) => P.sum_f64(bench.LIST), 1008]],
  sum_f64_typed: [[(P) => P.sum_f64(bench.TYPED), 1008]],
  make_point: [[async (P) => { const p = await P.make_point(1.5, -2); return (await p.x) + ',' + (await p.y); }, '1.5,-2']],
  call_back: [[(P) => P.call_back(bench.BACK, 10), 45]],
};

async function timeAsync(loop, P, n) {
  const start = performance.now();
  await loop(P, n);
  return (performance.now() - start) * 1e6;
}

async function pythonia() {
  const { python } = require(path.join(peersDir, 'node_modules', 'pythonia'));
  try {
    const module = await python(BENCH_PY);
    const P = await module.Pure;
    const cases = {};
    const unsupported = {};
    for (const name of Object.keys(ASYNC_CALLS)) {
      for (const [check, want] of ASYNC_CHECKS[name] || []) {
        const got = await check(P);
        if (got !== want) unsupported[name] = 'wrong result: returned ' + JSON.stringify(got) + ', expected ' + JSON.stringify(want);
      }
      if (unsupported[name]) continue;
      const one = ASYNC_CALLS[name];
      const call = async (P, n) => { let acc = 0; for (let i = 0; i < n; i++) acc += await one(P, i); return acc; };
      const empty = async (P, n) => bench.LOOPS[name][1](null, n);
      // As bench.js's calibrate(): the call loop takes the target time twice in a row, both loops warm.
      let n = 16;
      for (; n < 2 ** 30; n *= 2) {
        await timeAsync(empty, P, n);
        if ((await timeAsync(call, P, n)) >= config.target_ns && (await timeAsync(call, P, n)) >= config.target_ns / 2) break;
      }
      const ns = [];
      for (let r = 0; r < config.repeats; r++) {
        const withCall = await timeAsync(call, P, n);
        const without = await timeAsync(empty, P, n);
        ns.push((withCall - without) / n);
      }
      cases[name] = { n, ns };
    }
    return { cases, unsupported };
  } finally {
    python.exit();
  }
}

async function main() {
  let out;
  try {
    if (peer === 'node-calls-python') out = nodeCallsPython();
    else if (peer === 'pythonia') out = await pythonia();
    else throw new Error('unknown peer ' + peer);
    out.status = 'ok';
  } catch (e) {
    out = { status: 'error', message: String(e && e.stack || e) };
  }
  out.engine = 'Node.js ' + process.version + ' (V8 ' + process.versions.v8 + ')';
  fs.writeSync(3, JSON.stringify(out));
  process.exit(0);  // pythonia's child process and handles must not keep Node alive
}

main();
