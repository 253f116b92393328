#include "host/export/startup_view.h"

#include <cmath>
#include <map>

#include "host/text/bytes.h"
#include "host/text/format.h"
#include "host/text/layout.h"

namespace polyhost {
namespace {

using text::Align;

bool succeeded(const StartupOutcome& o) { return o.status == StartupStatus::Ok; }

// "ERROR", "TIMEOUT", "OUT-OF-MEMORY", "SKIPPED", "INTERRUPTED" for a row that is not ok (the reasons are listed under the
// tables), "" otherwise.
std::string status_text(const StartupOutcome& o) { return succeeded(o) ? "" : text::to_upper(startup_status_name(o.status)); }

// "+1.23 ms" / "-0.40 ms": a signed duration in the unit format_duration_ns picks for its size.
std::string signed_duration(double ns) { return (ns < 0 ? "-" : "+") + text::format_duration_ns(std::fabs(ns)); }

const StartupInstances* instances_of(const StartupReport& report, const std::string& engine) {
  for (const auto& i : report.instances) {
    if (i.engine == engine) return &i;
  }
  return nullptr;
}

// The status column says something only when a row is not ok: without such a row it goes.
StartupTable without_empty_status(StartupTable t) {
  for (const auto& row : t.rows) {
    if (!row.back().empty()) return t;
  }
  t.header.pop_back();
  t.align.pop_back();
  for (auto& row : t.rows) row.pop_back();
  return t;
}

// FIGURE's text, its interval labelled a range when it is no 95% CI.
std::string labelled(const StartupFigure& figure, std::string with_interval) {
  return figure.has_ci95() ? with_interval : text::labelled_as_range(std::move(with_interval));
}

}  // namespace

std::string startup_time_text(const StartupFigure& f) {
  if (!f.summary) return text::kNoValue;
  return labelled(f, text::format_duration_with_ci(f.summary->median, f.interval().low, f.interval().high));
}

std::string startup_bytes_text(const StartupFigure& f) {
  if (!f.summary) return text::kNoValue;
  return labelled(f, text::format_bytes_with_ci(f.summary->median, f.interval().low, f.interval().high));
}

std::string startup_difference_text(const StartupDifference& d) {
  if (!d.estimate) return text::kNoValue;
  return signed_duration(d.estimate->difference) + (d.has_ci95 ? " [" : " [interval ") + signed_duration(d.estimate->ci95.low) +
         " \u2013 " + signed_duration(d.estimate->ci95.high) + "]";
}

std::string startup_interval_legend(const StartupReport& report) {
  if (!has_figures_without_ci95(report)) return "95% CI";
  return "95% CI, or \"range\": the lowest to the highest process, not a 95% CI: fewer than " +
         std::to_string(stats::kFewestForMedianCi) + " processes (interrupted, or ended short)";
}

std::string startup_phase_label(const StartupPhase& p) {
  static const std::map<std::string, std::string> labels = {
      {"platform", "platform initialization"},
      {"isolate", "create an isolate"},
      {"context", "create a context"},
      {"empty_script", "compile and run an empty script"},
      {"initialize", "initialize (polyhost's PyConfig, site)"},
      {"first_import", "first import of a standard module (json)"}};
  const auto it = labels.find(p.phase);
  return it == labels.end() ? p.phase : it->second;
}

std::string startup_settings_line(const StartupReport& r) {
  const StartupSettings& s = r.settings;
  return "median [" + startup_interval_legend(r) + "] over fresh processes: " + std::to_string(s.processes) + " per in-process step and program, " +
         std::to_string(s.first_result_processes) + " per first result (" + s.size_name + " sizes); " +
         std::to_string(s.instances) + " instances per process; " + text::format_plain_number(std::round(s.wall_seconds)) +
         " s in all";
}

StartupTable startup_phases_table(const StartupReport& r) {
  StartupTable t{"In one fresh process, step by step (resident memory: the whole process after the step)",
                 {"engine", "step", "time", "resident after", kStartupStatusHeader},
                 {Align::Left, Align::Left, Align::Right, Align::Right, Align::Left},
                 {},
                 {}};
  for (const auto& p : r.phases) {
    t.rows.push_back({p.engine, startup_phase_label(p), startup_time_text(p.time_ns), startup_bytes_text(p.rss_after_bytes),
                      status_text(p)});
    t.failed.push_back(!succeeded(p));
  }
  return without_empty_status(std::move(t));
}

StartupTable startup_instances_table(const StartupReport& r) {
  const StartupInstances* v8 = instances_of(r, "V8");
  const StartupInstances* py = instances_of(r, "CPython");
  StartupTable t{"Further instances in the same process (the k-th alive at once; resident added: by the k-th)",
                 {"k", "V8 isolate + context", "resident added", "CPython sub-interpreter", "resident added"},
                 {Align::Right, Align::Right, Align::Right, Align::Right, Align::Right},
                 {},
                 {}};
  std::size_t steps = 0;
  for (const auto* group : {v8, py}) {
    if (group) steps = std::max(steps, group->steps.size());
  }
  auto cells = [](const StartupInstances* group, std::size_t i, std::vector<std::string>& row) {
    const bool has = group && i < group->steps.size();
    row.push_back(has ? startup_time_text(group->steps[i].time_ns) : text::kNoValue);
    row.push_back(has ? startup_bytes_text(group->steps[i].rss_added_bytes) : text::kNoValue);
  };
  for (std::size_t i = 0; i < steps; ++i) {
    std::vector<std::string> row{std::to_string(i + 2)};
    cells(v8, i, row);
    cells(py, i, row);
    t.rows.push_back(row);
    t.failed.push_back((v8 && !succeeded(*v8)) || (py && !succeeded(*py)));
  }
  std::vector<std::string> mean{"each"};
  for (const auto* group : {v8, py}) {
    mean.push_back(group ? startup_time_text(group->mean_time_ns) : text::kNoValue);
    mean.push_back(group ? startup_bytes_text(group->mean_rss_added_bytes) : text::kNoValue);
  }
  t.rows.push_back(mean);
  t.failed.push_back((v8 && !succeeded(*v8)) || (py && !succeeded(*py)));
  return t;
}

StartupTable startup_processes_table(const StartupReport& r) {
  StartupTable t{"Whole programs as started (no shell): spawn to exit, and the peak resident memory (wait4)",
                 {"command", "time", "peak resident", kStartupStatusHeader},
                 {Align::Left, Align::Right, Align::Right, Align::Left},
                 {},
                 {}};
  for (const auto& p : r.processes) {
    t.rows.push_back({p.name, startup_time_text(p.time_ns), startup_bytes_text(p.peak_rss_bytes), status_text(p)});
    t.failed.push_back(!succeeded(p) && p.status != StartupStatus::Skipped);
  }
  return without_empty_status(std::move(t));
}

StartupTable startup_differences_table(const StartupReport& r) {
  StartupTable t{has_differences_without_ci95(r)
                     ? "Costs shown apart (difference of the medians, 95% bootstrap CI; \"interval\": a bootstrap interval "
                       "from fewer than " + std::to_string(stats::kFewestForMedianCi) + " processes a side, not a 95% CI)"
                     : "Costs shown apart (difference of the medians, 95% bootstrap CI)",
                 {"cost", "time", "measured as"},
                 {Align::Left, Align::Right, Align::Left},
                 {},
                 {}};
  for (const auto& d : r.differences) {
    t.rows.push_back({d.name, startup_difference_text(d), d.minuend + " \u2212 " + d.subtrahend});
    t.failed.push_back(false);
  }
  return t;
}

StartupTable startup_first_results_table(const StartupReport& r, bool every_ci) {
  StartupTable t{"Time to first result in a fresh process (" + r.settings.size_name +
                     " sizes): starting V8 or CPython, polyhost's engine on it, loading the file, setup(n), the first run(n)",
                 {"workload", "config", "start", "engine", "load", "setup", "first run", "total", "resident after", kStartupStatusHeader},
                 {Align::Left, Align::Left, Align::Right, Align::Right, Align::Right, Align::Right, Align::Right,
                  Align::Right, Align::Right, Align::Left},
                 {},
                 {}};
  auto median = [every_ci](const StartupFigure& f) {
    if (every_ci) return startup_time_text(f);
    return f.summary ? text::format_duration_ns(f.summary->median) : std::string(text::kNoValue);
  };
  for (const auto& f : r.first_results) {
    t.rows.push_back({f.workload, f.config, median(f.start_ns), median(f.engine_ns), median(f.load_ns),
                      f.has_setup || !f.setup_ns.summary ? median(f.setup_ns) : "(none)", median(f.run_ns),
                      startup_time_text(f.total_ns), startup_bytes_text(f.rss_after_bytes), status_text(f)});
    t.failed.push_back(!succeeded(f));
  }
  return without_empty_status(std::move(t));
}

}  // namespace polyhost
