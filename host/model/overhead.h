// What `polyhost overhead` measures: the cost of one call into the same C++ function through each
// binding technology, as a matrix of cases x bindings. Its one JSON writer and one checked reader
// (schema polyhost.overhead/1) are below.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "host/model/environment.h"
#include "host/model/json_node.h"
#include "host/stats/statistics.h"

namespace polyhost {

// A column of the matrix: how the call is made, and in which engine it ran.
struct OverheadBinding {
  std::string language;     // "cpp", "js", "node", "py", "pypy": the binding of that name is its pure baseline
  std::string binding;      // "cpp", "js", "v8-callback", ..., "capi", "pybind11", "ctypes", "cffi", ...
  std::string family;       // the calling language: "C++", "JavaScript", "Python"
  std::string description;  // what the binding is
  std::string engine;       // the engine it ran in ("" when it did not run)
  std::optional<std::vector<std::string>> flags;  // the engine's flags, when the engine takes any
  bool peer = false;  // another project's bridge, compared with polyhost's own (overhead --peers)
};

// Baselines cheaper than these are noise around zero (a call the JIT inlined away), not something
// to divide by: relative_to_pure and relative_to_cpp are left out for them.
inline constexpr double kSmallestPureNs = 0.5;
inline constexpr double kSmallestCppNs = 0.05;

enum class CellStatus { Ok, Unsupported, Error };
const char* cell_status_name(CellStatus status);  // "ok", "unsupported", "error"

// One case through one binding.
struct OverheadCell {
  std::string language, binding, case_name;
  CellStatus status = CellStatus::Ok;
  std::string reason;              // why, when not ok
  std::vector<double> samples_ns;  // ns per call, one per calibrated loop in a steady state, process after process
  std::vector<std::size_t> process_sample_counts;  // how many of samples_ns each process gave, in order
  int unsteady_processes = 0;  // processes whose loops never settled (or too few to tell): all their loops are in samples_ns
  std::optional<stats::Summary> summary;
  std::optional<double> relative_to_pure;  // ns / the same language's pure call
  std::optional<double> relative_to_cpp;   // ns / the direct C++ call

  // samples_ns split by process_sample_counts (one group when the counts are not known).
  std::vector<std::vector<double>> samples_by_process() const;
};

struct OverheadSettings {
  bool quick = false;
  int processes = 0, repeats = 0;
  double loop_target_ns = 0;
  double wall_seconds = 0;
};

struct OverheadMatrix {
  Environment environment;
  OverheadSettings settings;
  std::vector<OverheadBinding> bindings;
  std::vector<OverheadCell> cells;
  std::vector<std::pair<std::string, std::string>> notes;  // (binding, note), e.g. fast calls taken

  const OverheadCell* find(const std::string& binding, const std::string& case_name) const;
  // CELL's median over its baseline's: the same case's pure call in the cell's language (none for
  // C++), or the direct C++ call; nothing when either has no median or the baseline is below
  // kSmallestPureNs / kSmallestCppNs (noise around zero). What the runner writes and the reader checks.
  std::optional<double> relative_to_pure(const OverheadCell& cell) const;
  std::optional<double> relative_to_cpp(const OverheadCell& cell) const;
  std::vector<std::string> case_names() const;     // in order of first appearance
  std::vector<std::string> binding_names() const;  // likewise
};

// What the cells' intervals are: "95% CI" when every measured cell has stats::kFewestForMedianCi
// processes or more; with fewer (2 with --quick, or a run interrupted early) a bootstrap over the
// processes covers the median far less often (50-80% in simulation), so it is named an interval
// and says why.
std::string overhead_interval_name(const OverheadMatrix& matrix);

void write_overhead_json(const OverheadMatrix& matrix, std::ostream& out);
// Throws FileFormatError naming FILE and the JSON path of what is wrong.
OverheadMatrix read_overhead_json(const Json& document, const std::string& file);

inline constexpr const char* kOverheadSchema = "polyhost.overhead/1";

}  // namespace polyhost
