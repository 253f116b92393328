'use strict';
// Towers of Hanoi with explicit piles: move n disks from pile 0 to pile 2,
// checking on every move that a disk is never placed on a smaller one.

class Towers {
  constructor(disks) {
    this.piles = [[], [], []];
    for (let d = disks; d >= 1; d--) this.piles[0].push(d);
    this.moves = 0;
    this.weighted = 0;
    this.violations = 0;
  }

  moveDisk(from, to) {
    const disk = this.piles[from].pop();
    const dest = this.piles[to];
    if (dest.length > 0 && dest[dest.length - 1] < disk) this.violations++;
    dest.push(disk);
    this.moves++;
    this.weighted += disk;
  }

  moveTower(height, from, to, via) {
    if (height === 1) {
      this.moveDisk(from, to);
      return;
    }
    this.moveTower(height - 1, from, via, to);
    this.moveDisk(from, to);
    this.moveTower(height - 1, via, to, from);
  }
}

function run(n) {
  const t = new Towers(n);
  t.moveTower(n, 0, 2, 1);
  return {
    moves: t.moves,
    diskSum: t.weighted,
    violations: t.violations,
    piles: t.piles.map((p) => p.length),
    top: t.piles[2][t.piles[2].length - 1],
  };
}

function verify(result, n) {
  // Disk k (1 = smallest) moves 2^(n-k) times.
  let diskSum = 0;
  for (let k = 1; k <= n; k++) diskSum += k * 2 ** (n - k);
  return result.moves === 2 ** n - 1 && result.diskSum === diskSum &&
    result.violations === 0 && result.top === 1 &&
    result.piles[0] === 0 && result.piles[1] === 0 && result.piles[2] === n;
}

const sizes = { quick: 14, default: 18 };

module.exports = { run, verify, sizes };
