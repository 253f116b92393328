'use strict';
// Regex DNA: on a generated FASTA file with about n bases, strip headers and
// line breaks with a regex, count the classic 8-mer variant patterns (and
// their reverse complements), then apply a chain of IUB-code substitutions.
// Only plain regex features are used (literals, classes, negated classes,
// alternation, '.', '*'; no anchors, flags or lookaround) so that V8 Irregexp
// and Python's re engine behave identically.

const { matchesRecorded } = require('../common/result_fingerprint.js');  // shared by the suite's workloads
const { Rng } = require('../common/rng.js');

// [symbol, weight out of 1000]
const IUB_TABLE = [
  ['a', 240], ['c', 110], ['g', 110], ['t', 240], ['B', 25], ['D', 25], ['H', 25], ['K', 25],
  ['M', 25], ['N', 25], ['R', 25], ['S', 25], ['V', 25], ['W', 25], ['Y', 25],
];
const HUMAN_TABLE = [['a', 302], ['c', 198], ['g', 198], ['t', 302]];

function weighted(rng, table) {
  let r = rng.int(1000);
  for (const [sym, w] of table) {
    if (r < w) return sym;
    r -= w;
  }
  return table[table.length - 1][0];
}

function writeSection(out, header, seq) {
  out.push('>' + header + '\n');
  for (let i = 0; i < seq.length; i += 60) out.push(seq.slice(i, i + 60) + '\n');
}

function makeFasta(n) {
  const rng = new Rng(42);
  const out = [];
  // Section ONE: a random 287-base motif repeated.
  let motif = '';
  for (let i = 0; i < 287; i++) motif += 'acgt'[rng.int(4)];
  const oneLen = Math.floor(n / 5);
  let one = '';
  while (one.length < oneLen) one += motif;
  writeSection(out, 'ONE generated repeat', one.slice(0, oneLen));
  // Section TWO: IUB ambiguity codes mixed in.
  const twoLen = Math.floor((n * 3) / 10);
  const two = [];
  for (let i = 0; i < twoLen; i++) two.push(weighted(rng, IUB_TABLE));
  writeSection(out, 'TWO iub codes', two.join(''));
  // Section THREE: plain bases with skewed frequencies.
  const threeLen = n - oneLen - twoLen;
  const three = [];
  for (let i = 0; i < threeLen; i++) three.push(weighted(rng, HUMAN_TABLE));
  writeSection(out, 'THREE weighted bases', three.join(''));
  return out.join('');
}

const VARIANTS = [
  'agggtaaa|tttaccct',
  '[cgt]gggtaaa|tttaccc[acg]',
  'a[act]ggtaaa|tttacc[agt]t',
  'ag[act]gtaaa|tttac[agt]ct',
  'agg[act]taaa|ttta[agt]cct',
  'aggg[acg]aaa|ttt[cgt]ccct',
  'agggt[cgt]aa|tt[acg]accct',
  'agggta[cgt]a|t[acg]taccct',
  'agggtaa[cgt]|[acg]ttaccct',
];
const VARIANT_RES = VARIANTS.map((v) => new RegExp(v, 'g'));

const SUBSTITUTIONS = [
  [/tHa[Nt]/g, '<4>'],
  [/aND|caN|Ha[DS]|WaS/g, '<3>'],
  [/a[NSt]|BY/g, '<2>'],
  [/<[^>]*>/g, '|'],
  [/\|[^|][^|]*\|/g, '-'],
];

const CLEANUP = />.*\n|\n/g;
const CODES = /[BDHKMNRSVWY]/g;

function countMatches(re, s) {
  const m = s.match(re);
  return m === null ? 0 : m.length;
}

let fasta = null;
let fastaSize = -1;

function setup(n) {
  fasta = makeFasta(n);
  fastaSize = n;
}

function run(n) {
  if (fastaSize !== n) setup(n);
  const seq = fasta.replace(CLEANUP, '');
  const variants = {};
  for (let i = 0; i < VARIANTS.length; i++) variants[VARIANTS[i]] = countMatches(VARIANT_RES[i], seq);
  let s = seq;
  const afterEach = [];
  for (const [re, repl] of SUBSTITUTIONS) {
    s = s.replace(re, repl);
    afterEach.push(s.length);
  }
  return {
    inputLength: fasta.length,
    cleanLength: seq.length,
    codes: countMatches(CODES, seq),
    variants,
    afterEach,
    finalLength: s.length,
    tail: s.slice(-40),
  };
}

// Expand an alternative such as 'a[act]ggtaaa' into its literal strings.
function expand(alt) {
  let out = [''];
  for (let i = 0; i < alt.length; i++) {
    let choices = alt[i];
    if (alt[i] === '[') {
      const j = alt.indexOf(']', i);
      choices = alt.slice(i + 1, j);
      i = j;
    }
    const next = [];
    for (const prefix of out) for (const c of choices) next.push(prefix + c);
    out = next;
  }
  return out;
}

// Expected input length and variant counts per size, computed once per n
// since verify() runs after every measured iteration.
const expectedCache = new Map();

function expectedCounts(n) {
  if (expectedCache.has(n)) return expectedCache.get(n);
  const f = fastaSize === n ? fasta : makeFasta(n);
  // Count variants without regexes: find every occurrence of every literal
  // expansion, then count leftmost non-overlapping hits.
  const seq = f.split('\n').filter((line) => !line.startsWith('>')).join('');
  const variants = {};
  for (const v of VARIANTS) {
    const starts = [];
    for (const alt of v.split('|')) {
      for (const lit of expand(alt)) {
        for (let p = seq.indexOf(lit); p >= 0; p = seq.indexOf(lit, p + 1)) starts.push(p);
      }
    }
    starts.sort((a, b) => a - b);
    let count = 0;
    let end = 0;
    for (const p of starts) {
      if (p >= end) {
        count++;
        end = p + 8;
      }
    }
    variants[v] = count;
  }
  const exp = { inputLength: f.length, cleanLength: seq.length, variants };
  expectedCache.set(n, exp);
  return exp;
}

function checkConsistency(result, n) {
  const exp = expectedCounts(n);
  if (result.inputLength !== exp.inputLength || result.cleanLength !== n || exp.cleanLength !== n) return false;
  for (const v of VARIANTS) if (result.variants[v] !== exp.variants[v]) return false;
  return result.afterEach.length === SUBSTITUTIONS.length &&
    result.afterEach[result.afterEach.length - 1] === result.finalLength;
}

// Fingerprints of the results at the standard sizes (common/result_fingerprint.js), the same in
// the Python version.
const FINGERPRINTS = { 50000: '218844783:443', 500000: '344026740:461' };

function verify(result, n) {
  return matchesRecorded(result, n, FINGERPRINTS) && checkConsistency(result, n);
}

const sizes = { quick: 50000, default: 500000 };

module.exports = { run, setup, verify, sizes };
