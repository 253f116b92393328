#include "host/runner/deadline.h"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <utility>

#include "host/helper_thread_signals.h"

namespace polyhost {

Deadline::Deadline(double seconds, std::function<void()> action) {
  if (seconds <= 0) return;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  HelperThreadSignals helper;
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

void exit_without_waiting(int status, const std::string& message) {
  // Both descriptors non-blocking for this moment (a full pipe: give up, not wait); their flags are
  // restored before the exit, as the descriptions may be shared (a terminal, a shell's pipe). Read
  // both first: stdout and stderr are often one description.
  const int out_flags = ::fcntl(STDOUT_FILENO, F_GETFL), err_flags = ::fcntl(STDERR_FILENO, F_GETFL);
  if (err_flags >= 0) ::fcntl(STDERR_FILENO, F_SETFL, err_flags | O_NONBLOCK);
  if (out_flags >= 0) ::fcntl(STDOUT_FILENO, F_SETFL, out_flags | O_NONBLOCK);
  if (::ftrylockfile(stdout) == 0) {  // the script's thread may hold it, blocked in a write
    ::fflush_unlocked(stdout);
    ::funlockfile(stdout);
  }
  const std::string line = message + "\n";
  [[maybe_unused]] const ssize_t written = ::write(STDERR_FILENO, line.data(), line.size());
  if (out_flags >= 0) ::fcntl(STDOUT_FILENO, F_SETFL, out_flags);
  if (err_flags >= 0) ::fcntl(STDERR_FILENO, F_SETFL, err_flags);
  ::_exit(status);
}

}  // namespace polyhost
