"""Spectral norm of the infinite matrix A(i,j) = 1/((i+j)(i+j+1)/2 + i + 1),
truncated to n x n, estimated with 10 rounds of the power method on A^T A."""

import math


def a(i, j):
    s = i + j
    return 1.0 / ((s * (s + 1)) / 2 + i + 1)


def mul_av(n, v, out):
    for i in range(n):
        total = 0.0
        for j in range(n):
            total += a(i, j) * v[j]
        out[i] = total


def mul_atv(n, v, out):
    for i in range(n):
        total = 0.0
        for j in range(n):
            total += a(j, i) * v[j]
        out[i] = total


def mul_atav(n, v, out, tmp):
    mul_av(n, v, tmp)
    mul_atv(n, tmp, out)


def run(n):
    u = [1.0] * n
    v = [0.0] * n
    tmp = [0.0] * n
    for _ in range(10):
        mul_atav(n, u, v, tmp)
        mul_atav(n, v, u, tmp)
    vbv = 0.0
    vv = 0.0
    for i in range(n):
        vbv += u[i] * v[i]
        vv += v[i] * v[i]
    return math.sqrt(vbv / vv)


KNOWN = {100: 1.274219991}


def verify(result, n):
    if not isinstance(result, float):
        return False
    k = KNOWN.get(n)
    if k is not None:
        return abs(result - k) < 5e-10
    # The estimate converges to 1.2742241... from below as n grows.
    return 1.2741 < result < 1.27423


SIZES = {"quick": 40, "default": 100}
