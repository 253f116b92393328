#include "host/runner/watchdog.h"

#include <cstdio>

namespace polyhost {

Watchdog::Watchdog(Engine& engine, double seconds, int hard_exit_status, double grace)
    : stop_(seconds, [&engine] { engine.request_stop(); }) {
  if (seconds <= 0 || hard_exit_status <= 0) return;
  hard_exit_.emplace(seconds + grace, [seconds, grace, hard_exit_status] {
    std::fprintf(stderr, "polyhost: the script did not stop within %g s of its --timeout (%g s); exiting\n", grace,
                 seconds);
    exit_without_waiting(hard_exit_status);
  });
}

bool Watchdog::finish() {
  const bool fired = stop_.cancel();
  if (hard_exit_) hard_exit_->cancel();
  return fired;
}

}  // namespace polyhost
