"""Pi digits with arbitrary-precision integers: the unbounded streaming
spigot of Gibbons, composing linear fractional transformations
(k, 4k+2, 0, 2k+1) and emitting a digit whenever floor((3q+r)/t) and
floor((4q+r)/t) agree. All divided quantities are non-negative, so floor
division matches JavaScript's truncating BigInt division."""


def pi_digits(n):
    q = 1  # numerator
    r = 0  # accumulator
    t = 1  # denominator
    k = 0
    digits = []
    while len(digits) < n:
        k += 1
        k2 = 2 * k + 1
        r = (r + 2 * q) * k2
        t *= k2
        q *= k
        if q > r:
            continue
        d = (3 * q + r) // t
        if d != (4 * q + r) // t:
            continue
        digits.append(str(d))
        r = 10 * (r - d * t)
        q *= 10
    return "".join(digits)


def run(n):
    digits = pi_digits(n)
    return {"digits": digits, "digitSum": sum(ord(c) - 48 for c in digits)}


def arctan_inv(x, scale):
    """Fixed-point arctan(1/x); truncating division as in the JS version."""
    x2 = x * x
    term = scale // x
    total = term
    sign = -1
    k = 3
    while term != 0:
        term //= x2
        total += sign * (term // k)
        sign = -sign
        k += 2
    return total


def machin_pi(n):
    """Independent check: Machin's formula pi = 16 atan(1/5) - 4 atan(1/239)."""
    guard = 10
    scale = 10 ** (n - 1 + guard)
    pi = 16 * arctan_inv(5, scale) - 4 * arctan_inv(239, scale)
    return str(pi // 10 ** guard)


def verify(result, n):
    d = result["digits"]
    if not isinstance(d, str) or len(d) != n:
        return False
    if not "31415926535897932384626433832795028841971693993751".startswith(d[:50]):
        return False
    return sum(ord(c) - 48 for c in d) == result["digitSum"] and d == machin_pi(n)


SIZES = {"quick": 400, "default": 1500}
