// What the runner concludes from samples (host/runner/analysis.h).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "host/export/exporters.h"
#include "host/export/result_table.h"
#include "host/runner/analysis.h"
#include "host/runner/result_check.h"
#include "host/stats/statistics.h"
#include "host/text/format.h"

using namespace polyhost;

namespace {

// A run of PROCESSES processes, each with 8 measured iterations at LEVEL ns (the first one slower:
// its cold iteration) and a peak resident size of PEAK bytes.
Run analysis_run(const std::string& config, int processes, double level, double peak) {
  Run r;
  r.workload = "w";
  r.config = config;
  r.processes = processes;
  r.verified = true;
  for (int p = 0; p < processes; ++p) {
    std::vector<double> series{level * (3.0 + 0.1 * p)};
    for (int i = 0; i < 7; ++i) series.push_back(level * (1.0 + 0.01 * ((i + p) % 3)));
    r.samples_ns.push_back(series);
    MemoryReading m;
    m.peak_rss = peak * (1.0 + 0.01 * p);
    r.memory.push_back(m);
  }
  return r;
}

Results results_of(int processes) {
  Results results;
  results.settings.processes = processes;
  results.settings.iterations = 8;
  results.settings.configs = {"v8-jit", "cpython"};
  results.runs = {analysis_run("v8-jit", processes, 1e6, 50e6), analysis_run("cpython", processes, 20e6, 30e6)};
  compute_statistics(results);
  return results;
}

}  // namespace

TEST_CASE("Cold and memory ratios carry a 95% CI only with enough processes a side", "[analysis]") {
  for (int processes : {1, 3, static_cast<int>(stats::kFewestForMedianCi) - 1}) {
    INFO(processes << " processes");
    const Results results = results_of(processes);
    REQUIRE(results.comparisons.size() == 1);
    const Comparison& c = results.comparisons[0];
    REQUIRE(c.cold_ratio);
    REQUIRE(c.memory_ratio);
    CHECK(c.cold_ratio->ratio == Approx(20.0).epsilon(0.02));
    CHECK(c.memory_ratio->ratio == Approx(0.6).epsilon(0.02));
    CHECK(std::isnan(c.cold_ratio->ci95.low));
    CHECK(std::isnan(c.cold_ratio->ci95.high));
    CHECK(std::isnan(c.memory_ratio->ci95.low));
  }
  const Results enough = results_of(static_cast<int>(stats::kFewestForMedianCi));
  const Comparison& c = enough.comparisons.at(0);
  CHECK(c.cold_ratio->ci95.low <= c.cold_ratio->ratio);
  CHECK(c.cold_ratio->ratio <= c.cold_ratio->ci95.high);
  CHECK(c.memory_ratio->ci95.low <= c.memory_ratio->ratio);
  CHECK(c.memory_ratio->ratio <= c.memory_ratio->ci95.high);
}

TEST_CASE("A ratio without its interval is shown and written without one", "[analysis][export]") {
  const Results few = results_of(3);
  const Run& cpython = few.runs[1];
  CHECK(cold_ratio_text(few, &cpython).find('[') == std::string::npos);
  CHECK(memory_ratio_text(few, &cpython).find('[') == std::string::npos);
  std::ostringstream csv;
  write_results_csv(few, csv);
  CHECK(csv.str().find("nan") == std::string::npos);

  // A file written before the analysis dropped such intervals still has them: they are not shown.
  Results old = few;
  old.comparisons[0].cold_ratio->ci95 = {19.0, 21.0};
  old.comparisons[0].memory_ratio->ci95 = {0.5, 0.7};
  CHECK(cold_ratio_text(old, &old.runs[1]).find('[') == std::string::npos);
  CHECK(memory_ratio_text(old, &old.runs[1]).find('[') == std::string::npos);

  const Results enough = results_of(static_cast<int>(stats::kFewestForMedianCi));
  CHECK(cold_ratio_text(enough, &enough.runs[1]).find('[') != std::string::npos);
  CHECK(memory_ratio_text(enough, &enough.runs[1]).find('[') != std::string::npos);
}

