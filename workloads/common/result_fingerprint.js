// The fingerprint of a workload's result, the same as result_fingerprint.py computes: a hash of
// the result's canonical text (sorted keys; integers and ASCII strings only) and that text's length.
// A workload records the fingerprints of its results at its standard sizes, in both languages, and
// its verify() checks a result against them.

// Canonical text of a result: sorted keys, integers and ASCII strings only.
function canonical(v) {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return '[' + v.map(canonical).join(',') + ']';
  const keys = Object.keys(v).sort();
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonical(v[k])).join(',') + '}';
}

function fingerprint(result) {
  const s = canonical(result);
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 131 + s.charCodeAt(i)) % 1000000007;
  return h + ':' + s.length;
}

// False when RECORDED (size -> fingerprint) has n and the result's fingerprint differs.
function matchesRecorded(result, n, recorded) {
  const known = recorded[n];
  return known === undefined || fingerprint(result) === known;
}

module.exports = { canonical, fingerprint, matchesRecorded };
