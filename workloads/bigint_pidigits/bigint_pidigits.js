'use strict';
// Pi digits with arbitrary-precision integers (BigInt): the unbounded
// streaming spigot of Gibbons, composing linear fractional transformations
// (k, 4k+2, 0, 2k+1) and emitting a digit whenever floor((3q+r)/t) and
// floor((4q+r)/t) agree. All divided quantities are non-negative, so
// BigInt's truncating division equals floor division.

function piDigits(n) {
  let q = 1n; // numerator
  let r = 0n; // accumulator
  let t = 1n; // denominator
  let k = 0n;
  const digits = [];
  while (digits.length < n) {
    k += 1n;
    const k2 = 2n * k + 1n;
    r = (r + 2n * q) * k2;
    t *= k2;
    q *= k;
    if (q > r) continue;
    const d = (3n * q + r) / t;
    if (d !== (4n * q + r) / t) continue;
    digits.push(String(d));
    r = 10n * (r - d * t);
    q *= 10n;
  }
  return digits.join('');
}

function run(n) {
  const digits = piDigits(n);
  let sum = 0;
  for (const c of digits) sum += c.charCodeAt(0) - 48;
  return { digits, digitSum: sum };
}

// Independent check: Machin's formula pi = 16 atan(1/5) - 4 atan(1/239)
// in fixed point with guard digits.
function arctanInv(x, scale) {
  const x2 = x * x;
  let term = scale / x;
  let sum = term;
  let sign = -1n;
  for (let k = 3n; term !== 0n; k += 2n) {
    term /= x2;
    sum += sign * (term / k);
    sign = -sign;
  }
  return sum;
}

function machinPi(n) {
  const guard = 10n;
  const scale = 10n ** (BigInt(n) - 1n + guard);
  const pi = 16n * arctanInv(5n, scale) - 4n * arctanInv(239n, scale);
  return String(pi / 10n ** guard);
}

function verify(result, n) {
  const d = result.digits;
  if (typeof d !== 'string' || d.length !== n) return false;
  if (!'31415926535897932384626433832795028841971693993751'.startsWith(d.slice(0, 50))) return false;
  let sum = 0;
  for (const c of d) sum += c.charCodeAt(0) - 48;
  return sum === result.digitSum && d === machinPi(n);
}

const sizes = { quick: 400, default: 1500 };

module.exports = { run, verify, sizes };
