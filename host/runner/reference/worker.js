// polyhost's reference worker for Node.js.
//
// The same job as polyhost's own worker (host/runner/worker.cc), for node: load one workload file
// (CommonJS with require, ES modules with import()), check the contract, call setup(n) untimed,
// W warm-up and N measured run(n) calls (awaiting Promises), comparing each result with the first (no
// more calls once one differs), then verify() the first, and write the report as JSON to a file
// descriptor. Timing: process.hrtime.bigint() around the call and its awaiting only.
//
// Usage: node worker.js --file F --size quick|default --warmup W --iterations N [--min-measure-time S --max-measured M]
//        --result-fd FD [--calibrate]
//                       [--timeout SECONDS] [--max-heap MB]  (accepted; see parseArgs)
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { fileURLToPath, pathToFileURL } = require('url');

const CALIBRATION_WARMUP = 2000;
const CALIBRATION_CALLS = 10000;

class ContractError extends Error {}
// A result the contract refuses: it is not JSON-like (see encode).
class NotJsonLike extends ContractError {}

function parseArgs(argv) {
  const args = { file: '', size: 'default', warmup: 1, iterations: 5, minMeasureTime: 0, maxMeasured: 0, resultFd: 3, calibrate: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--calibrate') args.calibrate = true;
    else if (a === '--file') args.file = argv[++i];
    else if (a === '--size') args.size = argv[++i];
    else if (a === '--warmup') args.warmup = argv[++i] === 'auto' ? 'auto' : Number(argv[i]);
    else if (a === '--iterations') args.iterations = Number(argv[++i]);
    else if (a === '--min-measure-time') args.minMeasureTime = Number(argv[++i]);
    else if (a === '--max-measured') args.maxMeasured = Number(argv[++i]);
    else if (a === '--result-fd') args.resultFd = Number(argv[++i]);
    // node's heap limit is a command-line flag (configs.cc passes --max-old-space-size), and a
    // synchronous loop cannot be interrupted from inside: the orchestrator kills it at the timeout.
    else if (a === '--timeout' || a === '--max-heap') i++;
    else throw new Error('unknown argument ' + a);
  }
  return args;
}

// Where a value sits inside a result, written as host/value_path.h writes it (`run() result.items[3]`,
// shortened when deep: `run() result[0][0][0]…[0][0] (201 levels)`). Steps are kept, not text, so
// a large result builds no strings until a message needs one.
class ValuePath {
  constructor(root) {
    this.root = root;
    this.steps = [];  // numbers (indexes) and strings (keys)
  }

  get depth() { return this.steps.length; }
  push(step) { this.steps.push(step); }
  pop() { this.steps.pop(); }
  str() { return this.render(this.steps.length, true); }
  prefix(depth) { return this.render(depth, true); }  // the ancestor DEPTH steps below the root
  bare() { return this.render(this.steps.length, false); }

  static codePoints(text) { return Array.from(text).length; }

  static cut(text, max) {
    const points = Array.from(text);
    return points.length <= max ? text : points.slice(0, max).join('') + '\u2026';
  }

  static stepText(step) {
    if (typeof step === 'number') return '[' + step + ']';
    const key = ValuePath.cut(step, 24);
    if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(step)) return '.' + key;
    const escaped = key.replace(/["\\]/g, '\\$&')
      .replace(/[\x00-\x1f]/g, (c) => '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0'));
    return '["' + escaped + '"]';
  }

  // The root plus the first HEAD and last TAIL of the first COUNT steps, "…" between them if apart.
  join(count, head, tail) {
    const text = (steps) => steps.map(ValuePath.stepText).join('');
    if (head + tail >= count) return this.root + text(this.steps.slice(0, count));
    return this.root + text(this.steps.slice(0, head)) + '\u2026' + text(this.steps.slice(count - tail, count));
  }

  render(count, noteLevels) {
    let out = this.join(count, count, 0);
    if (count <= 6 && ValuePath.codePoints(out) <= 80) return out;
    let head = 3, tail = 2;
    out = this.join(count, head, tail);
    if (ValuePath.codePoints(out) > 80) out = this.join(count, head = 1, tail = 1);
    if (noteLevels && head + tail < count) out += ' (' + count + ' levels)';
    return out;
  }
}

