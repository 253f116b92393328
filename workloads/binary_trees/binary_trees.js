'use strict';
// Binary trees: allocate and walk many perfect binary trees of varying
// depth (an allocation / GC stress test).

const MIN_DEPTH = 4;

class TreeNode {
  constructor(left, right) {
    this.left = left;
    this.right = right;
  }
  check() {
    if (this.left === null) return 1;
    return 1 + this.left.check() + this.right.check();
  }
}

function bottomUp(depth) {
  if (depth === 0) return new TreeNode(null, null);
  return new TreeNode(bottomUp(depth - 1), bottomUp(depth - 1));
}

function run(n) {
  const maxDepth = Math.max(MIN_DEPTH + 2, n);
  const stretch = bottomUp(maxDepth + 1).check();
  const longLived = bottomUp(maxDepth);
  const rounds = [];
  for (let depth = MIN_DEPTH; depth <= maxDepth; depth += 2) {
    const iterations = 2 ** (maxDepth - depth + MIN_DEPTH);
    let check = 0;
    for (let i = 0; i < iterations; i++) check += bottomUp(depth).check();
    rounds.push([iterations, depth, check]);
  }
  return { stretch, rounds, longLived: longLived.check() };
}

function verify(result, n) {
  const maxDepth = Math.max(MIN_DEPTH + 2, n);
  const nodes = (d) => 2 ** (d + 1) - 1;
  if (result.stretch !== nodes(maxDepth + 1)) return false;
  if (result.longLived !== nodes(maxDepth)) return false;
  let expectedRounds = 0;
  for (let depth = MIN_DEPTH; depth <= maxDepth; depth += 2) {
    const [iterations, d, check] = result.rounds[expectedRounds++] || [];
    if (d !== depth || iterations !== 2 ** (maxDepth - depth + MIN_DEPTH)) return false;
    if (check !== iterations * nodes(depth)) return false;
  }
  return result.rounds.length === expectedRounds;
}

const sizes = { quick: 8, default: 11 };

module.exports = { run, verify, sizes };
