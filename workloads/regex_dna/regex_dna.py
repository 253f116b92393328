"""Regex DNA: on a generated FASTA file with about n bases, strip headers and
line breaks with a regex, count the classic 8-mer variant patterns (and
their reverse complements), then apply a chain of IUB-code substitutions.
Only plain regex features are used (literals, classes, negated classes,
alternation, '.', '*'; no anchors, flags or lookaround) so that V8 Irregexp
and Python's re engine behave identically."""

import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "common"))
from result_fingerprint import matches_recorded  # noqa: E402  (shared by the suite's workloads)
from rng import Rng  # noqa: E402


# (symbol, weight out of 1000)
IUB_TABLE = [
    ("a", 240), ("c", 110), ("g", 110), ("t", 240), ("B", 25), ("D", 25), ("H", 25), ("K", 25),
    ("M", 25), ("N", 25), ("R", 25), ("S", 25), ("V", 25), ("W", 25), ("Y", 25),
]
HUMAN_TABLE = [("a", 302), ("c", 198), ("g", 198), ("t", 302)]


def weighted(rng, table):
    r = rng.int(1000)
    for sym, w in table:
        if r < w:
            return sym
        r -= w
    return table[-1][0]


def write_section(out, header, seq):
    out.append(">" + header + "\n")
    for i in range(0, len(seq), 60):
        out.append(seq[i:i + 60] + "\n")


def make_fasta(n):
    rng = Rng(42)
    out = []
    # Section ONE: a random 287-base motif repeated.
    motif = "".join("acgt"[rng.int(4)] for _ in range(287))
    one_len = n // 5
    one = motif * (one_len // len(motif) + 1)
    write_section(out, "ONE generated repeat", one[:one_len])
    # Section TWO: IUB ambiguity codes mixed in.
    two_len = (n * 3) // 10
    write_section(out, "TWO iub codes", "".join(weighted(rng, IUB_TABLE) for _ in range(two_len)))
    # Section THREE: plain bases with skewed frequencies.
    three_len = n - one_len - two_len
    write_section(out, "THREE weighted bases",
                  "".join(weighted(rng, HUMAN_TABLE) for _ in range(three_len)))
    return "".join(out)


VARIANTS = [
    "agggtaaa|tttaccct",
    "[cgt]gggtaaa|tttaccc[acg]",
    "a[act]ggtaaa|tttacc[agt]t",
    "ag[act]gtaaa|tttac[agt]ct",
    "agg[act]taaa|ttta[agt]cct",
    "aggg[acg]aaa|ttt[cgt]ccct",
    "agggt[cgt]aa|tt[acg]accct",
    "agggta[cgt]a|t[acg]taccct",
    "agggtaa[cgt]|[acg]ttaccct",
]
VARIANT_RES = [re.compile(v) for v in VARIANTS]

SUBSTITUTIONS = [
    (re.compile(r"tHa[Nt]"), "<4>"),
    (re.compile(r"aND|caN|Ha[DS]|WaS"), "<3>"),
    (re.compile(r"a[NSt]|BY"), "<2>"),
    (re.compile(r"<[^>]*>"), "|"),
    (re.compile(r"\|[^|][^|]*\|"), "-"),
]

CLEANUP = re.compile(r">.*\n|\n")
CODES = re.compile(r"[BDHKMNRSVWY]")


def count_matches(pattern, s):
    return len(pattern.findall(s))


fasta = None
fasta_size = -1


def setup(n):
    global fasta, fasta_size
    fasta = make_fasta(n)
    fasta_size = n


def run(n):
    if fasta_size != n:
        setup(n)
    seq = CLEANUP.sub("", fasta)
    variants = {v: count_matches(p, seq) for v, p in zip(VARIANTS, VARIANT_RES)}
    s = seq
    after_each = []
    for pattern, repl in SUBSTITUTIONS:
        s = pattern.sub(repl, s)
        after_each.append(len(s))
    return {
        "inputLength": len(fasta),
        "cleanLength": len(seq),
        "codes": count_matches(CODES, seq),
        "variants": variants,
        "afterEach": after_each,
        "finalLength": len(s),
        "tail": s[-40:],
    }


def expand(alt):
    """Expand an alternative such as 'a[act]ggtaaa' into its literal strings."""
    out = [""]
    i = 0
    while i < len(alt):
        choices = alt[i]
        if alt[i] == "[":
            j = alt.index("]", i)
            choices = alt[i + 1:j]
            i = j
        out = [prefix + c for prefix in out for c in choices]
        i += 1
    return out


# Expected input length and variant counts per size, computed once per n
# since verify() runs after every measured iteration.
expected_cache = {}


def expected_counts(n):
    if n in expected_cache:
        return expected_cache[n]
    f = fasta if fasta_size == n else make_fasta(n)
    # Count variants without regexes: find every occurrence of every literal
    # expansion, then count leftmost non-overlapping hits.
    seq = "".join(line for line in f.split("\n") if not line.startswith(">"))
    variants = {}
    for v in VARIANTS:
        starts = []
        for alt in v.split("|"):
            for lit in expand(alt):
                p = seq.find(lit)
                while p >= 0:
                    starts.append(p)
                    p = seq.find(lit, p + 1)
        starts.sort()
        count = 0
        end = 0
        for p in starts:
            if p >= end:
                count += 1
                end = p + 8
        variants[v] = count
    exp = {"inputLength": len(f), "cleanLength": len(seq), "variants": variants}
    expected_cache[n] = exp
    return exp


def check_consistency(result, n):
    exp = expected_counts(n)
    if result["inputLength"] != exp["inputLength"] or result["cleanLength"] != n or exp["cleanLength"] != n:
        return False
    if result["variants"] != exp["variants"]:
        return False
    return (len(result["afterEach"]) == len(SUBSTITUTIONS)
            and result["afterEach"][-1] == result["finalLength"])


# Fingerprints of the results at the standard sizes (common/result_fingerprint.py), the same in
# the JavaScript version.
FINGERPRINTS = {50000: "218844783:443", 500000: "344026740:461"}


def verify(result, n):
    return matches_recorded(result, n, FINGERPRINTS) and check_consistency(result, n)


SIZES = {"quick": 50000, "default": 500000}
