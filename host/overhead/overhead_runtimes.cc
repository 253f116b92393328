#include "host/overhead/overhead_runtimes.h"

#include <filesystem>
#include <map>

#include "bindings/extensions_built.h"
#include "host/build_info.h"
#include "host/runner/configs.h"
#include "host/runner/subprocess.h"

namespace polyhost {
namespace {

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

}  // namespace

std::optional<std::vector<std::string>> overhead_worker_command(const BindingInfo& b, const std::string& self,
                                                                double target_ns, int repeats, std::string& unavailable) {
  unavailable = not_built(b.binding);
  if (!unavailable.empty()) return std::nullopt;
  const std::string build_dir = std::filesystem::path(self).parent_path().string();
  const std::vector<std::string> common = {"--binding", b.binding, "--target-ns", std::to_string(target_ns), "--repeats",
                                           std::to_string(repeats), "--result-fd", std::to_string(kMessageFd)};
  if (b.runtime == OverheadRuntime::Peer) {  // installed by scripts/setup-peers (overhead_runner.cc)
    const Config* node = find_config("node");
    auto program = node ? worker_command(*node, self, 0, unavailable) : std::nullopt;
    if (!program) return std::nullopt;
    return std::vector<std::string>{program->front(), std::string(build_info::source_dir) + "/bindings/overhead/peers.js",
                                    b.binding, std::string(build_info::source_dir) + "/.deps/peers",
                                    std::to_string(target_ns), std::to_string(repeats)};
  }
  if (b.runtime != OverheadRuntime::Node && b.runtime != OverheadRuntime::PyPy) {
    std::vector<std::string> command{self, "overhead-worker"};
    command.insert(command.end(), common.begin(), common.end());
    return command;
  }
  // The same program `polyhost run --configs node|pypy3` runs, found the same way.
  const bool node = b.runtime == OverheadRuntime::Node;
  const Config* config = find_config(node ? "node" : "pypy3");
  auto program = config ? worker_command(*config, self, 0, unavailable) : std::nullopt;
  if (!program) return std::nullopt;
  std::vector<std::string> command{program->front(), std::string(build_info::source_dir) + "/bindings/overhead/" +
                                                          (node ? "node_worker.js" : "pypy_worker.py")};
  command.insert(command.end(), common.begin(), common.end());
  if (node) {
    command.insert(command.end(), {"--addon-dir", build_dir});
  } else {
    command.insert(command.end(), {"--cabi-path", build_dir + "/libpolyhost_cabi.so"});
  }
  return command;
}

}  // namespace polyhost
