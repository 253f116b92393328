// The one writer and the one reader of polyhost.scale/1.
#include "host/model/scale.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <tuple>
#include <nlohmann/json.hpp>

#include "host/text/format.h"

namespace polyhost {
namespace {

constexpr const char* kScaleMethod =
    "weak scaling: each of T threads calls setup(n), warms up (with warmup auto until its own series of calls is "
    "steady by the detector of polyhost run, steady_from, or a cap), then all make the same measured run(n) calls at "
    "once; throughput = T * iterations / wall time of the measured part, median over fresh processes with a "
    "distribution-free 95% CI; speedup = throughput / the same mode's throughput at T=1, ratio of medians with a "
    "95% bootstrap CI over the processes of both (2000 resamples); efficiency = speedup / T. With fewer than 6 "
    "processes on either side a run has no 95% CI: its ci95 is null and range holds the processes' range instead "
    "(throughput: lowest to highest process; speedup: lowest over the highest T=1 process to highest over the "
    "lowest)";

constexpr int kResamples = 2000;
constexpr const char* kShortMeasuredPart = "short measured part";
constexpr const char* kFewerProcesses = "fewer processes";
// A process whose threads' measured calls together leave more than this share of the measured
// part's wall time empty gets a "short measured part" warning.
constexpr double kMostIdleShare = 0.5;

std::vector<double> throughputs(const ScaleRun& run) {
  std::vector<double> out;
  for (const auto& p : run.processes) {
    if (p.throughput_per_s() > 0) out.push_back(p.throughput_per_s());
  }
  return out;
}

// The ratio of medians with the range of one process's figure over another's: what can be said of
// a ratio over too few processes for a CI.
stats::RatioEstimate processes_range_of_ratio(const std::vector<double>& numerator, const std::vector<double>& denominator) {
  const auto [low, high] = std::minmax_element(numerator.begin(), numerator.end());
  const auto [lowest, highest] = std::minmax_element(denominator.begin(), denominator.end());
  return {stats::median(numerator) / stats::median(denominator), {*low / *highest, *high / *lowest}};
}

Json interval_json(const stats::Interval& interval) { return json_interval(interval.low, interval.high); }

// AUTOMATIC: warm-up until steady, so each thread has a steady_from (null when a cap ended it).
Json scale_thread_json(const ScaleThread& t, bool automatic) {
  Json out{{"status", status_name(t.status)},
           {"message", t.message},
           {"warmup_ns", json_numbers(t.warmup_ns)},
           {"samples_ns", json_numbers(t.samples_ns)}};
  if (automatic) out["steady_from"] = t.steady_from ? Json(*t.steady_from) : Json(nullptr);
  return out;
}

// The run's intervals as `ci95` or `range` say them (by run.interval): an object with one for each
// figure the run has, or null when it has none (a run that is not ok).
Json intervals_json(const ScaleRun& run) {
  Json intervals = Json::object();
  if (run.throughput_per_s) intervals["throughput_per_s"] = interval_json(run.throughput_interval);
  if (run.speedup) intervals["speedup"] = interval_json(run.speedup->ci95);
  if (run.efficiency) intervals["efficiency"] = interval_json(run.efficiency->ci95);
  return intervals.empty() ? Json(nullptr) : intervals;
}

Json scale_run_json(const ScaleRun& run, bool automatic) {
  Json processes = Json::array();
  for (const auto& p : run.processes) {
    Json threads = Json::array();
    for (const auto& t : p.threads) threads.push_back(scale_thread_json(t, automatic));
    processes.push_back(Json{{"iterations", p.iterations},
                             {"wall_ns", json_number(p.wall_ns)},
                             {"throughput_per_s", json_number(p.throughput_per_s())},
                             {"threads", threads}});
  }
  const Json intervals = intervals_json(run);
  const bool range = run.interval == ScaleInterval::Range;
  Json warnings = Json::array();
  for (const auto& w : run.warnings) warnings.push_back(warning_to_json(w));
  return Json{{"workload", run.workload},
              {"mode", run.mode},
              {"language", run.language},
              {"threads", run.threads},
              {"status", status_name(run.status)},
              {"message", run.message},
              {"size_name", run.size_name},
              {"size", run.size},
              {"has_verify", run.has_verify},
              {"verified", run.verified},
              {"throughput_per_s", json_optional_number(run.throughput_per_s)},
              {"speedup", run.speedup ? json_number(run.speedup->ratio) : Json(nullptr)},
              {"efficiency", run.efficiency ? json_number(run.efficiency->ratio) : Json(nullptr)},
              {"ci95", range ? Json(nullptr) : intervals},
              {"range", range ? intervals : Json(nullptr)},
              {"warnings", warnings},
              {"processes", processes}};
}

// --- Reading -------------------------------------------------------------------------------------

// The calls' times at NODE, each within the bounds the results reader holds a sample to.
std::vector<double> iteration_times(const JsonNode& node) {
  std::vector<double> out;
  for (const auto& element : node.elements()) {
    if (const std::string why = sample_ns_problem(element.json()); !why.empty()) element.fail(why);
    out.push_back(element.json().get<double>());
  }
  return out;
}

ScaleThread read_run_thread(const JsonNode& node) {
  ScaleThread t;
  t.status = read_status(node.at("status"));
  t.message = node.string_or_empty("message");
  if (auto v = node.find_non_null("warmup_ns")) t.warmup_ns = iteration_times(*v);
  t.samples_ns = iteration_times(node.at("samples_ns"));
  if (auto v = node.find_non_null("steady_from")) {
    const std::int64_t from = v->integer();
    if (from < 0 || static_cast<std::size_t>(from) >= t.warmup_ns.size()) {
      v->fail("expected an index into this thread's " + std::to_string(t.warmup_ns.size()) + " warm-up calls, found " +
              std::to_string(from));
    }
    t.steady_from = static_cast<std::size_t>(from);
  }
  return t;
}

ScaleProcess read_process(const JsonNode& node, int threads, bool run_ok) {
  ScaleProcess p;
  p.iterations = node.at("iterations").count(run_ok ? 1 : 0);
  p.wall_ns = node.at("wall_ns").number();
  if (run_ok && !(p.wall_ns > 0)) node.at("wall_ns").fail("an ok run's wall time must be positive");
  for (const auto& t : node.at("threads").elements()) p.threads.push_back(read_run_thread(t));
  if (run_ok && static_cast<int>(p.threads.size()) != threads) {
    node.at("threads").fail("expected " + std::to_string(threads) + " threads, found " + std::to_string(p.threads.size()));
  }
  if (auto v = node.find_non_null("throughput_per_s"); v && run_ok) {
    const double written = v->number();
    if (std::fabs(written - p.throughput_per_s()) > 1e-9 * std::fabs(p.throughput_per_s())) {
      v->fail("is not threads x iterations / wall_ns of this process");
    }
  }
  return p;
}

bool close_to(double written, double derived) {
  return std::fabs(written - derived) <= 1e-9 * std::max(std::fabs(derived), 1e-300);
}

// The statistics the file states, checked against what its processes give.
void check_derived(const JsonNode& node, const char* key, const std::optional<double>& derived) {
  const auto written = node.find_non_null(key);
  if (!written && !derived) return;
  if (!written || !derived) {
    (written ? *written : node.child(key)).fail(derived ? "missing, though the run's processes give it"
                                                        : "present, though the run's processes do not give it");
  }
  if (!close_to(written->number(), *derived)) {
    written->fail("differs from what the run's processes give (" + std::to_string(*derived) + ")");
  }
}

// A run's mode, one of those the file says were run (settings.modes): first, so that a mode renamed
// is named as such, not as a speedup missing its T=1 run.
std::string read_run_mode(const JsonNode& node, const std::vector<std::string>& modes) {
  std::string mode = node.string();
  if (std::find(modes.begin(), modes.end(), mode) == modes.end()) {
    node.fail("\"" + mode + "\" is not among the modes run (settings.modes: " + (modes.empty() ? "none" : text::comma_listed(modes)) +
              ")");
  }
  return mode;
}

// A run's `ci95` or `range` (KEY) as the file states it, checked against DERIVED, what the writer
// gives for the run's processes (intervals_json). An empty object is taken for null (files written
// before failed runs got null).
void check_intervals(const JsonNode& node, const char* key, const Json& derived) {
  const auto found = node.find(key);
  const bool written_none = !found || found->json().is_null() || (found->json().is_object() && found->json().empty());
  const JsonNode written = found ? *found : node.child(key);
  if (derived.is_null()) {
    if (!written_none) written.fail("present, though the run's processes do not give it");
    return;
  }
  if (written_none) written.fail("missing, though the run's processes give it");
  if (!written.json().is_object()) written.expected("an object of intervals");
  for (const auto& [figure, interval] : derived.items()) {
    const JsonNode bounds = written.at(figure);
    const auto ends = bounds.elements();
    if (ends.size() != 2) bounds.expected("an interval [low, high]");
    for (std::size_t i = 0; i < 2; ++i) {
      if (!close_to(ends[i].number(), interval[i].get<double>())) {
        bounds.fail("differs from what the run's processes give ([" + std::to_string(interval[0].get<double>()) + ", " +
                    std::to_string(interval[1].get<double>()) + "])");
      }
    }
  }
  for (const auto& [figure, value] : written.json().items()) {
    if (!derived.contains(figure)) written.child(figure).fail("present, though the run's processes do not give it");
  }
}

ScaleModeInfo read_mode(const JsonNode& node) {
  ScaleModeInfo mode{node.at("name").string(), node.at("language").string(), node.string_or_empty("engine"),
                     node.string_or_empty("what"), node.string_or_empty("parallelism"), {}};
  if (const auto flags = node.find_non_null("flags")) mode.flags = flags->strings();
  return mode;
}

// The kinds of warnings the file states for a run, checked against those its threads give.
void check_warnings(const JsonNode& node, const std::vector<RunWarning>& derived) {
  const auto written = node.find_non_null("warnings");
  if (!written) return;
  // "short measured part" is left out of the check: files written before it existed lack it, and
  // files of 2026-11-30 morning have it on single-thread runs, which no longer get it. The reader
  // derives it from the threads either way.
  std::vector<std::string> kinds, derived_kinds;
  for (const auto& w : written->elements()) {
    if (std::string kind = warning_from_json(w).kind; kind != kShortMeasuredPart) kinds.push_back(kind);
  }
  for (const auto& w : derived) {
    if (w.kind != kShortMeasuredPart) derived_kinds.push_back(w.kind);
  }
  if (kinds != derived_kinds) {
    written->fail("differs from what the run's threads give (" +
                  (derived_kinds.empty() ? std::string("none") : derived_kinds.front()) + ")");
  }
}

// "short measured part" when, in some process, the measured calls of all threads together fill less
// than half of the measured part's wall time. Threads that take turns (one GIL) fill it once, threads
// in parallel more; so what is left is the lanes starting or ending apart, and the throughput
// measures that skew more than the calls.
void derive_short_measured_part(ScaleRun& run) {
  int short_processes = 0, processes = 0;
  double worst = 0;
  for (const auto& p : run.processes) {
    // One lane has no start skew; what its calls do not fill is the loop around them.
    if (!(p.wall_ns > 0) || p.threads.size() < 2) continue;
    ++processes;
    double busy = 0;
    for (const auto& t : p.threads) {
      for (double ns : t.samples_ns) busy += ns;
    }
    const double idle_share = 1 - std::min(1.0, busy / p.wall_ns);
    worst = std::max(worst, idle_share);
    if (idle_share > kMostIdleShare) ++short_processes;
  }
  if (short_processes == 0) return;
  const std::string share = std::to_string(short_processes) + " of " + std::to_string(processes) + " processes";
  run.warnings.push_back({kShortMeasuredPart,
                          "short measured part: in " + share + " the threads' measured calls together filled as little as " +
                              std::to_string(static_cast<int>(std::lround((1 - worst) * 100))) +
                              "% of the measured part's wall time (the lanes started or ended that far apart), so the "
                              "throughput and speedup mostly measure that skew; raise --min-time or --iterations",
                          share, worst});
}

// "fewer processes" when an interrupt came after some of an ok run's processes and before the
// others: its figures rest on those that finished.
void derive_fewer_processes(ScaleRun& run, int planned) {
  const int finished = static_cast<int>(run.processes.size());
  if (finished >= planned) return;
  const std::string share = std::to_string(finished) + " of " + std::to_string(planned);
  run.warnings.push_back({kFewerProcesses,
                          "fewer processes: " + share + " planned finished (the run was interrupted); its figures rest on those",
                          share, 1.0 - static_cast<double>(finished) / planned});
}

// "no steady state" when, under auto warm-up, threads measured without having settled.
void derive_warnings(ScaleRun& run, const ScaleSettings& settings) {
  const WarmupPolicy& policy = settings.warmup;
  run.warnings.clear();
  if (run.status == RunStatus::Ok) {
    derive_fewer_processes(run, settings.processes);
    derive_short_measured_part(run);
  }
  const int unsteady = run.unsteady_threads();
  if (!policy.automatic || unsteady == 0) return;
  const int measured = run.measured_threads();
  const std::string share = std::to_string(unsteady) + " of " + std::to_string(measured) + " threads";
  run.warnings.push_back({"no steady state",
                          "no steady state: " + share + " did not settle within the warm-up cap (" +
                              std::to_string(policy.max_iterations) + " calls or " +
                              text::format_plain_number(policy.max_seconds) +
                              " s); their measured calls are not a steady state, so the throughput mixes states",
                          share, static_cast<double>(unsteady) / std::max(measured, 1)});
}

}  // namespace

std::string scale_calls_text(const ScaleSettings& s) {
  const std::string warmup = s.warmup.automatic ? warmup_policy_text(s.warmup)
                                                : text::counted(s.warmup.fixed_iterations, "warm-up call", "warm-up calls");
  const std::string measured = text::counted(s.min_iterations, "measured call", "measured calls");
  if (!(s.min_time_s > 0)) return "per thread " + warmup + ", then exactly " + measured;
  return "per thread " + warmup + ", then at least " + measured + " (enough for ~" + text::format_plain_number(s.min_time_s) +
         " s)";
}

int ScaleRun::measured_threads() const {
  int count = 0;
  for (const auto& p : processes) {
    for (const auto& t : p.threads) count += t.samples_ns.empty() ? 0 : 1;
  }
  return count;
}

int ScaleRun::unsteady_threads() const {
  int count = 0;
  for (const auto& p : processes) {
    for (const auto& t : p.threads) count += !t.samples_ns.empty() && !t.steady_from ? 1 : 0;
  }
  return count;
}

double ScaleProcess::throughput_per_s() const {
  if (!(wall_ns > 0)) return 0;
  return static_cast<double>(threads.size()) * iterations / wall_ns * 1e9;
}

const ScaleRun* ScaleReport::find(const std::string& workload, const std::string& mode, int threads) const {
  for (const auto& r : runs) {
    if (r.workload == workload && r.mode == mode && r.threads == threads) return &r;
  }
  return nullptr;
}

std::vector<std::string> ScaleReport::workload_names() const {
  std::vector<std::string> out;
  for (const auto& r : runs) {
    if (std::find(out.begin(), out.end(), r.workload) == out.end()) out.push_back(r.workload);
  }
  return out;
}

void derive_scale_statistics(ScaleReport& report) {
  for (auto& run : report.runs) {
    derive_warnings(run, report.settings);
    run.throughput_per_s.reset();
    run.speedup.reset();
    run.efficiency.reset();
    run.interval = ScaleInterval::Ci95;
    const std::vector<double> mine = throughputs(run);
    if (run.status != RunStatus::Ok || mine.empty()) continue;
    const stats::Summary summary = stats::summarize(mine);
    run.throughput_per_s = summary.median;
    const ScaleRun* single = report.find(run.workload, run.mode, 1);
    const bool has_single = single && single->status == RunStatus::Ok && !throughputs(*single).empty();
    const std::vector<double> theirs = has_single ? throughputs(*single) : std::vector<double>{};
    const bool range = mine.size() < stats::kFewestForMedianCi || (has_single && theirs.size() < stats::kFewestForMedianCi);
    run.interval = range ? ScaleInterval::Range : ScaleInterval::Ci95;
    run.throughput_interval = range ? stats::Interval{summary.min, summary.max} : summary.ci95_median;
    if (!has_single) continue;
    if (run.threads == 1) {
      run.speedup = stats::RatioEstimate{1, {1, 1}};
    } else if (range) {
      run.speedup = processes_range_of_ratio(mine, theirs);
    } else {
      run.speedup = stats::ratio_of_medians(mine, theirs, kResamples, 1);
    }
    const double t = run.threads;
    run.efficiency = stats::RatioEstimate{run.speedup->ratio / t, {run.speedup->ci95.low / t, run.speedup->ci95.high / t}};
  }
}

void write_scale_json(const ScaleReport& report, std::ostream& out) {
  const ScaleSettings& s = report.settings;
  Json modes = Json::array();
  for (const auto& m : report.modes) {
    modes.push_back(Json{{"name", m.name}, {"language", m.language}, {"engine", m.engine}, {"what", m.what},
                         {"parallelism", m.parallelism}, {"flags", m.flags}});
  }
  Json runs = Json::array();
  for (const auto& run : report.runs) runs.push_back(scale_run_json(run, s.warmup.automatic));
  Json settings{{"size_name", s.size_name}, {"processes", s.processes}};
  add_warmup_settings(settings, s.warmup);
  settings.update(Json{{"min_iterations", s.min_iterations}, {"min_time_s", json_number(s.min_time_s)},
                       {"timeout_s", json_number(s.timeout_s)}, {"thread_counts", s.thread_counts},
                       {"modes", s.modes}, {"wall_seconds", json_number(s.wall_seconds)},
                       {"usable_cpus", s.usable_cpus}, {"method", kScaleMethod}});
  Json doc{{"schema", kScaleSchema},
           {"environment", environment_to_json(report.environment)},
           {"settings", settings},
           {"modes", modes},
           {"notes", report.notes},
           {"runs", runs}};
  out << doc.dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
}

ScaleReport read_scale_json(const Json& document, const std::string& file) {
  const JsonNode root(document, file);
  if (!document.is_object() || !document.contains("schema") || document["schema"] != kScaleSchema) {
    throw FileFormatError(file + ": not a polyhost scale file (expected \"schema\": \"" + kScaleSchema + "\")");
  }
  ScaleReport report;
  if (auto env = root.find_non_null("environment")) report.environment = environment_from_json(*env);
  if (auto s = root.find_non_null("settings")) {
    ScaleSettings& settings = report.settings;
    settings.size_name = s->string_or_empty("size_name");
    if (auto v = s->find_non_null("processes")) settings.processes = v->count(0);
    settings.warmup = read_warmup_settings(*s);
    if (auto v = s->find_non_null("min_iterations")) settings.min_iterations = v->count(0);
    if (auto v = s->find_non_null("min_time_s")) settings.min_time_s = v->number();
    if (auto v = s->find_non_null("timeout_s")) settings.timeout_s = v->number();
    if (auto v = s->find_non_null("thread_counts")) {
      for (const auto& t : v->elements()) settings.thread_counts.push_back(t.count(1));
    }
    if (auto v = s->find_non_null("modes")) settings.modes = v->strings();
    if (auto v = s->find_non_null("wall_seconds")) settings.wall_seconds = v->number();
    if (auto v = s->find_non_null("usable_cpus")) settings.usable_cpus = v->count(0);
  }
  if (auto modes = root.find_non_null("modes")) {
    for (const auto& m : modes->elements()) report.modes.push_back(read_mode(m));
  }
  if (auto notes = root.find_non_null("notes")) report.notes = notes->strings();
  std::set<std::tuple<std::string, std::string, int>> seen;
  const JsonNode runs = root.at("runs");
  for (const auto& r : runs.elements()) {
    ScaleRun run;
    run.workload = r.at("workload").string();
    run.mode = read_run_mode(r.at("mode"), report.settings.modes);
    run.language = r.string_or_empty("language");
    run.threads = r.at("threads").count(1);
    run.status = read_status(r.at("status"));
    run.message = r.string_or_empty("message");
    run.size_name = r.string_or_empty("size_name");
    if (auto v = r.find_non_null("size")) run.size = v->integer();
    if (auto v = r.find_non_null("has_verify")) run.has_verify = v->boolean();
    if (auto v = r.find_non_null("verified")) run.verified = v->boolean();
    const bool ok = run.status == RunStatus::Ok;
    for (const auto& p : r.at("processes").elements()) run.processes.push_back(read_process(p, run.threads, ok));
    if (!seen.insert({run.workload, run.mode, run.threads}).second) {
      r.fail("a second run of workload \"" + run.workload + "\" in mode \"" + run.mode + "\" with " +
             std::to_string(run.threads) + " threads");
    }
    report.runs.push_back(std::move(run));
  }
  derive_scale_statistics(report);
  const auto elements = runs.elements();
  for (std::size_t i = 0; i < elements.size(); ++i) {
    const ScaleRun& run = report.runs[i];
    check_derived(elements[i], "throughput_per_s", run.throughput_per_s);
    check_derived(elements[i], "speedup", run.speedup ? std::optional<double>(run.speedup->ratio) : std::nullopt);
    check_derived(elements[i], "efficiency", run.efficiency ? std::optional<double>(run.efficiency->ratio) : std::nullopt);
    // Files written before `range` existed have only `ci95`, of whatever their processes gave: not checked.
    if (elements[i].find("range")) {
      const Json intervals = intervals_json(run);
      const bool range = run.interval == ScaleInterval::Range;
      check_intervals(elements[i], "ci95", range ? Json(nullptr) : intervals);
      check_intervals(elements[i], "range", range ? intervals : Json(nullptr));
    }
    check_warnings(elements[i], run.warnings);
  }
  return report;
}

}  // namespace polyhost
