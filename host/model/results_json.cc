// The one writer and the one reader of polyhost.results/1. Keys keep the order written here, so the
// file reads top-down like the table.
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>

#include "host/model/results.h"
#include "host/runner/configs.h"
#include "host/text/format.h"
#include "host/value_json.h"
#include "host/value_path.h"

namespace polyhost {
namespace {

constexpr const char* kSchema = "polyhost.results/1";
static_assert(kMaxValueDepth + 3 < kMaxDocumentDepth, "a result at runs[i].result must fit in a document");
constexpr const char* kWarmupMethod =
    "outliers: 3 IQR in a 200-iteration window; changepoints: PELT, normal mean+variance, penalty 15 log n";

// --- Writing -------------------------------------------------------------------------------------

Json flat_numbers(const std::vector<std::vector<double>>& per_process) {
  Json out = Json::array();
  for (const auto& process : per_process)
    for (double value : process) out.push_back(json_number(value));
  return out;
}

Json nested_numbers(const std::vector<std::vector<double>>& per_process) {
  Json out = Json::array();
  for (const auto& process : per_process) out.push_back(json_numbers(process));
  return out;
}

Json strings(const std::vector<std::string>& values) {
  Json out = Json::array();
  for (const auto& value : values) out.push_back(value);
  return out;
}

// A workload may return megabytes (a 300 MB string made a 629 MB results file), and an ordered JSON
// object finds keys by linear search, so a result with a million keys took minutes to store: large
// results are noted, not copied. They were still verified and compared.
Json result_json(const Run& run) {
  if (!run.result_note.empty()) return Json{{"$omitted", run.result_note}};
  if (!run.result) return nullptr;
  const nlohmann::json value = value_to_json(*run.result);
  const std::string text = value.dump();
  if (text.size() > kMaxStoredResultBytes) {
    return Json{{"$omitted", "the result is " + std::to_string(text.size()) + " bytes of JSON; results over " +
                                 std::to_string(kMaxStoredResultBytes) + " bytes are verified but not stored"}};
  }
  return Json::parse(text);
}

Json stats_json(const std::optional<stats::Summary>& summary) {
  if (!summary) return nullptr;
  return Json{{"median_ns", json_number(summary->median)},
              {"mean_ns", json_number(summary->mean)},
              {"stdev_ns", json_number(summary->stdev)},
              {"min_ns", json_number(summary->min)},
              {"max_ns", json_number(summary->max)},
              {"ci95_ns", json_interval(summary->ci95_median.low, summary->ci95_median.high)},
              {"count", summary->count}};
}

Json ratio_json(const std::optional<stats::RatioEstimate>& r) {
  if (!r) return nullptr;
  return Json{{"ratio", json_number(r->ratio)}, {"ci95", json_interval(r->ci95.low, r->ci95.high)}};
}

Json warnings_json(const std::vector<RunWarning>& warnings) {
  Json out = Json::array();
  for (const auto& w : warnings) out.push_back(warning_to_json(w));
  return out;
}

Json steady_from_json(const std::vector<std::optional<std::size_t>>& steady_from) {
  Json out = Json::array();
  for (const auto& from : steady_from) out.push_back(from ? Json(*from) : Json(nullptr));
  return out;
}

// Per process, and the medians over processes.
Json memory_json(const Run& run) {
  Json processes = Json::array();
  for (const auto& m : run.memory) processes.push_back(memory_to_json(m));
  return Json{{"peak_rss_bytes", json_optional_number(run.median_memory(&MemoryReading::peak_rss))},
              {"heap_after_setup_bytes", json_optional_number(run.median_memory(&MemoryReading::heap_after_setup))},
              {"heap_peak_bytes", json_optional_number(run.median_memory(&MemoryReading::heap_peak))},
              {"processes", processes}};
}

Json warmup_json(const Run& run) {
  if (!run.warmup) return nullptr;
  Json processes = Json::array();
  for (const warmup::Analysis& a : run.warmup_by_process) {
    Json segments = Json::array();
    for (const warmup::Segment& seg : a.segments) {
      segments.push_back(Json{{"begin", seg.begin}, {"end", seg.end}, {"mean_ns", json_number(seg.mean)},
                              {"stdev_ns", json_number(seg.stdev)}});
    }
    processes.push_back(Json{{"classification", warmup::kind_name(a.kind)},
                             {"steady_iteration", a.steady_iteration ? Json(*a.steady_iteration) : Json(nullptr)},
                             {"steady_ns", json_optional_number(a.steady_ns)},
                             {"outliers", a.outliers},
                             {"segments", segments}});
  }
  return Json{{"classification", run.warmup->classification},
              {"detail", run.warmup->detail},
              {"steady_iteration", json_optional_number(run.warmup->steady_iteration)},
              {"steady_ns", json_optional_number(run.warmup->steady_ns)},
              {"method", kWarmupMethod},
              {"processes", processes}};
}

Json run_json(const Run& run) {
  Json out{{"workload", run.workload},
              {"language", run.language},
              {"config", run.config},
              {"status", status_name(run.status)},
              {"message", run.message},
              {"size_name", run.size_name},
              {"size", run.size},
              {"processes", run.processes},
              {"samples_ns", flat_numbers(run.samples_ns)},
              {"warmup_ns", flat_numbers(run.warmup_ns)},
              {"process_samples_ns", nested_numbers(run.samples_ns)},
              {"process_warmup_ns", nested_numbers(run.warmup_ns)},
              {"cold_ns", json_numbers(run.cold_ns())},
              {"steady_from", steady_from_json(run.steady_from)},
              {"warmup_until_steady", Json{{"iterations", json_optional_number(run.warmup_iterations())},
                                           {"seconds", json_optional_number(run.warmup_seconds())},
                                           {"unsteady_processes", run.unsteady_processes()}}},
              {"stats", stats_json(run.summary)},
              {"memory", memory_json(run)},
              {"warnings", warnings_json(run.warnings)},
              {"result", result_json(run)},
              {"verified", run.verified},
              {"has_verify", run.has_verify},
              {"warmup", warmup_json(run)}};
  if (run.machine) out["machine"] = *run.machine;
  add_run_idle_memory(out, run);
  return out;
}

Json environment_json(const Environment& environment, const std::vector<ConfigSetup>& config_setups) {
  Json env = environment_to_json(environment);
  Json configs = Json::object();
  Json empty_call = Json::object();
  for (const ConfigSetup& setup : config_setups) {
    configs[setup.name] = Json{{"engine", setup.engine}, {"flags", strings(setup.flags)}};
    if (setup.known_warmup_point > 0) configs[setup.name]["known_warmup_point"] = setup.known_warmup_point;
    if (setup.idle_memory) configs[setup.name]["idle_memory"] = memory_to_json(*setup.idle_memory);
    if (setup.empty_call_ns) empty_call[setup.name] = json_number(*setup.empty_call_ns);
  }
  env["configs"] = configs;
  env["empty_call_ns"] = empty_call;
  return env;
}

Json shard_json(const ShardRecord& shard) {
  Json plan = Json::array();
  for (const auto& workloads : shard.plan) plan.push_back(strings(workloads));
  return Json{{"count", shard.count}, {"included", shard.included}, {"plan", plan}, {"balanced_by", shard.balanced_by}};
}

Json machines_json(const std::vector<Machine>& machines) {
  Json out = Json::array();
  for (const Machine& m : machines) {
    Json machine = environment_json(m.environment, m.config_setups);
    machine["files"] = strings(m.files);
    out.push_back(std::move(machine));
  }
  return out;
}

// --- Reading -------------------------------------------------------------------------------------

// The samples of an array at NODE; a value that is not an iteration time (sample_ns_problem)
// becomes PROBLEM (the first one found), since it only takes this run out, not the whole file.
std::vector<double> samples(const JsonNode& node, std::string& problem) {
  std::vector<double> out;
  if (node.is_null()) return out;
  if (!node.json().is_array()) {
    if (problem.empty()) problem = node.where() + ": expected an array, found " + describe_json(node.json());
    return out;
  }
  for (const auto& element : node.elements()) {
    if (const std::string why = sample_ns_problem(element.json()); !why.empty()) {
      if (problem.empty()) problem = element.where() + ": " + why;
      continue;
    }
    out.push_back(element.json().get<double>());
  }
  return out;
}

// Statistics are derived from the samples; ones written in the file must be what the samples give.
// The CI is only read: its method changed (files before the two-level bootstrap hold the
// distribution-free interval of the pooled samples), and it is derived again on reading anyway.
void check_stats(Run& run, const JsonNode& node) {
  const auto stats = node.find_non_null("stats");
  if (!stats) return;
  const std::pair<const char*, double stats::Summary::*> derived[] = {
      {"median_ns", &stats::Summary::median}, {"mean_ns", &stats::Summary::mean}, {"stdev_ns", &stats::Summary::stdev},
      {"min_ns", &stats::Summary::min},       {"max_ns", &stats::Summary::max}};
  for (const auto& [field, member] : derived) stats->at(field).number();
  const int count = stats->at("count").count(0);
  stats->at("ci95_ns").interval();
  if (!run.problem.empty()) return;
  if (!run.summary) {
    run.problem = stats->where() + ": statistics without samples to derive them from";
    return;
  }
  for (const auto& [field, member] : derived) {
    const JsonNode written = stats->at(field);
    const double expected = (*run.summary).*member;
    if (std::fabs(written.number() - expected) > 1e-9 * std::fabs(expected)) {
      run.problem = written.where() + ": " + written.json().dump() + ", but the samples give " + json_number(expected).dump();
      return;
    }
  }
  if (static_cast<std::size_t>(count) != run.summary->count) {
    run.problem = stats->child("count").where() + ": " + std::to_string(count) + ", but the file holds " +
                  std::to_string(run.summary->count) + " samples";
  }
}

// "50 entries for 2 processes": run writes one entry per process that gave samples, in order.
void check_one_per_process(const JsonNode& node, std::size_t entries, const Run& run) {
  if (entries != run.samples_ns.size()) {
    node.fail(std::to_string(entries) + " entries for " + std::to_string(run.samples_ns.size()) + " processes");
  }
}

void read_steady_from(Run& run, const JsonNode& node, const WarmupPolicy& warmup) {
  // A run already taken out (a damaged sample, say) has series that need not match (see read_warmup).
  if (!run.problem.empty()) return;
  if (auto steady = node.find_non_null("steady_from")) {
    const auto elements = steady->elements();
    // Empty when the warm-up was a fixed count (files before steady_from was filled in for those);
    // with warm-up until steady, each process has the detector's decision.
    if (!elements.empty() || warmup.automatic) check_one_per_process(*steady, elements.size(), run);
    for (std::size_t p = 0; p < elements.size(); ++p) {
      if (elements[p].is_null()) {
        run.steady_from.emplace_back();
        continue;
      }
      const std::int64_t from = elements[p].integer();
      const std::size_t length = run.series_ns(p).size();
      if (from < 0 || static_cast<std::size_t>(from) >= std::max<std::size_t>(length, 1)) {
        elements[p].fail("iteration " + std::to_string(from) + " is outside the process's " + std::to_string(length) +
                         " iterations");
      }
      run.steady_from.push_back(static_cast<std::size_t>(from));
    }
  }
  // cold_ns is derived from the series: one that says otherwise was edited.
  if (auto cold = node.find_non_null("cold_ns")) {
    std::vector<double> written;
    for (const auto& c : cold->elements()) written.push_back(c.number());
    if (written != run.cold_ns()) run.problem = cold->where() + ": not the first iteration of each process's series";
  }
}

warmup::Analysis read_process_warmup(const JsonNode& node, std::size_t series_length) {
  warmup::Analysis a;
  const JsonNode classification = node.at("classification");
  const auto kind = warmup::kind_from_name(classification.string());
  if (!kind) classification.expected("a warm-up classification");
  a.kind = *kind;
  const JsonNode steady = node.at("steady_iteration");
  if (!steady.is_null()) {
    const std::int64_t iteration = steady.integer();
    if (iteration < 1 || static_cast<std::size_t>(iteration) > series_length) {
      steady.fail("iteration " + std::to_string(iteration) + " is outside the process's " +
                  std::to_string(series_length) + " iterations");
    }
    a.steady_iteration = static_cast<std::size_t>(iteration);
  }
  a.steady_ns = node.at("steady_ns").number_or_null();
  const auto last_index = static_cast<std::int64_t>(series_length) - 1;
  for (const auto& o : node.at("outliers").elements()) a.outliers.push_back(static_cast<std::size_t>(o.integer_in(0, last_index)));
  // Segments are [begin, end) over the series without its outliers.
  const auto kept = static_cast<std::int64_t>(series_length - std::min(a.outliers.size(), series_length));
  for (const auto& s : node.at("segments").elements()) {
    const std::int64_t begin = s.at("begin").integer_in(0, kept);
    const std::int64_t end = s.at("end").integer_in(begin, kept);
    a.segments.push_back({static_cast<std::size_t>(begin), static_cast<std::size_t>(end),
                          s.at("mean_ns").number_or_null().value_or(std::nan("")),
                          s.at("stdev_ns").number_or_null().value_or(std::nan(""))});
  }
  return a;
}

void read_warmup(Run& run, const JsonNode& node) {
  const auto w = node.find_non_null("warmup");
  if (!w) return;
  warmup::Summary summary;
  summary.classification = w->at("classification").string();
  summary.detail = w->at("detail").string();
  summary.steady_iteration = w->at("steady_iteration").number_or_null();
  summary.steady_ns = w->at("steady_ns").number_or_null();
  const JsonNode processes_node = w->at("processes");
  const auto processes = processes_node.elements();
  // A run already taken out (a damaged sample, say) has series that no longer match the analyses:
  // checking them against it would refuse the whole file for that one run.
  if (!run.problem.empty()) return;
  check_one_per_process(processes_node, processes.size(), run);
  for (std::size_t p = 0; p < processes.size(); ++p) {
    const std::size_t length = (p < run.warmup_ns.size() ? run.warmup_ns[p].size() : 0) +
                               (p < run.samples_ns.size() ? run.samples_ns[p].size() : 0);
    run.warmup_by_process.push_back(read_process_warmup(processes[p], length));
  }
  run.warmup = summary;
}

std::optional<Value> read_result(Run& run, const JsonNode& node) {
  const auto result = node.find_non_null("result");
  if (!result) return std::nullopt;
  const Json& j = result->json();
  if (j.is_object() && j.size() == 1 && j.contains("$omitted")) {
    run.result_note = result->at("$omitted").string();
    return std::nullopt;
  }
  try {
    return value_from_json(j);
  } catch (const std::invalid_argument& e) {
    result->fail(e.what());
  }
}

std::string read_workload_name(const JsonNode& node) {
  std::string name = node.string();
  if (name.empty()) node.expected("a workload's name");
  return name;
}

std::string read_language(const JsonNode& node) {
  std::string language = node.string();
  if (language != "js" && language != "py") node.expected("\"js\" or \"py\"");
  return language;
}

std::string read_size_name(const JsonNode& node) {
  std::string name = node.string();
  if (name != "quick" && name != "default") node.expected("\"quick\" or \"default\"");
  return name;
}

// The four lists of iteration times: samples_ns and warmup_ns flat (the median and the CSV read
// them), process_samples_ns and process_warmup_ns per process (the CI, cold and warm-up figures read
// them). run has written all four, and processes, in every run since the format began; a flat list
// and its per-process one must hold the same times, or one edit could hide a change from half the
// figures. A time that is not a positive number marks the run (Run::problem).
void read_samples(Run& run, const JsonNode& node) {
  std::string& problem = run.problem;
  const JsonNode flat = node.at("samples_ns"), flat_warmup = node.at("warmup_ns");
  const JsonNode measured = node.at("process_samples_ns"), warm = node.at("process_warmup_ns");
  std::vector<double> flat_samples = samples(flat, problem), flat_warmup_samples = samples(flat_warmup, problem);
  const auto groups = measured.elements(), warm_groups = warm.elements();
  for (const auto& group : groups) run.samples_ns.push_back(samples(group, problem));
  check_one_per_process(warm, warm_groups.size(), run);
  for (const auto& group : warm_groups) run.warmup_ns.push_back(samples(group, problem));
  const auto same_times = [&](std::vector<double> flat_times, const JsonNode& flat_node,
                              const std::vector<std::vector<double>>& per_process, const JsonNode& per_process_node) {
    std::vector<double> all;
    for (const auto& times : per_process) all.insert(all.end(), times.begin(), times.end());
    std::sort(all.begin(), all.end());
    std::sort(flat_times.begin(), flat_times.end());
    if (problem.empty() && all != flat_times) {
      problem = flat_node.where() + " and " + per_process_node.path() + " hold different samples";
    }
  };
  same_times(flat_samples, flat, run.samples_ns, measured);
  same_times(flat_warmup_samples, flat_warmup, run.warmup_ns, warm);
  const JsonNode processes = node.at("processes");
  run.processes = processes.count(0);
  if (static_cast<std::size_t>(run.processes) != run.samples_ns.size()) {
    processes.fail(std::to_string(run.processes) + ", but process_samples_ns holds " + std::to_string(run.samples_ns.size()) +
                   " processes");
  }
}

// What a run says of itself that its file's settings or its own verdict contradict. Each is
// confined to the run: it is marked (Run::problem), as a damaged sample is.
void check_run_against_its_file(Run& run, const JsonNode& node, const Settings& settings) {
  if (!run.problem.empty()) return;
  std::string& problem = run.problem;
  if (std::find(settings.configs.begin(), settings.configs.end(), run.config) == settings.configs.end()) {
    problem = node.child("config").where() + ": \"" + run.config + "\" is not among the configurations run (settings.configs: " +
              text::comma_listed(settings.configs) + ")";
  } else if (const Config* config = find_config(run.config); config && run.language != language_name(config->language)) {
    problem = node.child("language").where() + ": \"" + run.language + "\", but " + run.config + " runs " +
              language_name(config->language) + " files";
  } else if (run.size_name != settings.size_name) {
    problem = node.child("size_name").where() + ": \"" + run.size_name + "\", but the file was run at " +
              settings.size_name + " sizes (settings.size)";
  } else if (run.processes > settings.most_processes()) {
    problem = node.child("processes").where() + ": " + std::to_string(run.processes) + ", but the file's runs had at most " +
              std::to_string(settings.most_processes()) + " (settings.max_processes)";
  } else if (run.status == RunStatus::Ok && run.size == 0) {
    problem = node.child("size").where() + ": 0, but the run is ok (size 0 is only for a run that failed before its size "
              "was known)";
  } else if (run.status == RunStatus::Ok && run.all_samples_ns().empty()) {
    problem = node.child("samples_ns").where() + ": none, but the run is ok (an ok run measured at least one iteration)";
  } else if (run.verified && !run.has_verify) {
    problem = node.child("verified").where() + ": true, but has_verify is false (the workload has no verify() to pass)";
  } else if (run.status == RunStatus::Ok && run.has_verify && !run.verified && run.result && !run.result->is_null()) {
    // Earlier versions wrote verified false for a result of null (run() returned null or None): read.
    problem = node.child("verified").where() + ": false, but the run is ok and its workload has a verify() (has_verify), "
              "which an ok run has passed";
  }
}

Run read_run(const JsonNode& node, const Settings& settings) {
  if (!node.json().is_object()) node.expected("an object");
  Run run;
  run.workload = read_workload_name(node.at("workload"));
  run.config = node.at("config").string();
  run.status = read_status(node.at("status"));
  run.language = read_language(node.at("language"));
  run.message = node.at("message").string();
  run.size_name = read_size_name(node.at("size_name"));
  // A workload's sizes are positive integers a JavaScript number holds exactly; a run that failed
  // before its size was known has 0.
  run.size = node.at("size").integer_in(0, kMaxExactInteger);
  read_samples(run, node);
  if (run.problem.empty()) run.derive_summary();
  check_stats(run, node);
  read_steady_from(run, node, settings.warmup);
  if (auto memory = node.find_non_null("memory")) {
    for (const auto& m : memory->at("processes").elements()) run.memory.push_back(memory_from_json(m));
  }
  if (auto warnings = node.find_non_null("warnings")) {
    for (const auto& w : warnings->elements()) run.warnings.push_back(warning_from_json(w));
  }
  run.result = read_result(run, node);
  run.verified = node.at("verified").boolean();
  run.has_verify = node.at("has_verify").boolean();
  read_warmup(run, node);
  check_run_against_its_file(run, node, settings);
  return run;
}

stats::RatioEstimate read_ratio(const JsonNode& value, const JsonNode& ci) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const auto [low, high] = ci.interval_or_nulls();
  return {value.number_or_null().value_or(nan), {low.value_or(nan), high.value_or(nan)}};
}

// run has written every one of these in every file since the format began (the engines as a list
// since it replaced v8_version and python_version): read as "" or 0 when missing, a file without
// one was taken for another machine or build by merge, and showed nothing in report.
// A core count of 0 is merge's "the machines differ", in a file that lists its machines.
void require_environment_fields(const JsonNode& env, bool lists_machines) {
  for (const char* field : {"polyhost_version", "git_commit", "cpu_model", "os", "command_line", "start_time"}) {
    env.at(field).text();
  }
  env.at("cpu_count").count(lists_machines ? 0 : 1);
  env.at("configs").members();
  env.at("empty_call_ns").members();
  if (env.find("engines") || !env.find("v8_version")) {
    env.at("engines").elements();
  } else {
    for (const char* field : {"v8_version", "python_version"}) env.at(field).text();
  }
}

void read_environment(Results& results, const JsonNode& env) {
  results.environment = environment_from_json(env);
  if (auto configs = env.find_non_null("configs")) {
    for (const auto& [name, c] : configs->members()) {
      ConfigSetup& setup = results.setup_for(name);
      if (auto engine = c.find_non_null("engine")) setup.engine = engine->string();
      if (auto flags = c.find_non_null("flags")) setup.flags = flags->strings();
      if (auto point = c.find_non_null("known_warmup_point")) setup.known_warmup_point = point->count(1);
      if (auto idle = c.find_non_null("idle_memory")) setup.idle_memory = memory_from_json(*idle);
    }
  }
  if (auto empty = env.find_non_null("empty_call_ns")) {
    for (const auto& [name, ns] : empty->members()) results.setup_for(name).empty_call_ns = ns.number_at_least(0);
  }
}

ShardRecord read_shard(const JsonNode& node) {
  ShardRecord shard;
  shard.count = node.at("count").count(1);
  for (const auto& k : node.at("included").elements()) {
    const std::int64_t index = k.integer();
    if (index < 1 || index > shard.count) k.fail("shard " + std::to_string(index) + " is not one of 1.." + std::to_string(shard.count));
    if (!shard.included.empty() && index <= shard.included.back()) k.expected("shard numbers in ascending order, each once");
    shard.included.push_back(static_cast<int>(index));
  }
  const JsonNode plan = node.at("plan");
  for (const auto& workloads : plan.elements()) shard.plan.push_back(workloads.strings());
  if (shard.plan.size() != static_cast<std::size_t>(shard.count)) {
    plan.expected("the workloads of each of the " + std::to_string(shard.count) + " shards");
  }
  if (auto balanced_by = node.find_non_null("balanced_by")) shard.balanced_by = balanced_by->string();
  return shard;
}

std::vector<Machine> read_machines(const JsonNode& node) {
  std::vector<Machine> machines;
  for (const auto& m : node.elements()) {
    Results recorded;  // a machine is recorded as a file's environment is
    read_environment(recorded, m);
    Machine machine{std::move(recorded.environment), std::move(recorded.config_setups), {}};
    if (auto files = m.find_non_null("files")) machine.files = files->strings();
    machines.push_back(std::move(machine));
  }
  return machines;
}

// run records the engine and flags of each configuration it runs; a file without them showed a
// configuration with no engine and was merged with any engine.
void require_configs_recorded(const JsonNode& env, const Settings& settings) {
  const JsonNode configs = env.at("configs");
  for (const std::string& config : settings.configs) {
    if (!configs.find(config)) configs.child(config).fail("missing, but settings.configs lists it (run records every configuration it runs)");
  }
}

// The ok runs of one workload did the same work (ran_at_different_sizes, as merge checks across
// files): ratios and geometric means across sizes mean nothing. An ok run at another size than the
// workload's first ok run is marked.
void check_size_against_earlier_runs(Run& run, const JsonNode& node, std::size_t index,
                                     std::map<std::string, std::size_t>& first_sized, const std::vector<Run>& earlier) {
  if (run.status != RunStatus::Ok) return;
  const auto [first, fresh] = first_sized.emplace(run.workload, index);
  if (fresh || !run.problem.empty()) return;
  const Run& sized = earlier[first->second];
  if (!ran_at_different_sizes(sized, run)) return;
  run.problem = node.child("size").where() + ": " + std::to_string(run.size) + ", but runs[" + std::to_string(first->second) +
                "] (" + sized.workload + " [" + sized.config + "]) ran at " + std::to_string(sized.size) +
                " (a workload's runs in one file run at one size)";
}

// run has written every setting but the shard since the format began; a file without them was
// read with invented ones (a report said "0 processes", merge wrote "processes": 0, which its own
// readers refuse, and an empty configs list dropped every ratio of a merge).
void read_settings(Settings& settings, const JsonNode& node) {
  settings.size_name = read_size_name(node.at("size"));
  settings.processes = node.at("processes").count(1);
  const auto max_processes = node.find_non_null("max_processes");
  settings.max_processes = max_processes ? max_processes->count(settings.processes) : settings.processes;
  node.at("warmup");
  settings.warmup = read_warmup_settings(node);
  settings.iterations = node.at("iterations").count(1);
  if (auto floor = node.find_non_null("min_measure_seconds")) settings.min_measure_seconds = floor->number_at_least(0);
  const JsonNode configs = node.at("configs");
  settings.configs = configs.strings();
  if (settings.configs.empty()) configs.expected("the configurations that were run (at least one)");
  for (std::size_t i = 1; i < settings.configs.size(); ++i) {
    const auto earlier = std::find(settings.configs.begin(), settings.configs.begin() + static_cast<std::ptrdiff_t>(i),
                                   settings.configs[i]);
    if (earlier != settings.configs.begin() + static_cast<std::ptrdiff_t>(i)) {
      configs.child(i).fail("\"" + settings.configs[i] + "\" again: it is settings.configs[" +
                            std::to_string(earlier - settings.configs.begin()) + "] too (a configuration is run once)");
    }
  }
  settings.wall_seconds = node.at("wall_seconds").number_at_least(0);
  if (auto v = node.find_non_null("shard")) settings.shard = read_shard(*v);
}

}  // namespace

