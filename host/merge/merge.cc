#include "host/merge/merge.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <nlohmann/json.hpp>

#include "host/runner/analysis.h"
#include "host/runner/configs.h"
#include "host/stats/statistics.h"
#include "host/text/format.h"
#include "host/value_compare.h"

namespace polyhost {
namespace {

std::string row_name(const Run& run) { return run.workload + " [" + run.config + "]"; }

// NAMES joined with ", ", at most LIMIT of them and then how many more.
std::string listing(const std::vector<std::string>& names, std::size_t limit = 8) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < limit; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > limit) out += " and " + std::to_string(names.size() - limit) + " more";
  return out;
}

std::string joined(const std::vector<std::string>& parts, const std::string& separator) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? separator : "") + parts[i];
  return out;
}

// --- What the inputs must share -------------------------------------------------------------------

std::string configs_text(const std::vector<std::string>& configs) { return configs.empty() ? "(none)" : joined(configs, ","); }

std::string settings_difference(const Settings& a, const Settings& b) {
  std::vector<std::string> out;
  if (a.size_name != b.size_name) out.push_back("sizes " + a.size_name + " vs " + b.size_name);
  if (std::string measurement = measurement_difference(a, b); !measurement.empty()) out.push_back(std::move(measurement));
  const std::set<std::string> configs_a(a.configs.begin(), a.configs.end()), configs_b(b.configs.begin(), b.configs.end());
  if (configs_a != configs_b) {
    out.push_back("configurations " + configs_text(a.configs) + " vs " + configs_text(b.configs));
  } else if (!a.configs.empty() && baseline_of(a.configs) != baseline_of(b.configs)) {
    out.push_back("baseline " + baseline_of(a.configs) + " vs " + baseline_of(b.configs));
  }
  return joined(out, "; ");
}

// What identifies the machine and the build a file was measured on, by field: CPU model, core
// count, OS and kernel, the embedded engines (version and executable), polyhost's version and
// commit, and the engine and flags of every configuration (the reference runtimes' versions are
// there). Values are JSON, so a refusal shows a number as a number.
using MachineFields = std::map<std::string, Json>;

const std::string kConfigsPrefix = "configs.";
const std::string kEngineSuffix = ".engine";

std::string config_engine_field(const std::string& config) { return kConfigsPrefix + config + kEngineSuffix; }

// A configuration's engine is what a worker of it reported; a file in which none did (interrupted
// before the first started) records none, which says nothing about the machine or the build.
bool may_be_unrecorded(const std::string& field) {
  return field.size() > kConfigsPrefix.size() + kEngineSuffix.size() && field.rfind(kConfigsPrefix, 0) == 0 &&
         field.compare(field.size() - kEngineSuffix.size(), kEngineSuffix.size(), kEngineSuffix) == 0;
}

MachineFields machine_fields(const Results& r) {
  MachineFields fields{{"cpu_model", r.environment.cpu_model},
                       {"cpu_count", r.environment.cpu_count},
                       {"os", r.environment.os},
                       {"polyhost_version", r.environment.polyhost_version},
                       {"git_commit", r.environment.git_commit}};
  for (const auto& engine : r.environment.engines) {
    fields["engine " + engine.name] = engine.version;
    if (!engine.executable.empty()) fields["engine " + engine.name + " executable"] = engine.executable;
  }
  for (const auto& setup : r.config_setups) {
    if (!setup.engine.empty()) fields[config_engine_field(setup.name)] = setup.engine;
    fields[kConfigsPrefix + setup.name + ".flags"] = setup.flags;
  }
  return fields;
}

// Where A and B disagree ("cpu_count 2 vs 64"): a field both record with different values, or one
// only one of them records (save a configuration's engine, which a file may lack).
std::vector<std::string> machine_differences(const MachineFields& a, const MachineFields& b) {
  std::set<std::string> names;
  for (const auto& [name, value] : a) names.insert(name);
  for (const auto& [name, value] : b) names.insert(name);
  std::vector<std::string> out;
  for (const auto& name : names) {
    auto x = a.find(name), y = b.find(name);
    const bool both = x != a.end() && y != b.end();
    if (both ? x->second == y->second : may_be_unrecorded(name)) continue;
    const std::string va = x == a.end() ? "(not recorded)" : x->second.dump();
    const std::string vb = y == b.end() ? "(not recorded)" : y->second.dump();
    out.push_back(name + " " + va + " vs " + vb);
  }
  return out;
}

