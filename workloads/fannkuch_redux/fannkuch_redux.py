"""Fannkuch-redux: for every permutation of 0..n-1 (in the classic rotation
order) count the prefix reversals ("pancake flips") until 0 is in front.
Returns the maximum flip count and the alternating-sign checksum."""


def fannkuch(n):
    perm = [0] * n
    current = list(range(n))
    count = [0] * n
    max_flips = 0
    checksum = 0
    perm_index = 0
    r = n
    while True:
        while r != 1:
            count[r - 1] = r
            r -= 1
        for i in range(n):
            perm[i] = current[i]
        flips = 0
        k = perm[0]
        while k != 0:
            lo = 0
            hi = k
            while lo < hi:
                perm[lo], perm[hi] = perm[hi], perm[lo]
                lo += 1
                hi -= 1
            flips += 1
            k = perm[0]
        if flips > max_flips:
            max_flips = flips
        checksum += flips if perm_index % 2 == 0 else -flips

        # Advance to the next permutation by rotating prefixes.
        while True:
            if r == n:
                return {"checksum": checksum, "maxFlips": max_flips,
                        "permutations": perm_index + 1}
            first = current[0]
            for i in range(r):
                current[i] = current[i + 1]
            current[r] = first
            count[r] -= 1
            if count[r] > 0:
                break
            r += 1
        perm_index += 1


def run(n):
    return fannkuch(n)


KNOWN = {
    5: (11, 7), 6: (49, 10), 7: (228, 16), 8: (1616, 22), 9: (8629, 30), 10: (73196, 38),
}


def verify(result, n):
    fact = 1
    for i in range(2, n + 1):
        fact *= i
    if result["permutations"] != fact:
        return False
    k = KNOWN.get(n)
    return k is None or (result["checksum"] == k[0] and result["maxFlips"] == k[1])


SIZES = {"quick": 7, "default": 8}
