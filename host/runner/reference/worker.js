// polyhost's reference worker for Node.js.
//
// The same job as polyhost's own worker (host/runner/worker.cc), for node: load one workload file
// (CommonJS with require, ES modules with import()), check the contract, call setup(n) untimed,
// W warm-up and N measured run(n) calls (awaiting Promises), then compare each measured result with
// the first and verify() the first, and write the report as JSON to a file descriptor. Timing:
// process.hrtime.bigint() around the call and its awaiting only.
//
// Usage: node worker.js --file F --size quick|default --warmup W --iterations N --result-fd FD [--calibrate]
//                       [--timeout SECONDS] [--max-heap MB]  (accepted; see parseArgs)
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { pathToFileURL } = require('url');

const CALIBRATION_WARMUP = 2000;
const CALIBRATION_CALLS = 10000;

class ContractError extends Error {}

function parseArgs(argv) {
  const args = { file: '', size: 'default', warmup: 1, iterations: 5, resultFd: 3, calibrate: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--calibrate') args.calibrate = true;
    else if (a === '--file') args.file = argv[++i];
    else if (a === '--size') args.size = argv[++i];
    else if (a === '--warmup') args.warmup = argv[++i] === 'auto' ? 'auto' : Number(argv[i]);
    else if (a === '--iterations') args.iterations = Number(argv[++i]);
    else if (a === '--result-fd') args.resultFd = Number(argv[++i]);
    // node's heap limit is a command-line flag (configs.cc passes --max-old-space-size), and a
    // synchronous loop cannot be interrupted from inside: the orchestrator kills it at the timeout.
    else if (a === '--timeout' || a === '--max-heap') i++;
    else throw new Error('unknown argument ' + a);
  }
  return args;
}

// A result as polyhost's lossless JSON (host/value_json.h), by the embedded hosts' rules
// (host/v8/v8_convert.cc): throws ContractError, naming where, for what JSON cannot hold.
const MAX_EXACT = 2 ** 53;
function encode(value, where = 'run() result', depth = 0, seen = new Set()) {
  if (depth > 200) throw new ContractError(where + ' is nested ' + depth + ' levels deep; the limit is 200');
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'boolean':
      return value;
    case 'string':
      if (!value.isWellFormed ? /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value) : !value.isWellFormed()) {
        throw new ContractError(where + ' is a string with a lone surrogate, not valid Unicode');
      }
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw new ContractError(where + ' is ' + value + ', which JSON cannot represent');
      return value;
    case 'bigint':
      if (value < -BigInt(MAX_EXACT) || value > BigInt(MAX_EXACT)) {
        throw new ContractError(where + ' is an integer beyond ±2^53 (' + value + '); return it as a string, since JS numbers cannot hold it exactly');
      }
      return Number(value);
    case 'function':
      throw new ContractError(where + ' is a function, which is not JSON-like');
    case 'symbol':
      throw new ContractError(where + ' is a symbol, which is not JSON-like');
    default:
      break;
  }
  if (seen.has(value)) throw new ContractError(where + ' contains itself (a cycle), which JSON cannot represent');
  seen.add(value);
  try {
    if (Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView))) {
      return Array.from(value, (v, i) => encode(v, where + '[' + i + ']', depth + 1, seen));
    }
    if (value instanceof Map || value instanceof Set || value instanceof Date || value instanceof RegExp ||
        value instanceof Promise || value instanceof Error || value instanceof ArrayBuffer || value instanceof DataView ||
        value instanceof WeakMap || value instanceof WeakSet || typeof value.then === 'function') {
      throw new ContractError(where + ' is a ' + (value.constructor ? value.constructor.name : 'object') + ', which is not JSON-like');
    }
    const out = {};
    for (const key of Object.keys(value)) out[key] = encode(value[key], where + '.' + key, depth + 1, seen);
    return out;
  } finally {
    seen.delete(value);
  }
}

// polyhost's rule for equal results (host/value_compare.h): integers and strings exactly, other
// numbers to 1e-9 relative, NaN equal to NaN, arrays and objects deeply.
function agree(a, b) {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
    if (a === b) return true;
    if (Number.isInteger(a) && Number.isInteger(b)) return false;
    if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
    return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
  }
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => agree(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a).sort(), kb = Object.keys(b).sort();
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && agree(a[k], b[k]));
  }
  return a === b;
}