bool is_listed(const std::vector<std::string>& configs, const std::string& config) {
  return std::find(configs.begin(), configs.end(), config) != configs.end();
}

// --- Rows of the plan -----------------------------------------------------------------------------

// Every run's configuration is one its file's settings list: a run relabelled, or of a
// configuration the file was not run with, is not part of the measurement.
void check_configurations(const std::vector<MergeInput>& inputs, std::vector<std::string>& problems) {
  for (const auto& input : inputs) {
    const std::vector<std::string>& configs = input.results.settings.configs;
    std::vector<std::string> unlisted;
    for (const Run& run : input.results.runs) {
      if (!is_listed(configs, run.config)) unlisted.push_back(row_name(run));
    }
    if (!unlisted.empty()) {
      problems.push_back(input.file + " holds rows of configurations its settings.configs (" + configs_text(configs) +
                         ") do not list: " + listing(unlisted));
    }
  }
}

using RowKey = std::pair<std::string, std::string>;  // (workload, configuration)

std::set<RowKey> rows_held(const std::vector<MergeInput>& inputs) {
  std::set<RowKey> out;
  for (const auto& input : inputs) {
    for (const Run& run : input.results.runs) out.emplace(run.workload, run.config);
  }
  return out;
}

// Files that are not shards name no plan, but a run writes a row for every configuration of every
// workload it runs: a workload that some unsharded file holds must have all its rows among the
// files merged (one row may come from another file: measured again elsewhere, say).
void check_unsharded_rows(const std::vector<MergeInput>& inputs, std::vector<std::string>& problems) {
  struct Held {
    std::vector<std::string> files;    // the unsharded files holding rows of the workload
    std::vector<std::string> configs;  // the configurations those files list
  };
  std::map<std::string, Held> held;  // by workload
  const std::set<RowKey> present = rows_held(inputs);
  for (const auto& input : inputs) {
    if (input.results.settings.shard) continue;
    for (const Run& run : input.results.runs) {
      Held& h = held[run.workload];
      if (is_listed(h.files, input.file)) continue;
      h.files.push_back(input.file);
      for (const auto& config : input.results.settings.configs) {
        if (!is_listed(h.configs, config)) h.configs.push_back(config);
      }
    }
  }
  for (const auto& [workload, h] : held) {
    std::vector<std::string> absent;
    for (const auto& config : h.configs) {
      if (!present.count({workload, config})) absent.push_back(workload + " [" + config + "]");
    }
    if (!absent.empty()) {
      problems.push_back(joined(h.files, " and ") + (h.files.size() == 1 ? " holds" : " hold") + " rows of " + workload +
                         " but no file holds " + listing(absent) + " (a run writes a row for every configuration in its settings.configs)");
    }
  }
}

// --- Shards ---------------------------------------------------------------------------------------