namespace {

// A run of PROCESSES processes of SERIES each (iteration times in ns): the first WARMUP of them
// warm-up (the detector's steady state starting after them), the rest measured.
Run series_run(const std::string& config, int processes, const std::vector<double>& series, std::size_t warmup) {
  Run r;
  r.workload = "w";
  r.config = config;
  r.processes = processes;
  for (int p = 0; p < processes; ++p) {
    std::vector<double> jittered;
    for (std::size_t i = 0; i < series.size(); ++i) jittered.push_back(series[i] * (1.0 + 0.002 * ((i + p) % 5)));
    r.warmup_ns.emplace_back(jittered.begin(), jittered.begin() + static_cast<long>(warmup));
    r.samples_ns.emplace_back(jittered.begin() + static_cast<long>(warmup), jittered.end());
    r.steady_from.push_back(warmup);
  }
  return r;
}

Results automatic_results(std::vector<Run> runs, std::vector<std::string> configs) {
  Results results;
  results.settings.processes = runs.front().processes;
  results.settings.iterations = static_cast<int>(runs.front().samples_ns.front().size());
  results.settings.configs = std::move(configs);
  results.settings.warmup.automatic = true;
  results.runs = std::move(runs);
  compute_statistics(results);
  return results;
}

bool has_warning(const Run& run, const std::string& kind) {
  return std::any_of(run.warnings.begin(), run.warnings.end(), [&](const RunWarning& w) { return w.kind == kind; });
}

}  // namespace

TEST_CASE("A fixed warm-up's series too short to classify is 'too short to tell', not a steady state missed", "[analysis]") {
  // 2 warm-up and 3 measured calls per process: under the classifier's 10 iterations.
  Run run = series_run("cpython", 2, std::vector<double>(5, 10e6), 2);
  run.steady_from.clear();  // a fixed warm-up: the classifier fills it in
  Results results;
  results.settings.processes = 2;
  results.settings.iterations = 3;
  results.settings.configs = {"cpython"};
  results.settings.warmup.automatic = false;
  results.settings.warmup.fixed_iterations = 2;
  results.runs = {run};
  compute_statistics(results);
  const Run& r = results.runs[0];
  CHECK_FALSE(has_warning(r, "no steady state"));
  REQUIRE(has_warning(r, "too short to tell"));
  const auto warning = std::find_if(r.warnings.begin(), r.warnings.end(), [](const RunWarning& w) { return w.kind == "too short to tell"; });
  CHECK(warning->figure == "2 of 2 processes");
  CHECK(warning->text.find("2 of 2 processes ran 5 iterations") != std::string::npos);
  CHECK(warning->text.find("more iterations (--iterations, or a longer --warmup) would tell") != std::string::npos);
  CHECK(warning->text.find("mixes states") == std::string::npos);
  CHECK(cold_warmup_text(&r) == "10.0 ms; too short to tell (2 of 2)");
  CHECK(warning_explanation("too short to tell").find("more iterations would tell") != std::string::npos);
}

TEST_CASE("A change of speed late in the measured samples is flagged, not a silent median", "[analysis]") {
  // Warm-up ended after 20 calls at 10 ms; the 10 measured calls double from the 5th (the last
  // level, 6 of 30 iterations, is too short to be a steady state of its own).
  std::vector<double> series(30, 10e6);
  for (std::size_t i = 24; i < series.size(); ++i) series[i] = 20e6;
  const Results late = automatic_results({series_run("cpython", 3, series, 20)}, {"cpython"});
  CHECK(has_warning(late.runs[0], "changepoint in measured"));
  // One warning for the run, as every other kind, naming its processes: the terminal counts runs.
  const auto changed = std::count_if(late.runs[0].warnings.begin(), late.runs[0].warnings.end(),
                                     [](const RunWarning& w) { return w.kind == "changepoint in measured"; });
  CHECK(changed == 1);
  const RunWarning& warning = late.runs[0].warnings.back();
  CHECK(warning.figure == "3 of 3 processes, it. 25, 25, 25");
  CHECK(warning.text.find("process 1 at iteration 25, after 20 warm-up iterations; process 2 at") != std::string::npos);
  std::ostringstream table;
  write_results_table(late, table, false);
  CHECK(table.str().find("changepoint in measured (1):") != std::string::npos);
  // The median itself is marked, with the mark's legend under the table.
  CHECK(table.str().find(std::string(kMixedStatesMark) + text::format_duration_ns(late.runs[0].summary->median)) != std::string::npos);
  CHECK(table.str().find(kMixedStatesLegend) != std::string::npos);
  std::ostringstream markdown;
  write_results_markdown(late, markdown);
  CHECK(markdown.str().find("\\~" + text::format_duration_ns(late.runs[0].summary->median)) != std::string::npos);
  // Level all through: nothing to flag.
  const Results level = automatic_results({series_run("cpython", 3, std::vector<double>(30, 10e6), 20)}, {"cpython"});
  CHECK_FALSE(has_warning(level.runs[0], "changepoint in measured"));
  std::ostringstream level_table;
  write_results_table(level, level_table, false);
  CHECK(level_table.str().find(kMixedStatesLegend) == std::string::npos);
}

