"""Towers of Hanoi with explicit piles: move n disks from pile 0 to pile 2,
checking on every move that a disk is never placed on a smaller one."""


class Towers:
    def __init__(self, disks):
        self.piles = [list(range(disks, 0, -1)), [], []]
        self.moves = 0
        self.weighted = 0
        self.violations = 0

    def move_disk(self, src, dst):
        disk = self.piles[src].pop()
        dest = self.piles[dst]
        if dest and dest[-1] < disk:
            self.violations += 1
        dest.append(disk)
        self.moves += 1
        self.weighted += disk

    def move_tower(self, height, src, dst, via):
        if height == 1:
            self.move_disk(src, dst)
            return
        self.move_tower(height - 1, src, via, dst)
        self.move_disk(src, dst)
        self.move_tower(height - 1, via, dst, src)


def run(n):
    t = Towers(n)
    t.move_tower(n, 0, 2, 1)
    return {
        "moves": t.moves,
        "diskSum": t.weighted,
        "violations": t.violations,
        "piles": [len(p) for p in t.piles],
        "top": t.piles[2][-1],
    }


def verify(result, n):
    # Disk k (1 = smallest) moves 2^(n-k) times.
    disk_sum = sum(k * 2 ** (n - k) for k in range(1, n + 1))
    return (result["moves"] == 2 ** n - 1 and result["diskSum"] == disk_sum
            and result["violations"] == 0 and result["top"] == 1
            and result["piles"] == [0, 0, n])


SIZES = {"quick": 14, "default": 18}
