// `polyhost overhead`: what one call from JavaScript or Python into the same C++ function costs
// through each binding technology, in nanoseconds, with the pure-language call and a direct C++
// call (the floor) in the same matrix.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "host/runner/report.h"

namespace polyhost {

struct BindingInfo {
  std::string language;  // "cpp", "js", "py"
  std::string binding;   // "cpp", "js", "v8-callback", "v8-fast-api", "py", "capi", "pybind11", "ctypes", "cffi"
  std::string description;
};
const std::vector<BindingInfo>& overhead_bindings();
const std::vector<std::string>& overhead_cases();

struct OverheadEntry {
  std::string language, binding, case_name;
  std::string status = "ok";  // "ok", "unsupported" (reason says why), "error"
  std::string reason;
  std::vector<double> samples_ns;  // ns per call, one per repetition, pooled over processes
  std::optional<stats::Summary> summary;
  std::optional<double> relative_to_pure;  // ns / the same language's pure call
  std::optional<double> relative_to_cpp;   // ns / the direct C++ call
};

// Baselines cheaper than these are noise around zero (a call the JIT inlined away), not something
// to divide by: the ratio to them is left out.
inline constexpr double kSmallestPureNs = 0.5;
inline constexpr double kSmallestCppNs = 0.05;

struct OverheadReport {
  Environment environment;
  bool quick = false;
  int processes = 0, repeats = 0;
  double target_ns = 0;
  std::vector<OverheadEntry> entries;
  std::vector<std::pair<std::string, std::string>> notes;  // (binding, note), e.g. fast calls taken
  double wall_seconds = 0;
};

struct OverheadOptions {
  bool quick = false;
  bool peers = false;  // also the bridges polyhost's js->py is compared with (host/bridge/peer_bridges.h)
  std::vector<std::string> command_line;
};

OverheadReport run_overhead(const OverheadOptions& options, const std::function<void(const std::string&)>& progress);
void compute_overhead_statistics(OverheadReport& report);

// The measuring side, in a fresh worker process (polyhost overhead-worker).
int overhead_worker_main(const std::string& binding, double target_ns, int repeats, int result_fd);

void write_overhead_json(const OverheadReport& report, std::ostream& out);      // "polyhost.overhead/1"
void write_overhead_markdown(const OverheadReport& report, std::ostream& out);
void write_overhead_table(const OverheadReport& report, std::ostream& out);

}  // namespace polyhost
