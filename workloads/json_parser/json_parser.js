'use strict';
// A hand-written recursive-descent JSON parser run over a generated JSON
// text (n records, irregular whitespace, escapes, exponents). The result
// summarizes the parsed structure.

const { Rng } = require('../common/rng.js');  // shared by the suite's workloads

// ---------------------------------------------------------------- generator

const WORDS = ['north', 'south', 'east', 'west', 'up', 'down', 'left', 'right',
  'fast', 'slow', 'red', 'green', 'blue', 'warm', 'cold', 'bright'];
const ESCAPES = ['\\"', '\\\\', '\\/', '\\n', '\\t', '\\r', '\\b', '\\f', '\\u0041', '\\u00e9', '\\u001f'];
const SPACES = ['', '', '', ' ', ' ', '\n', '\n  ', '\t'];

function genString(rng, out) {
  out.push('"');
  const count = 1 + rng.int(4);
  for (let i = 0; i < count; i++) {
    if (i > 0) out.push(' ');
    out.push(rng.pick(WORDS));
    if (rng.int(5) === 0) out.push(rng.pick(ESCAPES));
  }
  out.push('"');
}

function genNumber(rng, out) {
  const kind = rng.int(4);
  const sign = rng.int(3) === 0 ? '-' : '';
  if (kind === 0) {
    out.push(sign + rng.int(1000000));
  } else if (kind === 1) {
    out.push(sign + rng.int(10000) + '.' + (1 + rng.int(999)));
  } else if (kind === 2) {
    out.push(sign + (1 + rng.int(9)) + '.' + rng.int(100) + (rng.int(2) ? 'e' : 'E') +
      rng.pick(['', '+', '-']) + rng.int(8));
  } else {
    out.push(sign + rng.int(100));
  }
}

function genValue(rng, depth, out) {
  const r = depth >= 3 ? rng.int(6) : rng.int(10);
  if (r <= 1) genString(rng, out);
  else if (r <= 3) genNumber(rng, out);
  else if (r === 4) out.push(rng.pick(['true', 'false', 'null']));
  else if (r === 5) out.push(rng.pick(['true', 'false', 'null', '0']));
  else if (r <= 7) genArray(rng, depth + 1, out);
  else genObject(rng, depth + 1, out);
}

function genArray(rng, depth, out) {
  out.push('[');
  const count = rng.int(6);
  for (let i = 0; i < count; i++) {
    if (i > 0) out.push(',');
    out.push(rng.pick(SPACES));
    genValue(rng, depth, out);
  }
  out.push(rng.pick(SPACES), ']');
}

function genObject(rng, depth, out) {
  out.push('{');
  const count = rng.int(5);
  for (let i = 0; i < count; i++) {
    if (i > 0) out.push(',');
    out.push(rng.pick(SPACES), '"k', String(i), rng.pick(WORDS), '"', rng.pick(SPACES), ':');
    genValue(rng, depth, out);
  }
  out.push(rng.pick(SPACES), '}');
}

function makeText(n) {
  const rng = new Rng(42);
  const out = ['{"format": "records", "count": ', String(n), ', "records": ['];
  for (let i = 0; i < n; i++) {
    if (i > 0) out.push(',');
    out.push('\n  {"id": ', String(i), ', "name": ');
    genString(rng, out);
    out.push(', "score": ');
    genNumber(rng, out);
    out.push(', "tags": ');
    genArray(rng, 2, out);
    out.push(', "attrs": ');
    genObject(rng, 1, out);
    out.push('}');
  }
  out.push('\n]}\n');
  return out.join('');
}

// ------------------------------------------------------------------- parser

const ESCAPE_CHARS = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

class JsonParser {
  constructor(text) {
    this.text = text;
    this.pos = 0;
  }

  fail(msg) {
    throw new SyntaxError(msg + ' at offset ' + this.pos);
  }

