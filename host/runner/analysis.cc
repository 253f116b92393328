#include "host/runner/analysis.h"

#include <cmath>
#include <sstream>

#include "host/runner/configs.h"
#include "host/value_compare.h"

namespace polyhost {
namespace {

std::string sizes_text(const std::map<std::string, std::int64_t>& sizes) {
  std::string text = "{";
  for (const auto& [name, n] : sizes) text += (text.size() > 1 ? "," : "") + ("\"" + name + "\":" + std::to_string(n));
  return text + "}";
}

void compute_tier_ratios(Results& results) {
  results.tier_ratios.clear();
  auto run_of = [&](const std::string& workload, const std::string& config) -> const Run* {
    for (const auto& r : results.runs) {
      if (r.workload == workload && r.config == config && r.status == RunStatus::Ok && r.summary) return &r;
    }
    return nullptr;
  };
  for (const auto& q : tier_questions()) {
    std::vector<double> ratios;
    for (const auto& r : results.runs) {
      if (r.config != q.denominator) continue;
      const Run* num = run_of(r.workload, q.numerator);
      const Run* den = run_of(r.workload, q.denominator);
      if (num && den && num->machine == den->machine) ratios.push_back(num->summary->median / den->summary->median);
    }
    if (ratios.empty()) continue;
    results.tier_ratios.push_back({q.question, q.numerator, q.denominator, stats::geometric_mean(ratios),
                                   stats::geometric_mean_ci(ratios), static_cast<int>(ratios.size())});
  }
}

void compute_warmup(Run& run) {
  run.warmup_by_process.clear();
  run.warmup.reset();
  for (size_t p = 0; p < run.samples_ns.size(); ++p) {
    std::vector<double> series = p < run.warmup_ns.size() ? run.warmup_ns[p] : std::vector<double>{};
    series.insert(series.end(), run.samples_ns[p].begin(), run.samples_ns[p].end());
    run.warmup_by_process.push_back(warmup::classify(series));
  }
  if (!run.warmup_by_process.empty()) run.warmup = warmup::summarize(run.warmup_by_process);
}

void add_warnings(Run& run) {
  auto flags = stats::check_stability(*run.summary);
  if (flags.unstable) {
    std::ostringstream text;
    text << "unstable: the standard deviation is " << std::lround(100 * run.summary->stdev / run.summary->mean)
         << "% of the mean (pyperf warns above 10%); more processes or iterations, or a quieter machine, would help";
    run.warnings.push_back(text.str());
  }
  if (flags.too_short) {
    std::ostringstream text;
    text.precision(3);
    text << "too short: the median iteration takes " << run.summary->median / 1e6
         << " ms, under 1 ms, so timer and host overhead weigh in; use a larger size";
    run.warnings.push_back(text.str());
  }
}

}  // namespace

void cross_check(const std::vector<Run*>& runs, const std::map<std::string, std::map<std::string, std::int64_t>>& sizes) {
  // Sizes must agree between the two files of a workload.
  const std::map<std::string, std::int64_t>* first_sizes = nullptr;
  const Run* first_run = nullptr;
  for (Run* run : runs) {
    auto found = sizes.find(run->config);
    if (found == sizes.end()) continue;
    if (!first_sizes) {
      first_sizes = &found->second;
      first_run = run;
    } else if (found->second != *first_sizes) {
      const std::string message = "sizes differ between the files: " + first_run->language + " " + sizes_text(*first_sizes) +
                                  " vs " + run->language + " " + sizes_text(found->second);
      for (Run* r : runs) {
        r->status = RunStatus::Invalid;
        r->message = message;
      }
      return;
    }
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
  for (auto& run : results.runs) {
    run.warnings.clear();
    run.summary.reset();
    compute_warmup(run);
    std::vector<double> samples = run.all_samples_ns();
    if (samples.empty()) continue;
    run.summary = stats::summarize(samples);
    if (run.status == RunStatus::Ok) add_warnings(run);
  }
  if (results.settings.configs.empty()) return;
  const std::string baseline = baseline_of(results.settings.configs);
  std::map<std::string, std::vector<double>> ratios;
  for (const auto& base : results.runs) {
    if (base.config != baseline || base.status != RunStatus::Ok || !base.summary) continue;
    for (const auto& run : results.runs) {
      if (run.workload != base.workload || run.config == baseline || run.status != RunStatus::Ok || !run.summary) continue;
      if (run.machine != base.machine) continue;  // a merged file's runs of different machines are never compared
      // Processes are the independent units: the CI resamples them, then their iterations.
      Comparison c{run.workload, baseline, run.config, stats::ratio_of_medians_grouped(run.samples_ns, base.samples_ns)};
      ratios[run.config].push_back(c.ratio.ratio);
      results.comparisons.push_back(std::move(c));
    }
  }
  for (const auto& [config, values] : ratios) results.geometric_mean_ratio[config] = stats::geometric_mean(values);
  compute_tier_ratios(results);
}

}  // namespace polyhost
