'use strict';
// JSON round trip through the engine's built-in codec: serialize a generated
// document of n items, parse it back, re-serialize, and summarize the parsed
// structure. Serialization is compact (no whitespace); all floats are kept
// in a range where JS and Python print them identically, so text lengths
// agree across languages.

const { Rng } = require('../common/rng.js');  // shared by the suite's workloads

const WORDS = [
  'amber', 'basalt', 'cedar', 'delta', 'ember', 'fjord', 'garnet', 'harbor',
  'indigo', 'juniper', 'kelp', 'lumen', 'mesa', 'nectar', 'onyx', 'prairie',
  'quartz', 'raven', 'sierra', 'tundra', 'umber', 'vortex', 'willow', 'zephyr',
];
const ODDITIES = ['"quoted"', 'back\\slash', 'line\nbreak', 'tab\there', 'ctl\u0001x', 'a/b', '<&>'];

function phrase(rng) {
  const parts = [];
  const count = 1 + rng.int(4);
  for (let i = 0; i < count; i++) parts.push(rng.pick(WORDS));
  if (rng.int(6) === 0) parts.push(rng.pick(ODDITIES));
  return parts.join(' ');
}

function makeItem(rng, i) {
  let cents = 1 + rng.int(99999);
  if (cents % 100 === 0) cents += 1; // keep prices non-integral
  const tags = [];
  const tagCount = rng.int(5);
  for (let t = 0; t < tagCount; t++) tags.push(rng.pick(WORDS));
  const history = [];
  const historyCount = rng.int(4);
  for (let h = 0; h < historyCount; h++) {
    history.push({ day: rng.int(365), delta: rng.int(201) - 100 });
  }
  return {
    id: i,
    name: rng.pick(WORDS) + '-' + i,
    title: phrase(rng),
    price: cents / 100,
    qty: rng.int(1000),
    ratio: (100000 + rng.int(900000)) / 999983,
    active: rng.int(2) === 1,
    rating: rng.int(5) === 0 ? null : 1 + rng.int(5),
    tags,
    dims: { w: rng.int(500), h: rng.int(500), unit: rng.int(3) === 0 ? 'in' : 'cm' },
    history,
  };
}

function makeDoc(n) {
  const rng = new Rng(42);
  const items = [];
  for (let i = 0; i < n; i++) items.push(makeItem(rng, i));
  const byName = {};
  for (let i = 0; i < Math.min(n, 200); i++) byName[items[i].name] = items[i].id;
  return { version: 3, generator: 'polyhost', count: n, byName, items };
}

function newStats() {
  return {
    objects: 0, arrays: 0, elements: 0, keys: 0, keyChars: 0, strings: 0,
    stringChars: 0, numbers: 0, numberSum: 0, trues: 0, falses: 0, nulls: 0, maxDepth: 0,
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
  } else if (Array.isArray(v)) {
    st.arrays++;
    st.elements += v.length;
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

let doc = null;
let docSize = -1;

function setup(n) {
  doc = makeDoc(n);
  docSize = n;
}

function run(n) {
  if (docSize !== n) setup(n);
  const text = JSON.stringify(doc);
  const parsed = JSON.parse(text);
  const again = JSON.stringify(parsed);
  const stats = walk(parsed, 0, newStats());
  stats.textLength = text.length;
  stats.stable = again === text;
  stats.items = parsed.items.length;
  return stats;
}

// Expected summary per size, computed once since verify() runs after every
// measured iteration.
const expectedCache = new Map();

function expectedStats(n) {
  if (!expectedCache.has(n)) {
    const original = docSize === n ? doc : makeDoc(n);
    const st = walk(original, 0, newStats());
    st.textLength = JSON.stringify(original).length;
    st.stable = true;
    st.items = n;
    expectedCache.set(n, st);
  }
  return expectedCache.get(n);
}

function verify(result, n) {
  const expected = expectedStats(n);
  for (const k of Object.keys(expected)) {
    if (result[k] !== expected[k]) return false;
  }
  return Object.keys(result).length === Object.keys(expected).length;
}

const sizes = { quick: 400, default: 4000 };

module.exports = { run, setup, verify, sizes };
