// `polyhost report` on results built in memory: what its warm-up charts mark.
#include <catch2/catch.hpp>

#include <string>

#include "host/report/html_report.h"
#include "host/runner/analysis.h"

using namespace polyhost;

namespace {

// One cpython process: 35 calls at 20 ms, then 25 at 10 ms (the classification's steady state
// starts at the 36th); the first 12 warm-up, the detector's steady state from the 2nd (0-based 1).
Results late_change(bool automatic) {
  std::vector<double> series(60, 10e6);
  for (std::size_t i = 0; i < 35; ++i) series[i] = 20e6 * (1.0 + 0.002 * static_cast<double>(i % 5));
  for (std::size_t i = 35; i < series.size(); ++i) series[i] = 10e6 * (1.0 + 0.002 * static_cast<double>(i % 5));
  Run run;
  run.workload = "late";
  run.language = "py";
  run.config = "cpython";
  run.processes = 1;
  run.size = 1;
  run.warmup_ns = {std::vector<double>(series.begin(), series.begin() + 12)};
  run.samples_ns = {std::vector<double>(series.begin() + 12, series.end())};
  if (automatic) run.steady_from = {1};
  Results results;
  results.settings.processes = 1;
  results.settings.iterations = 48;
  results.settings.configs = {"cpython"};
  results.settings.warmup.automatic = automatic;
  results.settings.warmup.fixed_iterations = automatic ? 0 : 12;
  results.runs = {run};
  compute_statistics(results);
  return results;
}

std::string report_of(Results results) {
  ReportInputs inputs;
  inputs.results.push_back({"late.json", std::move(results)});
  return render_html_report(inputs);
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("The warm-up chart marks the classification's steady start and the detector's, each labelled as such", "[report]") {
  const std::string page = report_of(late_change(true));
  CHECK(contains(page, "cpython (steady from it. 36 by classification, 2 by the detector)"));
  CHECK(contains(page, "<title>cpython: the classification puts the steady state from iteration 36</title>"));
  CHECK(contains(page, "<title>cpython: the warm-up detector found the steady state from iteration 2</title>"));
  CHECK(contains(page, "class=\"steady\""));
  CHECK(contains(page, "class=\"detected\""));
  CHECK(contains(page, "A dashed line marks where the classification of the whole series (Barrett et al.) puts the steady state"));
}

TEST_CASE("A fixed warm-up's chart has only the classification's mark: there was no detector", "[report]") {
  const std::string page = report_of(late_change(false));
  CHECK(contains(page, "cpython (steady from it. 36 by classification)"));
  CHECK_FALSE(contains(page, "class=\"detected\""));
}

TEST_CASE("A failed run shows its message's first line, and opens to the whole message, escaped", "[report]") {
  Results results = late_change(false);
  Run failed = results.runs[0];
  failed.workload = "broken";
  failed.status = RunStatus::Error;
  failed.message = "Traceback (most recent call last):\n  File \"run.py\", line 3, in run\nValueError: <bad> & worse";
  failed.samples_ns.clear();
  failed.warmup_ns.clear();
  failed.processes = 0;
  failed.summary.reset();
  results.runs.push_back(failed);
  const std::string page = report_of(results);
  CHECK(contains(page, "<details><summary><b>broken</b> [cpython] <span class=\"status-bad\">ERROR</span> — Traceback (most "
                       "recent call last):</summary><pre class=\"message\">Traceback (most recent call last):\n  File "
                       "&quot;run.py&quot;, line 3, in run\nValueError: &lt;bad&gt; &amp; worse</pre></details>"));
  // Under the chart that has nothing to plot, too.
  CHECK(contains(page, "<li><details><summary>cpython: ERROR — Traceback (most recent call last):</summary><pre"));
}

TEST_CASE("A one-line message cut to fit under a chart opens to the whole line; one that fits opens to nothing", "[report]") {
  Results results = late_change(false);
  Run failed = results.runs[0];
  failed.status = RunStatus::Error;
  failed.message = "results disagree at result.values: \"" + std::string(200, 'a') + "\" vs \"b\"";
  failed.samples_ns.clear();
  failed.warmup_ns.clear();
  failed.processes = 0;
  failed.summary.reset();
  failed.workload = "long";
  results.runs.push_back(failed);
  failed.workload = "short";
  failed.message = "it failed";
  results.runs.push_back(failed);
  const std::string page = report_of(results);
  CHECK(contains(page, "<pre class=\"message\">results disagree at result.values: &quot;" + std::string(200, 'a') +
                           "&quot; vs &quot;b&quot;</pre>"));
  CHECK(contains(page, "<li>cpython: ERROR — it failed</li>"));
  CHECK_FALSE(contains(page, "<pre class=\"message\">it failed</pre>"));
}
