// The JavaScript side of polyhost's V8 runtime: console, performance, process and CommonJS.
// Compiled as the body of `function (host)`; `host` holds the native functions (v8_host_functions.cc).
// Returns the entry points the C++ engine calls. Nothing here is visible to scripts except the
// globals it installs.
'use strict';

// ---------------------------------------------------------------------------------------------
// Paths (POSIX only, like the rest of polyhost).
function normalizePath(path) {
  const absolute = path.startsWith('/');
  const parts = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length && parts[parts.length - 1] !== '..') parts.pop();
      else if (!absolute) parts.push('..');
    } else {
      parts.push(part);
    }
  }
  const joined = parts.join('/');
  return absolute ? '/' + joined : joined || '.';
}
function dirname(path) {
  const i = path.lastIndexOf('/');
  if (i < 0) return '.';
  if (i === 0) return '/';
  return path.slice(0, i);
}
function resolvePath(base, spec) {
  return normalizePath(spec.startsWith('/') ? spec : base + '/' + spec);
}
function extname(path) {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const i = base.lastIndexOf('.');
  return i <= 0 ? '' : base.slice(i);
}

// ---------------------------------------------------------------------------------------------
// console: a readable inspector in the spirit of Node's util.inspect (not a copy of it).
const MAX_DEPTH = 2;
const MAX_ITEMS = 100;
const LINE_WIDTH = 72;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function quote(s) {
  const escaped = s.replace(/[\\'\n\r\t\b\f\v\0]/g, (c) => ({
    '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r', '\t': '\\t',
    '\b': '\\b', '\f': '\\f', '\v': '\\v', '\0': '\\0',
  }[c]));
  return "'" + escaped + "'";
}

function formatKey(key) {
  if (typeof key === 'symbol') return '[' + key.toString() + ']';
  return IDENTIFIER.test(key) ? key : quote(key);
}

function constructorName(value) {
  let proto = Object.getPrototypeOf(value);
  if (proto === null) return null;
  const ctor = proto.constructor;
  return typeof ctor === 'function' && ctor.name ? ctor.name : '';
}

function formatPrimitive(value, nested) {
  switch (typeof value) {
    case 'string': return nested ? quote(value) : value;
    case 'number': return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint': return value + 'n';
    case 'symbol': return value.toString();
    case 'undefined': return 'undefined';
    case 'boolean': return String(value);
    default: return null;
  }
}

function formatFunction(fn) {
  const source = Function.prototype.toString.call(fn);
  if (source.startsWith('class')) return '[class ' + (fn.name || '(anonymous)') + ']';
  return '[Function: ' + (fn.name || '(anonymous)') + ']';
}

function wrap(prefix, open, entries, close, indent) {
  if (entries.length === 0) return prefix + open + close;
  const single = prefix + open + ' ' + entries.join(', ') + ' ' + close;
  if (single.length + indent <= LINE_WIDTH && !single.includes('\n')) return single;
  const pad = ' '.repeat(indent + 2);
  return prefix + open + '\n' + entries.map((e) => pad + e).join(',\n') + '\n' + ' '.repeat(indent) + close;
}

// The byteLength of VALUE when it is a buffer (or a DataView) of any realm, else undefined: the
// built-in getters throw for anything else, a lookalike or a Proxy included.
const lengthGetter = (ctor) => Object.getOwnPropertyDescriptor(ctor.prototype, 'byteLength').get;
const BUFFER_LENGTH_GETTERS = [lengthGetter(ArrayBuffer)].concat(
    typeof SharedArrayBuffer === 'function' ? [lengthGetter(SharedArrayBuffer)] : []);
const DATA_VIEW_LENGTH = lengthGetter(DataView);
function byteLengthOf(value, getters) {
  for (const getter of getters) {
    try { return getter.call(value); } catch (e) { /* not this kind */ }
  }
  return undefined;
}

// Objects that know how to show themselves: proxies of Python objects (host/bridge) show repr().
const INSPECT = Symbol.for('polyhost.inspect');

