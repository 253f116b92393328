// The one way polyhost starts a worker process and learns how it ended: run, list and overhead all
// use it. The worker writes its message (a model type, see host/model/worker_message.h) to
// kMessageFd; stdout is discarded and the tail of stderr kept (see subprocess.h).
#pragma once

#include <string>
#include <vector>

#include "host/model/results.h"
#include "host/runner/subprocess.h"

namespace polyhost {

// A worker stops its own script at its --timeout; this is how much longer one may take before it
// is killed (a script that ignores the stop, a stuck native call).
inline constexpr double kWorkerGraceSeconds = 5;

// How the message of a worker that could not be started begins; the system's reason follows.
inline constexpr const char* kWorkerNotStarted = "could not start the worker process: ";

struct WorkerOutcome {
  // Ok when the worker exited and left a message (whatever the message says); otherwise how it
  // ended: Interrupted (Ctrl-C, SIGTERM, SIGHUP), Timeout (killed after its deadline), OutOfMemory (node's own heap
  // abort), Crash (a signal, or an exit with a non-zero status without a message), or Error when
  // the workload ended the process itself (status 0 without a message: os._exit(0)) or it could not
  // be started at all ("could not start the worker process: Permission denied", and STARTED false).
  RunStatus status = RunStatus::Ok;
  bool started = true;
  std::string message;      // why, when not Ok: "the worker died by SIGSEGV (segmentation fault)"
  std::string text;         // the worker's message, to be read with its type's reader
  std::string stderr_tail;  // the last 16 KiB of its stderr
  int exit_status = -1;

  // The last LINES lines of stderr, "" when it is empty.
  std::string stderr_lines(int lines) const;
};

// Runs ARGV (the worker's own options included) and waits at most TIMEOUT_SECONDS +
// kWorkerGraceSeconds. TIMEOUT_TEXT is how the caller names the timeout in a message ("its
// --timeout of 10 s"). MAX_HEAP_MB is named when node reports its heap full. A worker that cannot
// be started is that worker's outcome (Error), so the caller measures the rest.
// HANDLER answers the worker's '@' lines while it runs (see subprocess.h).
WorkerOutcome run_worker_process(const std::vector<std::string>& argv, double timeout_seconds,
                                 const std::string& timeout_text, std::size_t max_heap_mb = 0,
                                 const ProtocolHandler& handler = nullptr);

// Writes all of TEXT to FD (retrying on EINTR and short writes), then closes FD. False on failure.
bool write_message(int fd, const std::string& text);

}  // namespace polyhost
