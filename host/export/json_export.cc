// write_json: the whole report as one JSON document, schema "polyhost.results/1". Keys keep the
// order written here, so the file reads top-down like the report.
#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "host/export/exporters.h"
#include "host/export/format_units.h"

namespace polyhost {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kSchema = "polyhost.results/1";

// Integral values as JSON integers ("1234", not "1234.0"); non-finite ones as null.
Json number(double value) {
  if (!std::isfinite(value)) return nullptr;
  if (const auto integer = report_text::exact_integer(value)) return *integer;
  return value;
}

Json numbers(const std::vector<double>& values) {
  Json out = Json::array();
  for (double value : values) out.push_back(number(value));
  return out;
}

Json flat_numbers(const std::vector<std::vector<double>>& per_process) {
  Json out = Json::array();
  for (const auto& process : per_process)
    for (double value : process) out.push_back(number(value));
  return out;
}

Json nested_numbers(const std::vector<std::vector<double>>& per_process) {
  Json out = Json::array();
  for (const auto& process : per_process) out.push_back(numbers(process));
  return out;
}

Json interval(const stats::Interval& ci) { return Json::array({number(ci.low), number(ci.high)}); }

Json strings(const std::vector<std::string>& values) {
  Json out = Json::array();
  for (const auto& value : values) out.push_back(value);
  return out;
}

// Results larger than this are not copied into the file: a workload may return megabytes (a 300 MB
// string made a 629 MB results file), and an ordered JSON object finds keys by linear search, so a
// result with a million keys took minutes to store. The result was still verified and compared.
constexpr std::size_t kMaxStoredResultBytes = 64 * 1024;

// The run's result as JSON, or the text of Value::to_json() when that is not valid JSON (it spells
// non-finite doubles NaN / Infinity, which JSON cannot hold); a note instead when it is large.
Json result_json(const std::optional<Value>& result) {
  if (!result) return nullptr;
  const std::string text = result->to_json();
  if (text.size() > kMaxStoredResultBytes) {
    return Json{{"$omitted", "the result is " + std::to_string(text.size()) + " bytes of JSON; results over " +
                                 std::to_string(kMaxStoredResultBytes) + " bytes are verified but not stored"}};
  }
  Json parsed = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return text;
  return parsed;
}

// The run's configurations in their order, then any other configuration the environment knows.
std::vector<std::string> config_order(const RunReport& report) {
  std::vector<std::string> order = report.configs;
  auto add = [&](const std::string& config) {
    if (std::find(order.begin(), order.end(), config) == order.end()) order.push_back(config);
  };
  const Environment& env = report.environment;
  for (const auto& entry : env.config_engines) add(entry.first);
  for (const auto& entry : env.config_flags) add(entry.first);
  for (const auto& entry : env.empty_call_ns) add(entry.first);
  return order;
}

Json environment_json(const RunReport& report) {
  const Environment& env = report.environment;
  Json configs = Json::object();
  Json empty_call = Json::object();
  for (const auto& config : config_order(report)) {
    const auto engine = env.config_engines.find(config);
    const auto flags = env.config_flags.find(config);
    if (engine != env.config_engines.end() || flags != env.config_flags.end())
      configs[config] = Json{{"engine", engine != env.config_engines.end() ? engine->second : ""},
                             {"flags", strings(flags != env.config_flags.end() ? flags->second
                                                                              : std::vector<std::string>{})}};
    if (const auto ns = env.empty_call_ns.find(config); ns != env.empty_call_ns.end())
      empty_call[config] = number(ns->second);
  }

  return Json{{"polyhost_version", env.polyhost_version},
              {"git_commit", env.git_commit},
              {"v8_version", env.v8_version},
              {"python_version", env.python_version},
              {"python_executable", env.python_executable},
              {"cpu_model", env.cpu_model},
              {"cpu_count", env.cpu_count},
              {"os", env.os},
              {"command_line", env.command_line},
              {"start_time", env.start_time},
              {"configs", configs},
              {"empty_call_ns", empty_call}};
}

Json stats_json(const std::optional<stats::Summary>& summary) {
  if (!summary) return nullptr;
  return Json{{"median_ns", number(summary->median)},
              {"mean_ns", number(summary->mean)},
              {"stdev_ns", number(summary->stdev)},
              {"min_ns", number(summary->min)},
              {"max_ns", number(summary->max)},
              {"ci95_ns", interval(summary->ci95_median)},
              {"count", summary->count}};
}

Json optional_number(const std::optional<double>& value) { return value ? number(*value) : Json(nullptr); }

// The warm-up classification of the run and of each of its processes (see host/runner/warmup.h).
Json warmup_json(const RunResult& run) {
  if (!run.warmup) return nullptr;
  Json processes = Json::array();
  for (const warmup::Analysis& a : run.warmup_by_process) {
    Json segments = Json::array();
    for (const warmup::Segment& seg : a.segments) {
      segments.push_back(Json{{"begin", seg.begin}, {"end", seg.end}, {"mean_ns", number(seg.mean)},
                              {"stdev_ns", number(seg.stdev)}});
    }
    processes.push_back(Json{{"classification", warmup::kind_name(a.kind)},
                             {"steady_iteration", a.steady_iteration ? Json(*a.steady_iteration) : Json(nullptr)},
                             {"steady_ns", optional_number(a.steady_ns)},
                             {"outliers", a.outliers},
                             {"segments", segments}});
  }
  return Json{{"classification", run.warmup->classification},
              {"detail", run.warmup->detail},
              {"steady_iteration", optional_number(run.warmup->steady_iteration)},
              {"steady_ns", optional_number(run.warmup->steady_ns)},
              {"method", "outliers: 3 IQR in a 200-iteration window; changepoints: PELT, normal mean+variance, penalty 15 log n"},
              {"processes", processes}};
}

Json run_json(const RunResult& run) {
  return Json{{"workload", run.workload},
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
              {"stats", stats_json(run.summary)},
              {"warnings", strings(run.warnings)},
              {"result", result_json(run.result)},
              {"verified", run.verified},
              {"has_verify", run.has_verify},
              {"warmup", warmup_json(run)}};
}

}  // namespace

