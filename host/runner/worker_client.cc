#include "host/runner/worker_client.h"

#include <unistd.h>

#include <mutex>

#include "host/runner/orphans.h"
#include "host/text/format.h"
#include "host/write_all.h"

namespace polyhost {

namespace {

// ": Fatal Python error: ..." when the worker's stderr has CPython's last words (it exits or aborts
// on them, from any thread: a sub-interpreter that cannot start, say), else "". CPython follows the
// line with its runtime state, which a workload's own line of the same words would not.
std::string python_fatal_error(const std::string& stderr_tail) {
  const std::string words = "Fatal Python error: ", next = "\nPython runtime state: ";
  for (std::size_t start = stderr_tail.rfind(words); start != std::string::npos;
       start = start == 0 ? std::string::npos : stderr_tail.rfind(words, start - 1)) {
    const std::size_t end = stderr_tail.find('\n', start);
    const bool at_line_start = start == 0 || stderr_tail[start - 1] == '\n';
    if (at_line_start && end != std::string::npos && stderr_tail.compare(end, next.size(), next) == 0) {
      return ": " + stderr_tail.substr(start, end - start);
    }
  }
  return "";
}

// Counts the workers running (list runs several at once) while one is held. Whatever a worker
// left behind that polyhost adopted is ended as it ends: every adopted process in another session,
// and, when no other worker runs, every child (one that only left the worker's process group
// cannot be told from a running worker). Counting and ending hold one lock, so no worker starts
// while children are ended.
class RunningWorker {
 public:
  RunningWorker() {
    static std::once_flag adopting;
    std::call_once(adopting, adopt_orphans);
    const std::lock_guard<std::mutex> lock(mutex());
    ++running();
  }
  ~RunningWorker() {
    const std::lock_guard<std::mutex> lock(mutex());
    end_adopted_orphans(--running() == 0);
  }
  RunningWorker(const RunningWorker&) = delete;
  RunningWorker& operator=(const RunningWorker&) = delete;

 private:
  static std::mutex& mutex() {
    static std::mutex m;
    return m;
  }
  static int& running() {
    static int count = 0;
    return count;
  }
};

}  // namespace

std::string WorkerOutcome::stderr_lines(int lines) const {
  std::size_t pos = stderr_tail.size();
  while (pos > 0 && stderr_tail[pos - 1] == '\n') --pos;
  const std::size_t end = pos;
  for (int i = 0; i < lines && pos > 0; ++i) {
    pos = stderr_tail.rfind('\n', pos - 1);
    if (pos == std::string::npos) {
      pos = 0;
      break;
    }
  }
  std::string out = stderr_tail.substr(pos, end - pos);
  return out.empty() || out[0] != '\n' ? out : out.substr(1);
}

WorkerOutcome run_worker_process(const std::vector<std::string>& argv, double timeout_seconds,
                                 const std::string& timeout_text, std::size_t max_heap_mb,
                                 const ProtocolHandler& handler) {
  ChildOutcome child = [&] {
    const RunningWorker running;
    return run_child(argv, timeout_seconds + kWorkerGraceSeconds, handler);
  }();
  WorkerOutcome out;
  out.text = std::move(child.message);
  out.stderr_tail = std::move(child.stderr_tail);
  out.exit_status = child.exit_status;
  if (!child.start_error.empty()) {
    out.started = false;
    out.status = RunStatus::Error;
    out.message = kWorkerNotStarted + child.start_error;
  } else if (child.interrupted) {
    out.status = RunStatus::Interrupted;
    out.message = "interrupted (" + interrupt_cause() + ") while running";
  } else if (child.timed_out) {
    out.status = RunStatus::Timeout;
    out.message = "the worker was still running " + text::format_plain_number(kWorkerGraceSeconds) + " s after " +
                  timeout_text + " and was killed";
  } else if (child.signal != 0 && (out.stderr_tail.find("JavaScript heap out of memory") != std::string::npos ||
                                   out.stderr_tail.find("Reached heap limit") != std::string::npos)) {
    // node (a reference runtime) aborts when its heap is full rather than stopping the script.
    out.status = RunStatus::OutOfMemory;
    out.message = "the runtime aborted: JavaScript heap out of memory (--max-heap " + std::to_string(max_heap_mb) + " MB)";
  } else if (child.signal != 0) {
    out.status = RunStatus::Crash;
    out.message = "the worker died by " + describe_signal(child.signal) + python_fatal_error(out.stderr_tail);
  } else if (out.text.empty()) {
    // A worker exits 0 only after its report: the workload ended the process itself (an error of
    // the workload's, as process.exit is), or its report went somewhere else. Status 3 is the
    // worker's own: it could not write the report.
    out.status = child.exit_status == 0 ? RunStatus::Error : RunStatus::Crash;
    std::string cause;
    if (child.exit_status == 0) {
      cause = " (the workload ended the process itself, with os._exit or exit() from native code, or replaced the "
              "descriptor the worker reports on)";
    } else if (child.exit_status == 3 && out.stderr_tail.find("polyhost worker: writing the message") != std::string::npos) {
      cause = " (it could not write its report: did the workload close the descriptors it had not opened?)";
    }
    out.message = "the worker exited with status " + std::to_string(child.exit_status) + " without a report" + cause +
                  python_fatal_error(out.stderr_tail);
  }
  return out;
}

bool write_message(int fd, const std::string& text) {
  const bool written = write_all(fd, text.data(), text.size()) == 0;
  return ::close(fd) == 0 && written;
}

}  // namespace polyhost