async function load(file) {
  let exports;
  try {
    exports = require(file);
  } catch (e) {
    if (e && (e.code === 'ERR_REQUIRE_ESM' || (e instanceof SyntaxError && /import|export/.test(e.message)))) {
      exports = await import(pathToFileURL(file).href);
    } else {
      throw e;
    }
  }
  if (typeof exports.run !== 'function') throw new ContractError('the workload defines no run() function');
  const sizes = exports.sizes;
  if (sizes === undefined) throw new ContractError('the workload defines no sizes = {quick: N, default: N}');
  for (const key of ['quick', 'default']) {
    if (!sizes || !Number.isInteger(sizes[key]) || sizes[key] <= 0) {
      throw new ContractError('sizes must map "quick" and "default" to positive integers; it is ' + JSON.stringify(sizes));
    }
  }
  return { exports, sizes: { quick: sizes.quick, default: sizes.default } };
}

function describeError(e) {
  if (!(e instanceof Error)) return 'Uncaught: ' + String(e);
  const frame = /\(?((?:\/|file:\/\/)[^()\s]+):(\d+):(\d+)\)?/.exec(e.stack || '');
  const location = frame ? frame[1].replace(/^file:\/\//, '') + ':' + frame[2] + ':' + frame[3] + ': ' : '';
  return location + e.name + ': ' + e.message + '\n' + (e.stack || '');
}

async function call(fn, ...args) {
  const start = process.hrtime.bigint();
  let result = fn(...args);
  if (result && typeof result.then === 'function') result = await result;
  return { result, elapsed: Number(process.hrtime.bigint() - start) };
}

// --warmup auto: reports one warm-up iteration to polyhost and reads its answer on fd 4
// (host/runner/subprocess.h kControlFd): true for "more". LANE (scale_worker.js) names the lane
// whose iteration it is.
const CONTROL_FD = 4;
function askForMore(resultFd, elapsed, lane) {
  fs.writeSync(resultFd, '@iteration ' + (lane === undefined ? '' : lane + ' ') + elapsed + '\n');
  const buffer = Buffer.alloc(64);
  let answer = '';
  while (!answer.endsWith('\n')) {
    const n = fs.readSync(CONTROL_FD, buffer, 0, buffer.length, null);
    if (n === 0) return false;  // polyhost is gone: measure now
    answer += buffer.toString('utf8', 0, n);
  }
  return answer.trim() === 'more';
}

// A figure of /proc/self/status in bytes (VmRSS, VmHWM: the process's own peak, where
// process.resourceUsage().maxRSS would report the peak of the process that started this one).
function statusBytes(key) {
  const line = fs.readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith(key + ':'));
  return line ? Number(line.split(/\s+/)[1]) * 1024 : null;
}