// No iteration outlasts the longest --timeout (10^6 s); beyond it a sample's square overflows the
// statistics. Nor is one timed iteration shorter than a picosecond: a clock cycle at 5 GHz is 200 ps
// and the clock read around each iteration takes tens of ns. Below it a sample is not a measurement,
// and ratios of 5e-324 overflowed compare's geometric mean to infinity. Within the two bounds a
// ratio of samples stays within 10^18.
std::string sample_ns_problem(const Json& value) {
  if (!value.is_number()) return "expected a number of nanoseconds, found " + describe_json(value);
  const double x = value.get<double>();
  if (std::isfinite(x) && x >= kMinSampleNs && x <= kMaxSampleNs) return "";
  return "expected a number of nanoseconds from 0.001 (a picosecond) to 1e15 (11.6 days, the longest --timeout), found " +
         value.dump();
}

bool ran_at_different_sizes(const Run& a, const Run& b) {
  return a.status == RunStatus::Ok && b.status == RunStatus::Ok && (a.size != b.size || a.size_name != b.size_name);
}

Json warning_to_json(const RunWarning& w) {
  return Json{{"kind", w.kind}, {"text", w.text}, {"figure", w.figure}, {"severity", json_number(w.severity)}};
}

// A warning as written now ({kind, text, severity}), or as a sentence "kind: ..." (older files).
RunWarning warning_from_json(const JsonNode& node) {
  if (node.json().is_string()) {
    const std::string text = node.string();
    return {text.substr(0, text.find(':')), text, "", 0};
  }
  return {node.at("kind").string(), node.at("text").string(), node.at("figure").string(),
          node.at("severity").number_or_null().value_or(0)};
}

