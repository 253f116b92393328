#include "host/runner/analysis.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <sstream>
#include <utility>

#include "host/runner/configs.h"
#include "host/runner/result_check.h"
#include "host/text/format.h"
#include "host/value_compare.h"
#include "host/workload.h"

namespace polyhost {
namespace {

const Run* ok_run(const Results& results, const std::string& workload, const std::string& config) {
  for (const auto& r : results.runs) {
    if (r.workload == workload && r.config == config && r.status == RunStatus::Ok && r.summary) return &r;
  }
  return nullptr;
}

// The bootstrapped ratio of two runs' steady speeds, each pair resampled once: the ratio table and
// a break-even can ask for the same one (v8-ignition over v8-jit, when v8-jit is the baseline).
class SpeedRatios {
 public:
  const stats::RatioEstimate& of(const Run& numerator, const Run& denominator) {
    auto [known, fresh] = ratios_.try_emplace({&numerator, &denominator});
    if (fresh) known->second = stats::ratio_of_medians_grouped(numerator.samples_ns, denominator.samples_ns);
    return known->second;
  }

 private:
  std::map<std::pair<const Run*, const Run*>, stats::RatioEstimate> ratios_;
};

// The ratio of the medians of one figure per process (a cold iteration, a peak). Its bootstrap
// interval is kept only when each side has enough processes for a 95% CI of a median; with fewer
// (3 by default) the resampled medians can only repeat the few values, so the ratio stands alone.
stats::RatioEstimate ratio_over_processes(const std::vector<double>& values, const std::vector<double>& base) {
  stats::RatioEstimate estimate = stats::ratio_of_medians(values, base);
  if (std::min(values.size(), base.size()) < stats::kFewestForMedianCi) {
    estimate.ci95 = {std::nan(""), std::nan("")};
  }
  return estimate;
}

void compute_tier_ratios(Results& results) {
  results.tier_ratios.clear();
  for (const auto& q : tier_questions()) {
    std::vector<double> ratios;
    for (const auto& r : results.runs) {
      if (r.config != q.denominator) continue;
      const Run* num = ok_run(results, r.workload, q.numerator);
      const Run* den = ok_run(results, r.workload, q.denominator);
      if (num && den && num->machine == den->machine) ratios.push_back(num->summary->median / den->summary->median);
    }
    if (ratios.empty()) continue;
    TierRatio tier{q.question, q.numerator, q.denominator, stats::geometric_mean(ratios), {}, static_cast<int>(ratios.size())};
    const auto [lowest, highest] = std::minmax_element(ratios.begin(), ratios.end());
    tier.interval = tier.has_ci95() ? stats::geometric_mean_ci(ratios) : stats::Interval{*lowest, *highest};
    results.tier_ratios.push_back(std::move(tier));
  }
}

// The iteration times a typical process of RUN took: the median over processes of each iteration,
// as far as every process got.
std::vector<double> typical_series(const Run& run) {
  std::vector<std::vector<double>> series;
  std::size_t length = SIZE_MAX;
  for (std::size_t p = 0; p < run.samples_ns.size(); ++p) {
    series.push_back(run.series_ns(p));
    length = std::min(length, series.back().size());
  }
  std::vector<double> out;
  for (std::size_t i = 0; !series.empty() && i < length; ++i) {
    std::vector<double> at;
    for (const auto& s : series) at.push_back(s[i]);
    out.push_back(stats::median(at));
  }
  return out;
}

// The first iteration after which JIT's cumulative time stays below INTERPRETER's: within the
// measured iterations when it happens there, else where the two steady speeds make it happen.
BreakEven break_even(const Run& jit, const Run& interpreter, SpeedRatios& speed_ratios) {
  BreakEven out{jit.workload, jit.config, interpreter.config, std::nullopt, false, false};
  const std::vector<double> a = typical_series(jit), b = typical_series(interpreter);
  const double jit_steady = jit.summary->median, interpreter_steady = interpreter.summary->median;
  if (jit_steady >= interpreter_steady) {  // never for good: once warm it is not faster
    // Slower, measurably: the 95% CI of the ratio of the steady speeds lies below no difference.
    out.slower_once_warm = speed_ratios.of(interpreter, jit).ci95.high < 1.0;
    return out;
  }
  const std::size_t n = std::min(a.size(), b.size());
  double ca = 0, cb = 0;
  std::size_t last_behind = 0;  // the last iteration (1-based) where the JIT's total was not below
  for (std::size_t k = 1; k <= n; ++k) {
    ca += a[k - 1];
    cb += b[k - 1];
    if (ca >= cb) last_behind = k;
  }
  if (last_behind < n) {
    out.iterations = static_cast<double>(last_behind + 1);  // seen
  } else if (speed_ratios.of(interpreter, jit).ci95.low > 1.0) {
    // Past the measured iterations, only when the JIT is measurably faster once warm (the 95% CI of
    // the ratio of steady speeds excludes no difference): dividing by the difference of two equal
    // speeds would extrapolate from noise. Otherwise never.
    out.iterations = static_cast<double>(n) + std::floor((ca - cb) / (interpreter_steady - jit_steady)) + 1;
    out.extrapolated = true;
  }
  return out;
}

void compute_break_evens(Results& results, SpeedRatios& speed_ratios) {
  results.break_evens.clear();
  for (const auto& pair : break_even_pairs()) {
    for (const auto& r : results.runs) {
      if (r.config != pair.jit) continue;
      const Run* jit = ok_run(results, r.workload, pair.jit);
      const Run* interpreter = ok_run(results, r.workload, pair.interpreter);
      if (jit && interpreter && jit->machine == interpreter->machine) {
        results.break_evens.push_back(break_even(*jit, *interpreter, speed_ratios));
      }
    }
  }
}

void compute_warmup(Run& run, bool fill_steady_from) {
  run.warmup_by_process.clear();
  run.warmup.reset();
  if (fill_steady_from) run.steady_from.clear();
  for (std::size_t p = 0; p < run.samples_ns.size(); ++p) {
    run.warmup_by_process.push_back(warmup::classify(run.series_ns(p)));
    if (fill_steady_from) {
      const auto& a = run.warmup_by_process.back();
      run.steady_from.push_back(a.steady_iteration ? std::optional<std::size_t>(*a.steady_iteration - 1) : std::nullopt);
    }
  }
  if (!run.warmup_by_process.empty()) run.warmup = warmup::summarize(run.warmup_by_process);
}

// A process whose detector reached a cap without a steady state, while the detector's own test on
// its whole series (warm-up and measured) finds one that began within its warm-up (it starts where
// the classification does or later, never where the classification finds none): its measured
// samples are steady after all, and it gets that start. (5 µs calls level for 690 iterations: the
// check at the 200-iteration cap saw its newest calls off the level by chance, and the run said "did
// not settle" beside a table that said steady from the 3rd.)
void confirm_steady_after_cap(Run& run, const Results& results) {
  const ConfigSetup* setup = results.setup_of(run.config);
  const std::size_t known_point = setup ? static_cast<std::size_t>(std::max(setup->known_warmup_point, 0)) : 0;
  const auto window = static_cast<std::size_t>(results.settings.warmup.window);
  for (std::size_t p = 0; p < run.steady_from.size() && p < run.warmup_ns.size(); ++p) {
    if (run.steady_from[p]) continue;
    const auto start = warmup::steady_start(run.series_ns(p), known_point, window);
    if (start && *start <= run.warmup_ns[p].size()) run.steady_from[p] = start;
  }
}

// The processes in TOO_SHORT ran too few iterations for the classification to say whether they
// reached a steady state: nothing is known about their samples either way.
RunWarning too_short_warning(const Run& run, const std::vector<std::size_t>& too_short, const WarmupPolicy& policy) {
  std::size_t longest = 0;
  bool alike = true;
  for (std::size_t p : too_short) {
    const std::size_t length = run.series_ns(p).size();
    alike = alike && (longest == 0 || length == longest);
    longest = std::max(longest, length);
  }
  const std::string share = std::to_string(too_short.size()) + " of " + std::to_string(run.steady_from.size()) + " processes";
  std::ostringstream text;
  text << "too short to tell: " << share << " ran " << (alike ? "" : "at most ") << longest
       << " iterations (warm-up and measured), too few for the classification (at least " << warmup::kMinimumIterations
       << ", outliers aside) to tell whether they reached a steady state; ";
  if (policy.automatic) {
    text << "a longer warm-up cap (--max-warmup-time) would let the detector tell";
  } else {
    text << "more iterations (--iterations, or a longer --warmup) would tell";
  }
  return {"too short to tell", text.str(), share, static_cast<double>(too_short.size()) / static_cast<double>(run.steady_from.size())};
}

// The measured samples must hold no change of speed: the classifier, over the whole series, must
// not find the steady state starting among them, nor a last level too short to be one (a change
// late in the measured samples). One warning for the run, as every other kind, naming its processes.
std::optional<RunWarning> changepoint_in_measured_warning(const Run& run) {
  std::ostringstream where, iterations;
  std::size_t changed = 0;
  for (std::size_t p = 0; p < run.warmup_by_process.size() && p < run.warmup_ns.size() && p < run.steady_from.size(); ++p) {
    const auto& a = run.warmup_by_process[p];
    const std::size_t warmup = run.warmup_ns[p].size();
    const std::optional<std::size_t> change = a.steady_iteration ? a.steady_iteration : a.last_level_iteration;
    if (!change || *change - 1 <= warmup || !run.steady_from[p]) continue;
    where << (changed == 0 ? "" : "; ") << "process " << p + 1 << " at iteration " << *change << ", after " << warmup
          << " warm-up iterations";
    iterations << (changed == 0 ? "" : ", ") << *change;
    ++changed;
  }
  if (changed == 0) return std::nullopt;
  const std::size_t processes = run.steady_from.size();
  const std::string share = std::to_string(changed) + " of " + std::to_string(processes) + " processes";
  return RunWarning{"changepoint in measured",
                    "changepoint in measured: " + share + " changed speed among their measured samples (" + where.str() +
                        "); those samples mix two states",
                    share + ", it. " + iterations.str(), static_cast<double>(changed) / static_cast<double>(processes)};
}

void add_warnings(Run& run, const Settings& settings) {
  const WarmupPolicy& policy = settings.warmup;
  const stats::Summary& s = *run.summary;
  if (run.processes < settings.processes) {
    std::ostringstream text;
    text << "fewer processes: " << run.processes << " of the " << settings.processes
         << " planned finished (the run was interrupted); its CI rests on those";
    run.warnings.push_back({"fewer processes", text.str(), std::to_string(run.processes) + " of " +
                            std::to_string(settings.processes), 1.0 - static_cast<double>(run.processes) / settings.processes});
  }
  if (s.count < stats::kFewestForMedianCi) {
    std::ostringstream text;
    text << "no 95% CI: " << s.count << " measured samples cannot give a 95% CI of the median (at least "
         << stats::kFewestForMedianCi << " can); the interval shown is their range";
    run.warnings.push_back({"no 95% CI", text.str(), std::to_string(s.count) + " samples",
                            1.0 - static_cast<double>(s.count) / stats::kFewestForMedianCi});
  }
  const auto flags = stats::check_stability(s);
  if (flags.unstable) {
    std::ostringstream text;
    text << "unstable: the standard deviation is " << std::lround(100 * s.stdev / s.mean)
         << "% of the mean (pyperf warns above 10%); more processes or iterations, or a quieter machine, would help";
    run.warnings.push_back({"unstable", text.str(), std::to_string(std::lround(100 * s.stdev / s.mean)) + "%", s.stdev / s.mean});
  }
  if (flags.too_short) {
    run.warnings.push_back({"too short",
                            "too short: the median iteration takes " + text::format_duration_ns(s.median) +
                                ", under 1 ms, so timer and host overhead weigh in; use a larger size",
                            text::format_duration_ns(s.median), 1e6 / s.median});
  }
  const std::vector<std::size_t> too_short = run.too_short_to_tell();
  const std::size_t processes = run.steady_from.size();
  if (const int unsteady = run.unsteady_processes() - static_cast<int>(too_short.size()); unsteady > 0) {
    std::ostringstream text;
    text << "no steady state: " << unsteady << " of " << processes << " processes did not settle";
    if (policy.automatic) {
      text << " within the warm-up cap (" << policy.max_iterations << " iterations or "
           << text::format_plain_number(policy.max_seconds) << " s)";
    } else {
      text << " in the fixed warm-up (" << policy.fixed_iterations << " iterations)";
    }
    text << "; their measured samples are not a steady state, so the median mixes states";
    run.warnings.push_back({"no steady state", text.str(), std::to_string(unsteady) + " of " + std::to_string(processes) + " processes",
                            static_cast<double>(unsteady) / static_cast<double>(processes)});
  }
  if (!too_short.empty()) run.warnings.push_back(too_short_warning(run, too_short, policy));
  if (auto warning = changepoint_in_measured_warning(run)) run.warnings.push_back(std::move(*warning));
}

}  // namespace

void cross_check(const std::vector<Run*>& runs, const std::map<std::string, std::map<std::string, std::int64_t>>& sizes) {
  // Sizes must agree between the two files of a workload.
  std::vector<DeclaredSizes> declared;
  for (const Run* run : runs) {
    if (auto found = sizes.find(run->config); found != sizes.end()) declared.push_back({run->language, found->second});
  }
  if (auto message = sizes_disagreement(declared)) {
    for (Run* r : runs) {
      r->status = RunStatus::Invalid;
      r->message = *message;
    }
    return;
  }
  // A configuration whose results changed between its own calls or processes makes the whole
  // workload suspect: it is not ranked in any configuration. (A failed verify() is that
  // configuration's own verdict.)
  for (const Run* run : runs) {
    if (run->status != RunStatus::Mismatch || is_verify_failure(run->message)) continue;
    for (Run* r : runs) {
      if (r->status == RunStatus::Ok) {
        r->status = RunStatus::Mismatch;
        r->message = run->config + " (" + run->language + ") gave different results: " + run->message;
      }
    }
    return;
  }
  const Run* reference = nullptr;
  for (Run* run : runs) {
    if (run->status != RunStatus::Ok || !run->result) continue;
    if (!reference) {
      reference = run;
      continue;
    }
    if (auto diff = find_difference(*reference->result, *run->result)) {
      const std::string message = reference->config + " (" + reference->language + ") and " + run->config + " (" +
                                  run->language + ") disagree at " + *diff;
      for (Run* r : runs) {
        if (r->status == RunStatus::Ok) {
          r->status = RunStatus::Mismatch;
          r->message = message;
        }
      }
      return;
    }
  }
}

void compute_statistics(Results& results) {
  results.comparisons.clear();
  results.geometric_mean_ratio.clear();
  const WarmupPolicy& policy = results.settings.warmup;
  for (auto& run : results.runs) {
    run.warnings.clear();
    // The detector's decisions stand; without them (a fixed warm-up), the classifier's.
    const bool detected = policy.automatic && run.steady_from.size() == run.samples_ns.size();
    compute_warmup(run, !detected);
    if (detected) confirm_steady_after_cap(run, results);
    run.derive_summary();  // a file's reader has derived it from these samples already
    if (run.summary && run.status == RunStatus::Ok) add_warnings(run, results.settings);
  }
  if (results.settings.configs.empty()) return;
  const std::string baseline = baseline_of(results.settings.configs);
  results.geometric_mean_memory_ratio.clear();
  std::map<std::string, std::vector<double>> ratios, memory_ratios;
  SpeedRatios speed_ratios;
  for (const auto& base : results.runs) {
    if (base.config != baseline || base.status != RunStatus::Ok || !base.summary) continue;
    for (const auto& run : results.runs) {
      if (run.workload != base.workload || run.config == baseline || run.status != RunStatus::Ok || !run.summary) continue;
      if (run.machine != base.machine) continue;  // a merged file's runs of different machines are never compared
      // Processes are the independent units: the CI resamples them, then their iterations.
      Comparison c{run.workload, baseline, run.config, speed_ratios.of(run, base), std::nullopt, std::nullopt};
      const std::vector<double> cold = run.cold_ns(), base_cold = base.cold_ns();
      if (!cold.empty() && !base_cold.empty()) c.cold_ratio = ratio_over_processes(cold, base_cold);
      const std::vector<double> peak = run.memory_values(&MemoryReading::peak_rss),
                                base_peak = base.memory_values(&MemoryReading::peak_rss);
      if (!peak.empty() && !base_peak.empty()) {
        c.memory_ratio = ratio_over_processes(peak, base_peak);
        memory_ratios[run.config].push_back(c.memory_ratio->ratio);
      }
      ratios[run.config].push_back(c.ratio.ratio);
      results.comparisons.push_back(std::move(c));
    }
  }
  for (const auto& [config, values] : ratios) results.geometric_mean_ratio[config] = stats::geometric_mean(values);
  for (const auto& [config, values] : memory_ratios) results.geometric_mean_memory_ratio[config] = stats::geometric_mean(values);
  compute_tier_ratios(results);
  compute_break_evens(results, speed_ratios);
}

}  // namespace polyhost