  skipWhitespace() {
    const text = this.text;
    let pos = this.pos;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === 32 || c === 10 || c === 13 || c === 9) pos++;
      else break;
    }
    this.pos = pos;
  }

  parseDocument() {
    const value = this.parseValue();
    this.skipWhitespace();
    if (this.pos !== this.text.length) this.fail('trailing data');
    return value;
  }

  parseValue() {
    this.skipWhitespace();
    const c = this.text[this.pos];
    switch (c) {
      case '{': return this.parseObject();
      case '[': return this.parseArray();
      case '"': return this.parseString();
      case 't': return this.parseLiteral('true', true);
      case 'f': return this.parseLiteral('false', false);
      case 'n': return this.parseLiteral('null', null);
      default:
        if (c === '-' || (c >= '0' && c <= '9')) return this.parseNumber();
        return this.fail('unexpected character');
    }
  }

  parseLiteral(word, value) {
    if (!this.text.startsWith(word, this.pos)) this.fail('bad literal');
    this.pos += word.length;
    return value;
  }

  parseObject() {
    this.pos++; // '{'
    const obj = {};
    this.skipWhitespace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return obj;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.pos] !== '"') this.fail('expected key');
      const key = this.parseString();
      this.skipWhitespace();
      if (this.text[this.pos] !== ':') this.fail("expected ':'");
      this.pos++;
      obj[key] = this.parseValue();
      this.skipWhitespace();
      const c = this.text[this.pos++];
      if (c === '}') return obj;
      if (c !== ',') this.fail("expected ',' or '}'");
    }
  }

  parseArray() {
    this.pos++; // '['
    const arr = [];
    this.skipWhitespace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return arr;
    }
    for (;;) {
      arr.push(this.parseValue());
      this.skipWhitespace();
      const c = this.text[this.pos++];
      if (c === ']') return arr;
      if (c !== ',') this.fail("expected ',' or ']'");
    }
  }

  parseString() {
    const text = this.text;
    let pos = this.pos + 1; // skip '"'
    let start = pos;
    let result = '';
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === 34) { // '"'
        result += text.slice(start, pos);
        this.pos = pos + 1;
        return result;
      }
      if (c === 92) { // '\\'
        result += text.slice(start, pos);
        const e = text[pos + 1];
        if (e === 'u') {
          const hex = text.slice(pos + 2, pos + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) { this.pos = pos; this.fail('bad unicode escape'); }
          result += String.fromCharCode(parseInt(hex, 16));
          pos += 6;
        } else {
          const ch = ESCAPE_CHARS[e];
          if (ch === undefined) { this.pos = pos; this.fail('bad escape'); }
          result += ch;
          pos += 2;
        }
        start = pos;
      } else if (c < 32 || Number.isNaN(c)) {
        this.pos = pos;
        this.fail('unterminated string');
      } else {
        pos++;
      }
    }
  }

  parseNumber() {
    const text = this.text;
    const start = this.pos;
    let pos = start;
    let isFloat = false;
    if (text[pos] === '-') pos++;
    const digitsFrom = pos;
    while (text[pos] >= '0' && text[pos] <= '9') pos++;
    if (pos === digitsFrom) { this.pos = pos; this.fail('expected digit'); }
    if (text[digitsFrom] === '0' && pos - digitsFrom > 1) { this.pos = pos; this.fail('leading zero'); }
    if (text[pos] === '.') {
      isFloat = true;
      pos++;
      const fracFrom = pos;
      while (text[pos] >= '0' && text[pos] <= '9') pos++;
      if (pos === fracFrom) { this.pos = pos; this.fail('expected fraction digit'); }
    }
    if (text[pos] === 'e' || text[pos] === 'E') {
      isFloat = true;
      pos++;
      if (text[pos] === '+' || text[pos] === '-') pos++;
      const expFrom = pos;
      while (text[pos] >= '0' && text[pos] <= '9') pos++;
      if (pos === expFrom) { this.pos = pos; this.fail('expected exponent digit'); }
    }
    this.pos = pos;
    const s = text.slice(start, pos);
    return isFloat ? parseFloat(s) : parseInt(s, 10);
  }
}

// ------------------------------------------------------------------ summary

function newStats() {
  return {
    objects: 0, arrays: 0, keys: 0, keyChars: 0, strings: 0, stringChars: 0,
    charCodeSum: 0, numbers: 0, numberSum: 0, trues: 0, falses: 0, nulls: 0, maxDepth: 0,
  };
}

function walk(v, depth, st) {
  if (depth > st.maxDepth) st.maxDepth = depth;
  if (v === null) {
    st.nulls++;
  } else if (typeof v === 'boolean') {
    if (v) st.trues++; else st.falses++;
  } else if (typeof v === 'number') {
    st.numbers++;
    st.numberSum += v;
  } else if (typeof v === 'string') {
    st.strings++;
    st.stringChars += v.length;
    if (v.length > 0) st.charCodeSum += v.charCodeAt(v.length - 1);
  } else if (Array.isArray(v)) {
    st.arrays++;
    for (const x of v) walk(x, depth + 1, st);
  } else {
    st.objects++;
    for (const k of Object.keys(v)) {
      st.keys++;
      st.keyChars += k.length;
      walk(v[k], depth + 1, st);
    }
  }
  return st;
}

let text = null;
let textSize = -1;

function setup(n) {
  text = makeText(n);
  textSize = n;
}

function run(n) {
  if (textSize !== n) setup(n);
  const doc = new JsonParser(text).parseDocument();
  const st = walk(doc, 0, newStats());
  st.textLength = text.length;
  st.records = doc.records.length;
  return st;
}

function deepEqual(a, b) {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k) || !deepEqual(a[k], b[k])) return false;
  }
  return true;
}

// Expected summary for size n (null when the parser misbehaves), computed
// once per n since verify() runs after every measured iteration.
let expected = null;
let expectedSize = -1;

function expectedStats(n) {
  if (expectedSize === n) return expected;
  expectedSize = n;
  expected = null;
  // The hand-written parser must agree with the built-in one...
  const t = textSize === n ? text : makeText(n);
  const builtin = JSON.parse(t);
  if (!deepEqual(new JsonParser(t).parseDocument(), builtin)) return null;
  // ...and reject malformed input.
  for (const bad of ['{"a":1,}', '[1 2]', '"abc', '{"a" 1}', '01', '[-]', '"\\q"', '[1.]', 'nul']) {
    try {
      new JsonParser(bad).parseDocument();
      return null;
    } catch (e) {
      if (!(e instanceof SyntaxError)) return null;
    }
  }
  expected = walk(builtin, 0, newStats());
  expected.textLength = t.length;
  expected.records = n;
  return expected;
}

function verify(result, n) {
  const st = expectedStats(n);
  if (st === null) return false;
  for (const k of Object.keys(st)) if (result[k] !== st[k]) return false;
  return Object.keys(result).length === Object.keys(st).length;
}

const sizes = { quick: 300, default: 3000 };

module.exports = { run, setup, verify, sizes };
