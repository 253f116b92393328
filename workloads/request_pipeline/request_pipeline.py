"""Request pipeline: the CPU side of a small JSON web API. For each of n
generated requests: parse the query string and JSON body, authenticate,
route by method and path, validate fields, update an in-memory store,
then build and serialize the response (JSON body plus HTTP head).
Returns counts per status and route plus size/hash checksums."""

import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "common"))
from result_fingerprint import matches_recorded  # noqa: E402  (shared by the suite's workloads)
from rng import Rng  # noqa: E402


REASONS = {
    200: "OK", 201: "Created", 204: "No Content", 400: "Bad Request", 401: "Unauthorized",
    404: "Not Found", 405: "Method Not Allowed", 409: "Conflict", 422: "Unprocessable Entity",
}
VALID_TOKENS = {"tok-alpha", "tok-bravo", "tok-charlie"}
EMAIL_RE = re.compile(r"[a-z0-9._+-]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}")
SKU_RE = re.compile(r"[A-Z]{3}-[0-9]{4}")
ID_RE = re.compile(r"[0-9]+")
HEX2_RE = re.compile(r"[0-9A-Fa-f]{2}")
COUPONS = {"SAVE10": 10, "HALF": 50, "FREESHIP": 0}
SEED_USERS = 40


class HttpError(Exception):
    def __init__(self, status, message, details=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = details or []


def dumps(value):
    return json.dumps(value, separators=(",", ":"))


# ------------------------------------------------------------------ store

class State:
    def __init__(self):
        self.users = {}
        for i in range(1, SEED_USERS + 1):
            self.users[i] = {"id": i, "name": "User " + str(i), "email": "user" + str(i) + "@example.com",
                             "age": 20 + i % 50, "tags": []}
        self.next_user_id = SEED_USERS + 1
        self.next_order_id = 1
        self.revenue = 0


# ------------------------------------------------------------- validation

def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def check_user_fields(body, partial, errors):
    for key in body:
        if key not in ("name", "email", "age", "tags"):
            errors.append({"field": key, "error": "unknown field"})
    if "name" in body or not partial:
        name = body.get("name")
        if not isinstance(name, str):
            errors.append({"field": "name", "error": "required string"})
        elif len(name.strip()) < 2 or len(name) > 40:
            errors.append({"field": "name", "error": "length 2..40"})
    if "email" in body or not partial:
        email = body.get("email")
        if not isinstance(email, str):
            errors.append({"field": "email", "error": "required string"})
        elif not EMAIL_RE.fullmatch(email):
            errors.append({"field": "email", "error": "invalid email"})
    if "age" in body or not partial:
        age = body.get("age")
        if not is_int(age):
            errors.append({"field": "age", "error": "required integer"})
        elif age < 13 or age > 120:
            errors.append({"field": "age", "error": "range 13..120"})
    if "tags" in body:
        tags = body["tags"]
        if not isinstance(tags, list) or len(tags) > 5:
            errors.append({"field": "tags", "error": "array of at most 5"})
        else:
            for i, t in enumerate(tags):
                if not isinstance(t, str) or len(t) < 1 or len(t) > 12:
                    errors.append({"field": "tags." + str(i), "error": "string 1..12"})


def public_user(u):
    return {"id": u["id"], "name": u["name"], "email": u["email"], "age": u["age"], "tags": u["tags"]}


# --------------------------------------------------------------- handlers

def health(ctx):
    return 200, {"status": "ok", "users": len(ctx["state"].users)}


def list_users(ctx):
    q = ctx["query"]
    limit = 10
    offset = 0
    errors = []
    if "limit" in q:
        if not ID_RE.fullmatch(q["limit"]) or int(q["limit"]) < 1 or int(q["limit"]) > 50:
            errors.append({"field": "limit", "error": "range 1..50"})
        else:
            limit = int(q["limit"])
    if "offset" in q:
        if not ID_RE.fullmatch(q["offset"]):
            errors.append({"field": "offset", "error": "non-negative integer"})
        else:
            offset = int(q["offset"])
    if errors:
        raise HttpError(422, "invalid query", errors)
    prefix = q["q"].lower() if "q" in q else ""
    matching = [u for u in ctx["state"].users.values()
                if prefix == "" or u["name"].lower().startswith(prefix)]
    page = [{"id": u["id"], "name": u["name"]} for u in matching[offset:offset + limit]]
    return 200, {"total": len(matching), "offset": offset, "limit": limit, "items": page}


def create_user(ctx):
    body = ctx["body"]
    state = ctx["state"]
    errors = []
    check_user_fields(body, False, errors)
    if errors:
        raise HttpError(422, "validation failed", errors)
    for u in state.users.values():
        if u["email"] == body["email"]:
            raise HttpError(409, "email already registered")
    user = {
        "id": state.next_user_id,
        "name": body["name"].strip(),
        "email": body["email"],
        "age": body["age"],
        "tags": body["tags"] if "tags" in body else [],
    }
    state.next_user_id += 1
    state.users[user["id"]] = user
    return 201, public_user(user)


def find_user(ctx):
    user = ctx["state"].users.get(ctx["params"]["id"])
    if user is None:
        raise HttpError(404, "no such user")
    return user


def get_user(ctx):
    return 200, public_user(find_user(ctx))


def update_user(ctx):
    user = find_user(ctx)
    body = ctx["body"]
    errors = []
    check_user_fields(body, True, errors)
    if "email" in body:
        errors.append({"field": "email", "error": "read-only"})
    if errors:
        raise HttpError(422, "validation failed", errors)
    if "name" in body:
        user["name"] = body["name"].strip()
    if "age" in body:
        user["age"] = body["age"]
    if "tags" in body:
        user["tags"] = body["tags"]
    return 200, public_user(user)


def delete_user(ctx):
    user = find_user(ctx)
    del ctx["state"].users[user["id"]]
    return 204, None


def create_order(ctx):
    body = ctx["body"]
    state = ctx["state"]
    errors = []
    user_id = body.get("userId")
    if not is_int(user_id):
        errors.append({"field": "userId", "error": "required integer"})
    elif user_id not in state.users:
        errors.append({"field": "userId", "error": "unknown user"})
    items = body.get("items")
    if not isinstance(items, list) or len(items) < 1 or len(items) > 10:
        errors.append({"field": "items", "error": "array of 1..10"})
    else:
        for i, it in enumerate(items):
            prefix = "items." + str(i)
            if not isinstance(it, dict):
                errors.append({"field": prefix, "error": "object"})
                continue
            sku = it.get("sku")
            if not isinstance(sku, str) or not SKU_RE.fullmatch(sku):
                errors.append({"field": prefix + ".sku", "error": "format AAA-0000"})
            qty = it.get("qty")
            if not is_int(qty) or qty < 1 or qty > 99:
                errors.append({"field": prefix + ".qty", "error": "range 1..99"})
            price = it.get("priceCents")
            if not is_int(price) or price < 0:
                errors.append({"field": prefix + ".priceCents", "error": "non-negative integer"})
    coupon = None
    if "coupon" in body:
        if not isinstance(body["coupon"], str) or body["coupon"] not in COUPONS:
            errors.append({"field": "coupon", "error": "unknown coupon"})
        else:
            coupon = body["coupon"]
    if errors:
        raise HttpError(422, "validation failed", errors)

    subtotal = 0
    units = 0
    for it in items:
        subtotal += it["qty"] * it["priceCents"]
        units += it["qty"]
    discount = 0 if coupon is None else (subtotal * COUPONS[coupon]) // 100
    shipping = 0 if coupon == "FREESHIP" or subtotal >= 5000 else 599
    tax = ((subtotal - discount) * 8) // 100
    total = subtotal - discount + shipping + tax
    state.revenue += total
    order_id = "ord-" + str(state.next_order_id).rjust(6, "0")
    state.next_order_id += 1
    return 201, {
        "orderId": order_id,
        "userId": user_id,
        "lines": len(items),
        "units": units,
        "subtotal": subtotal,
        "discount": discount,
        "shipping": shipping,
        "tax": tax,
        "total": total,
        "coupon": coupon,
    }


# ---------------------------------------------------------------- routing

class Route:
    __slots__ = ("method", "pattern", "handler", "mutating", "segments")

    def __init__(self, method, pattern, handler, mutating):
        self.method = method
        self.pattern = pattern
        self.handler = handler
        self.mutating = mutating
        self.segments = pattern.split("/")[1:]


ROUTES = [
    Route("GET", "/health", health, False),
    Route("GET", "/users", list_users, False),
    Route("POST", "/users", create_user, True),
    Route("GET", "/users/:id", get_user, False),
    Route("PUT", "/users/:id", update_user, True),
    Route("DELETE", "/users/:id", delete_user, True),
    Route("POST", "/orders", create_order, True),
]


def match_segments(segments, parts):
    if len(segments) != len(parts):
        return None
    params = {}
    for seg, part in zip(segments, parts):
        if seg.startswith(":"):
            if not ID_RE.fullmatch(part):
                return None
            params[seg[1:]] = int(part)
        elif seg != part:
            return None
    return params


def percent_decode(s):
    out = ""
    i = 0
    n = len(s)
    while i < n:
        c = s[i]
        if c == "+":
            out += " "
        elif c == "%" and HEX2_RE.fullmatch(s[i + 1:i + 3]):
            out += chr(int(s[i + 1:i + 3], 16))
            i += 2
        else:
            out += c
        i += 1
    return out


def parse_query(qs):
    query = {}
    if qs == "":
        return query
    for pair in qs.split("&"):
        if pair == "":
            continue
        eq = pair.find("=")
        key = percent_decode(pair if eq < 0 else pair[:eq])
        query[key] = "" if eq < 0 else percent_decode(pair[eq + 1:])
    return query


def dispatch(state, req):
    full = req["path"]
    q = full.find("?")
    path = full if q < 0 else full[:q]
    parts = path.split("/")[1:]
    route = None
    params = None
    allowed = []
    for r in ROUTES:
        p = match_segments(r.segments, parts)
        if p is None:
            continue
        allowed.append(r.method)
        if r.method == req["method"]:
            route = r
            params = p
            break
    if route is None:
        if allowed:
            raise HttpError(405, "method not allowed", [{"field": "allow", "error": ", ".join(allowed)}])
        raise HttpError(404, "no route for " + path)
    if route.mutating:
        auth = req["headers"].get("authorization")
        if auth is None or not auth.startswith("Bearer ") or auth[7:] not in VALID_TOKENS:
            raise HttpError(401, "missing or invalid token")
    body = None
    if req["method"] in ("POST", "PUT"):
        if req["body"] == "":
            raise HttpError(400, "body required")
        try:
            body = json.loads(req["body"])
        except ValueError:
            raise HttpError(400, "malformed JSON") from None
        if not isinstance(body, dict):
            raise HttpError(400, "body must be a JSON object")
    ctx = {"state": state, "params": params, "query": parse_query("" if q < 0 else full[q + 1:]),
           "body": body}
    status, data = route.handler(ctx)
    return route.pattern, status, data


def handle(state, req):
    try:
        pattern, status, data = dispatch(state, req)
        route_name = req["method"] + " " + pattern
        payload = None if status == 204 else {"ok": True, "data": data}
    except HttpError as e:
        route_name = "error"
        status = e.status
        payload = {"ok": False, "error": {"code": e.status, "message": e.message, "details": e.details}}
    body = "" if payload is None else dumps(payload)
    head = ("HTTP/1.1 " + str(status) + " " + REASONS[status] + "\r\n"
            + "content-type: application/json\r\n"
            + "content-length: " + str(len(body)) + "\r\n"
            + "x-request-id: " + req["headers"]["x-request-id"] + "\r\n\r\n")
    return {"route": route_name, "status": status, "head": head, "body": body}


# ------------------------------------------------------------- generation

FIRST = ["ana", "ben", "cleo", "dev", "eli", "fay", "gus", "hal", "ida", "jo"]
TAGS = ["admin", "beta", "vip", "new", "staff", "remote", "a-very-long-tag"]


def bearer(rng):
    r = rng.int(20)
    if r == 0:
        return None
    if r == 1:
        return "Bearer tok-zulu"
    return "Bearer " + ["tok-alpha", "tok-bravo", "tok-charlie"][r % 3]


def user_body(rng, seq):
    name = rng.pick(FIRST)
    body = {"name": name[0].upper() + name[1:] + " " + str(seq),
            "email": name + str(seq) + "@mail.example.org",
            "age": 13 + rng.int(90)}
    flaw = rng.int(12)
    if flaw == 0:
        body["email"] = name + str(seq) + "-at-mail"
    elif flaw == 1:
        del body["name"]
    elif flaw == 2:
        body["age"] = str(body["age"])
    elif flaw == 3:
        body["age"] = 7
    elif flaw == 4:
        body["email"] = "user" + str(1 + rng.int(SEED_USERS)) + "@example.com"
    elif flaw == 5:
        body["name"] = " x"
    if rng.int(3) == 0:
        count = 1 + rng.int(7 if rng.int(8) == 0 else 3)
        body["tags"] = [rng.pick(TAGS) for _ in range(count)]
    return body


def order_body(rng, max_user):
    items = []
    for _ in range(1 + rng.int(5)):
        letters = chr(65 + rng.int(26)) + chr(65 + rng.int(26)) + chr(65 + rng.int(26))
        sku = letters + "-" + str(rng.int(10000)).rjust(4, "0")
        qty = 1 + rng.int(12)
        items.append({"sku": sku, "qty": qty, "priceCents": 99 + rng.int(5000)})
    body = {"userId": 1 + rng.int(max_user), "items": items}
    r = rng.int(10)
    if r == 0:
        body["coupon"] = "SAVE10"
    elif r == 1:
        body["coupon"] = "HALF"
    elif r == 2:
        body["coupon"] = "FREESHIP"
    elif r == 3:
        body["coupon"] = "BOGUS"
    flaw = rng.int(15)
    if flaw == 0:
        items[0]["qty"] = 0
    elif flaw == 1:
        items[0]["sku"] = "abc-12"
    elif flaw == 2:
        body["items"] = []
    elif flaw == 3:
        body["userId"] = "seven"
    return body


def encode_body(rng, body):
    text = dumps(body)
    r = rng.int(40)
    if r == 0:
        return text[:len(text) - 1 - rng.int(5)]  # truncated: malformed
    if r == 1:
        return "[" + text + "]"  # valid JSON, wrong type
    if r == 2:
        return ""
    return text


def make_requests(n):
    rng = Rng(42)
    reqs = []
    for i in range(n):
        headers = {"x-request-id": "req-" + str(i)}
        auth = bearer(rng)
        if auth is not None:
            headers["authorization"] = auth
        kind = rng.int(100)
        known_ids = SEED_USERS + (i * 7) // 100  # roughly the ids created so far
        method = "GET"
        body = ""
        if kind < 22:
            path = "/users/" + str(1 + rng.int(known_ids + 5))
        elif kind < 30:
            params = []
            if rng.int(2) == 0:
                params.append("limit=" + str(rng.int(60)))
            if rng.int(2) == 0:
                params.append("offset=" + str(rng.int(40)))
            if rng.int(3) == 0:
                params.append("q=" + rng.pick(["u", "User+1", "user%201", "an", "B", "x%2"]))
            if rng.int(10) == 0:
                params.append("limit=ten")
            path = "/users" + ("?" + "&".join(params) if params else "")
        elif kind < 46:
            method = "POST"
            path = "/users"
            body = encode_body(rng, user_body(rng, i))
        elif kind < 56:
            method = "PUT"
            path = "/users/" + str(1 + rng.int(known_ids + 5))
            patch = {}
            if rng.int(2) == 0:
                patch["age"] = 13 + rng.int(100)
            if rng.int(2) == 0:
                patch["name"] = rng.pick(FIRST) + " renamed"
            if rng.int(4) == 0:
                patch["tags"] = [rng.pick(TAGS)]
            if rng.int(8) == 0:
                patch["role"] = "admin"
            if rng.int(10) == 0:
                patch["email"] = "new" + str(i) + "@x.io"
            body = encode_body(rng, patch)
        elif kind < 58:
            method = "DELETE"
            path = "/users/" + str(1 + rng.int(known_ids + 5))
        elif kind < 85:
            method = "POST"
            path = "/orders"
            body = encode_body(rng, order_body(rng, known_ids))
        elif kind < 90:
            path = "/health"
        elif kind < 95:
            path = rng.pick(["/admin", "/users/abc", "/orders/5/items", "/", "/users/12/"])
        else:
            method = rng.pick(["PATCH", "DELETE", "GET"])
            path = rng.pick(["/users", "/orders", "/health"])
            if method == "GET" and path != "/orders":
                path = "/orders"
        reqs.append({"method": method, "path": path, "headers": headers, "body": body})
    return reqs


# -------------------------------------------------------------------- run

requests = None


def setup(n):
    global requests
    requests = make_requests(n)


def run(n):
    if requests is None or len(requests) != n:
        setup(n)
    state = State()
    status_counts = {}
    route_counts = {}
    nbytes = 0
    h = 0
    samples = []
    for req in requests:
        res = handle(state, req)
        key = "s" + str(res["status"])
        status_counts[key] = status_counts.get(key, 0) + 1
        route_counts[res["route"]] = route_counts.get(res["route"], 0) + 1
        b = res["body"]
        nbytes += len(res["head"]) + len(b)
        for i in range(0, len(b), 11):
            h = (h * 131 + ord(b[i])) % 1000000007
        if len(samples) < 6 and res["status"] != 200:
            samples.append(res["head"] + b)
    return {
        "statusCounts": status_counts, "routeCounts": route_counts, "bytes": nbytes, "hash": h,
        "users": len(state.users), "orders": state.next_order_id - 1, "revenue": state.revenue,
        "samples": samples,
    }


def check_consistency(result, n):
    if sum(result["statusCounts"].values()) != n or sum(result["routeCounts"].values()) != n:
        return False
    # Unit checks of the pipeline on hand-written requests.
    st = State()
    hdr = {"x-request-id": "t", "authorization": "Bearer tok-alpha"}

    def call(method, path, body=""):
        return handle(st, {"method": method, "path": path, "headers": hdr, "body": body})

    created = call("POST", "/users", '{"name":"Zed Q","email":"zed@q.io","age":30,"tags":["x"]}')
    if created["status"] != 201 or json.loads(created["body"])["data"]["id"] != SEED_USERS + 1:
        return False
    if call("POST", "/users", '{"name":"Zed Q","email":"zed@q.io","age":30}')["status"] != 409:
        return False
    if call("POST", "/users", '{"name":"Zed","email":"bad","age":30}')["status"] != 422:
        return False
    if call("POST", "/users", '{"name":"Zed"')["status"] != 400:
        return False
    if call("GET", "/nope")["status"] != 404 or call("PATCH", "/users")["status"] != 405:
        return False
    anon = {"method": "DELETE", "path": "/users/3", "headers": {"x-request-id": "u"}, "body": ""}
    if handle(st, anon)["status"] != 401:
        return False
    if call("DELETE", "/users/3")["status"] != 204 or call("GET", "/users/3")["status"] != 404:
        return False
    order = call("POST", "/orders",
                 '{"userId":1,"items":[{"sku":"ABC-0001","qty":2,"priceCents":1500}],"coupon":"SAVE10"}')
    od = json.loads(order["body"])["data"]
    if (order["status"] != 201 or od["subtotal"] != 3000 or od["discount"] != 300
            or od["shipping"] != 599 or od["tax"] != 216 or od["total"] != 3515):
        return False
    lst = json.loads(call("GET", "/users?limit=2&offset=1&q=user+1")["body"])["data"]
    if lst["total"] != 11 or len(lst["items"]) != 2 or lst["items"][0]["id"] != 10:
        return False
    return result["hash"] >= 0 and len(result["samples"]) == 6


# Fingerprints of the results at the standard sizes (common/result_fingerprint.py), the same in
# the JavaScript version.
FINGERPRINTS = {500: "244061563:1774", 6000: "143514881:1795"}


def verify(result, n):
    return matches_recorded(result, n, FINGERPRINTS) and check_consistency(result, n)


SIZES = {"quick": 500, "default": 6000}
