#include "host/runner/deadline.h"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <utility>

namespace polyhost {

Deadline::Deadline(double seconds, std::function<void()> action) {
  if (seconds <= 0) return;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  thread_ = std::thread([this, deadline, action = std::move(action)] {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      if (cancelled_.wait_until(lock, deadline, [this] { return done_; })) return;
      fired_ = true;
    }
    action();
  });
}

Deadline::~Deadline() { cancel(); }

bool Deadline::cancel() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    done_ = true;
  }
  cancelled_.notify_all();
  if (thread_.joinable()) thread_.join();
  return fired_;
}

void exit_without_waiting(int status) {
  if (::ftrylockfile(stdout) == 0) {
    const int flags = ::fcntl(STDOUT_FILENO, F_GETFL);
    if (flags >= 0) ::fcntl(STDOUT_FILENO, F_SETFL, flags | O_NONBLOCK);  // a full pipe: give up, not wait
    ::fflush_unlocked(stdout);
    if (flags >= 0) ::fcntl(STDOUT_FILENO, F_SETFL, flags);  // the description is shared (a terminal, a shell's pipe)
    ::funlockfile(stdout);
  }
  ::_exit(status);
}

}  // namespace polyhost
