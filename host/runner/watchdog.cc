#include "host/runner/watchdog.h"

#include <unistd.h>

#include <cstdio>

namespace polyhost {

Watchdog::Watchdog(Engine& engine, double seconds, int hard_exit_status, double grace) {
  if (seconds <= 0) return;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  thread_ = std::thread([this, &engine, deadline, hard_exit_status, grace, seconds] {
    std::unique_lock<std::mutex> lock(mutex_);
    if (cancelled_.wait_until(lock, deadline, [this] { return done_; })) return;
    fired_ = true;
    engine.request_stop();
    if (hard_exit_status <= 0) return;
    const auto last_chance = std::chrono::steady_clock::now() + std::chrono::duration<double>(grace);
    if (cancelled_.wait_until(lock, last_chance, [this] { return done_; })) return;
    std::fprintf(stderr, "polyhost: the script did not stop within %.0f s of its --timeout (%.0f s); exiting\n", grace,
                 seconds);
    std::fflush(stdout);
    ::_exit(hard_exit_status);
  });
}

Watchdog::~Watchdog() { finish(); }

bool Watchdog::finish() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    done_ = true;
  }
  cancelled_.notify_all();
  if (thread_.joinable()) thread_.join();
  return fired_;
}

}  // namespace polyhost
