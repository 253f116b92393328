#include "host/runner/report.h"

namespace polyhost {

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

std::vector<double> RunResult::all_samples_ns() const {
  std::size_t total = 0;
  for (const auto& process : samples_ns) total += process.size();
  std::vector<double> flat;
  flat.reserve(total);
  for (const auto& process : samples_ns) flat.insert(flat.end(), process.begin(), process.end());
  return flat;
}

}  // namespace polyhost
