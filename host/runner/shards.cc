#include "host/runner/shards.h"

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <map>
#include <numeric>
#include <sstream>

namespace polyhost {
namespace {

// A whole number >= 0 written in decimal digits only, or nothing.
std::optional<long long> whole_number(const std::string& text) {
  if (text.empty() || text.size() > 9 || !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return std::stoll(text);
}

long long variable_number(const char* name, const std::string& value) {
  const auto number = whole_number(value);
  if (!number) throw ShardError(std::string(name) + "='" + value + "': expected a whole number >= 0");
  return *number;
}

// Slurm sets every one of its job array's variables in each task: one missing is not a job array.
std::string slurm_variable(const GetEnv& getenv, const char* name) {
  const auto value = getenv(name);
  if (!value) throw ShardError(std::string("SLURM_ARRAY_TASK_ID is set but ") + name + " is not: is this a job array?");
  return *value;
}

// WHAT (as typed, or the variable that gave it) is a number of shards up to kMaxShards.
void check_shard_count(long long count, const std::string& what) {
  if (count > kMaxShards) {
    throw ShardError(what + ": at most " + std::to_string(kMaxShards) +
                     " shards (a results file records every shard's workloads in settings.shard.plan)");
  }
}

ShardSpec from_kubernetes(const std::string& index_text, std::optional<int> shard_count) {
  if (!shard_count) {
    throw ShardError(
        "--shard auto found JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) but no --shard-count: Kubernetes does not tell "
        "a pod how many shards there are; pass the Job's completions as --shard-count N");
  }
  const long long index = variable_number("JOB_COMPLETION_INDEX", index_text);
  if (index >= *shard_count) {
    throw ShardError("JOB_COMPLETION_INDEX=" + index_text + " is not below --shard-count " + std::to_string(*shard_count) +
                     " (indices run from 0 to " + std::to_string(*shard_count - 1) +
                     "): --shard-count must be the Job's completions");
  }
  return {static_cast<int>(index) + 1, *shard_count};
}

ShardSpec from_slurm(const GetEnv& getenv, const std::string& id_text, std::optional<int> shard_count) {
  const std::string count_text = slurm_variable(getenv, "SLURM_ARRAY_TASK_COUNT");
  const long long id = variable_number("SLURM_ARRAY_TASK_ID", id_text);
  const long long count = variable_number("SLURM_ARRAY_TASK_COUNT", count_text);
  if (count < 1) throw ShardError("SLURM_ARRAY_TASK_COUNT=" + count_text + ": a job array has at least one task");
  check_shard_count(count, "SLURM_ARRAY_TASK_COUNT=" + count_text);
  if (shard_count && *shard_count != count) {
    throw ShardError("--shard-count " + std::to_string(*shard_count) + " disagrees with SLURM_ARRAY_TASK_COUNT=" + count_text);
  }
  const std::string min_text = slurm_variable(getenv, "SLURM_ARRAY_TASK_MIN");
  const std::string max_text = slurm_variable(getenv, "SLURM_ARRAY_TASK_MAX");
  const long long min = variable_number("SLURM_ARRAY_TASK_MIN", min_text);
  const long long max = variable_number("SLURM_ARRAY_TASK_MAX", max_text);
  if (max - min + 1 != count) {
    throw ShardError("the job array's ids are not one contiguous range (SLURM_ARRAY_TASK_MIN=" + min_text +
                     ", SLURM_ARRAY_TASK_MAX=" + max_text + ", SLURM_ARRAY_TASK_COUNT=" + count_text +
                     "), so they cannot be numbered as shards: submit with --array=" + std::to_string(min) + "-" +
                     std::to_string(min + count - 1));
  }
  if (id < min || id > max) {
    throw ShardError("SLURM_ARRAY_TASK_ID=" + id_text + " is outside the job array's ids " + min_text + ".." + max_text);
  }
  return {static_cast<int>(id - min) + 1, static_cast<int>(count)};
}

// Whether every workload of PLAN is a folder of SUITE_DIR.
bool all_in_suite(const std::vector<Workload>& plan, const std::filesystem::path& suite_dir) {
  if (suite_dir.empty() || plan.empty()) return false;
  std::error_code ec;
  const auto suite = std::filesystem::weakly_canonical(suite_dir, ec);
  if (ec) return false;
  return std::all_of(plan.begin(), plan.end(), [&](const Workload& w) {
    std::error_code e;
    const auto dir = std::filesystem::weakly_canonical(w.dir, e);
    return !e && dir.parent_path() == suite;
  });
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

ShardSpec parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  const auto index = slash == std::string::npos ? std::nullopt : whole_number(text.substr(0, slash));
  const auto count = slash == std::string::npos ? std::nullopt : whole_number(text.substr(slash + 1));
  if (!index || !count) throw ShardError("--shard " + text + ": expected K/N (shard K of N, from 1/N to N/N) or auto");
  if (*count < 1 || *index < 1 || *index > *count) {
    throw ShardError("--shard " + text + ": K must be from 1 to N (shards are numbered from 1)");
  }
  check_shard_count(*count, "--shard " + text);
  return {static_cast<int>(*index), static_cast<int>(*count)};
}

ShardSpec shard_from_environment(const GetEnv& getenv, std::optional<int> shard_count) {
  if (shard_count && *shard_count < 1) throw ShardError("--shard-count " + std::to_string(*shard_count) + ": expected at least 1");
  if (shard_count) check_shard_count(*shard_count, "--shard-count " + std::to_string(*shard_count));
  const auto kubernetes = getenv("JOB_COMPLETION_INDEX");
  const auto slurm = getenv("SLURM_ARRAY_TASK_ID");
  if (kubernetes && slurm) {
    throw ShardError("--shard auto found both JOB_COMPLETION_INDEX (Kubernetes) and SLURM_ARRAY_TASK_ID (Slurm): give --shard K/N");
  }
  if (kubernetes) return from_kubernetes(*kubernetes, shard_count);
  if (slurm) return from_slurm(getenv, *slurm, shard_count);
  throw ShardError(
      "--shard auto: neither JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) nor SLURM_ARRAY_TASK_ID (a Slurm job array) "
      "is set; elsewhere (a CI matrix, by hand) give --shard K/N");
}

GetEnv process_environment() {
  return [](const char* name) -> std::optional<std::string> {
    const char* value = std::getenv(name);
    if (!value) return std::nullopt;
    return std::string(value);
  };
}

ShardCosts equal_costs(const std::vector<std::string>& workloads) {
  return {std::vector<double>(workloads.size(), 1.0), "equal expected time per workload", {}, {}};
}

ShardCosts costs_from_results(const std::vector<std::string>& workloads, const std::vector<std::string>& configs,
                              const Results& previous, const std::string& file) {
  struct Recorded {
    double iteration_ns = 0;
    std::size_t processes = 0;
  };
  std::map<std::pair<std::string, std::string>, Recorded> recorded;
  double all_iterations_ns = 0;
  std::size_t all_processes = 0;
  std::vector<const Run*> damaged;
  for (const Run& run : previous.runs) {
    if (!run.problem.empty()) damaged.push_back(&run);
    if (!run.problem.empty() || run.samples_ns.empty()) continue;
    Recorded r;
    for (const auto& process : run.samples_ns) r.iteration_ns += std::accumulate(process.begin(), process.end(), 0.0);
    for (const auto& process : run.warmup_ns) r.iteration_ns += std::accumulate(process.begin(), process.end(), 0.0);
    r.processes = run.samples_ns.size();
    all_iterations_ns += r.iteration_ns;
    all_processes += r.processes;
    recorded[{run.workload, run.config}] = r;
  }
  if (recorded.empty()) throw ShardError("--shard-durations " + file + ": the file has no run with samples to take durations from");
  // Starting a worker, loading the files and setup(n) are not in the samples: the wall time holds them.
  const std::size_t workers = all_processes + previous.settings.configs.size();  // + one calibration each
  const double per_process_ns = std::max(0.0, previous.settings.wall_seconds * 1e9 - all_iterations_ns) / static_cast<double>(workers);

  std::map<std::pair<std::string, std::string>, double> run_cost;
  std::map<std::string, std::pair<double, int>> per_config;  // sum and count of each configuration's costs
  double total = 0;
  for (const auto& [key, r] : recorded) {
    const double cost = r.iteration_ns + static_cast<double>(r.processes) * per_process_ns;
    run_cost[key] = cost;
    per_config[key.second].first += cost;
    per_config[key.second].second += 1;
    total += cost;
  }
  const double mean = total / static_cast<double>(run_cost.size());

  ShardCosts out;
  out.balanced_by = "durations recorded in " + file;
  for (const auto& workload : workloads) {
    double cost = 0;
    bool known = false;
    for (const auto& config : configs) {
      if (auto it = run_cost.find({workload, config}); it != run_cost.end()) {
        cost += it->second;
        known = true;
      } else if (auto c = per_config.find(config); c != per_config.end()) {
        cost += c->second.first / c->second.second;
      } else {
        cost += mean;
      }
    }
    if (!known) out.estimated.push_back(workload);
    out.cost.push_back(cost);
  }
  for (const Run* run : damaged) {
    std::string line = run->workload + " [" + run->config + "]: " + run->problem;
    if (contains(workloads, run->workload) && contains(configs, run->config) && !run_cost.count({run->workload, run->config})) {
      line += per_config.count(run->config) ? "; planned with the mean of the file's " + run->config + " runs"
                                            : "; planned with the mean of all the file's runs";
    }
    out.not_used.push_back(std::move(line));
  }
  return out;
}

std::vector<std::vector<std::size_t>> split_into_shards(const std::vector<double>& costs, int count) {
  std::vector<std::size_t> order(costs.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return costs[a] > costs[b]; });
  std::vector<std::vector<std::size_t>> shards(static_cast<std::size_t>(count));
  std::vector<double> totals(shards.size(), 0.0);
  for (std::size_t i : order) {
    const auto least = static_cast<std::size_t>(std::min_element(totals.begin(), totals.end()) - totals.begin());
    shards[least].push_back(i);
    totals[least] += costs[i];
  }
  for (auto& shard : shards) std::sort(shard.begin(), shard.end());
  return shards;
}

double shard_imbalance(const std::vector<std::vector<std::size_t>>& shards, const std::vector<double>& costs) {
  double low = std::numeric_limits<double>::infinity(), high = 0;
  for (const auto& shard : shards) {
    double total = 0;
    for (std::size_t i : shard) total += costs[i];
    low = std::min(low, total);
    high = std::max(high, total);
  }
  if (shards.empty() || high == 0) return 0;
  return low == 0 ? std::numeric_limits<double>::infinity() : high / low - 1;
}

ShardRecord shard_record(const ShardSpec& spec, const std::vector<std::string>& workloads,
                         const std::vector<std::vector<std::size_t>>& shards, const std::string& balanced_by) {
  ShardRecord record;
  record.count = spec.count;
  record.included = {spec.index};
  for (const auto& shard : shards) {
    std::vector<std::string> names;
    for (std::size_t i : shard) names.push_back(workloads[i]);
    record.plan.push_back(std::move(names));
  }
  record.balanced_by = balanced_by;
  return record;
}

std::optional<ShardSelection> select_shard(const ShardRequest& request, const std::vector<Workload>& plan,
                                           const std::vector<std::string>& configs, const GetEnv& getenv) {
  if (request.shard.empty()) {
    if (request.shard_count) throw ShardError("--shard-count goes with --shard auto");
    if (!request.durations_file.empty()) throw ShardError("--shard-durations goes with --shard");
    return std::nullopt;
  }
  ShardSpec spec;
  if (request.shard == "auto") {
    spec = shard_from_environment(getenv, request.shard_count);
  } else {
    if (request.shard_count) throw ShardError("--shard-count goes with --shard auto (--shard K/N already says N)");
    spec = parse_shard(request.shard);
  }
  std::vector<std::string> names;
  for (const auto& w : plan) names.push_back(w.name);
  std::string durations = request.durations_file;
  if (durations.empty() && all_in_suite(plan, request.suite_dir)) {
    const std::filesystem::path suite_file = request.suite_dir / kSuiteDurationsFile;
    std::error_code ec;
    if (std::filesystem::is_regular_file(suite_file, ec)) durations = suite_file.string();
  }
  ShardCosts costs;
  if (durations.empty()) {
    costs = equal_costs(names);
  } else {
    Results previous;
    try {
      previous = read_results_file(durations);
    } catch (const FileFormatError& e) {
      throw ShardError(std::string("--shard-durations: ") + e.what());
    }
    costs = costs_from_results(names, configs, previous, durations);
  }
  const auto shards = split_into_shards(costs.cost, spec.count);
  const auto& mine = shards[static_cast<std::size_t>(spec.index - 1)];

  ShardSelection selection;
  selection.durations_file = durations;
  selection.not_used = costs.not_used;
  double share = 0, total = 0;
  for (double c : costs.cost) total += c;
  for (std::size_t i : mine) {
    selection.workloads.push_back(plan[i]);
    share += costs.cost[i];
  }
  selection.record = shard_record(spec, names, shards, costs.balanced_by);
  std::ostringstream summary;
  summary << "Shard " << spec.index << " of " << spec.count << ": " << mine.size() << " of " << plan.size()
          << " workloads, " << (total > 0 ? static_cast<long>(100 * share / total + 0.5) : 0) << "% of the expected time ("
          << costs.balanced_by;
  if (!costs.estimated.empty()) {
    summary << "; not in it, so given the mean:";
    for (const auto& name : costs.estimated) summary << " " << name;
  }
  summary << ")" << (mine.empty() ? "" : ":");
  for (std::size_t k = 0; k < mine.size(); ++k) summary << (k ? ", " : " ") << names[mine[k]];
  selection.summary = summary.str();
  return selection;
}

}  // namespace polyhost