void add_warmup_settings(Json& settings, const WarmupPolicy& w) {
  settings["warmup"] = w.automatic ? Json("auto") : Json(w.fixed_iterations);
  if (w.automatic) {
    settings["warmup_policy"] = Json{{"window", w.window}, {"max_iterations", w.max_iterations},
                                     {"max_seconds", json_number(w.max_seconds)},
                                     {"min_steady_seconds", json_number(w.min_steady_seconds)}};
  }
}

WarmupPolicy read_warmup_settings(const JsonNode& settings) {
  WarmupPolicy policy;
  if (auto v = settings.find_non_null("warmup")) {
    policy.automatic = v->json().is_string();
    if (policy.automatic && v->string() != "auto") v->expected("\"auto\" or a number of iterations");
    if (!policy.automatic) policy.fixed_iterations = static_cast<int>(v->integer_in(0, kMaxFixedWarmup));
  }
  if (auto p = settings.find_non_null("warmup_policy")) {
    policy.window = p->at("window").count(kMinSteadyWindow);
    policy.max_iterations = p->at("max_iterations").count(policy.window);
    policy.max_seconds = p->at("max_seconds").number_at_least(0);
    // Files written before the rule have none: their steady stretches had no time floor.
    const auto floor = p->find_non_null("min_steady_seconds");
    policy.min_steady_seconds = floor ? floor->number_at_least(0) : 0;
  }
  return policy;
}

