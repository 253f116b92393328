"""JSON round trip through the engine's built-in codec: serialize a generated
document of n items, parse it back, re-serialize, and summarize the parsed
structure. Serialization is compact (no whitespace); all floats are kept
in a range where JS and Python print them identically, so text lengths
agree across languages."""

import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "common"))
from rng import Rng  # noqa: E402  (shared by the suite's workloads)


WORDS = [
    "amber", "basalt", "cedar", "delta", "ember", "fjord", "garnet", "harbor",
    "indigo", "juniper", "kelp", "lumen", "mesa", "nectar", "onyx", "prairie",
    "quartz", "raven", "sierra", "tundra", "umber", "vortex", "willow", "zephyr",
]
ODDITIES = ['"quoted"', "back\\slash", "line\nbreak", "tab\there", "ctl\x01x", "a/b", "<&>"]


def phrase(rng):
    parts = [rng.pick(WORDS) for _ in range(1 + rng.int(4))]
    if rng.int(6) == 0:
        parts.append(rng.pick(ODDITIES))
    return " ".join(parts)


def make_item(rng, i):
    cents = 1 + rng.int(99999)
    if cents % 100 == 0:
        cents += 1  # keep prices non-integral
    tags = [rng.pick(WORDS) for _ in range(rng.int(5))]
    history = []
    for _ in range(rng.int(4)):
        day = rng.int(365)
        history.append({"day": day, "delta": rng.int(201) - 100})
    # Fields are drawn in a fixed order (dict literals evaluate in order).
    name = rng.pick(WORDS) + "-" + str(i)
    title = phrase(rng)
    qty = rng.int(1000)
    ratio = (100000 + rng.int(900000)) / 999983
    active = rng.int(2) == 1
    rating = None if rng.int(5) == 0 else 1 + rng.int(5)
    return {
        "id": i,
        "name": name,
        "title": title,
        "price": cents / 100,
        "qty": qty,
        "ratio": ratio,
        "active": active,
        "rating": rating,
        "tags": tags,
        "dims": {"w": rng.int(500), "h": rng.int(500), "unit": "in" if rng.int(3) == 0 else "cm"},
        "history": history,
    }


def make_doc(n):
    rng = Rng(42)
    items = [make_item(rng, i) for i in range(n)]
    by_name = {}
    for item in items[:min(n, 200)]:
        by_name[item["name"]] = item["id"]
    return {"version": 3, "generator": "polyhost", "count": n, "byName": by_name, "items": items}


def new_stats():
    return {
        "objects": 0, "arrays": 0, "elements": 0, "keys": 0, "keyChars": 0, "strings": 0,
        "stringChars": 0, "numbers": 0, "numberSum": 0, "trues": 0, "falses": 0, "nulls": 0,
        "maxDepth": 0,
    }


def walk(v, depth, st):
    if depth > st["maxDepth"]:
        st["maxDepth"] = depth
    if v is None:
        st["nulls"] += 1
    elif v is True:
        st["trues"] += 1
    elif v is False:
        st["falses"] += 1
    elif isinstance(v, (int, float)):
        st["numbers"] += 1
        st["numberSum"] += v
    elif isinstance(v, str):
        st["strings"] += 1
        st["stringChars"] += len(v)
    elif isinstance(v, list):
        st["arrays"] += 1
        st["elements"] += len(v)
        for x in v:
            walk(x, depth + 1, st)
    else:
        st["objects"] += 1
        for k, x in v.items():
            st["keys"] += 1
            st["keyChars"] += len(k)
            walk(x, depth + 1, st)
    return st


def dumps(value):
    return json.dumps(value, separators=(",", ":"))


doc = None
doc_size = -1


def setup(n):
    global doc, doc_size
    doc = make_doc(n)
    doc_size = n


def run(n):
    if doc_size != n:
        setup(n)
    text = dumps(doc)
    parsed = json.loads(text)
    again = dumps(parsed)
    stats = walk(parsed, 0, new_stats())
    stats["textLength"] = len(text)
    stats["stable"] = again == text
    stats["items"] = len(parsed["items"])
    return stats


# Expected summary per size, computed once since verify() runs after every
# measured iteration.
expected_cache = {}


def verify(result, n):
    if n not in expected_cache:
        original = doc if doc_size == n else make_doc(n)
        st = walk(original, 0, new_stats())
        st["textLength"] = len(dumps(original))
        st["stable"] = True
        st["items"] = n
        expected_cache[n] = st
    return result == expected_cache[n]


SIZES = {"quick": 400, "default": 4000}
