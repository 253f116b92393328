"""N-Queens: count every placement of n non-attacking queens on an n x n
board by backtracking over rows with column / diagonal occupancy arrays.
run(n) solves every board size from 1 to n."""


def solve(n):
    cols = [False] * n
    up = [False] * (2 * n - 1)    # row + col
    down = [False] * (2 * n - 1)  # row - col + n - 1
    placement = [0] * n
    solutions = 0
    first_solution = None

    def place(row):
        nonlocal solutions, first_solution
        if row == n:
            if solutions == 0:
                first_solution = placement[:]
            solutions += 1
            return
        for col in range(n):
            u = row + col
            d = row - col + n - 1
            if cols[col] or up[u] or down[d]:
                continue
            cols[col] = up[u] = down[d] = True
            placement[row] = col
            place(row + 1)
            cols[col] = up[u] = down[d] = False

    place(0)
    return {"solutions": solutions, "first": first_solution}


def run(n):
    counts = []
    last = None
    for size in range(1, n + 1):
        last = solve(size)
        counts.append(last["solutions"])
    return {"counts": counts, "first": last["first"]}


KNOWN = [1, 1, 0, 0, 2, 10, 4, 40, 92, 352, 724, 2680, 14200, 73712, 365596]


def verify(result, n):
    counts = result["counts"]
    if len(counts) != n:
        return False
    for size in range(1, min(n, len(KNOWN) - 1) + 1):
        if counts[size - 1] != KNOWN[size]:
            return False
    q = result["first"]
    if len(q) != n:
        return False
    for i in range(n):
        for j in range(i + 1, n):
            if q[i] == q[j] or abs(q[i] - q[j]) == j - i:
                return False
    return True


SIZES = {"quick": 9, "default": 10}
