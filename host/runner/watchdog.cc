#include "host/runner/watchdog.h"

namespace polyhost {

Watchdog::Watchdog(Engine& engine, double seconds) {
  if (seconds <= 0) return;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  thread_ = std::thread([this, &engine, deadline] {
    std::unique_lock<std::mutex> lock(mutex_);
    if (cancelled_.wait_until(lock, deadline, [this] { return done_; })) return;
    fired_ = true;
    engine.request_stop();
  });
}

Watchdog::~Watchdog() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    done_ = true;
  }
  cancelled_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool Watchdog::fired() const {
  std::lock_guard<std::mutex> lock(const_cast<std::mutex&>(mutex_));
  return fired_;
}

}  // namespace polyhost
