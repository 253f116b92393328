'use strict';
// The suite's generator of test data, the same sequence as rng.py's: Park and Miller's minimal
// standard generator (multiplier 16807, modulus 2^31 - 1), exact in doubles as in Python's ints.

class Rng {
  constructor(seed) { this.seed = seed; }
  next() {
    this.seed = (this.seed * 16807) % 2147483647;
    return this.seed;
  }
  int(k) { return this.next() % k; }
  pick(arr) { return arr[this.int(arr.length)]; }
}

module.exports = { Rng };
