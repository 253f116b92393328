// The host's side of --warmup auto: it sees a worker's warm-up iterations one by one (the worker's
// '@iteration NS' lines, or a scale lane's calls) and answers "more" until the series is steady
// (stats/warmup.h steady_start), or a cap is reached, then "measure".
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "host/model/results.h"

namespace polyhost {

class SteadyStateWatch {
 public:
  SteadyStateWatch(const WarmupPolicy& policy, int known_warmup_point)
      : policy_(policy), known_point_(static_cast<std::size_t>(known_warmup_point)) {}

  // The answer to one line of the worker ("more\n" or "measure\n"); "" for a line it does not know.
  std::string answer(const std::string& line);
  // One warm-up iteration of NS, seen directly (a scale lane owns its watch): whether warm-up is
  // over, steady or capped.
  bool warmed_up_after(double ns);

  // Where the steady state starts (0-based) once "measure" was said, also when a cap came before the
  // stretch lasted the policy's minimum time; none when a cap ended the warm-up before any steady
  // stretch, and none before "measure" (a lane stopped while warming up has no steady state, whatever
  // its series looked like so far).
  std::optional<std::size_t> steady_from() const { return done_ ? steady_from_ : std::nullopt; }
  std::size_t iterations_seen() const { return series_.size(); }

 private:
  static constexpr std::size_t kEveryIteration = 200;  // the default cap: default runs check every iteration

  WarmupPolicy policy_;
  std::size_t known_point_;
  std::vector<double> series_;
  double seconds_ = 0;
  std::optional<std::size_t> steady_from_;
  bool done_ = false;
  std::size_t next_check_ = 0;
};

}  // namespace polyhost