TEST_CASE("A process capped without a steady state whose whole series was steady in its warm-up is not unsteady", "[analysis]") {
  // 5 µs calls, level but for a rhythm: the detector's check at the cap saw the newest calls off
  // the level by chance (steady_from null), and the run said "did not settle" beside a warm-up table
  // that said steady from the 3rd.
  std::vector<double> series(60, 5.7e3);
  series[0] = 55e3;
  series[1] = 7e3;
  Run capped = series_run("v8-ignition", 2, series, 40);
  capped.steady_from[1] = std::nullopt;
  const Results results = automatic_results({capped}, {"v8-ignition"});
  const Run& r = results.runs[0];
  REQUIRE(r.steady_from[1]);
  CHECK(*r.steady_from[1] == 2);
  CHECK_FALSE(has_warning(r, "no steady state"));
  CHECK(r.unsteady_processes() == 0);
  // A process whose classification finds no steady state before its measured calls stays unsteady.
  std::vector<double> falling;
  for (int i = 0; i < 60; ++i) falling.push_back(10e6 * (1.0 - 0.01 * i));
  Run still_falling = series_run("v8-ignition", 2, falling, 40);
  still_falling.steady_from[1] = std::nullopt;
  const Results unsteady = automatic_results({still_falling}, {"v8-ignition"});
  CHECK_FALSE(unsteady.runs[0].steady_from[1]);
  CHECK(has_warning(unsteady.runs[0], "no steady state"));
}

namespace {

// A JavaScript run that is fine and a Python run marked mismatch with MESSAGE, cross-checked.
std::pair<Run, Run> cross_checked_with_mismatch(const std::string& message) {
  std::pair<Run, Run> runs{series_run("v8-jit", 2, std::vector<double>(20, 1e6), 10), series_run("cpython", 2, std::vector<double>(20, 9e6), 10)};
  auto& [jit, python] = runs;
  jit.language = "js";
  python.language = "py";
  python.status = RunStatus::Mismatch;
  python.message = message;
  cross_check({&jit, &python}, {});
  return runs;
}

}  // namespace

TEST_CASE("A failed verify() stays its configuration's own verdict", "[analysis]") {
  const auto [jit, python] = cross_checked_with_mismatch(std::string(kVerifyFailed) + "1000) returned False for the first result");
  CHECK(jit.status == RunStatus::Ok);
}

TEST_CASE("A failed verify() in a later process stays its configuration's own verdict", "[analysis]") {
  // verify() may depend on more than the result (a random check): only the second process failed.
  const auto [jit, python] =
      cross_checked_with_mismatch("process 2 of 3: " + std::string(kVerifyFailed) + "1000) returned False for the first result");
  CHECK(jit.status == RunStatus::Ok);
}

TEST_CASE("Results that differ between processes make every configuration a mismatch", "[analysis]") {
  const auto [jit, python] = cross_checked_with_mismatch("processes 1 and 3 returned different results: at .total: 1 vs 2");
  CHECK(jit.status == RunStatus::Mismatch);
}

TEST_CASE("Results that change between one configuration's calls make every configuration a mismatch", "[analysis]") {
  const auto [jit, python] = cross_checked_with_mismatch("run(1) returned different results in warm-up iteration 1 and warm-up iteration 5");
  CHECK(jit.status == RunStatus::Mismatch);
  CHECK(jit.message == "cpython (py) gave different results: " + python.message);
}

