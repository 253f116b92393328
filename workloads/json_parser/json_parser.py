"""A hand-written recursive-descent JSON parser run over a generated JSON
text (n records, irregular whitespace, escapes, exponents). The result
summarizes the parsed structure."""

import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "common"))
from rng import Rng  # noqa: E402  (shared by the suite's workloads)


# ---------------------------------------------------------------- generator

WORDS = ["north", "south", "east", "west", "up", "down", "left", "right",
         "fast", "slow", "red", "green", "blue", "warm", "cold", "bright"]
ESCAPES = ['\\"', "\\\\", "\\/", "\\n", "\\t", "\\r", "\\b", "\\f", "\\u0041", "\\u00e9", "\\u001f"]
SPACES = ["", "", "", " ", " ", "\n", "\n  ", "\t"]


def gen_string(rng, out):
    out.append('"')
    for i in range(1 + rng.int(4)):
        if i > 0:
            out.append(" ")
        out.append(rng.pick(WORDS))
        if rng.int(5) == 0:
            out.append(rng.pick(ESCAPES))
    out.append('"')


def gen_number(rng, out):
    kind = rng.int(4)
    sign = "-" if rng.int(3) == 0 else ""
    if kind == 0:
        out.append(sign + str(rng.int(1000000)))
    elif kind == 1:
        whole = rng.int(10000)
        out.append(sign + str(whole) + "." + str(1 + rng.int(999)))
    elif kind == 2:
        lead = 1 + rng.int(9)
        frac = rng.int(100)
        e = "e" if rng.int(2) else "E"
        esign = rng.pick(["", "+", "-"])
        out.append(sign + str(lead) + "." + str(frac) + e + esign + str(rng.int(8)))
    else:
        out.append(sign + str(rng.int(100)))


def gen_value(rng, depth, out):
    r = rng.int(6) if depth >= 3 else rng.int(10)
    if r <= 1:
        gen_string(rng, out)
    elif r <= 3:
        gen_number(rng, out)
    elif r == 4:
        out.append(rng.pick(["true", "false", "null"]))
    elif r == 5:
        out.append(rng.pick(["true", "false", "null", "0"]))
    elif r <= 7:
        gen_array(rng, depth + 1, out)
    else:
        gen_object(rng, depth + 1, out)


def gen_array(rng, depth, out):
    out.append("[")
    for i in range(rng.int(6)):
        if i > 0:
            out.append(",")
        out.append(rng.pick(SPACES))
        gen_value(rng, depth, out)
    out.append(rng.pick(SPACES))
    out.append("]")


def gen_object(rng, depth, out):
    out.append("{")
    for i in range(rng.int(5)):
        if i > 0:
            out.append(",")
        out.append(rng.pick(SPACES))
        out.append('"k' + str(i))
        out.append(rng.pick(WORDS))
        out.append('"')
        out.append(rng.pick(SPACES))
        out.append(":")
        gen_value(rng, depth, out)
    out.append(rng.pick(SPACES))
    out.append("}")


def make_text(n):
    rng = Rng(42)
    out = ['{"format": "records", "count": ', str(n), ', "records": [']
    for i in range(n):
        if i > 0:
            out.append(",")
        out.append('\n  {"id": ' + str(i) + ', "name": ')
        gen_string(rng, out)
        out.append(', "score": ')
        gen_number(rng, out)
        out.append(', "tags": ')
        gen_array(rng, 2, out)
        out.append(', "attrs": ')
        gen_object(rng, 1, out)
        out.append("}")
    out.append("\n]}\n")
    return "".join(out)


# ------------------------------------------------------------------- parser

ESCAPE_CHARS = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
HEX4 = re.compile(r"[0-9a-fA-F]{4}")
WHITESPACE = " \n\r\t"
DIGITS = "0123456789"


class JsonSyntaxError(ValueError):
    pass


