'use strict';
// Sieve of Eratosthenes over 0..n with a boolean array; returns the prime
// count, their sum and the largest prime <= n.

function run(n) {
  const composite = new Array(n + 1).fill(false);
  for (let i = 2; i * i <= n; i++) {
    if (composite[i]) continue;
    for (let j = i * i; j <= n; j += i) composite[j] = true;
  }
  let count = 0;
  let sum = 0;
  let largest = 0;
  for (let i = 2; i <= n; i++) {
    if (!composite[i]) {
      count++;
      sum += i;
      largest = i;
    }
  }
  return { count, sum, largest };
}

function isPrime(k) {
  if (k < 2) return false;
  for (let d = 2; d * d <= k; d++) if (k % d === 0) return false;
  return true;
}

const KNOWN = { 100000: [9592, 454396537], 1000000: [78498, 37550402023] };

function verify(result, n) {
  const k = KNOWN[n];
  if (k !== undefined && (result.count !== k[0] || result.sum !== k[1])) return false;
  if (!isPrime(result.largest)) return false;
  for (let m = result.largest + 1; m <= n; m++) if (isPrime(m)) return false;
  return true;
}

const sizes = { quick: 100000, default: 1000000 };

module.exports = { run, verify, sizes };
