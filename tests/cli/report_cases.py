"""polyhost report, run by ctest: the HTML is self-contained, has every chart with a title, axes
and units, shows every non-ok verdict and the overhead heat map; and it renders in Debian's
headless Chromium with no console errors (skipped, visibly, when Chromium is not installed).

Usage: report_cases.py POLYHOST FIXTURES CASE    (or --list)
"""
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys

import driver

SKIP = 77  # ctest's SKIP_RETURN_CODE for these tests


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = {}
        self.svg_titles = []
        self.fetching = []  # attributes that would make the browser fetch something
        self._in_svg_title = False
        self.text = []

    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        for name, value in attrs:
            if name in ("src", "href") and value and not value.startswith("#"):
                self.fetching.append("%s %s=%s" % (tag, name, value))
        if tag in ("script", "link", "iframe", "img"):
            self.fetching.append(tag)
        self._in_svg_title = tag == "title" and self.tags.get("svg", 0) > 0

    def handle_data(self, data):
        self.text.append(data)
        if self._in_svg_title:
            self.svg_titles.append(data)
            self._in_svg_title = False


def make_inputs(polyhost, fixtures, tmp):
    """A run with good and bad workloads, and an overhead file, as the report's inputs."""
    results = os.path.join(tmp, "results.json")
    subprocess.run([polyhost, "run", os.path.join(fixtures, "workloads", "good"), os.path.join(fixtures, "workloads", "async_ok"),
                    os.path.join(fixtures, "workloads", "languages_disagree"), "--quick", "--processes", "1",
                    "--warmup", "2", "--iterations", "10", "--json", results], capture_output=True, timeout=300)
    overhead = os.path.join(tmp, "overhead.json")
    subprocess.run([polyhost, "overhead", "--quick", "--json", overhead], capture_output=True, timeout=300)
    report = os.path.join(tmp, "report.html")
    proc = subprocess.run([polyhost, "report", results, overhead, "-o", report], capture_output=True, text=True, timeout=60)
    return proc, report


def self_contained_with_every_chart(polyhost, fixtures, tmp, problems):
    proc, report = make_inputs(polyhost, fixtures, tmp)
    if proc.returncode != 0 or not os.path.exists(report):
        problems.append("report failed: %d %s" % (proc.returncode, proc.stderr))
        return proc
    page = Page()
    page.feed(open(report, encoding="utf-8").read())
    text = " ".join(page.text)
    if page.fetching:
        problems.append("the page would fetch: %r" % page.fetching)
    # 3 workloads: a bar chart each and a warm-up chart each.
    if page.tags.get("svg", 0) != 6:
        problems.append("%d charts, expected 6" % page.tags.get("svg", 0))
    for name in ("good", "async_ok", "languages_disagree"):
        if page.svg_titles.count(name) != 2:
            problems.append("chart titles for %s: %r" % (name, page.svg_titles))
    for words in ("time per iteration (median, 95% CI; log scale)", "iteration in the process", "v8-jit", "cpython"):
        if words not in text:
            problems.append("no %r on the page" % words)
    if not re.search(r"\d+ of \d+ runs are not ok", text) or "MISMATCH" not in text:
        problems.append("the non-ok verdicts are not shown loudly")
    if "Extension-call overhead" not in text or "v8-fast-api" not in text or "pybind11" not in text:
        problems.append("no overhead heat map")
    if "CPU" not in text or "command" not in text:
        problems.append("no environment section")
    bad = subprocess.run([polyhost, "report", os.path.join(tmp, "missing.json"), "-o", os.path.join(tmp, "x.html")],
                         capture_output=True, text=True, timeout=60)
    if bad.returncode != 2 or "missing.json" not in bad.stderr:
        problems.append("a missing input is not a clear error: %d %r" % (bad.returncode, bad.stderr))
    return proc


def renders_in_chromium(polyhost, fixtures, tmp, problems):
    chromium = shutil.which("chromium")
    if not chromium:
        print("SKIPPED: Debian's chromium is not installed (scripts/test installs it)")
        sys.exit(SKIP)
    proc, report = make_inputs(polyhost, fixtures, tmp)
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--user-data-dir=" + os.path.join(tmp, "profile"), "--enable-logging=stderr", "--v=0"]
    dom = subprocess.run([chromium] + flags + ["--dump-dom", "file://" + report], capture_output=True, text=True, timeout=120)
    rendered = dom.stdout.count("<svg")
    if rendered != 6:
        problems.append("Chromium rendered %d charts, expected 6" % rendered)
    console = [line for line in dom.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line or "net::ERR" in line]
    if console:
        problems.append("console errors: %r" % console[:5])
    shot = os.path.join(tmp, "report.png")
    subprocess.run([chromium] + flags + ["--hide-scrollbars", "--window-size=1360,2000", "--screenshot=" + shot,
                                         "file://" + report], capture_output=True, timeout=120)
    if not os.path.exists(shot) or os.path.getsize(shot) < 20000:
        problems.append("no screenshot (or an empty one)")
    return dom


CASES = {
    "self_contained_with_every_chart": self_contained_with_every_chart,
    "renders_in_chromium": renders_in_chromium,
}



if __name__ == "__main__":
    sys.exit(driver.main(CASES))
