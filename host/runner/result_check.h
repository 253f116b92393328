// The checks on the results of a process's calls of run(), the same for `run`'s worker and `scale`'s
// lanes: every result, warm-up calls included, must equal the first, and the workload's verify()
// must accept the first. Nothing of the workload's runs between two calls: verify() can share code
// with run() and change what the engine optimized (json_parser's verify walks a JSON.parse document
// with run's walk(), which turned polymorphic: its measured calls ran 30% slower than its warm-up's).
// So results are compared with the first in host code only (run's worker as each comes, scale's
// lanes after their timed part), and verify() is called once, at the end.
#pragma once

#include <optional>
#include <string>

#include "host/engine.h"
#include "host/runner/workload_verdict.h"
#include "host/value.h"

namespace polyhost {

// How a mismatch verdict from a failed verify() begins (the others: results that changed between
// calls or processes).
inline constexpr const char* kVerifyFailed = "verify(result, ";

// Whether MESSAGE, a run's, is a failed verify()'s, also after the "process N of M: " that a
// failure after the first process gets.
bool is_verify_failure(const std::string& message);

class ResultCheck {
 public:
  enum class Phase { WarmUp, Measured };

  explicit ResultCheck(Value n) : n_(std::move(n)) {}

  // The result of the next call: the first is kept, each later one compared with it.
  void add(Phase phase, Value result);
  // Whether a result has differed from the first already: the verdict is mismatch whatever comes
  // after, so the worker stops calling.
  bool differs() const { return difference_.has_value(); }
  // After the last call: a `mismatch` verdict (the first difference, or what verify() said of the
  // first result), or nothing when they pass.
  std::optional<WorkloadVerdict> check(Engine& engine, bool has_verify) const;
  // The first result, moved out (after check()).
  std::optional<Value> take_first() { return std::move(first_); }

 private:
  std::string name_of_call(Phase phase) const;

  Value n_;
  std::optional<Value> first_;
  std::string first_call_;  // "warm-up iteration 1" or "measured iteration 1"
  int warmup_calls_ = 0;
  int measured_calls_ = 0;
  std::optional<std::string> difference_;  // the first one, with the calls it is between
};

}  // namespace polyhost