// What the script holds in V8's view, as the embedded worker reads it: used heap + external memory.
function heapBytes() {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

// Every result of a process's calls of run(), warm-up included, against the first, and verify() on
// the first, as polyhost's own worker checks them (host/runner/result_check.h); also scale_worker.js's.
// Results are encoded and compared as they are added: a result object run() reuses is seen as it was.
class ResultCheck {
  constructor(n) {
    this.n = n;
    this.calls = { 'warm-up': 0, measured: 0 };
    this.firstCall = null;  // 'warm-up iteration 1' or 'measured iteration 1'
    this.first = null;      // encoded
    this.firstResult = undefined;
    this.difference = null;
  }

  // PHASE is 'warm-up' or 'measured'.
  add(phase, result) {
    this.calls[phase] += 1;
    const call = phase + ' iteration ' + this.calls[phase];
    const encoded = encode(result);
    if (this.firstCall === null) {
      this.firstCall = call;
      this.first = encoded;
      this.firstResult = result;
    } else if (this.difference === null && !agree(this.first, encoded)) {
      this.difference = 'run(' + this.n + ') returned different results in ' + this.firstCall + ' and ' + call +
        ': result: ' + shown(this.first) + ' vs ' + shown(encoded);
    }
  }

  // After the last call: the mismatch message, or null when the results pass.
  mismatch(verify) {
    if (this.difference !== null) return this.difference;
    if (verify && this.firstCall !== null) {
      const ok = verify(this.firstResult, this.n);
      if (ok !== true) {
        return 'verify(result, ' + this.n + ') returned ' + JSON.stringify(ok) +
          ' for the first result; the result was ' + JSON.stringify(this.first).slice(0, 200);
      }
    }
    return null;
  }
}

function shown(encoded) {
  const text = JSON.stringify(encoded);
  return text.length <= 60 ? text : text.slice(0, 60) + '...';
}

async function measure(exports, n, warmup, iterations, report, resultFd) {
  if (typeof exports.setup === 'function') await call(exports.setup, n);
  const memory = report.memory = {
    peak_rss_bytes: null, rss_after_setup_bytes: statusBytes('VmRSS'), heap_after_setup_bytes: heapBytes(),
    heap_total_after_setup_bytes: process.memoryUsage().heapTotal, heap_peak_bytes: null,
    heap_measure: 'V8 used heap + external (process.memoryUsage)',
  };
  memory.heap_peak_bytes = memory.heap_after_setup_bytes;
  const noteHeap = () => { memory.heap_peak_bytes = Math.max(memory.heap_peak_bytes, heapBytes()); };
  // Nothing of the workload's runs between calls (verify() can share code with run() and change
  // what V8 optimized): verify() sees the first result after the last call.
  const results = new ResultCheck(n);
  const warmUpOnce = async () => {
    const { result, elapsed } = await call(exports.run, n);
    report.warmup_ns.push(elapsed);
    noteHeap();
    results.add('warm-up', result);
    return elapsed;
  };
  if (warmup === 'auto') {
    while (askForMore(resultFd, await warmUpOnce())) { /* the host decides */ }
  } else {
    for (let i = 0; i < warmup; i++) await warmUpOnce();
  }
  const verify = typeof exports.verify === 'function' ? exports.verify : null;
  for (let i = 0; i < iterations; i++) {
    const { result, elapsed } = await call(exports.run, n);
    report.samples_ns.push(elapsed);
    noteHeap();
    results.add('measured', result);
  }
  report.result = results.first;
  const mismatch = results.mismatch(verify);
  if (mismatch !== null) {
    report.status = 'mismatch';
    report.message = mismatch;
    return;
  }
  report.verified = verify !== null;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const report = {
    status: 'ok', message: '', warmup_ns: [], samples_ns: [], verified: false, has_verify: false, result: null,
    engine: 'Node.js ' + process.version + ' (V8 ' + process.versions.v8 + ')', flags: process.execArgv, executable: process.execPath,
  };
  let tmp = null;
  try {
    let { file, size, warmup, iterations } = args;
    if (args.calibrate) {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'polyhost-calibrate-'));
      file = path.join(tmp, 'empty.js');
      fs.writeFileSync(file, 'exports.sizes = {quick: 1, default: 1};\nexports.run = (n) => null;\n');
      [size, warmup, iterations] = ['quick', CALIBRATION_WARMUP, CALIBRATION_CALLS];
    }
    const { exports, sizes } = await load(path.resolve(file));
    report.sizes = sizes;
    report.size = sizes[size];
    report.has_verify = typeof exports.verify === 'function';
    await measure(exports, sizes[size], warmup, iterations, report, args.resultFd);
    report.memory.peak_rss_bytes = statusBytes('VmHWM');
    if (args.calibrate) report.warmup_ns = [];
  } catch (e) {
    if (e instanceof RangeError && /Maximum call stack size exceeded/.test(e.message)) {
      report.status = 'stack-overflow';
      report.message = describeError(e);
    } else if (e instanceof ContractError) {
      report.status = 'invalid';
      report.message = (/JSON-like|JSON cannot|2\^53|nested|surrogate/.test(e.message) ? 'not JSON-like: ' : args.file + ': ') + e.message;
    } else {
      report.status = 'error';
      report.message = describeError(e);
    }
  } finally {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
  fs.writeSync(args.resultFd, JSON.stringify(report));
  fs.closeSync(args.resultFd);
}

if (require.main === module) {
  main().then(() => process.exit(0), (e) => { process.stderr.write(String(e && e.stack || e) + '\n'); process.exit(1); });
} else {
  // The scale worker (scale_worker.js) loads, encodes and compares results by the same rules.
  module.exports = { ContractError, encode, agree, load, describeError, call, askForMore, ResultCheck };
}
