'use strict';
// Sort records: sort n generated employee records with the built-in stable
// sort: by a multi-key comparator, by two stable passes, plus plain string
// and numeric sorts. Returns order checksums and a few first/last entries.

const { matchesRecorded } = require('../common/result_fingerprint.js');  // shared by the suite's workloads
const { Rng } = require('../common/rng.js');

const SYLLABLES = ['ka', 'lo', 'mi', 'ra', 'te', 'vo', 'san', 'del', 'ri', 'qu', 'bo', 'ne', 'zu', 'ha'];
const DEPTS = ['eng', 'ops', 'sales', 'legal', 'design', 'support', 'finance', 'research'];
const MOD = 1000000007;

function makeName(rng) {
  const count = 2 + rng.int(2);
  let s = '';
  for (let i = 0; i < count; i++) s += rng.pick(SYLLABLES);
  return s[0].toUpperCase() + s.slice(1);
}

function makeRecords(n) {
  const rng = new Rng(42);
  const records = [];
  for (let i = 0; i < n; i++) {
    const name = makeName(rng);
    const dept = rng.pick(DEPTS);
    const age = 20 + rng.int(45);
    const salary = 30000 + rng.int(500) * 250;
    const joined = (1990 + rng.int(34)) + '-' + String(1 + rng.int(12)).padStart(2, '0') + '-' +
      String(1 + rng.int(28)).padStart(2, '0');
    records.push({ id: (i * 7919) % n, name, dept, age, salary, joined });
  }
  return records;
}

function cmpStr(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byDeptSalaryName(a, b) {
  return cmpStr(a.dept, b.dept) || b.salary - a.salary || cmpStr(a.name, b.name) || a.id - b.id;
}

function orderChecksum(ids) {
  let h = 0;
  for (let i = 0; i < ids.length; i++) h = (h + (i + 1) * ids[i]) % MOD;
  return h;
}

function brief(r) {
  return [r.id, r.dept, r.salary, r.name, r.age, r.joined];
}

let records = null;

function setup(n) {
  records = makeRecords(n);
}

function run(n) {
  if (records === null || records.length !== n) setup(n);

  const multi = records.slice().sort(byDeptSalaryName);

  const twoPass = records.slice();
  twoPass.sort((a, b) => cmpStr(a.joined, b.joined));
  twoPass.sort((a, b) => b.age - a.age);

  const names = records.map((r) => r.name).sort();
  const salaries = records.map((r) => r.salary).sort((a, b) => a - b);

  let distinctNames = names.length > 0 ? 1 : 0;
  for (let i = 1; i < names.length; i++) if (names[i] !== names[i - 1]) distinctNames++;

  return {
    multiChecksum: orderChecksum(multi.map((r) => r.id)),
    twoPassChecksum: orderChecksum(twoPass.map((r) => r.id)),
    multiFirst: multi.slice(0, 3).map(brief),
    multiLast: multi.slice(-3).map(brief),
    twoPassFirst: twoPass.slice(0, 3).map(brief),
    twoPassLast: twoPass.slice(-3).map(brief),
    names: [names[0], names[names.length >> 1], names[names.length - 1]],
    distinctNames,
    medianSalary: salaries[salaries.length >> 1],
    salarySpread: salaries[salaries.length - 1] - salaries[0],
  };
}

// Check in one linear pass that `sorted` is in the required order; `tie`
// decides pairs the comparator considers equal (stability checks).
function ordered(sorted, cmp, tie) {
  for (let i = 1; i < sorted.length; i++) {
    const c = cmp(sorted[i - 1], sorted[i]);
    if (c > 0 || (c === 0 && !tie(sorted[i - 1], sorted[i]))) return false;
  }
  return true;
}

// Expected checksums per size (null if an ordering check fails), computed
// once per n since verify() runs after every measured iteration.
const expectedCache = new Map();

function expectedOrders(n) {
  if (expectedCache.has(n)) return expectedCache.get(n);
  const recs = records !== null && records.length === n ? records : makeRecords(n);
  const position = new Array(n);
  recs.forEach((r, i) => { position[r.id] = i; });
  const byAgeJoined = (a, b) => b.age - a.age || cmpStr(a.joined, b.joined);
  const multi = recs.slice().sort(byDeptSalaryName);
  const twoPass = recs.slice().sort(byAgeJoined);
  const stable = (a, b) => position[a.id] < position[b.id];
  let exp = null;
  if (ordered(multi, byDeptSalaryName, () => false) && ordered(twoPass, byAgeJoined, stable)) {
    exp = {
      multiChecksum: orderChecksum(multi.map((r) => r.id)),
      twoPassChecksum: orderChecksum(twoPass.map((r) => r.id)),
      multiFirstId: multi[0].id,
      twoPassLastId: twoPass[n - 1].id,
    };
  }
  expectedCache.set(n, exp);
  return exp;
}

function checkConsistency(result, n) {
  const exp = expectedOrders(n);
  return exp !== null &&
    result.multiChecksum === exp.multiChecksum && result.twoPassChecksum === exp.twoPassChecksum &&
    result.multiFirst[0][0] === exp.multiFirstId && result.twoPassLast[2][0] === exp.twoPassLastId;
}

// Fingerprints of the results at the standard sizes (common/result_fingerprint.js), the same in
// the Python version.
const FINGERPRINTS = { 4000: '57294902:777', 40000: '379370991:790' };

function verify(result, n) {
  return matchesRecorded(result, n, FINGERPRINTS) && checkConsistency(result, n);
}

const sizes = { quick: 4000, default: 40000 };

module.exports = { run, setup, verify, sizes };