function inspect(value, depth = 0, seen = [], indent = 0) {
  if (value === null) return 'null';
  const primitive = formatPrimitive(value, depth > 0 || seen.length > 0);
  if (primitive !== null) return primitive;
  const custom = value[INSPECT];
  if (typeof custom === 'function') return String(custom.call(value));
  if (typeof value === 'function' && Object.keys(value).length === 0) return formatFunction(value);
  if (seen.includes(value)) return '[Circular]';
  if (value instanceof Error) return value.stack || String(value);
  if (value instanceof Date) return isNaN(value) ? 'Invalid Date' : value.toISOString();
  if (value instanceof RegExp) return value.toString();
  if (value instanceof Promise) return 'Promise { <unknown> }';

  const name = constructorName(value);
  if (depth > MAX_DEPTH) {
    return Array.isArray(value) ? '[Array]' : '[' + (name || 'Object') + ']';
  }
  seen.push(value);
  const inner = (v) => inspect(v, depth + 1, seen, indent + 2);
  const entries = [];
  let prefix = '';
  let open = '{';
  let close = '}';
  try {
    const bufferLength = byteLengthOf(value, BUFFER_LENGTH_GETTERS);
    const viewLength = bufferLength === undefined ? byteLengthOf(value, [DATA_VIEW_LENGTH]) : undefined;
    if (bufferLength !== undefined) {
      // Its bytes in hex, as Node shows them (a buffer has no elements of its own).
      if (name) prefix = name + ' ';
      let bytes = null;
      try { bytes = new Uint8Array(value); } catch (e) { /* detached */ }
      if (bytes === null) {
        entries.push('(detached)', 'byteLength: ' + bufferLength);
      } else {
        const shown = Math.min(bytes.length, MAX_ITEMS);
        let hex = Array.from(bytes.subarray(0, shown), (b) => b.toString(16).padStart(2, '0')).join(' ');
        if (bytes.length > shown) hex += ' ... ' + (bytes.length - shown) + ' more byte' + (bytes.length - shown > 1 ? 's' : '');
        entries.push('[Uint8Contents]: <' + hex + '>', 'byteLength: ' + bufferLength);
      }
    } else if (viewLength !== undefined) {
      if (name) prefix = name + ' ';
      entries.push('byteLength: ' + viewLength, 'byteOffset: ' + value.byteOffset, 'buffer: ' + inner(value.buffer));
    } else if (Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView))) {
      open = '[';
      close = ']';
      if (!Array.isArray(value)) prefix = name + '(' + value.length + ') ';
      else if (name !== 'Array') prefix = name + '(' + value.length + ') ';
      const shown = Math.min(value.length, MAX_ITEMS);
      let holes = 0;
      for (let i = 0; i < shown; i++) {
        if (!(i in value)) { holes++; continue; }
        if (holes) { entries.push('<' + holes + ' empty item' + (holes > 1 ? 's' : '') + '>'); holes = 0; }
        entries.push(inner(value[i]));
      }
      if (holes) entries.push('<' + holes + ' empty item' + (holes > 1 ? 's' : '') + '>');
      if (value.length > shown) entries.push('... ' + (value.length - shown) + ' more items');
      if (Array.isArray(value)) {
        for (const key of Object.keys(value)) {
          if (!/^(0|[1-9][0-9]*)$/.test(key)) entries.push(formatKey(key) + ': ' + inner(value[key]));
        }
      }
    } else if (value instanceof Map) {
      prefix = 'Map(' + value.size + ') ';
      for (const [k, v] of value) entries.push(inner(k) + ' => ' + inner(v));
    } else if (value instanceof Set) {
      prefix = 'Set(' + value.size + ') ';
      for (const v of value) entries.push(inner(v));
    } else {
      if (typeof value === 'function') prefix = formatFunction(value) + ' ';
      else if (name === null) prefix = '[Object: null prototype] ';
      else if (name !== 'Object') prefix = name + ' ';
      for (const key of Reflect.ownKeys(value)) {
        const desc = Object.getOwnPropertyDescriptor(value, key);
        if (!desc || !desc.enumerable) continue;
        const shown = desc.get || desc.set
          ? (desc.get && desc.set ? '[Getter/Setter]' : desc.get ? '[Getter]' : '[Setter]')
          : inner(desc.value);
        entries.push(formatKey(key) + ': ' + shown);
      }
    }
  } finally {
    seen.pop();
  }
  return wrap(prefix, open, entries, close, indent);
}

function format(...args) {
  let first = 0;
  let out = '';
  if (typeof args[0] === 'string' && args.length > 1 && args[0].includes('%')) {
    let next = 1;
    out = args[0].replace(/%([sdifjoOc%])/g, (match, spec) => {
      if (spec === '%') return '%';
      if (next >= args.length) return match;
      const arg = args[next++];
      switch (spec) {
        case 's': return typeof arg === 'string' ? arg : inspect(arg, 1);
        case 'd':
        case 'i': {
          if (typeof arg === 'bigint') return arg + 'n';
          const n = Number(arg);
          return String(spec === 'i' ? Math.trunc(n) : n);
        }
        case 'f': return String(parseFloat(arg));
        case 'j': try { return JSON.stringify(arg); } catch (e) { return '[Circular]'; }
        case 'c': return '';
        default: return inspect(arg, 1);
      }
    });
    first = next;
    if (first < args.length) out += ' ';
  }
  out += args.slice(first).map((a) => inspect(a)).join(' ');
  return out;
}

