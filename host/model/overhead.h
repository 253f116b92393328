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

// The calling language and the one called: "JavaScript" -> "Python" for js->py, "Python" -> "C++"
// for capi, "Python" -> "Python" for a pure baseline. Both empty when the binding records no family
// (files before it).
struct CallDirection {
  std::string caller, callee;
};
CallDirection call_direction(const OverheadBinding& binding);
// "JavaScript → Python", "Python → C++", "Python" (a pure baseline); the language key when unknown.
std::string call_direction_label(const OverheadBinding& binding);

// Baselines closer to zero than these are noise around zero (a call the JIT inlined away), not
// something to divide by: relative_to_pure and relative_to_cpp are left out for them. So are they
// for a baseline below zero by more than that (an empty loop that costs more than its call loop),
// and for a figure below zero: no ratio is negative.
inline constexpr double kSmallestPureNs = 0.5;
inline constexpr double kSmallestCppNs = 0.05;

enum class CellStatus { Ok, Unsupported, Error, Interrupted };
// "ok", "unsupported", "error", "interrupted" (not measured: the run was stopped before it)
const char* cell_status_name(CellStatus status);

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
  // Why the figure says little, however steady the loops: kNoiseBelowZero, kNoiseWideInterval;
  // empty for a figure that holds, or a cell without one.
  std::vector<std::string> noise() const;
};

// A cost below zero by more than kSmallestPureNs: no call costs less than nothing, so the loops'
// noise (or an empty loop that costs more than its call loop) is larger than the call.
inline constexpr const char* kNoiseBelowZero = "below zero";
// The interval as the terminal shows it, the median ± its wider side, is wider than the figure
// itself (than kSmallestPureNs, for a figure closer to zero): the figure could be half or double.
inline constexpr const char* kNoiseWideInterval = "interval wider than the figure";

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
  // C++), or the direct C++ call; nothing when either has no median, when the baseline is within
  // kSmallestPureNs / kSmallestCppNs of zero (noise around zero) or below zero by more, or when
  // CELL's median is below zero. What the runner writes and the reader checks.
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