TEST_CASE("No break-even for a JIT that is not measurably faster once warm; no CI over one workload", "[analysis]") {
  std::vector<double> slow_start(30, 7e6);
  for (std::size_t i = 0; i < 7; ++i) slow_start[i] = 10e6;
  // Slower to start, then 0.1% faster, well within the iterations' spread: not caught up within
  // the measured iterations, and not measurably faster to extrapolate from.
  std::vector<double> nearly = slow_start;
  for (double& x : nearly) x *= 0.999;
  for (std::size_t i = 0; i < 7; ++i) nearly[i] = 12e6;
  const Results same = automatic_results({series_run("v8-jit", 3, nearly, 10), series_run("v8-ignition", 3, slow_start, 10)},
                                         {"v8-jit", "v8-ignition"});
  REQUIRE(same.break_evens.size() == 1);
  CHECK_FALSE(same.break_evens[0].iterations);
  CHECK_FALSE(same.break_evens[0].slower_once_warm);
  CHECK(break_even_text(same.break_evens[0]) == "never (not measurably faster once warm)");
  // Slower once warm (PyPy's json_parser against CPython: 41 ms against 12): said so, not "not
  // measurably faster".
  std::vector<double> slower_jit = slow_start;
  for (double& x : slower_jit) x *= 3;
  const Results slower = automatic_results({series_run("v8-jit", 3, slower_jit, 10), series_run("v8-ignition", 3, slow_start, 10)},
                                           {"v8-jit", "v8-ignition"});
  REQUIRE(slower.break_evens.size() == 1);
  CHECK_FALSE(slower.break_evens[0].iterations);
  CHECK(slower.break_evens[0].slower_once_warm);
  CHECK(break_even_text(slower.break_evens[0]) == "never (slower once warm)");
  // 0.1% slower, within the iterations' spread: not measurably slower either.
  std::vector<double> tie = slow_start;
  for (double& x : tie) x *= 1.001;
  const Results tied = automatic_results({series_run("v8-jit", 3, tie, 10), series_run("v8-ignition", 3, slow_start, 10)},
                                         {"v8-jit", "v8-ignition"});
  REQUIRE(tied.break_evens.size() == 1);
  CHECK_FALSE(tied.break_evens[0].iterations);
  CHECK_FALSE(tied.break_evens[0].slower_once_warm);
  std::vector<double> interpreter(30, 9e6);
  const Results faster = automatic_results({series_run("v8-jit", 3, slow_start, 10), series_run("v8-ignition", 3, interpreter, 10)},
                                           {"v8-jit", "v8-ignition"});
  REQUIRE(faster.break_evens.size() == 1);
  CHECK(faster.break_evens[0].iterations);
  // Ahead from the first iteration, however small the difference: seen, not extrapolated.
  std::vector<double> ahead = slow_start;
  for (double& x : ahead) x *= 0.999;
  const Results seen = automatic_results({series_run("v8-jit", 3, ahead, 10), series_run("v8-ignition", 3, slow_start, 10)},
                                         {"v8-jit", "v8-ignition"});
  REQUIRE(seen.break_evens.size() == 1);
  CHECK(seen.break_evens[0].iterations == 1);
  CHECK_FALSE(seen.break_evens[0].extrapolated);
  REQUIRE(faster.tier_ratios.size() == 1);
  CHECK(faster.tier_ratios[0].workloads == 1);
  CHECK_FALSE(faster.tier_ratios[0].has_ci95());
  CHECK(faster.tier_ratios[0].interval.low == faster.tier_ratios[0].geometric_mean);
  CHECK(faster.tier_ratios[0].interval.high == faster.tier_ratios[0].geometric_mean);
}

TEST_CASE("A break-even past the measured iterations is the same whether the ratio table's bootstrap decides it or its own",
          "[analysis]") {
  // The JIT pays 100 ms for each of its first 7 iterations, then runs at 7 ms against the
  // interpreter's 9 ms: it catches up only near iteration 326, past the 30 measured.
  std::vector<double> jit(30, 7e6);
  for (std::size_t i = 0; i < 7; ++i) jit[i] = 100e6;
  const std::vector<double> interpreter(30, 9e6);
  auto break_even_with = [&](std::vector<std::string> configs) {
    const Results results = automatic_results({series_run("pypy3", 3, jit, 10), series_run("cpython", 3, interpreter, 10)},
                                               std::move(configs));
    REQUIRE(results.break_evens.size() == 1);
    return results.break_evens[0];
  };
  // pypy3 first is the baseline: the table's cpython / pypy3 is the ratio the break-even asks for.
  const BreakEven shared = break_even_with({"pypy3", "cpython"});
  // cpython first is the baseline: the table has pypy3 / cpython, so the break-even resamples its own.
  const BreakEven own = break_even_with({"cpython", "pypy3"});
  CHECK(shared.extrapolated);
  REQUIRE(shared.iterations);
  CHECK(*shared.iterations == Approx(326).epsilon(0.02));
  CHECK(own.extrapolated == shared.extrapolated);
  CHECK(own.iterations == shared.iterations);
}