const STDOUT = 1;
const STDERR = 2;
const counts = new Map();
const timers = new Map();
const console = {
  log: (...args) => host.write(STDOUT, format(...args) + '\n'),
  info: (...args) => host.write(STDOUT, format(...args) + '\n'),
  debug: (...args) => host.write(STDOUT, format(...args) + '\n'),
  warn: (...args) => host.write(STDERR, format(...args) + '\n'),
  error: (...args) => host.write(STDERR, format(...args) + '\n'),
  trace: (...args) => {
    const err = new Error(format(...args));
    err.name = 'Trace';
    host.write(STDERR, err.stack + '\n');
  },
  assert: (condition, ...args) => {
    if (!condition) host.write(STDERR, 'Assertion failed' + (args.length ? ': ' + format(...args) : '') + '\n');
  },
  count: (label = 'default') => {
    const n = (counts.get(label) || 0) + 1;
    counts.set(label, n);
    host.write(STDOUT, label + ': ' + n + '\n');
  },
  time: (label = 'default') => { timers.set(label, host.now()); },
  timeEnd: (label = 'default') => {
    if (!timers.has(label)) return;
    host.write(STDOUT, label + ': ' + (host.now() - timers.get(label)).toFixed(3) + 'ms\n');
    timers.delete(label);
  },
};
console.dir = (value) => console.log(inspect(value, 0, [0]));

const timeOrigin = host.timeOrigin;
const performance = { now: host.now, timeOrigin };

const process = {
  argv: [],
  env: {},
  platform: 'linux',
  exitCode: undefined,
  exit: (code) => host.exit(code === undefined ? (process.exitCode || 0) : Number(code) | 0),
};

for (const [name, value] of Object.entries({ console, performance, process })) {
  Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
}

// ---------------------------------------------------------------------------------------------
// CommonJS, behaving like Node's for relative and absolute paths.
const FILE = 1;
const DIRECTORY = 2;
const ESM_SYNTAX = /\b(import|export)\b|top level bodies of modules/;

class Module {
  constructor(filename, parent) {
    this.id = filename;
    this.filename = filename;
    this.path = dirname(filename);
    this.exports = {};
    this.parent = parent;
    this.loaded = false;
    this.children = [];
  }
}
const cache = Object.create(null);

function notFound(spec, from) {
  const err = new Error("Cannot find module '" + spec + "'" + (from ? '\nRequire stack:\n- ' + from : ''));
  err.code = 'MODULE_NOT_FOUND';
  return err;
}

function resolveFile(candidate) {
  const kind = host.stat(candidate);
  if (kind === FILE) return candidate;
  for (const ext of ['.js', '.json', '.cjs']) {
    if (host.stat(candidate + ext) === FILE) return candidate + ext;
  }
  if (kind === DIRECTORY) {
    const pkg = candidate + '/package.json';
    if (host.stat(pkg) === FILE) {
      let main;
      try {
        main = JSON.parse(host.readFile(pkg)).main;
      } catch (e) {
        e.message = 'Invalid package config ' + pkg + ': ' + e.message;
        throw e;
      }
      if (typeof main === 'string') {
        const found = resolveFile(resolvePath(candidate, main));
        if (found) return found;
      }
    }
    for (const index of ['/index.js', '/index.json', '/index.cjs']) {
      if (host.stat(candidate + index) === FILE) return candidate + index;
    }
  }
  return null;
}

function resolveFilename(spec, parentFilename) {
  if (typeof spec !== 'string' || spec === '') throw new TypeError('require() needs a non-empty string, got ' + inspect(spec, 1));
  const relative = spec === '.' || spec === '..' || spec.startsWith('./') || spec.startsWith('../');
  if (!relative && !spec.startsWith('/')) {
    const err = notFound(spec, parentFilename);
    err.message += '\n(polyhost resolves relative and absolute paths only: no built-in modules, no node_modules)';
    throw err;
  }
  const base = parentFilename ? dirname(parentFilename) : '.';
  const found = resolveFile(resolvePath(base, spec));
  if (found === null) throw notFound(spec, parentFilename);
  return found;
}

