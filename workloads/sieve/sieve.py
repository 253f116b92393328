"""Sieve of Eratosthenes over 0..n with a boolean list; returns the prime
count, their sum and the largest prime <= n."""


def run(n):
    composite = [False] * (n + 1)
    i = 2
    while i * i <= n:
        if not composite[i]:
            for j in range(i * i, n + 1, i):
                composite[j] = True
        i += 1
    count = 0
    total = 0
    largest = 0
    for i in range(2, n + 1):
        if not composite[i]:
            count += 1
            total += i
            largest = i
    return {"count": count, "sum": total, "largest": largest}


def is_prime(k):
    if k < 2:
        return False
    d = 2
    while d * d <= k:
        if k % d == 0:
            return False
        d += 1
    return True


KNOWN = {100000: (9592, 454396537), 1000000: (78498, 37550402023)}


def verify(result, n):
    k = KNOWN.get(n)
    if k is not None and (result["count"] != k[0] or result["sum"] != k[1]):
        return False
    if not is_prime(result["largest"]):
        return False
    return not any(is_prime(m) for m in range(result["largest"] + 1, n + 1))


SIZES = {"quick": 100000, "default": 1000000}