void check_shards(const std::vector<MergeInput>& inputs, std::vector<std::string>& problems) {
  const std::set<RowKey> held_anywhere = rows_held(inputs);
  const MergeInput* first = nullptr;
  std::map<int, std::string> holder;  // shard number -> the file that holds it
  for (const auto& input : inputs) {
    const auto& shard = input.results.settings.shard;
    if (!shard) continue;
    if (!first) {
      first = &input;
    } else {
      const ShardRecord& reference = *first->results.settings.shard;
      if (shard->count != reference.count) {
        problems.push_back(first->file + " is a shard of " + std::to_string(reference.count) + " but " + input.file +
                           " is a shard of " + std::to_string(shard->count) + ": they are parts of different plans");
        continue;
      }
      if (shard->plan != reference.plan) {
        problems.push_back(first->file + " and " + input.file +
                           " split the plan differently (were they run with the same workloads, configurations and "
                           "--shard-durations?)");
        continue;
      }
    }
    // Each file holds rows of its shards' workloads, all of them and no others; and every
    // configuration's row of each is in it or (measured again elsewhere) in another file.
    std::set<std::string> planned;
    for (int k : shard->included) {
      planned.insert(shard->plan[static_cast<std::size_t>(k - 1)].begin(), shard->plan[static_cast<std::size_t>(k - 1)].end());
      auto [seen, fresh] = holder.emplace(k, input.file);
      if (!fresh) {
        problems.push_back("shard " + std::to_string(k) + " of " + std::to_string(shard->count) + " is in both " +
                           seen->second + " and " + input.file);
      }
    }
    const std::vector<std::string>& configs = input.results.settings.configs;
    std::set<std::string> present;
    std::vector<std::string> foreign;
    for (const Run& run : input.results.runs) {
      present.insert(run.workload);
      if (!planned.count(run.workload) && is_listed(configs, run.config)) foreign.push_back(row_name(run));
    }
    if (!foreign.empty()) {
      problems.push_back(input.file + " holds rows its shards do not plan: " + listing(foreign));
    }
    std::vector<std::string> absent, lacking;
    for (const auto& workload : planned) {
      if (!present.count(workload)) {
        absent.push_back(workload);
        continue;
      }
      for (const auto& config : configs) {
        if (!held_anywhere.count({workload, config})) lacking.push_back(workload + " [" + config + "]");
      }
    }
    if (!absent.empty()) problems.push_back(input.file + " has no rows for workloads its shards plan: " + listing(absent));
    if (!lacking.empty()) {
      problems.push_back(input.file + " lacks rows its shards plan, and no file holds them: " + listing(lacking));
    }
  }
  if (!first) return;
  const ShardRecord& plan = *first->results.settings.shard;
  for (int k = 1; k <= plan.count; ++k) {
    const auto& workloads = plan.plan[static_cast<std::size_t>(k - 1)];
    if (holder.count(k) || workloads.empty()) continue;  // an empty shard loses nothing
    problems.push_back("shard " + std::to_string(k) + " of " + std::to_string(plan.count) +
                       " is missing (its workloads: " + listing(workloads, workloads.size()) + ")");
  }
}

// --- Rows -----------------------------------------------------------------------------------------

struct Row {
  const Run* run;
  const std::string* file;
};

void check_rows(const std::vector<MergeInput>& inputs, std::vector<std::string>& problems) {
  std::map<std::pair<std::string, std::string>, const std::string*> owner;  // (workload, config) -> file
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> overlaps;  // (file, file) -> rows
  std::map<std::string, std::vector<Row>> by_workload;
  for (const auto& input : inputs) {
    for (const Run& run : input.results.runs) {
      by_workload[run.workload].push_back({&run, &input.file});
      auto [seen, fresh] = owner.emplace(std::make_pair(run.workload, run.config), &input.file);
      if (!fresh) overlaps[{*seen->second, input.file}].push_back(row_name(run));
    }
  }
  for (const auto& [files, rows] : overlaps) {
    problems.push_back(files.first + " and " + files.second + " both hold " + std::to_string(rows.size()) +
                       (rows.size() == 1 ? " row: " : " rows: ") + listing(rows));
  }
  // The runs of one workload from different files must have done the same work and agree.
  for (const auto& [workload, rows] : by_workload) {
    const Row* sized = nullptr;
    const Row* answered = nullptr;
    for (const Row& row : rows) {
      if (row.run->status == RunStatus::Ok) {
        if (!sized) {
          sized = &row;
        } else if (ran_at_different_sizes(*sized->run, *row.run)) {
          problems.push_back(workload + ": size " + std::to_string(sized->run->size) + " in " + *sized->file + " [" +
                             sized->run->config + "] but " + std::to_string(row.run->size) + " in " + *row.file + " [" +
                             row.run->config + "]");
          break;
        }
      }
      if (row.run->status == RunStatus::Ok && row.run->result) {
        if (!answered) {
          answered = &row;
        } else if (*answered->file != *row.file) {
          if (auto diff = find_difference(*answered->run->result, *row.run->result)) {
            problems.push_back(workload + ": " + *answered->file + " [" + answered->run->config + "] and " + *row.file + " [" +
                               row.run->config + "] returned different results: " + *diff);
          }
        }
      }
    }
  }
}

// --- Building the merged file ---------------------------------------------------------------------

// The distinct VALUES in order of first appearance, joined with " | ".
std::string all_of(const std::vector<std::string>& values) {
  std::vector<std::string> distinct;
  for (const auto& v : values) {
    if (std::find(distinct.begin(), distinct.end(), v) == distinct.end()) distinct.push_back(v);
  }
  return joined(distinct, " | ");
}