void write_json(const RunReport& report, std::ostream& out) {
  Json runs = Json::array();
  for (const RunResult& run : report.runs) runs.push_back(run_json(run));

  Json comparisons = Json::array();
  for (const Comparison& c : report.comparisons)
    comparisons.push_back(Json{{"workload", c.workload},
                               {"baseline", c.baseline},
                               {"config", c.config},
                               {"ratio", number(c.ratio.ratio)},
                               {"ci95", interval(c.ratio.ci95)}});

  Json geometric_mean = Json::object();
  for (const auto& [config, ratio] : report.geometric_mean_ratio) geometric_mean[config] = number(ratio);

  Json tier_ratios = Json::array();
  for (const TierRatio& t : report.tier_ratios) {
    tier_ratios.push_back(Json{{"question", t.question},
                               {"numerator", t.numerator},
                               {"denominator", t.denominator},
                               {"geometric_mean", number(t.geometric_mean)},
                               {"ci95", interval(t.ci95)},
                               {"workloads", t.workloads}});
  }

  const Json document{{"schema", kSchema},
                      {"environment", environment_json(report)},
                      {"settings", Json{{"size", report.size_name},
                                        {"processes", report.processes},
                                        {"warmup", report.warmup},
                                        {"iterations", report.iterations},
                                        {"configs", strings(report.configs)},
                                        {"wall_seconds", number(report.wall_seconds)}}},
                      {"runs", runs},
                      {"comparisons", comparisons},
                      {"geometric_mean_ratio", geometric_mean},
                      {"tier_ratios", tier_ratios}};
  // Messages may carry bytes that are not UTF-8 (a script's output); replace them rather than throw.
  out << document.dump(2, ' ', /*ensure_ascii=*/false, Json::error_handler_t::replace) << '\n';
}

}  // namespace polyhost
