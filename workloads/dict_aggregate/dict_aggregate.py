"""Dict aggregate: group n generated sales records by "region/category" and
by product, computing counts, sums, min/max and distinct-value counts with
hash maps and sets, then rank the top products."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "common"))
from result_fingerprint import matches_recorded  # noqa: E402  (shared by the suite's workloads)
from rng import Rng  # noqa: E402


REGIONS = ["north", "south", "east", "west", "central", "islands"]
CATEGORIES = ["tools", "garden", "kitchen", "toys", "books", "audio", "sports", "office"]
CUSTOMERS = 5000
PRODUCTS = 600


def make_records(n):
    rng = Rng(42)
    records = []
    for _ in range(n):
        category = rng.pick(CATEGORIES)
        region = rng.pick(REGIONS)
        product = category + "-" + str(rng.int(PRODUCTS // len(CATEGORIES)))
        customer = "c" + str(rng.int(CUSTOMERS))
        qty = 1 + rng.int(20)
        cents = 50 + rng.int(20000)
        day = rng.int(365)
        records.append({"region": region, "category": category, "product": product,
                        "customer": customer, "qty": qty, "cents": cents, "day": day})
    return records


records = None


def setup(n):
    global records
    records = make_records(n)


def run(n):
    if records is None or len(records) != n:
        setup(n)

    # Group by region/category.
    groups = {}
    for r in records:
        key = r["region"] + "/" + r["category"]
        g = groups.get(key)
        if g is None:
            g = {"count": 0, "qty": 0, "revenue": 0, "minCents": float("inf"), "maxCents": 0,
                 "customers": set(), "weekdays": [0] * 7}
            groups[key] = g
        g["count"] += 1
        g["qty"] += r["qty"]
        g["revenue"] += r["qty"] * r["cents"]
        if r["cents"] < g["minCents"]:
            g["minCents"] = r["cents"]
        if r["cents"] > g["maxCents"]:
            g["maxCents"] = r["cents"]
        g["customers"].add(r["customer"])
        g["weekdays"][r["day"] % 7] += 1

    # Revenue and buyers per product.
    products = {}
    for r in records:
        p = products.get(r["product"])
        if p is None:
            products[r["product"]] = {"revenue": r["qty"] * r["cents"], "buyers": {r["customer"]}}
        else:
            p["revenue"] += r["qty"] * r["cents"]
            p["buyers"].add(r["customer"])

    # Orders per customer, then a histogram of order counts.
    per_customer = {}
    for r in records:
        per_customer[r["customer"]] = per_customer.get(r["customer"], 0) + 1
    histogram = {}
    for c in per_customer.values():
        bucket = "n" + str(c)
        histogram[bucket] = histogram.get(bucket, 0) + 1

    summary = {}
    for key, g in groups.items():
        wd = g["weekdays"]
        busiest = 0
        for d in range(1, 7):
            if wd[d] > wd[busiest]:
                busiest = d
        summary[key] = [g["count"], g["qty"], g["revenue"], g["minCents"], g["maxCents"],
                        len(g["customers"]), busiest]
    ranked = sorted(([name, p["revenue"], len(p["buyers"])] for name, p in products.items()),
                    key=lambda e: (-e[1], e[0]))

    return {
        "groups": summary,
        "groupCount": len(groups),
        "productCount": len(products),
        "customerCount": len(per_customer),
        "top": ranked[:5],
        "bottom": ranked[-3:],
        "histogram": histogram,
    }


def check_consistency(result, n):
    recs = records if records is not None and len(records) == n else make_records(n)
    qty = sum(r["qty"] for r in recs)
    revenue = sum(r["qty"] * r["cents"] for r in recs)
    count = g_qty = g_revenue = 0
    for g in result["groups"].values():
        count += g[0]
        g_qty += g[1]
        g_revenue += g[2]
        if g[3] > g[4] or g[5] > g[0]:
            return False
    customers = sum(result["histogram"].values())
    orders = sum(c * int(bucket[1:]) for bucket, c in result["histogram"].items())
    return (count == n and g_qty == qty and g_revenue == revenue and orders == n
            and customers == result["customerCount"]
            and result["groupCount"] == len(REGIONS) * len(CATEGORIES)
            and result["top"][0][1] >= result["top"][1][1])


# Fingerprints of the results at the standard sizes (common/result_fingerprint.py), the same in
# the JavaScript version.
FINGERPRINTS = {10000: "115877427:2793", 80000: "986275299:3141"}


def verify(result, n):
    return matches_recorded(result, n, FINGERPRINTS) and check_consistency(result, n)


SIZES = {"quick": 10000, "default": 80000}
