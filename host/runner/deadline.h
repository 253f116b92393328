// Runs an action on its own thread once a time has passed, unless cancelled first: the one timer
// behind Watchdog (stopping a script) and exec's bound on the end of the process.
#pragma once

#include <condition_variable>
#include <functional>
#include <string>
#include <mutex>
#include <thread>

namespace polyhost {

class Deadline {
 public:
  // SECONDS <= 0: no deadline, nothing runs.
  Deadline(double seconds, std::function<void()> action);
  ~Deadline();  // cancel()
  Deadline(const Deadline&) = delete;
  Deadline& operator=(const Deadline&) = delete;

  // Cancels the deadline and joins the thread (an action under way finishes first); then says
  // whether the action ran. Only after this is the answer final.
  bool cancel();

 private:
  std::mutex mutex_;
  std::condition_variable cancelled_;
  bool done_ = false;
  bool fired_ = false;
  std::thread thread_;
};

// For a deadline's last action: writes MESSAGE (a line, "polyhost: ...") to stderr and what stdout
// holds, each as far as it can be written at once, then ends the process with STATUS. Never waits:
// the script may be blocked writing to a full pipe, holding stdout's or stderr's lock, which is when
// a deadline has to end the process.
[[noreturn]] void exit_without_waiting(int status, const std::string& message);

}  // namespace polyhost