void write_results_json(const Results& results, std::ostream& out) {
  Json runs = Json::array();
  for (const Run& run : results.runs) runs.push_back(run_json(run));

  Json comparisons = Json::array();
  for (const Comparison& c : results.comparisons) {
    comparisons.push_back(Json{{"workload", c.workload},
                               {"baseline", c.baseline},
                               {"config", c.config},
                               {"ratio", json_number(c.ratio.ratio)},
                               {"ci95", json_interval(c.ratio.ci95.low, c.ratio.ci95.high)},
                               {"cold_ratio", ratio_json(c.cold_ratio)},
                               {"memory_ratio", ratio_json(c.memory_ratio)}});
  }
  Json geometric_mean = Json::object();
  for (const auto& [config, ratio] : results.geometric_mean_ratio) geometric_mean[config] = json_number(ratio);
  Json geometric_mean_memory = Json::object();
  for (const auto& [config, ratio] : results.geometric_mean_memory_ratio) geometric_mean_memory[config] = json_number(ratio);

  Json tier_ratios = Json::array();
  for (const TierRatio& t : results.tier_ratios) {
    const Json interval = json_interval(t.interval.low, t.interval.high);
    Json tier{{"question", t.question},
              {"numerator", t.numerator},
              {"denominator", t.denominator},
              {"geometric_mean", json_number(t.geometric_mean)},
              {"ci95", t.has_ci95() ? interval : Json(nullptr)},
              {"workloads", t.workloads}};
    if (!t.has_ci95()) tier["range"] = interval;
    tier_ratios.push_back(std::move(tier));
  }
  Json break_evens = Json::array();
  for (const BreakEven& b : results.break_evens) {
    break_evens.push_back(Json{{"workload", b.workload},
                               {"jit", b.jit},
                               {"interpreter", b.interpreter},
                               {"iterations", json_optional_number(b.iterations)},
                               {"extrapolated", b.extrapolated},
                               {"slower_once_warm", b.slower_once_warm}});
  }
  const Settings& s = results.settings;
  Json settings{{"size", s.size_name}, {"processes", s.processes}, {"max_processes", s.most_processes()}};
  add_warmup_settings(settings, s.warmup);
  settings["iterations"] = s.iterations;
  settings["min_measure_seconds"] = json_number(s.min_measure_seconds);
  settings["configs"] = strings(s.configs);
  settings["wall_seconds"] = json_number(s.wall_seconds);
  if (s.shard) settings["shard"] = shard_json(*s.shard);
  Json document{{"schema", kSchema},
                {"environment", environment_json(results.environment, results.config_setups)},
                {"settings", settings},
                {"runs", runs},
                {"comparisons", comparisons},
                {"geometric_mean_ratio", geometric_mean},
                {"geometric_mean_memory_ratio", geometric_mean_memory},
                {"tier_ratios", tier_ratios},
                {"break_evens", break_evens}};
  if (!results.machines.empty()) document["machines"] = machines_json(results.machines);
  // Messages may carry bytes that are not UTF-8 (a script's output); replace them rather than throw.
  out << document.dump(2, ' ', /*ensure_ascii=*/false, Json::error_handler_t::replace) << '\n';
}

