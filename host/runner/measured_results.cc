#include "host/runner/measured_results.h"

#include "host/value_compare.h"

namespace polyhost {

void MeasuredResults::add(Value result) {
  ++count_;
  if (!first_) {
    first_ = std::move(result);
  } else if (!difference_) {
    if (auto diff = find_difference(*first_, result)) {
      difference_ = "run(" + n_.to_json() + ") returned different results in measured iterations 1 and " +
                    std::to_string(count_) + ": " + *diff;
    }
  }
}

std::optional<WorkloadVerdict> MeasuredResults::check(Engine& engine, bool has_verify) const {
  if (difference_) return WorkloadVerdict{RunStatus::Mismatch, *difference_};
  if (!has_verify || !first_) return std::nullopt;
  const Value ok = engine.call("verify", {*first_, n_});
  if (ok == Value(true)) return std::nullopt;
  return WorkloadVerdict{RunStatus::Mismatch, "verify(result, " + n_.to_json() + ") returned " + ok.to_json() +
                                                  " for the measured result; the result was " +
                                                  first_->to_json().substr(0, 200)};
}

}  // namespace polyhost
