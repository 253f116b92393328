"""The fingerprint of a workload's result, the same as result_fingerprint.js computes: a hash of
the result's canonical text (sorted keys; integers and ASCII strings only) and that text's length.
A workload records the fingerprints of its results at its standard sizes, in both languages, and
its verify() checks a result against them."""

import json


def canonical(v):
    """Canonical text of a result: sorted keys, integers and ASCII strings only."""
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, list):
        return "[" + ",".join(canonical(x) for x in v) + "]"
    return "{" + ",".join(json.dumps(k) + ":" + canonical(v[k]) for k in sorted(v)) + "}"


def fingerprint(result):
    s = canonical(result)
    h = 0
    for c in s:
        h = (h * 131 + ord(c)) % 1000000007
    return str(h) + ":" + str(len(s))


def matches_recorded(result, n, recorded):
    """False when RECORDED (size -> fingerprint) has n and the result's fingerprint differs."""
    known = recorded.get(n)
    return known is None or fingerprint(result) == known
