'use strict';
// Fannkuch-redux: for every permutation of 0..n-1 (in the classic rotation
// order) count the prefix reversals ("pancake flips") until 0 is in front.
// Returns the maximum flip count and the alternating-sign checksum.

function fannkuch(n) {
  const perm = new Array(n).fill(0);
  const current = [];
  for (let i = 0; i < n; i++) current.push(i);
  const count = new Array(n).fill(0);
  let maxFlips = 0;
  let checksum = 0;
  let permIndex = 0;
  let r = n;
  for (;;) {
    while (r !== 1) {
      count[r - 1] = r;
      r--;
    }
    for (let i = 0; i < n; i++) perm[i] = current[i];
    let flips = 0;
    let k = perm[0];
    while (k !== 0) {
      for (let lo = 0, hi = k; lo < hi; lo++, hi--) {
        const t = perm[lo];
        perm[lo] = perm[hi];
        perm[hi] = t;
      }
      flips++;
      k = perm[0];
    }
    if (flips > maxFlips) maxFlips = flips;
    checksum += permIndex % 2 === 0 ? flips : -flips;

    // Advance to the next permutation by rotating prefixes.
    for (;;) {
      if (r === n) return { checksum, maxFlips, permutations: permIndex + 1 };
      const first = current[0];
      for (let i = 0; i < r; i++) current[i] = current[i + 1];
      current[r] = first;
      count[r]--;
      if (count[r] > 0) break;
      r++;
    }
    permIndex++;
  }
}

function run(n) {
  return fannkuch(n);
}

const KNOWN = {
  5: [11, 7], 6: [49, 10], 7: [228, 16], 8: [1616, 22], 9: [8629, 30], 10: [73196, 38],
};

function verify(result, n) {
  let fact = 1;
  for (let i = 2; i <= n; i++) fact *= i;
  if (result.permutations !== fact) return false;
  const k = KNOWN[n];
  return k === undefined || (result.checksum === k[0] && result.maxFlips === k[1]);
}

const sizes = { quick: 7, default: 8 };

module.exports = { run, verify, sizes };