function compileWrapper(source, filename) {
  return host.compileFunction(source, filename, ['exports', 'require', 'module', '__filename', '__dirname']);
}

function makeRequire(module) {
  const require = (spec) => loadModule(resolveFilename(spec, module.filename), module);
  require.resolve = (spec) => resolveFilename(spec, module.filename);
  require.cache = cache;
  require.main = mainModule;
  return require;
}

function loadModule(filename, parent) {
  const cached = cache[filename];
  if (cached !== undefined) return cached.exports;
  const module = new Module(filename, parent);
  if (parent) parent.children.push(module);
  cache[filename] = module;
  let ok = false;
  try {
    evaluate(module, null);
    ok = true;
  } finally {
    if (!ok) delete cache[filename];
  }
  return module.exports;
}

// A JSON.parse error of FILENAME's TEXT, located in the file: the host reports it as
// FILE:LINE:COLUMN (V8 only says "at position N", or nothing at the end of the input).
function locateInJson(error, filename, text) {
  const at = /at position (\d+)/.exec(error.message);
  const offset = at ? Number(at[1]) : text.length;
  let line = 1;
  let column = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      column = 1;
    } else {
      column++;
    }
  }
  Object.defineProperty(error, 'polyhostLocation', { value: { file: filename, line, column }, enumerable: false });
  error.message = error.message + ' (in ' + filename + ')';
}

// Runs MODULE's file. FN is an already compiled wrapper (the main module), or null.
function evaluate(module, fn) {
  const filename = module.filename;
  if (extname(filename) === '.json') {
    const text = host.readFile(filename);
    try {
      module.exports = JSON.parse(text);
    } catch (e) {
      locateInJson(e, filename, text);
      throw e;
    }
  } else {
    if (extname(filename) === '.mjs') throw requireEsm(filename);
    if (fn === null) {
      try {
        fn = compileWrapper(host.readFile(filename), filename);
      } catch (e) {
        // A .cjs file is CommonJS whatever it holds: its import/export is the SyntaxError it is.
        if (e instanceof SyntaxError && ESM_SYNTAX.test(e.message) && extname(filename) !== '.cjs') throw requireEsm(filename);
        throw e;
      }
    }
    fn.call(module.exports, module.exports, makeRequire(module), module, filename, dirname(filename));
  }
  module.loaded = true;
}

function requireEsm(filename) {
  const err = new Error('require() of ES Module ' + filename + ' is not supported; use import');
  err.code = 'ERR_REQUIRE_ESM';
  return err;
}

let mainModule;

// A write as strict mode makes it (V8's Object::Set is sloppy): Python's setattr and a[k] = v on
// JavaScript objects (host/bridge), so that a refused write throws and its frame is hidden as ours.
function strictSet(object, key, value) {
  object[key] = value;
}

return {
  // The function Python's writes to JavaScript objects go through, cached by the bridge.
  strictSetter() {
    return strictSet;
  },
  // Runs FILENAME as the main CommonJS module. Returns 'esm' (without running anything) when the
  // file is an ES module by extension or by its syntax, so that the engine loads it as one.
  runMain(filename, argv) {
    process.argv = argv;
    if (extname(filename) === '.mjs') return 'esm';
    let fn = null;
    if (extname(filename) !== '.json') {
      try {
        fn = compileWrapper(host.readFile(filename), filename);
      } catch (e) {
        if (e instanceof SyntaxError && ESM_SYNTAX.test(e.message) && extname(filename) !== '.cjs') return 'esm';
        throw e;
      }
    }
    const module = new Module(filename, null);
    mainModule = module;
    cache[filename] = module;
    evaluate(module, fn);
    return 'cjs';
  },
  // Loads FILENAME (absolute) as a CommonJS module and returns its exports; used for workloads and
  // for `import` of CommonJS files from ES modules.
  require(filename) {
    return loadModule(filename, null);
  },
  // require(SPEC) as a module in PARENT_FILENAME would call it: Python's polyhost.require, which
  // resolves exactly as JavaScript's require does.
  requireFrom(spec, parentFilename) {
    return loadModule(resolveFilename(spec, parentFilename), null);
  },
  // Whether FILENAME should be loaded as an ES module.
  isEsm(filename) {
    const ext = extname(filename);
    if (ext === '.mjs') return true;
    if (ext !== '.js') return false;
    try {
      compileWrapper(host.readFile(filename), filename);
      return false;
    } catch (e) {
      if (e instanceof SyntaxError && ESM_SYNTAX.test(e.message)) return true;
      throw e;
    }
  },
  setArgv(argv) { process.argv = argv; },
  inspect,
};