std::vector<EngineVersion> merged_engines(const std::vector<const Environment*>& envs) {
  std::vector<std::string> names;
  for (const Environment* env : envs) {
    for (const auto& e : env->engines) {
      if (std::find(names.begin(), names.end(), e.name) == names.end()) names.push_back(e.name);
    }
  }
  std::vector<EngineVersion> out;
  for (const auto& name : names) {
    std::vector<std::string> versions, executables;
    for (const Environment* env : envs) {
      for (const auto& e : env->engines) {
        if (e.name != name) continue;
        versions.push_back(e.version);
        if (!e.executable.empty()) executables.push_back(e.executable);
      }
    }
    out.push_back({name, all_of(versions), all_of(executables)});
  }
  return out;
}

// The inputs' common environment; a field they disagree on lists every value.
Environment merged_environment(const std::vector<const MergeInput*>& inputs, const std::string& command_line) {
  std::vector<const Environment*> envs;
  std::vector<std::string> cpu, os, version, commit, starts;
  std::set<int> cores;
  for (const MergeInput* input : inputs) {
    const Environment& e = input->results.environment;
    envs.push_back(&e);
    cpu.push_back(e.cpu_model);
    os.push_back(e.os);
    version.push_back(e.polyhost_version);
    commit.push_back(e.git_commit);
    cores.insert(e.cpu_count);
    if (!e.start_time.empty()) starts.push_back(e.start_time);
  }
  Environment env;
  env.cpu_model = all_of(cpu);
  env.cpu_count = cores.size() == 1 ? *cores.begin() : 0;  // 0: the machines differ (see machines)
  env.os = all_of(os);
  env.polyhost_version = all_of(version);
  env.git_commit = all_of(commit);
  env.engines = merged_engines(envs);
  env.command_line = command_line;
  env.merged_files = static_cast<int>(inputs.size());
  if (!starts.empty()) env.start_time = *std::min_element(starts.begin(), starts.end());  // ISO 8601 UTC sorts as text
  for (const Environment* e : envs) {  // the busiest start: the noise the merged figures may carry
    if (e->load_average && (!env.load_average || *e->load_average > *env.load_average)) env.load_average = e->load_average;
  }
  return env;
}

// Each configuration's engine and flags (every value, when the inputs disagree; an engine a file
// does not record is no value) and the median of the inputs' empty-call costs.
std::vector<ConfigSetup> merged_setups(const std::vector<const MergeInput*>& inputs) {
  std::vector<ConfigSetup> out;
  std::map<std::string, std::vector<std::string>> engines, flags;
  std::map<std::string, std::vector<double>> empty_call;
  for (const MergeInput* input : inputs) {
    for (const ConfigSetup& setup : input->results.config_setups) {
      if (std::none_of(out.begin(), out.end(), [&](const ConfigSetup& s) { return s.name == setup.name; })) {
        out.push_back({setup.name, "", setup.flags, std::nullopt, setup.idle_memory, setup.known_warmup_point});
      }
      if (!setup.engine.empty()) engines[setup.name].push_back(setup.engine);  // empty: no worker of it reported
      flags[setup.name].push_back(Json(setup.flags).dump());
      if (setup.empty_call_ns) empty_call[setup.name].push_back(*setup.empty_call_ns);
    }
  }
  for (ConfigSetup& setup : out) {
    setup.engine = all_of(engines[setup.name]);
    if (auto it = empty_call.find(setup.name); it != empty_call.end()) setup.empty_call_ns = stats::median(it->second);
  }
  return out;
}

std::optional<ShardRecord> merged_shard(const std::vector<MergeInput>& inputs) {
  std::optional<ShardRecord> out;
  for (const auto& input : inputs) {
    const auto& shard = input.results.settings.shard;
    if (!shard) continue;
    if (!out) {
      out = *shard;
    } else {
      out->included.insert(out->included.end(), shard->included.begin(), shard->included.end());
    }
  }
  if (out) std::sort(out->included.begin(), out->included.end());
  return out;
}

// --- What merge says it merged --------------------------------------------------------------------

std::string counted(std::size_t n, const std::string& one, const std::string& many) {
  return text::counted(static_cast<std::int64_t>(n), one, many);
}

