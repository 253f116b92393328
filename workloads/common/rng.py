"""The suite's generator of test data, the same sequence as rng.js's: Park and Miller's minimal
standard generator (multiplier 16807, modulus 2**31 - 1)."""


class Rng:
    def __init__(self, seed):
        self.seed = seed

    def next(self):
        self.seed = (self.seed * 16807) % 2147483647
        return self.seed

    def int(self, k):
        return self.next() % k

    def pick(self, arr):
        return arr[self.int(len(arr))]
