#include "host/model/results.h"

#include <algorithm>

namespace polyhost {
namespace {

constexpr RunStatus kStatuses[] = {RunStatus::Ok,      RunStatus::Error,       RunStatus::Mismatch,
                                   RunStatus::Invalid, RunStatus::Timeout,     RunStatus::OutOfMemory,
                                   RunStatus::StackOverflow, RunStatus::Crash, RunStatus::Skipped,
                                   RunStatus::Interrupted};

}  // namespace

const char* status_name(RunStatus status) {
  switch (status) {
    case RunStatus::Ok: return "ok";
    case RunStatus::Error: return "error";
    case RunStatus::Mismatch: return "mismatch";
    case RunStatus::Invalid: return "invalid";
    case RunStatus::Timeout: return "timeout";
    case RunStatus::OutOfMemory: return "out-of-memory";
    case RunStatus::StackOverflow: return "stack-overflow";
    case RunStatus::Crash: return "crash";
    case RunStatus::Skipped: return "skipped";
    case RunStatus::Interrupted: return "interrupted";
  }
  return "unknown";
}

std::optional<RunStatus> parse_status(const std::string& name) {
  for (RunStatus status : kStatuses) {
    if (name == status_name(status)) return status;
  }
  return std::nullopt;
}

RunStatus read_status(const JsonNode& node) {
  const auto status = parse_status(node.string());
  if (!status) node.expected("a run status (ok, error, mismatch, ...)");
  return *status;
}

std::vector<double> Run::all_samples_ns() const {
  std::vector<double> flat;
  for (const auto& process : samples_ns) flat.insert(flat.end(), process.begin(), process.end());
  return flat;
}

const ConfigSetup* Results::setup_of(const std::string& config) const {
  auto it = std::find_if(config_setups.begin(), config_setups.end(), [&](const ConfigSetup& s) { return s.name == config; });
  return it == config_setups.end() ? nullptr : &*it;
}

ConfigSetup& Results::setup_for(const std::string& config) {
  for (auto& setup : config_setups) {
    if (setup.name == config) return setup;
  }
  config_setups.push_back({config, "", {}, std::nullopt});
  return config_setups.back();
}

}  // namespace polyhost