std::string contents_line(const Results& merged, std::size_t files) {
  std::set<std::string> workloads;
  for (const Run& run : merged.runs) workloads.insert(run.workload);
  std::string line = "merged " + counted(files, "file", "files");
  if (const auto& shard = merged.settings.shard) {
    line += " (shards";
    for (std::size_t i = 0; i < shard->included.size(); ++i) line += (i ? ", " : " ") + std::to_string(shard->included[i]);
    line += " of " + std::to_string(shard->count) + ")";
  }
  line += ": " + counted(workloads.size(), "workload", "workloads") + " x " +
          counted(merged.settings.configs.size(), "configuration", "configurations") + ", " +
          counted(merged.runs.size(), "run", "runs");
  if (!merged.machines.empty()) {
    line += ", measured on " + std::to_string(merged.machines.size()) +
            " machines (no ratio between runs of different machines is computed)";
  }
  return line;
}

// How many of RUNS have each verdict other than ok, in the order of the verdicts.
std::map<RunStatus, std::size_t> not_ok_counts(const std::vector<Run>& runs, const std::string* config = nullptr) {
  std::map<RunStatus, std::size_t> counts;
  for (const Run& run : runs) {
    if (run.status != RunStatus::Ok && (!config || run.config == *config)) ++counts[run.status];
  }
  return counts;
}

// "4 runs not ok: 3 interrupted (2 in s2.json, 1 in s3.json), 1 crash (in s1.json)", or "".
std::string not_ok_line(const std::vector<MergeInput>& inputs) {
  std::map<RunStatus, std::vector<std::pair<std::string, std::size_t>>> files_of;  // verdict -> (file, runs)
  std::size_t total = 0;
  for (const auto& input : inputs) {
    for (const auto& [status, runs] : not_ok_counts(input.results.runs)) {
      files_of[status].emplace_back(input.file, runs);
      total += runs;
    }
  }
  if (total == 0) return "";
  std::vector<std::string> parts;
  for (const auto& [status, files] : files_of) {
    std::size_t runs = 0;
    std::vector<std::string> where;
    for (const auto& [file, n] : files) {
      runs += n;
      where.push_back(std::to_string(n) + " in " + file);
    }
    parts.push_back(std::to_string(runs) + " " + status_name(status) + " (" +
                    (files.size() == 1 ? "in " + files.front().first : joined(where, ", ")) + ")");
  }
  return counted(total, "run", "runs") + " not ok: " + joined(parts, ", ");
}

