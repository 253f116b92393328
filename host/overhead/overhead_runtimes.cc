#include "host/overhead/overhead_runtimes.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "bindings/extensions_built.h"
#include "host/build_info.h"
#include "host/runner/configs.h"

namespace polyhost {
namespace {

struct ExternalRuntime {
  const char* config;  // the `run` configuration whose program it is (node, pypy3)
  const char* script;  // the worker script, relative to the source tree
};

// The bindings measured in a runtime other than polyhost itself.
const std::map<std::string, ExternalRuntime>& external_bindings() {
  static const ExternalRuntime node{"node", "bindings/overhead/node_worker.js"};
  static const ExternalRuntime pypy{"pypy3", "bindings/overhead/pypy_worker.py"};
  static const std::map<std::string, ExternalRuntime> bindings = {
      {"node", node}, {"node-api", node}, {"node-addon-api", node}, {"node-v8", node}, {"pypy", pypy}, {"pypy-cffi", pypy},
  };
  return bindings;
}

// Why this build has no BINDING ("" when it has it, or it needs no build of its own).
std::string not_built(const std::string& binding) {
  static const std::map<std::string, const char*> reasons = {
      {"node-api", extensions_built::node_api_missing},
      {"node-addon-api", extensions_built::node_addon_api_missing},
      {"node-v8", extensions_built::node_v8_missing},
      {"cython", extensions_built::cython_missing},
  };
  auto it = reasons.find(binding);
  return it == reasons.end() ? "" : it->second;
}

// The command that measures BINDING, or nothing with UNAVAILABLE saying why.
std::optional<std::vector<std::string>> worker_command_for(const std::string& binding, const std::string& self,
                                                           double target_ns, int repeats, std::string& unavailable) {
  unavailable = not_built(binding);
  if (!unavailable.empty()) return std::nullopt;
  const std::string build_dir = std::filesystem::path(self).parent_path().string();
  const std::vector<std::string> common = {"--binding", binding, "--target-ns", std::to_string(target_ns),
                                           "--repeats", std::to_string(repeats), "--result-fd", "3"};
  auto external = external_bindings().find(binding);
  if (external == external_bindings().end()) {
    std::vector<std::string> command{self, "overhead-worker"};
    command.insert(command.end(), common.begin(), common.end());
    return command;
  }
  // The same program `polyhost run --configs node|pypy3` runs, found the same way.
  const Config* config = find_config(external->second.config);
  auto program = config ? worker_command(*config, self, 0, unavailable) : std::nullopt;
  if (!program) return std::nullopt;
  std::vector<std::string> command{program->front(), std::string(build_info::source_dir) + "/" + external->second.script};
  command.insert(command.end(), common.begin(), common.end());
  if (external->second.config == std::string("node")) {
    command.insert(command.end(), {"--addon-dir", build_dir});
  } else {
    command.insert(command.end(), {"--cabi-path", build_dir + "/libpolyhost_cabi.so"});
  }
  return command;
}

}  // namespace

ChildOutcome run_overhead_worker(const std::string& binding, const std::string& self, double target_ns, int repeats) {
  std::string unavailable;
  if (auto command = worker_command_for(binding, self, target_ns, repeats, unavailable)) return run_child(*command, 300);
  ChildOutcome outcome;
  outcome.exit_status = 0;
  outcome.report = nlohmann::json{{"status", "ok"}, {"unavailable", unavailable}}.dump();
  return outcome;
}

std::vector<std::string> overhead_runtime_lines(const OverheadReport& report) {
  std::vector<std::pair<std::string, std::string>> groups;  // (engine, its bindings), in column order
  for (const auto& b : overhead_bindings()) {
    auto engine = report.environment.config_engines.find(b.binding);
    if (engine == report.environment.config_engines.end() || engine->second.empty()) continue;
    auto group = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == engine->second; });
    if (group == groups.end()) {
      groups.emplace_back(engine->second, b.binding);
    } else {
      group->second += ", " + b.binding;
    }
  }
  std::vector<std::string> lines;
  for (const auto& [engine, bindings] : groups) lines.push_back(bindings + ": " + engine);
  return lines;
}

}  // namespace polyhost
