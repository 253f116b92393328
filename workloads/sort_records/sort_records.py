"""Sort records: sort n generated employee records with the built-in stable
sort: by a multi-key comparator, by two stable passes, plus plain string
and numeric sorts. Returns order checksums and a few first/last entries."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "common"))
from result_fingerprint import matches_recorded  # noqa: E402  (shared by the suite's workloads)
from rng import Rng  # noqa: E402


SYLLABLES = ["ka", "lo", "mi", "ra", "te", "vo", "san", "del", "ri", "qu", "bo", "ne", "zu", "ha"]
DEPTS = ["eng", "ops", "sales", "legal", "design", "support", "finance", "research"]
MOD = 1000000007


def make_name(rng):
    s = "".join(rng.pick(SYLLABLES) for _ in range(2 + rng.int(2)))
    return s[0].upper() + s[1:]


def make_records(n):
    rng = Rng(42)
    records = []
    for i in range(n):
        name = make_name(rng)
        dept = rng.pick(DEPTS)
        age = 20 + rng.int(45)
        salary = 30000 + rng.int(500) * 250
        year = 1990 + rng.int(34)
        month = 1 + rng.int(12)
        day = 1 + rng.int(28)
        joined = f"{year}-{month:02d}-{day:02d}"
        records.append({"id": (i * 7919) % n, "name": name, "dept": dept, "age": age,
                        "salary": salary, "joined": joined})
    return records


def multi_key(r):
    return (r["dept"], -r["salary"], r["name"], r["id"])


def order_checksum(ids):
    h = 0
    for i, x in enumerate(ids):
        h = (h + (i + 1) * x) % MOD
    return h


def brief(r):
    return [r["id"], r["dept"], r["salary"], r["name"], r["age"], r["joined"]]


records = None


def setup(n):
    global records
    records = make_records(n)


def run(n):
    if records is None or len(records) != n:
        setup(n)

    multi = sorted(records, key=multi_key)

    two_pass = records[:]
    two_pass.sort(key=lambda r: r["joined"])
    two_pass.sort(key=lambda r: r["age"], reverse=True)

    names = sorted(r["name"] for r in records)
    salaries = sorted(r["salary"] for r in records)

    distinct_names = 1 if names else 0
    for i in range(1, len(names)):
        if names[i] != names[i - 1]:
            distinct_names += 1

    return {
        "multiChecksum": order_checksum([r["id"] for r in multi]),
        "twoPassChecksum": order_checksum([r["id"] for r in two_pass]),
        "multiFirst": [brief(r) for r in multi[:3]],
        "multiLast": [brief(r) for r in multi[-3:]],
        "twoPassFirst": [brief(r) for r in two_pass[:3]],
        "twoPassLast": [brief(r) for r in two_pass[-3:]],
        "names": [names[0], names[len(names) >> 1], names[-1]],
        "distinctNames": distinct_names,
        "medianSalary": salaries[len(salaries) >> 1],
        "salarySpread": salaries[-1] - salaries[0],
    }


def ordered(items, key, stable_positions=None):
    """Check in one linear pass that `items` is in non-decreasing `key`
    order; with positions, equal keys must keep their original order."""
    for a, b in zip(items, items[1:]):
        ka = key(a)
        kb = key(b)
        if ka > kb:
            return False
        if ka == kb and (stable_positions is None
                         or stable_positions[a["id"]] > stable_positions[b["id"]]):
            return False
    return True


# Expected checksums per size (None if an ordering check fails), computed once
# per n since verify() runs after every measured iteration.
expected_cache = {}


def expected_orders(n):
    if n in expected_cache:
        return expected_cache[n]
    recs = records if records is not None and len(records) == n else make_records(n)
    position = [0] * n
    for i, r in enumerate(recs):
        position[r["id"]] = i

    def two_key(r):
        return (-r["age"], r["joined"])

    multi = sorted(recs, key=multi_key)
    two_pass = sorted(recs, key=two_key)
    exp = None
    if ordered(multi, multi_key) and ordered(two_pass, two_key, position):
        exp = (order_checksum([r["id"] for r in multi]),
               order_checksum([r["id"] for r in two_pass]),
               multi[0]["id"], two_pass[-1]["id"])
    expected_cache[n] = exp
    return exp


def check_consistency(result, n):
    exp = expected_orders(n)
    return (exp is not None
            and (result["multiChecksum"], result["twoPassChecksum"],
                 result["multiFirst"][0][0], result["twoPassLast"][2][0]) == exp)


# Fingerprints of the results at the standard sizes (common/result_fingerprint.py), the same in
# the JavaScript version.
FINGERPRINTS = {4000: "57294902:777", 40000: "379370991:790"}


def verify(result, n):
    return matches_recorded(result, n, FINGERPRINTS) and check_consistency(result, n)


SIZES = {"quick": 4000, "default": 40000}
