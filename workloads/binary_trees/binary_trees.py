"""Binary trees: allocate and walk many perfect binary trees of varying
depth (an allocation / GC stress test)."""

MIN_DEPTH = 4


class TreeNode:
    __slots__ = ("left", "right")

    def __init__(self, left, right):
        self.left = left
        self.right = right

    def check(self):
        if self.left is None:
            return 1
        return 1 + self.left.check() + self.right.check()


def bottom_up(depth):
    if depth == 0:
        return TreeNode(None, None)
    return TreeNode(bottom_up(depth - 1), bottom_up(depth - 1))


def run(n):
    max_depth = max(MIN_DEPTH + 2, n)
    stretch = bottom_up(max_depth + 1).check()
    long_lived = bottom_up(max_depth)
    rounds = []
    for depth in range(MIN_DEPTH, max_depth + 1, 2):
        iterations = 2 ** (max_depth - depth + MIN_DEPTH)
        check = 0
        for _ in range(iterations):
            check += bottom_up(depth).check()
        rounds.append([iterations, depth, check])
    return {"stretch": stretch, "rounds": rounds, "longLived": long_lived.check()}


def verify(result, n):
    max_depth = max(MIN_DEPTH + 2, n)

    def nodes(d):
        return 2 ** (d + 1) - 1

    if result["stretch"] != nodes(max_depth + 1) or result["longLived"] != nodes(max_depth):
        return False
    expected = [[2 ** (max_depth - d + MIN_DEPTH), d, 2 ** (max_depth - d + MIN_DEPTH) * nodes(d)]
                for d in range(MIN_DEPTH, max_depth + 1, 2)]
    return [list(r) for r in result["rounds"]] == expected


SIZES = {"quick": 8, "default": 11}
