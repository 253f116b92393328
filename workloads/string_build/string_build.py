"""String building: render n generated records through a small {{field}}
template engine into HTML (with escaping), build a CSV by repeated
concatenation, and a fixed-width text report with padding. Returns
lengths, sampled hashes and snippets of the outputs."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "common"))
from result_fingerprint import matches_recorded  # noqa: E402  (shared by the suite's workloads)
from rng import Rng  # noqa: E402


FIRST = ["Ada", "Brook", "Cyrus", "Dana", "Elio", "Fern", "Gale", "Hugo", "Iris", "Jonah",
         "Kira", "Lev", "Mona", "Nico", "Opal", "Pia"]
LAST = ["Abbott", "Barrow", "Castell", "Dunmore", "Everly", "Fairley", "Grimsby",
        "Holloway", "Ingram", "Jarvis", "Kendrick", "Lockhart"]
CITIES = ["Lisbon", "Oslo", "Quito", "Hanoi", "Perth", "Accra", "Lima", "Riga", "Cusco", "Dakar"]
TAGS = ["new", "sale", "gift", "bulk", "rush", "eco", "vip"]
NOTES = ["", "", "fragile", "leave at door", 'call "first"', "R&D dept", "size < 2m", "a > b & c"]


def make_records(n):
    rng = Rng(42)
    records = []
    for i in range(n):
        first = rng.pick(FIRST)
        last = rng.pick(LAST)
        city = rng.pick(CITIES)
        qty = 1 + rng.int(40)
        cents = 99 + rng.int(250000)
        tags = [rng.pick(TAGS) for _ in range(rng.int(4))]
        note = rng.pick(NOTES)
        records.append({"id": 1000 + i, "first": first, "last": last, "city": city,
                        "qty": qty, "cents": cents, "tags": tags, "note": note})
    return records


# ---------------------------------------------------------------- template

ROW_TEMPLATE = (
    '<tr class="{{cls}}" id="row-{{id}}">'
    '<td class="name">{{name}}</td><td>{{city}}</td><td class="num">{{qty}}</td>'
    '<td class="num">{{total}}</td><td>{{tags}}</td><td>{{note}}</td>'
    '<td><a href="/customers/{{slug}}">{{name}}</a></td></tr>\n'
)


def compile_template(template):
    """Split a template into (literal text, field name or None) pairs."""
    parts = []
    pos = 0
    while True:
        start = template.find("{{", pos)
        if start < 0:
            parts.append((template[pos:], None))
            return parts
        end = template.find("}}", start + 2)
        parts.append((template[pos:start], template[start + 2:end].strip()))
        pos = end + 2


def render(parts, values):
    out = []
    for literal, field in parts:
        out.append(literal)
        if field is not None:
            out.append(values[field])
    return "".join(out)


def escape_html(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def format_money(cents):
    digits = str(cents // 100)
    grouped = ""
    for i, d in enumerate(digits):
        if i > 0 and (len(digits) - i) % 3 == 0:
            grouped += ","
        grouped += d
    return "$" + grouped + "." + str(cents % 100).rjust(2, "0")


def slugify(s):
    return "-".join(s.lower().split(" "))


def csv_field(s):
    if "," in s or '"' in s:
        return '"' + s.replace('"', '""') + '"'
    return s


def sample_hash(s):
    h = 0
    for i in range(0, len(s), 7):
        h = (h * 131 + ord(s[i])) % 1000000007
    return h


# ------------------------------------------------------------------- run

records = None


def setup(n):
    global records
    records = make_records(n)


def run(n):
    if records is None or len(records) != n:
        setup(n)
    parts = compile_template(ROW_TEMPLATE)

    # 1. HTML table through the template engine.
    rows = []
    for i, r in enumerate(records):
        name = r["first"] + " " + r["last"]
        rows.append(render(parts, {
            "cls": "even" if i % 2 == 0 else "odd",
            "id": str(r["id"]),
            "name": escape_html(name),
            "city": escape_html(r["city"]),
            "qty": str(r["qty"]),
            "total": format_money(r["qty"] * r["cents"]),
            "tags": escape_html(", ".join(r["tags"])),
            "note": escape_html(r["note"]),
            "slug": slugify(name) + "-" + str(r["id"]),
        }))
    html = "<table>\n" + "".join(rows) + "</table>\n"

    # 2. CSV by repeated concatenation.
    csv = "id,name,city,qty,total,tags,note\n"
    for r in records:
        line = str(r["id"])
        line += "," + csv_field(r["first"] + " " + r["last"])
        line += "," + r["city"]
        line += "," + str(r["qty"])
        line += "," + csv_field(format_money(r["qty"] * r["cents"]))
        line += "," + csv_field(";".join(r["tags"]))
        line += "," + csv_field(r["note"])
        csv += line + "\n"

    # 3. Fixed-width report.
    lines = []
    grand = 0
    for r in records:
        total = r["qty"] * r["cents"]
        grand += total
        name = r["last"].upper() + ", " + r["first"]
        if len(name) > 18:
            name = name[:17] + "~"
        lines.append(str(r["id"]).rjust(6, "0") + "  " + name.ljust(18, " ") + " "
                     + r["city"].upper().ljust(8, ".") + format_money(total).rjust(16, " "))
    lines.append("-" * 50)
    lines.append("TOTAL".ljust(34, " ") + format_money(grand).rjust(16, " "))
    report = "\n".join(lines)

    return {
        "html": {"length": len(html), "hash": sample_hash(html), "head": html[:120], "tail": html[-60:]},
        "csv": {"length": len(csv), "hash": sample_hash(csv), "head": csv[:80], "tail": csv[-60:]},
        "report": {"length": len(report), "hash": sample_hash(report), "lines": len(lines),
                   "tail": report[-50:]},
        "grandTotal": grand,
    }


def check_consistency(result, n):
    recs = records if records is not None and len(records) == n else make_records(n)
    grand = sum(r["qty"] * r["cents"] for r in recs)
    return (result["grandTotal"] == grand
            and result["report"]["lines"] == n + 2
            and result["report"]["tail"] == "TOTAL".ljust(34, " ") + format_money(grand).rjust(16, " ")
            and result["html"]["head"].startswith('<table>\n<tr class="even" id="row-1000">')
            and result["html"]["tail"].endswith("</a></td></tr>\n</table>\n")
            and result["csv"]["head"].startswith("id,name,city,qty,total,tags,note\n1000,")
            and format_money(123456789) == "$1,234,567.89" and format_money(5) == "$0.05"
            and escape_html('a<b & "c">') == "a&lt;b &amp; &quot;c&quot;&gt;")


# Fingerprints of the results at the standard sizes (common/result_fingerprint.py), the same in
# the JavaScript version.
FINGERPRINTS = {1000: "723683493:600", 10000: "40808216:608"}


def verify(result, n):
    return matches_recorded(result, n, FINGERPRINTS) and check_consistency(result, n)


SIZES = {"quick": 1000, "default": 10000}