// A result as polyhost's lossless JSON (host/value_json.h), by the embedded hosts' rules
// (host/v8/v8_convert.cc): throws NotJsonLike, naming where, for what JSON cannot hold. As there,
// only containers count towards the depth limit (host/value_path.h EnclosingScope): an array at 200
// steps below the top may hold numbers, one at 201 steps is refused; a container inside itself is a
// cycle, told apart from a deep value by the containers that enclose it.
const MAX_EXACT = 2 ** 53;
const MAX_DEPTH = 200;
function encode(value, path = new ValuePath('run() result'), enclosing = []) {
  const fail = (what) => { throw new NotJsonLike(path.str() + ' ' + what); };
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'boolean':
      return value;
    case 'string':
      if (!value.isWellFormed ? /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value) : !value.isWellFormed()) {
        fail('is a string with a lone surrogate, not valid Unicode');
      }
      return value;
    case 'number':
      if (!Number.isFinite(value)) fail('is ' + value + ', which JSON cannot represent');
      return value;
    case 'bigint':
      if (value < -BigInt(MAX_EXACT) || value > BigInt(MAX_EXACT)) {
        fail('is an integer beyond ±2^53 (' + value + '); return it as a string, since JS numbers cannot hold it exactly');
      }
      return Number(value);
    case 'function':
    case 'symbol':
      fail('is a ' + typeof value + ', which is not JSON-like');
    default:
      break;
  }
  if (value instanceof Map || value instanceof Set || value instanceof Date || value instanceof RegExp ||
      value instanceof Promise || value instanceof Error || value instanceof ArrayBuffer || value instanceof DataView ||
      value instanceof WeakMap || value instanceof WeakSet || typeof value.then === 'function') {
    fail('is a ' + (value.constructor ? value.constructor.name : 'object') + ', which is not JSON-like');
  }
  const again = enclosing.indexOf(value);
  if (again >= 0) fail('is ' + path.prefix(again) + ' again (a cycle), which JSON cannot represent');
  if (path.depth > MAX_DEPTH) {
    throw new NotJsonLike(path.bare() + ' is nested ' + path.depth + ' levels deep; the limit is ' + MAX_DEPTH);
  }
  const inside = (step, item) => {
    path.push(step);
    try {
      return encode(item, path, enclosing);
    } finally {
      path.pop();
    }
  };
  enclosing.push(value);
  try {
    if (Array.isArray(value) || ArrayBuffer.isView(value)) return Array.from(value, (item, i) => inside(i, item));
    const out = {};
    for (const key of Object.keys(value)) out[key] = inside(key, value[key]);
    return out;
  } finally {
    enclosing.pop();
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
    // An ES module node will not require(): an older node's, or one with top-level await.
    const moduleNeeded = e && (e.code === 'ERR_REQUIRE_ESM' || e.code === 'ERR_REQUIRE_ASYNC_MODULE');
    if (moduleNeeded || (e instanceof SyntaxError && /import|export/.test(e.message))) {
      try {
        exports = await import(pathToFileURL(file).href);
      } catch (moduleError) {
        // A newer node that did require() the graph and met a real syntax error in it (a missing
        // export) cannot import the graph again ("Unexpected status of a module"): that error is
        // the one to report.
        const original = !moduleNeeded && !(moduleError instanceof SyntaxError);
        throw withSyntaxErrorLocation(original ? e : moduleError, file);
      }
    } else {
      throw withSyntaxErrorLocation(e, file);  // newer nodes require() an ES module themselves
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

// The header node starts a CommonJS syntax error's stack with: "FILE:LINE", the line, and a caret
// under the column (when node shows one).
const SYNTAX_HEADER = /^((?:file:\/\/)?\/[^\n]*):(\d+)\n[^\n]*\n([^\n]*)\n/;
// Stack frames in files (node's own frames, `node:internal/...`, are in no file).
const FILE_FRAMES = /^\s+at (?:[^\n]*\()?((?:file:\/\/)?\/[^()\n]*?):(\d+):(\d+)\)?$/gm;

// node gives a syntax error in an ES module no location, in the workload's file or in a module it
// imports; `node --check` does, for the source given as a module on its stdin ("[stdin]:LINE", the
// line, the caret). The workload's file and then the local modules its static imports load
// (breadth first) are checked until one reports the same error; that header, with the module's
// path for [stdin], is put in front of the stack. A SyntaxError already located (thrown by running
// code, JSON.parse, it has a frame in a file of the workload's) is left as it is.
function withSyntaxErrorLocation(e, file) {
  if (!(e instanceof SyntaxError) || errorLocation(e, null) !== '') return e;
  for (const { file: candidate, source } of localModules(file)) {
    let check;
    try {
      check = spawnSync(process.execPath, ['--check', '--input-type=module', '-'], { input: source, encoding: 'utf8', timeout: 10000 });
    } catch {
      continue;
    }
    const found = /^\[stdin\]:(\d+)\n([^\n]*\n[^\n]*\n)/.exec(check.stderr || '');
    if (found && check.stderr.includes('SyntaxError: ' + e.message)) {
      e.stack = candidate + ':' + found[1] + '\n' + found[2] + '\n' + e.stack;
      return e;
    }
  }
  return e;
}

const MOST_MODULES_CHECKED = 50;

// FILE and the local JavaScript modules its static imports load, breadth first, each once (at most
// 50), with their sources ({file, source}; a file that cannot be read is left out).
function localModules(file) {
  const files = [file];
  const modules = [];
  for (let i = 0; i < files.length; i++) {
    let source;
    try {
      source = fs.readFileSync(files[i], 'utf8');
    } catch {
      continue;
    }
    modules.push({ file: files[i], source });
    for (const specifier of staticImportSpecifiers(source)) {
      if (!/^\.{1,2}\//.test(specifier)) continue;  // a package or a URL: not the workload's own
      const imported = path.resolve(path.dirname(files[i]), specifier);
      // JavaScript only: a JSON or WebAssembly module checked as JavaScript could report a like error.
      if (!/\.m?js$/.test(imported) || files.includes(imported) || files.length >= MOST_MODULES_CHECKED) continue;
      files.push(imported);
    }
  }
  return modules;
}

// Words after which a slash starts a regular expression literal, not a division.
const REGEX_AFTER = new Set(['return', 'typeof', 'instanceof', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else',
                             'yield', 'await']);
const WORD_START = /[\p{ID_Start}$_]/u;
const WORD_PART = /[\p{ID_Continue}$\u200c\u200d]/u;
const VALUE_END = ')';  // what `previous` is after a token that ends a value (a division may follow)

function regexCanStart(previous) {
  if (previous === '') return true;
  if (WORD_START.test(previous[0])) return REGEX_AFTER.has(previous);
  return !/^[\w)\]}"]/.test(previous);  // not after a number, a closing bracket or a string
}

// The specifiers of SOURCE's static imports and re-exports (`import ... from 'x'`, `import 'x'`,
// `export ... from 'x'`): the string literals right after the word `from` or `import`. Comments,
// other strings, templates (with their ${...} code) and regular expression literals are skipped, so
// that a specifier in a comment, a string or an import() (loaded at run time, if ever) is not one.
// A lexer's guesses: a slash after `}` or `)` is taken as a division (a regex literal that starts
// a statement after a block or an `if (...)` is read as one), and `x++` as a value.
function staticImportSpecifiers(source) {
  const specifiers = [];
  let i = 0;
  // Code from i; in a template's ${...}, up to and past the brace that closes it.
  const code = (inTemplate) => {
    let previous = '';  // the last word or punctuation seen
    let depth = 0;
    while (i < source.length) {
      const c = source[i];
      const next = source[i + 1];
      if (c === '/' && (next === '/' || next === '*')) {
        const end = next === '/' ? source.indexOf('\n', i) : source.indexOf('*/', i + 2);
        i = end < 0 ? source.length : end + (next === '/' ? 1 : 2);
      } else if (c === '/' && regexCanStart(previous)) {
        regex();
        previous = VALUE_END;
      } else if (c === '"' || c === "'") {
        const start = ++i;
        while (i < source.length && source[i] !== c && source[i] !== '\n') {
          i += source[i] !== '\\' ? 1 : source[i + 1] === '\r' && source[i + 2] === '\n' ? 3 : 2;
        }
        if (previous === 'from' || previous === 'import') specifiers.push(source.slice(start, i));
        i++;
        previous = '"';
      } else if (c === '`') {
        i++;
        template();
        previous = '"';
      } else if (WORD_START.test(c)) {
        const start = i;
        while (i < source.length && WORD_PART.test(source[i])) i++;
        // A property's name (`stats.in`) is a value, whatever the word.
        previous = previous === '.' ? VALUE_END : source.slice(start, i);
      } else if ((c === '+' || c === '-') && next === c) {
        i += 2;
        previous = VALUE_END;  // `count++ / 2` divides
      } else {
        i++;
        if (inTemplate && c === '{') depth++;
        if (inTemplate && c === '}' && depth-- === 0) return;
        if (!/\s/.test(c)) previous = c;
      }
    }
  };
  // After a template's opening backtick, through its closing one.
  const template = () => {
    while (i < source.length && source[i] !== '`') {
      if (source[i] === '\\') {
        i += 2;
      } else if (source[i] === '$' && source[i + 1] === '{') {
        i += 2;
        code(true);
      } else {
        i++;
      }
    }
    i++;
  };
  // From a regular expression literal's opening slash, through its flags.
  const regex = () => {
    let inClass = false;
    for (i++; i < source.length && source[i] !== '\n'; i++) {
      const c = source[i];
      if (c === '\\') i++;
      else if (c === '[') inClass = true;
      else if (c === ']') inClass = false;
      else if (c === '/' && !inClass) break;
    }
    i++;
    while (i < source.length && /[A-Za-z]/.test(source[i])) i++;
  };
  code(false);
  return specifiers;
}

// Where an error arose, as the embedded V8 reports it ("FILE:LINE:COLUMN: "): the header of a syntax
// error, else the first stack frame in a file that is not this worker's own (it calls the workload).
// FILE is shown as the workload's path was given (WORKLOAD_FILE); '' when the stack names no file.
function errorLocation(e, workloadFile) {
  const stack = String(e.stack || '');
  const fileOf = (where) => (where.startsWith('file://') ? fileURLToPath(where) : where);
  const shown = (file) => (workloadFile && path.resolve(workloadFile) === file ? workloadFile : file);
  const header = SYNTAX_HEADER.exec(stack);
  if (header) {
    const caret = header[3].indexOf('^');
    return shown(fileOf(header[1])) + ':' + header[2] + (caret >= 0 ? ':' + (caret + 1) : '') + ': ';
  }
  for (const [, where, line, column] of stack.matchAll(FILE_FRAMES)) {
    const file = fileOf(where);
    if (path.dirname(file) !== __dirname) return shown(file) + ':' + line + ':' + column + ': ';
  }
  return '';
}

function describeError(e, workloadFile = null) {
  // A thrown value that is no Error has no stack: named by the workload's file, as the embedded V8
  // names it when it knows no line.
  if (!(e instanceof Error)) return (workloadFile ? workloadFile + ': ' : '') + 'Uncaught: ' + String(e);
  // "Error" alone for an empty message, as the embedded V8 writes it.
  return errorLocation(e, workloadFile) + e.name + (e.message ? ': ' + e.message : '') + '\n' + (e.stack || '');
}

// Which of the workload's steps is running, for the message of an error that comes from it, worded
// as polyhost's own worker words it (host/runner/worker.cc WorkloadStep).
class WorkloadStep {
  constructor() {
    this.enter('load', null);
  }

  // KIND is 'load', 'setup', 'warm-up', 'measured' or 'verify'.
  enter(kind, n, iteration = 0) {
    this.kind = kind;
    this.n = n;
    this.iteration = iteration;
  }

  describe() {
    const n = JSON.stringify(this.n);
    switch (this.kind) {
      case 'load': return 'while loading';
      case 'setup': return 'in setup(' + n + ')';
      case 'warm-up': return 'in run(' + n + '), warm-up iteration ' + this.iteration;
      case 'measured': return 'in run(' + n + '), measured iteration ' + this.iteration;
      default: return 'in verify(result, ' + n + ')';
    }
  }
}

// MESSAGE with the step in brackets at the end of its first line, the headline (a message of
// several lines, or the stack below it, would push it out of sight).
function withStep(message, step) {
  const end = message.indexOf('\n');
  const headlineEnd = end < 0 ? message.length : end;
  return message.slice(0, headlineEnd) + ' (' + step.describe() + ')' + message.slice(headlineEnd);
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

// Measured calls: ITERATIONS, then more until they have lasted MIN_MEASURE_NS, up to MAX_MEASURED;
// fewer once a result differs from the first (the verdict is mismatch whatever follows). STEP follows
// the calls.
async function measure(exports, n, warmup, iterations, minMeasureNs, maxMeasured, report, resultFd, step) {
  step.enter('setup', n);
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
    step.enter('warm-up', n, report.warmup_ns.length + 1);
    const { result, elapsed } = await call(exports.run, n);
    report.warmup_ns.push(elapsed);
    noteHeap();
    results.add('warm-up', result);
    return elapsed;
  };
  const differs = () => results.difference !== null;
  if (warmup === 'auto') {
    while (!differs() && askForMore(resultFd, await warmUpOnce())) { /* the host decides */ }
  } else {
    for (let i = 0; i < warmup && !differs(); i++) await warmUpOnce();
  }
  const verify = typeof exports.verify === 'function' ? exports.verify : null;
  let measured = 0;
  for (let i = 0; !differs() && (i < iterations || (measured < minMeasureNs && i < maxMeasured)); i++) {
    step.enter('measured', n, i + 1);
    const { result, elapsed } = await call(exports.run, n);
    measured += elapsed;
    report.samples_ns.push(elapsed);
    noteHeap();
    results.add('measured', result);
  }
  report.result = results.first;
  step.enter('verify', n);
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
  const sendReport = reportOnce(args.resultFd, report);
  const step = new WorkloadStep();
  watchForEarlyExit(args.file, report, sendReport, step);
  let tmp = null;
  try {
    let { file, size, warmup, iterations } = args;
    let minMeasureNs = args.minMeasureTime * 1e9;
    if (args.calibrate) {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'polyhost-calibrate-'));
      file = path.join(tmp, 'empty.js');
      fs.writeFileSync(file, 'exports.sizes = {quick: 1, default: 1};\nexports.run = (n) => null;\n');
      [size, warmup, iterations, minMeasureNs] = ['quick', CALIBRATION_WARMUP, CALIBRATION_CALLS, 0];
    }
    const { exports, sizes } = await load(path.resolve(file));
    report.sizes = sizes;
    report.size = sizes[size];
    report.has_verify = typeof exports.verify === 'function';
    await measure(exports, sizes[size], warmup, iterations, minMeasureNs, args.maxMeasured, report, args.resultFd, step);
    report.memory.peak_rss_bytes = statusBytes('VmHWM');
    if (args.calibrate) report.warmup_ns = [];
  } catch (e) {
    if (e instanceof RangeError && /Maximum call stack size exceeded/.test(e.message)) {
      report.status = 'stack-overflow';
      report.message = describeError(e, args.file);
    } else if (e instanceof ContractError) {
      report.status = 'invalid';
      report.message = args.file + ': ' + (e instanceof NotJsonLike ? 'not JSON-like: ' : '') + e.message;
    } else {
      report.status = 'error';
      report.message = describeError(e, args.file);
    }
    report.message = withStep(report.message, step);
  } finally {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
  sendReport();
}

