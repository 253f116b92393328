'use strict';
// N-Queens: count every placement of n non-attacking queens on an n x n
// board by backtracking over rows with column / diagonal occupancy arrays.
// run(n) solves every board size from 1 to n.

function solve(n) {
  const cols = new Array(n).fill(false);
  const up = new Array(2 * n - 1).fill(false);   // row + col
  const down = new Array(2 * n - 1).fill(false); // row - col + n - 1
  const placement = new Array(n).fill(0);
  let solutions = 0;
  let firstSolution = null;

  function place(row) {
    if (row === n) {
      if (solutions === 0) firstSolution = placement.slice();
      solutions++;
      return;
    }
    for (let col = 0; col < n; col++) {
      const u = row + col;
      const d = row - col + n - 1;
      if (cols[col] || up[u] || down[d]) continue;
      cols[col] = up[u] = down[d] = true;
      placement[row] = col;
      place(row + 1);
      cols[col] = up[u] = down[d] = false;
    }
  }

  place(0);
  return { solutions, first: firstSolution };
}

function run(n) {
  const counts = [];
  let last = null;
  for (let size = 1; size <= n; size++) {
    last = solve(size);
    counts.push(last.solutions);
  }
  return { counts, first: last.first };
}

const KNOWN = [1, 1, 0, 0, 2, 10, 4, 40, 92, 352, 724, 2680, 14200, 73712, 365596];

function verify(result, n) {
  if (result.counts.length !== n) return false;
  for (let size = 1; size <= n && size < KNOWN.length; size++) {
    if (result.counts[size - 1] !== KNOWN[size]) return false;
  }
  const q = result.first;
  if (q.length !== n) return false;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (q[i] === q[j] || Math.abs(q[i] - q[j]) === j - i) return false;
    }
  }
  return true;
}

const sizes = { quick: 9, default: 10 };

module.exports = { run, verify, sizes };
