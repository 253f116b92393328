// Running a child process: its message arrives on a dedicated pipe (kMessageFd in the child), so a
// workload that prints to stdout cannot corrupt it; stdout is discarded and the tail of stderr kept.
#pragma once

#include <csignal>
#include <functional>
#include <string>
#include <vector>

namespace polyhost {

// The message pipe's number in the child.
inline constexpr int kMessageFd = 3;
// With a line handler, the child also gets a control pipe: it reads the host's replies here.
inline constexpr int kControlFd = 4;

// In the child: FD moved to a high number, closed on exec, so that the script it runs can neither
// close it by its usual number (os.close(3)) nor hand it to programs it starts. Returns the new
// number, or FD itself when it is not open (or cannot be moved).
int keep_from_the_script(int fd);

// A child may talk while it works: each line it writes to kMessageFd that starts with '@' goes to
// the handler, whose answer (a line, or nothing) is written to the child's kControlFd. The child's
// final message (JSON, which never starts with '@') is everything else.
using ProtocolHandler = std::function<std::string(const std::string& line)>;

struct ChildOutcome {
  int exit_status = -1;   // when it exited
  int signal = 0;         // when a signal killed it
  bool timed_out = false;  // killed by us after the timeout
  bool interrupted = false;  // killed by us because the run was interrupted (Ctrl-C, SIGTERM, SIGHUP)
  std::string message;     // everything written to kMessageFd
  std::string stderr_tail;  // the last 16 KiB of its stderr
  // Why the child could not be started (strerror of posix_spawn's or pipe2's error: "Permission
  // denied", "Resource temporarily unavailable" under a process limit), or "" when it ran.
  std::string start_error;
};

// Runs ARGV (argv[0] is the program path); kMessageFd in the child is the message pipe. Kills the child
// (SIGKILL) after TIMEOUT_SECONDS. A child that cannot be started is an outcome (start_error), not
// an exception: the caller's other work goes on.
ChildOutcome run_child(const std::vector<std::string>& argv, double timeout_seconds,
                       const ProtocolHandler& handler = nullptr);

// Set (from a signal handler: SIGINT, SIGTERM, SIGHUP) to make run_child kill its child and return
// at once.
void request_interrupt(int signal = SIGINT);
bool interrupt_requested();
// What interrupted the run, for messages: "Ctrl-C", "SIGTERM" or "SIGHUP".
std::string interrupt_cause();
// The exit status of an interrupted command, as a shell reports a process its signal ended:
// 128 + the signal (130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP).
int interrupt_exit_status();

// The path of the running polyhost binary (workers are started from it).
std::string self_executable();

// "SIGSEGV (segmentation fault)" and the like.
std::string describe_signal(int signal);

// For a worker: end this process (SIGKILL) when the process that started it dies, so a killed
// orchestrator leaves no worker spinning until its own timeout.
void end_with_parent();

// For a worker: an exit() this process did not plan (a workload's native code calling it) ends it
// at once with that status, stdio flushed, before the handlers and static destructors that would
// tear its engines down under their own running threads (a SIGSEGV or SIGTRAP, not the status).
// Exit handlers run last registered first: call it after the worker's own statics are made.
void exit_without_teardown();

// While alive, Ctrl-C, SIGTERM and SIGHUP only request_interrupt(): the command stops its workers
// and still reports what it has. On destruction the default dispositions are back.
class InterruptOnSignals {
 public:
  InterruptOnSignals();
  ~InterruptOnSignals();
  InterruptOnSignals(const InterruptOnSignals&) = delete;
  InterruptOnSignals& operator=(const InterruptOnSignals&) = delete;
};

}  // namespace polyhost
