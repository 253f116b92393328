// Stops an engine's script when its time runs out: a thread that waits for the deadline and then
// calls Engine::request_stop (V8's TerminateExecution, or an interrupt raised in Python).
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "host/engine.h"

namespace polyhost {

class Watchdog {
 public:
  // SECONDS <= 0: no deadline, the watchdog does nothing. HARD_EXIT_STATUS > 0: if the script has
  // not stopped GRACE seconds after being asked, print why and end the process with that status
  // (for exec, where no orchestrator is there to kill it).
  Watchdog(Engine& engine, double seconds, int hard_exit_status = 0, double grace = 5);
  ~Watchdog();  // finish()
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  // Cancels the deadline and joins the thread; then says whether it fired. Only after this is the
  // answer final: a deadline that passes as the script returns still asks the engine to stop, and
  // that request would otherwise land on whatever the engine runs next.
  bool finish();

 private:
  std::mutex mutex_;
  std::condition_variable cancelled_;
  bool done_ = false;
  bool fired_ = false;
  std::thread thread_;
};

}  // namespace polyhost
