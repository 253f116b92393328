// Stops an engine's script when its time runs out: at the deadline it calls Engine::request_stop
// (V8's TerminateExecution, or an interrupt raised in Python).
#pragma once

#include <optional>

#include "host/engine.h"
#include "host/runner/deadline.h"

namespace polyhost {

class Watchdog {
 public:
  // SECONDS <= 0: no deadline, the watchdog does nothing. HARD_EXIT_STATUS > 0: if the script has
  // not stopped GRACE seconds after being asked, print why and end the process with that status
  // (for exec, where no orchestrator is there to kill it).
  Watchdog(Engine& engine, double seconds, int hard_exit_status = 0, double grace = 5);
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  // Cancels the deadline; then says whether it fired. Only after this is the answer final: a
  // deadline that passes as the script returns still asks the engine to stop, and that request
  // would otherwise land on whatever the engine runs next. The hard exit stays armed until the
  // watchdog is destroyed, so it also bounds what the caller then prints.
  bool finish();

 private:
  std::optional<Deadline> hard_exit_;  // destroyed after stop_: cancelled last
  Deadline stop_;
};

}  // namespace polyhost