class JsonParser:
    def __init__(self, text):
        self.text = text
        self.pos = 0

    def fail(self, msg):
        raise JsonSyntaxError(msg + " at offset " + str(self.pos))

    def peek(self):
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def skip_whitespace(self):
        text = self.text
        pos = self.pos
        end = len(text)
        while pos < end and text[pos] in WHITESPACE:
            pos += 1
        self.pos = pos

    def parse_document(self):
        value = self.parse_value()
        self.skip_whitespace()
        if self.pos != len(self.text):
            self.fail("trailing data")
        return value

    def parse_value(self):
        self.skip_whitespace()
        c = self.peek()
        if c == "{":
            return self.parse_object()
        if c == "[":
            return self.parse_array()
        if c == '"':
            return self.parse_string()
        if c == "t":
            return self.parse_literal("true", True)
        if c == "f":
            return self.parse_literal("false", False)
        if c == "n":
            return self.parse_literal("null", None)
        if c == "-" or ("0" <= c <= "9" and c != ""):
            return self.parse_number()
        return self.fail("unexpected character")

    def parse_literal(self, word, value):
        if not self.text.startswith(word, self.pos):
            self.fail("bad literal")
        self.pos += len(word)
        return value

    def parse_object(self):
        self.pos += 1  # '{'
        obj = {}
        self.skip_whitespace()
        if self.peek() == "}":
            self.pos += 1
            return obj
        while True:
            self.skip_whitespace()
            if self.peek() != '"':
                self.fail("expected key")
            key = self.parse_string()
            self.skip_whitespace()
            if self.peek() != ":":
                self.fail("expected ':'")
            self.pos += 1
            obj[key] = self.parse_value()
            self.skip_whitespace()
            c = self.peek()
            self.pos += 1
            if c == "}":
                return obj
            if c != ",":
                self.fail("expected ',' or '}'")

    def parse_array(self):
        self.pos += 1  # '['
        arr = []
        self.skip_whitespace()
        if self.peek() == "]":
            self.pos += 1
            return arr
        while True:
            arr.append(self.parse_value())
            self.skip_whitespace()
            c = self.peek()
            self.pos += 1
            if c == "]":
                return arr
            if c != ",":
                self.fail("expected ',' or ']'")

    def parse_string(self):
        text = self.text
        end = len(text)
        pos = self.pos + 1  # skip '"'
        start = pos
        result = ""
        while True:
            if pos >= end:
                self.pos = pos
                self.fail("unterminated string")
            c = text[pos]
            if c == '"':
                result += text[start:pos]
                self.pos = pos + 1
                return result
            if c == "\\":
                result += text[start:pos]
                e = text[pos + 1:pos + 2]
                if e == "u":
                    hex4 = text[pos + 2:pos + 6]
                    if not HEX4.fullmatch(hex4):
                        self.pos = pos
                        self.fail("bad unicode escape")
                    result += chr(int(hex4, 16))
                    pos += 6
                else:
                    ch = ESCAPE_CHARS.get(e)
                    if ch is None:
                        self.pos = pos
                        self.fail("bad escape")
                    result += ch
                    pos += 2
                start = pos
            elif c < " ":
                self.pos = pos
                self.fail("unterminated string")
            else:
                pos += 1

    def parse_number(self):
        text = self.text
        end = len(text)
        start = self.pos
        pos = start
        is_float = False
        if text[pos] == "-":
            pos += 1
        digits_from = pos
        while pos < end and text[pos] in DIGITS:
            pos += 1
        if pos == digits_from:
            self.pos = pos
            self.fail("expected digit")
        if text[digits_from] == "0" and pos - digits_from > 1:
            self.pos = pos
            self.fail("leading zero")
        if pos < end and text[pos] == ".":
            is_float = True
            pos += 1
            frac_from = pos
            while pos < end and text[pos] in DIGITS:
                pos += 1
            if pos == frac_from:
                self.pos = pos
                self.fail("expected fraction digit")
        if pos < end and text[pos] in "eE":
            is_float = True
            pos += 1
            if pos < end and text[pos] in "+-":
                pos += 1
            exp_from = pos
            while pos < end and text[pos] in DIGITS:
                pos += 1
            if pos == exp_from:
                self.pos = pos
                self.fail("expected exponent digit")
        self.pos = pos
        s = text[start:pos]
        return float(s) if is_float else int(s)


# ------------------------------------------------------------------ summary

def new_stats():
    return {
        "objects": 0, "arrays": 0, "keys": 0, "keyChars": 0, "strings": 0, "stringChars": 0,
        "charCodeSum": 0, "numbers": 0, "numberSum": 0, "trues": 0, "falses": 0, "nulls": 0,
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
        if v:
            st["charCodeSum"] += ord(v[-1])
    elif isinstance(v, list):
        st["arrays"] += 1
        for x in v:
            walk(x, depth + 1, st)
    else:
        st["objects"] += 1
        for k, x in v.items():
            st["keys"] += 1
            st["keyChars"] += len(k)
            walk(x, depth + 1, st)
    return st


text = None
text_size = -1


def setup(n):
    global text, text_size
    text = make_text(n)
    text_size = n


def run(n):
    if text_size != n:
        setup(n)
    doc = JsonParser(text).parse_document()
    st = walk(doc, 0, new_stats())
    st["textLength"] = len(text)
    st["records"] = len(doc["records"])
    return st


# Expected summary per size (None when the parser misbehaves), computed once
# per n since verify() runs after every measured iteration.
expected_cache = {}


def expected_stats(n):
    if n in expected_cache:
        return expected_cache[n]
    expected_cache[n] = None
    # The hand-written parser must agree with the built-in one...
    t = text if text_size == n else make_text(n)
    builtin = json.loads(t)
    if JsonParser(t).parse_document() != builtin:
        return None
    # ...and reject malformed input.
    for bad in ['{"a":1,}', "[1 2]", '"abc', '{"a" 1}', "01", "[-]", '"\\q"', "[1.]", "nul"]:
        try:
            JsonParser(bad).parse_document()
            return None
        except JsonSyntaxError:
            pass
    st = walk(builtin, 0, new_stats())
    st["textLength"] = len(t)
    st["records"] = n
    expected_cache[n] = st
    return st


def verify(result, n):
    st = expected_stats(n)
    return st is not None and result == st


SIZES = {"quick": 300, "default": 3000}