Results read_results_json(const Json& document, const std::string& file) {
  const JsonNode root(document, file);
  if (!document.is_object() || !document.contains("schema") || document["schema"] != kSchema) {
    throw FileFormatError(file + ": not a polyhost results file (expected \"schema\": \"" + kSchema + "\"" +
                          (document.is_object() && document.contains("schema") ? ", found " + document["schema"].dump()
                                                                                : std::string()) +
                          ")");
  }
  Results results;
  const JsonNode env = root.at("environment");
  require_environment_fields(env, root.find_non_null("machines").has_value());
  read_environment(results, env);
  read_settings(results.settings, root.at("settings"));
  require_configs_recorded(env, results.settings);
  if (auto machines = root.find_non_null("machines")) results.machines = read_machines(*machines);
  std::map<std::pair<std::string, std::string>, std::size_t> first_index;
  std::map<std::string, std::size_t> first_sized;  // workload -> its first ok run
  for (const auto& node : root.at("runs").elements()) {
    Run run = read_run(node, results.settings);
    run.idle_memory = read_run_idle_memory(node);
    if (auto machine = node.find_non_null("machine")) {
      const std::int64_t m = machine->integer();
      if (m < 0 || static_cast<std::size_t>(m) >= results.machines.size()) {
        machine->fail("machine " + std::to_string(m) + " is not in \"machines\" (" + std::to_string(results.machines.size()) +
                      " recorded)");
      }
      run.machine = static_cast<std::size_t>(m);
    }
    const std::size_t index = results.runs.size();
    check_size_against_earlier_runs(run, node, index, first_sized, results.runs);
    auto [seen, fresh] = first_index.emplace(std::make_pair(run.workload, run.config), index);
    if (!fresh) {
      const std::string twice = file + ": runs[" + std::to_string(seen->second) + "] and runs[" + std::to_string(index) +
                                "] are both " + run.workload + " [" + run.config + "]";
      results.runs[seen->second].problem = twice;
      run.problem = twice;
    }
    results.runs.push_back(std::move(run));
  }
  if (auto comparisons = root.find_non_null("comparisons")) {
    for (const auto& c : comparisons->elements()) {
      Comparison comparison{c.at("workload").string(), c.at("baseline").string(), c.at("config").string(),
                            read_ratio(c.at("ratio"), c.at("ci95")), std::nullopt, std::nullopt};
      if (auto cold = c.find_non_null("cold_ratio")) comparison.cold_ratio = read_ratio(cold->at("ratio"), cold->at("ci95"));
      if (auto memory = c.find_non_null("memory_ratio")) comparison.memory_ratio = read_ratio(memory->at("ratio"), memory->at("ci95"));
      results.comparisons.push_back(std::move(comparison));
    }
  }
  if (auto means = root.find_non_null("geometric_mean_ratio")) {
    for (const auto& [config, value] : means->members()) {
      results.geometric_mean_ratio[config] = value.number_or_null().value_or(std::numeric_limits<double>::quiet_NaN());
    }
  }
  if (auto means = root.find_non_null("geometric_mean_memory_ratio")) {
    for (const auto& [config, value] : means->members()) {
      results.geometric_mean_memory_ratio[config] = value.number_or_null().value_or(std::numeric_limits<double>::quiet_NaN());
    }
  }
  if (auto tiers = root.find_non_null("tier_ratios")) {
    for (const auto& t : tiers->elements()) {
      TierRatio tier{t.at("question").string(), t.at("numerator").string(), t.at("denominator").string(), 0, {},
                     t.at("workloads").count(1)};
      // "range" (from fewer workloads than a CI needs, beside "ci95": null), or "ci95", which files
      // written before "range" also hold for fewer workloads.
      const auto range = t.find_non_null("range");
      if (range && tier.has_ci95()) {
        range->fail("a range is written only for fewer than " + std::to_string(kFewestWorkloadsForTierCi) + " workloads; " +
                    std::to_string(tier.workloads) + " give a 95% CI (ci95)");
      }
      if (range && !t.at("ci95").is_null()) t.at("ci95").fail("expected null beside a range");
      const stats::RatioEstimate r = read_ratio(t.at("geometric_mean"), range ? *range : t.at("ci95"));
      tier.geometric_mean = r.ratio;
      tier.interval = r.ci95;
      results.tier_ratios.push_back(std::move(tier));
    }
  }
  if (auto evens = root.find_non_null("break_evens")) {
    for (const auto& b : evens->elements()) {
      const auto slower = b.find_non_null("slower_once_warm");  // files before 2026-12-01 lack it
      results.break_evens.push_back({b.at("workload").string(), b.at("jit").string(), b.at("interpreter").string(),
                                     b.at("iterations").number_or_null(), b.at("extrapolated").boolean(),
                                     slower && slower->boolean()});
    }
  }
  return results;
}

Results read_results_file(const std::string& file) { return read_results_json(read_json_file(file), file); }

}  // namespace polyhost
