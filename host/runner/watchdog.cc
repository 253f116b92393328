#include "host/runner/watchdog.h"

#include <cstdio>

namespace polyhost {

Watchdog::Watchdog(Engine& engine, double seconds, int hard_exit_status, double grace)
    : stop_(seconds, [&engine] { engine.request_stop(); }) {
  if (seconds <= 0 || hard_exit_status <= 0) return;
  hard_exit_.emplace(seconds + grace, [seconds, grace, hard_exit_status] {
    char message[160];
    std::snprintf(message, sizeof message, "polyhost: the script did not stop within %g s of its --timeout (%g s); exiting",
                  grace, seconds);
    exit_without_waiting(hard_exit_status, message);
  });
}

bool Watchdog::finish() { return stop_.cancel(); }

}  // namespace polyhost