// A function that writes REPORT to FD and closes it, the first time it is called.
function reportOnce(fd, report) {
  let sent = false;
  const send = () => {
    if (sent) return;
    sent = true;
    fs.writeSync(fd, JSON.stringify(report));
    fs.closeSync(fd);
  };
  send.sent = () => sent;
  return send;
}

// The process can end before main() reports: the workload calls process.exit() (the embedded
// worker's verdict for it is an error naming where it was called, with the stack), or node's event
// loop runs empty while a Promise of the workload's is awaited (nothing can settle it). The report
// is written on the way out, naming the STEP that was running.
function watchForEarlyExit(file, report, sendReport, step) {
  const exit = process.exit;
  let requested = null;
  process.exit = function exitRequested(code) {
    if (requested === null) requested = exitRequest(file, code, exitRequested);
    try {
      return exit.call(process, code);
    } catch (e) {
      requested = null;  // node refused the code (process.exit('abc')): an error the workload may catch
      throw e;
    }
  };
  process.on('exit', () => {
    if (sendReport.sent()) return;
    report.status = 'error';
    report.message = withStep(requested !== null
      ? requested
      : file + ': a Promise of the workload never settled: node\'s event loop ran empty while it was awaited', step);
    sendReport();
  });
}

// "FILE:LINE:COLUMN: the workload ended the process (process.exit) with status S" and the stack below
// it, for a call of process.exit(CODE) that ENTRY (the replaced process.exit) received. The status is
// the one polyhost's V8 reports (host/v8/prelude.js), the location FILE when the stack names none.
function exitRequest(file, code, entry) {
  const status = code === undefined ? (process.exitCode || 0) : Number(code) | 0;
  const site = {};
  Error.captureStackTrace(site, entry);  // the calls that led to process.exit, from the workload's
  const frames = String(site.stack).split('\n').slice(1).join('\n');
  const where = errorLocation({ stack: frames }, file).replace(/: $/, '');
  return (where || file) + ': the workload ended the process (process.exit) with status ' + status + (frames ? '\n' + frames : '');
}

if (require.main === module) {
  main().then(() => process.exit(0), (e) => { process.stderr.write(String(e && e.stack || e) + '\n'); process.exit(1); });
} else {
  // The scale worker (scale_worker.js) loads, encodes and compares results by the same rules (and a
  // test reads staticImportSpecifiers).
  module.exports = { ContractError, NotJsonLike, encode, agree, load, describeError, call, askForMore, ResultCheck, shown,
                     staticImportSpecifiers };
}