// "s2.json records no engine for cpython, as no worker of it reported there (its runs of it: 2
// interrupted): the merged file has the other files' (CPython 3.11.7)", for each such file and
// configuration.
std::vector<std::string> unrecorded_engine_lines(const std::vector<MergeInput>& inputs, const Results& merged) {
  std::vector<std::string> out;
  for (const auto& input : inputs) {
    for (const ConfigSetup& setup : input.results.config_setups) {
      if (!setup.engine.empty()) continue;
      std::vector<std::string> verdicts;
      for (const auto& [status, runs] : not_ok_counts(input.results.runs, &setup.name)) {
        verdicts.push_back(std::to_string(runs) + " " + status_name(status));
      }
      const std::size_t ok = static_cast<std::size_t>(std::count_if(input.results.runs.begin(), input.results.runs.end(), [&](const Run& run) {
        return run.config == setup.name && run.status == RunStatus::Ok;
      }));
      if (ok > 0) verdicts.insert(verdicts.begin(), std::to_string(ok) + " ok");
      std::string line = input.file + " records no engine for " + setup.name + ", as no worker of it reported there (" +
                         (verdicts.empty() ? "it has no runs of it" : "its runs of it: " + joined(verdicts, ", ")) + ")";
      const ConfigSetup* merged_setup = merged.setup_of(setup.name);
      if (merged_setup && !merged_setup->engine.empty()) line += ": the merged file has the other files' (" + merged_setup->engine + ")";
      out.push_back(std::move(line));
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> merge_summary(const std::vector<MergeInput>& inputs, const Results& merged) {
  std::vector<std::string> lines{contents_line(merged, inputs.size())};
  if (std::string not_ok = not_ok_line(inputs); !not_ok.empty()) lines.push_back(std::move(not_ok));
  for (std::string& line : unrecorded_engine_lines(inputs, merged)) lines.push_back(std::move(line));
  return lines;
}

bool has_failed_runs(const Results& merged) {
  return std::any_of(merged.runs.begin(), merged.runs.end(),
                     [](const Run& run) { return run.status != RunStatus::Ok && run.status != RunStatus::Skipped; });
}

MergeError::MergeError(std::vector<std::string> problems)
    : std::runtime_error(problems.empty() ? "cannot merge" : problems.front()), problems_(std::move(problems)) {}

Results merge_results(const std::vector<MergeInput>& inputs, const MergeOptions& options) {
  if (inputs.empty()) throw MergeError({"no results files to merge"});
  std::vector<std::string> problems;
  // A damaged run would be merged as if it were measured.
  for (const auto& input : inputs) {
    for (const Run& run : input.results.runs) {
      if (!run.problem.empty()) problems.push_back(run.problem);
    }
    if (!input.results.machines.empty()) {
      problems.push_back(input.file + " already holds runs of several machines; merge the files it was merged from instead");
    }
  }
  const MergeInput& first = inputs.front();
  for (std::size_t i = 1; i < inputs.size(); ++i) {
    const std::string difference = settings_difference(first.results.settings, inputs[i].results.settings);
    if (!difference.empty()) {
      problems.push_back(first.file + " and " + inputs[i].file + " were run with different settings: " + difference);
    }
  }
  // Machines: one group per distinct machine and build, in the order of the inputs. A group's
  // fields gather what its files record (one file may lack a configuration's engine).
  std::vector<MachineFields> machine_keys;
  std::vector<std::vector<const MergeInput*>> machine_inputs;
  std::vector<std::size_t> machine_of(inputs.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const MachineFields fields = machine_fields(inputs[i].results);
    auto found = std::find_if(machine_keys.begin(), machine_keys.end(),
                              [&](const MachineFields& key) { return machine_differences(key, fields).empty(); });
    if (found == machine_keys.end()) {
      if (!machine_keys.empty() && !options.allow_mixed_machines) {
        // Named against a file of the first machine that disagrees itself (the machine's fields gather its files').
        for (const MergeInput* other : machine_inputs.front()) {
          const auto differences = machine_differences(machine_fields(other->results), fields);
          if (differences.empty()) continue;
          problems.push_back(other->file + " and " + inputs[i].file + " come from different machines or builds: " +
                             joined(differences, "; ") +
                             " (merge --allow-mixed-machines keeps each run's machine and compares none across them)");
          break;
        }
      }
      machine_keys.push_back(fields);
      machine_inputs.emplace_back();
      found = machine_keys.end() - 1;
    }
    found->insert(fields.begin(), fields.end());
    machine_of[i] = static_cast<std::size_t>(found - machine_keys.begin());
    machine_inputs[machine_of[i]].push_back(&inputs[i]);
  }
  check_configurations(inputs, problems);
  check_shards(inputs, problems);
  check_unsharded_rows(inputs, problems);
  check_rows(inputs, problems);
  if (!problems.empty()) throw MergeError(std::move(problems));

  std::vector<const MergeInput*> all;
  for (const auto& input : inputs) all.push_back(&input);
  Results merged;
  merged.environment = merged_environment(all, options.command_line);
  merged.config_setups = merged_setups(all);
  merged.settings = first.results.settings;
  merged.settings.wall_seconds = 0;
  for (const auto& input : inputs) merged.settings.wall_seconds += input.results.settings.wall_seconds;
  merged.settings.shard = merged_shard(inputs);
  const bool mixed = machine_keys.size() > 1;
  if (mixed) {
    for (const auto& group : machine_inputs) {
      Machine machine{merged_environment(group, group.front()->results.environment.command_line), merged_setups(group), {}};
      for (const MergeInput* input : group) machine.files.push_back(input->file);
      merged.machines.push_back(std::move(machine));
    }
  }
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    for (Run run : inputs[i].results.runs) {
      // Each input measured its own idle workers; the merged configurations keep only the first's.
      const MemoryReading* idle = inputs[i].results.idle_memory_of(run);
      run.idle_memory = idle ? *idle : MemoryReading{};
      if (mixed) run.machine = machine_of[i];
      merged.runs.push_back(std::move(run));
    }
  }
  // The order an unsharded run writes: workloads by name, configurations as the settings list them.
  const auto& configs = merged.settings.configs;
  auto config_rank = [&](const std::string& config) {
    return static_cast<std::size_t>(std::find(configs.begin(), configs.end(), config) - configs.begin());
  };
  std::stable_sort(merged.runs.begin(), merged.runs.end(), [&](const Run& a, const Run& b) {
    if (a.workload != b.workload) return a.workload < b.workload;
    return config_rank(a.config) < config_rank(b.config);
  });
  compute_statistics(merged);
  return merged;
}

}  // namespace polyhost
