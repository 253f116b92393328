#include "host/runner/result_check.h"

#include "host/value_compare.h"

namespace polyhost {
namespace {

std::string differs_message(const Value& n, const std::string& first_call, const std::string& other_call,
                            const std::string& difference) {
  return "run(" + n.to_json() + ") returned different results in " + first_call + " and " + other_call + ": " +
         difference;
}

// What verify() returned, in its own language's words (Python's None, True, False).
std::string returned_text(const Engine& engine, const Value& ok) {
  if (engine.language() == Language::Python) {
    if (ok.is_null()) return "None";
    if (ok.is_bool()) return ok == Value(true) ? "True" : "False";
  }
  return ok.to_json();
}

}  // namespace

std::string ResultCheck::name_of_call(Phase phase) const {
  return phase == Phase::WarmUp ? "warm-up iteration " + std::to_string(warmup_calls_)
                                : "measured iteration " + std::to_string(measured_calls_);
}

void ResultCheck::add(Phase phase, Value result) {
  ++(phase == Phase::WarmUp ? warmup_calls_ : measured_calls_);
  if (!first_) {
    first_ = std::move(result);
    first_call_ = name_of_call(phase);
  } else if (!difference_) {
    if (auto diff = find_difference(*first_, result)) {
      difference_ = differs_message(n_, first_call_, name_of_call(phase), *diff);
    }
  }
}

bool is_verify_failure(const std::string& message) {
  std::size_t start = 0;
  if (message.rfind("process ", 0) == 0) {
    const std::size_t colon = message.find(": ");
    if (colon != std::string::npos) start = colon + 2;
  }
  return message.compare(start, std::char_traits<char>::length(kVerifyFailed), kVerifyFailed) == 0;
}

std::optional<WorkloadVerdict> ResultCheck::check(Engine& engine, bool has_verify) const {
  if (difference_) return WorkloadVerdict{RunStatus::Mismatch, *difference_};
  if (!has_verify || !first_) return std::nullopt;
  const Value ok = engine.call("verify", {*first_, n_});
  if (ok == Value(true)) return std::nullopt;
  return WorkloadVerdict{RunStatus::Mismatch, kVerifyFailed + n_.to_json() + ") returned " + returned_text(engine, ok) +
                                                  " for the first result; the result was " +
                                                  first_->to_json().substr(0, 200)};
}

}  // namespace polyhost