TEST_CASE("A file's figures are the same whether its reader's summaries are kept or derived again", "[analysis]") {
  // The reader derives each run's summary to check the file's stats; compute_statistics keeps it
  // rather than bootstrapping it a second time. Both must be what the samples give.
  const Results read = read_results_file(std::string(POLYHOST_GOLDEN_DIR) + "/tiers.results.json");
  REQUIRE(std::any_of(read.runs.begin(), read.runs.end(), [](const Run& run) { return run.summary.has_value(); }));
  Results kept = read, derived_again = read;
  for (Run& run : derived_again.runs) run.summary.reset();
  compute_statistics(kept);
  compute_statistics(derived_again);
  std::ostringstream kept_json, derived_again_json;
  write_results_json(kept, kept_json);
  write_results_json(derived_again, derived_again_json);
  CHECK(kept_json.str() == derived_again_json.str());
}

TEST_CASE("A tier ratio has a bootstrap CI over its workloads from 6 of them; from fewer, their ratios' range", "[analysis][export]") {
  auto tiers_over = [](int workloads) {
    Results results;
    results.settings.processes = 1;
    results.settings.iterations = 8;
    results.settings.configs = {"v8-jit", "cpython"};
    for (int w = 0; w < workloads; ++w) {
      Run jit = analysis_run("v8-jit", 1, 1e6, 50e6), py = analysis_run("cpython", 1, (w % 2 ? 10e6 : 40e6) * (1 + 0.1 * w), 30e6);
      jit.workload = py.workload = "w" + std::to_string(w);
      results.runs.push_back(jit);
      results.runs.push_back(py);
    }
    compute_statistics(results);
    REQUIRE(results.tier_ratios.size() == 1);
    return results;
  };
  const Results two = tiers_over(2);
  const TierRatio& few = two.tier_ratios[0];
  CHECK_FALSE(few.has_ci95());
  CHECK(few.interval.low == Approx(10.0 * 1.1).epsilon(0.02));   // w1's ratio
  CHECK(few.interval.high == Approx(40.0).epsilon(0.02));        // w0's
  CHECK(tier_value_text(few).find("[range ") != std::string::npos);
  std::ostringstream md;
  write_results_markdown(two, md);
  CHECK(md.str().find("[range ") != std::string::npos);
  CHECK(md.str().find("geometric mean [95% CI or range]") != std::string::npos);

  const Results six = tiers_over(6);
  const TierRatio& enough = six.tier_ratios[0];
  CHECK(enough.has_ci95());
  std::vector<double> ratios;
  for (int w = 0; w < 6; ++w) {
    const auto* jit = &six.runs[static_cast<std::size_t>(2 * w)];
    const auto* py = &six.runs[static_cast<std::size_t>(2 * w + 1)];
    ratios.push_back(py->summary->median / jit->summary->median);
  }
  const stats::Interval ci = stats::geometric_mean_ci(ratios);
  CHECK(enough.interval.low == ci.low);
  CHECK(enough.interval.high == ci.high);
  CHECK(tier_value_text(enough).find("range") == std::string::npos);
}

TEST_CASE("The 'too short' warning gives the median in its own unit", "[analysis]") {
  // Just under 1 ms read "takes 1 ms, under 1 ms" (3 digits in ms), and 7.66 µs "0.00766 ms".
  for (const auto& [level, shown] : {std::pair<double, std::string>{990'000, "takes 99"}, {7'660, "takes 7.6"}}) {
    Results results = automatic_results({series_run("cpython", 2, std::vector<double>(20, level), 10)}, {"cpython"});
    const Run& r = results.runs[0];
    const auto warning = std::find_if(r.warnings.begin(), r.warnings.end(), [](const RunWarning& w) { return w.kind == "too short"; });
    REQUIRE(warning != r.warnings.end());
    CHECK(warning->text.find(shown) != std::string::npos);
    CHECK(warning->text.find(" \u00b5s, under 1 ms, so timer and host overhead weigh in") != std::string::npos);
  }
}

TEST_CASE("The warm-up column gives the median of the processes' steady starts as it is", "[analysis]") {
  // Steady from iterations 7 and 8: the median is 7.5, which the table printed as "8 it.".
  Run run = series_run("cpython", 2, std::vector<double>(20, 10e6), 10);
  run.steady_from = {std::size_t{7}, std::size_t{8}};
  const std::string text = cold_warmup_text(&run);
  CHECK(text.find("; 7.5 it. (") != std::string::npos);
}
