"""Mandelbrot: render the set over [-1.5, 0.5] x [-1, 1] as an n x n bitmap
(8 pixels per byte, 50 iterations, escape radius 2) and checksum it."""

MAX_ITER = 50


def run(n):
    set_pixels = 0
    h = 0
    nbytes = 0
    for y in range(n):
        ci = (2.0 * y) / n - 1.0
        bits = 0
        nbits = 0
        for x in range(n):
            cr = (2.0 * x) / n - 1.5
            zr = zi = tr = ti = 0.0
            i = 0
            while i < MAX_ITER and tr + ti <= 4.0:
                zi = 2.0 * zr * zi + ci
                zr = tr - ti + cr
                tr = zr * zr
                ti = zi * zi
                i += 1
            bits <<= 1
            if tr + ti <= 4.0:
                bits |= 1
                set_pixels += 1
            nbits += 1
            if nbits == 8 or x == n - 1:
                bits <<= 8 - nbits  # pad the last byte of a row
                h = (h * 31 + bits) % 2147483647
                nbytes += 1
                bits = 0
                nbits = 0
    return {"bytes": nbytes, "setPixels": set_pixels, "hash": h}


# Values agreed by the JS and Python implementations.
KNOWN = {
    64: {"bytes": 512, "setPixels": 1626, "hash": 946926183},
    200: {"bytes": 5000, "setPixels": 15899, "hash": 1330803339},
}


def verify(result, n):
    if result["bytes"] != n * ((n + 7) // 8):
        return False
    k = KNOWN.get(n)
    if k is not None:
        return result["setPixels"] == k["setPixels"] and result["hash"] == k["hash"]
    fraction = result["setPixels"] / (n * n)
    return 0.3 < fraction < 0.45


SIZES = {"quick": 64, "default": 200}
