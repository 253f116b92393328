#include "host/runner/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>

#include "host/write_all.h"

extern char** environ;

namespace polyhost {
namespace {

constexpr size_t kStderrTail = 16 * 1024;
// The signal that asked, 0 before any. Set from signal handlers: a lock-free atomic is safe there.
std::atomic<int> interrupt_signal{0};
static_assert(std::atomic<int>::is_always_lock_free);

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(other.release()) {}
  Fd& operator=(Fd&& other) noexcept {
    reset(other.release());
    return *this;
  }
  ~Fd() { reset(); }
  int get() const { return fd_; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

// 0, or the errno of a pipe2 that failed (no descriptor to spare: EMFILE, ENFILE).
int make_pipe(Fd& read_end, Fd& write_end) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return errno;
  read_end.reset(fds[0]);
  write_end.reset(fds[1]);
  return 0;
}

ChildOutcome not_started(int error) {
  ChildOutcome outcome;
  outcome.start_error = std::strerror(error);
  return outcome;
}

}  // namespace

std::string self_executable() {
  char path[4096];
  ssize_t n = ::readlink("/proc/self/exe", path, sizeof path - 1);
  if (n <= 0) throw std::runtime_error("cannot find polyhost's own executable (/proc/self/exe)");
  return std::string(path, static_cast<size_t>(n));
}

void request_interrupt(int signal) {
  int none = 0;
  interrupt_signal.compare_exchange_strong(none, signal);  // the first signal is the cause
}
bool interrupt_requested() { return interrupt_signal != 0; }
int interrupt_exit_status() {
  const int signal = interrupt_signal.load();
  return 128 + (signal != 0 ? signal : SIGINT);
}
std::string interrupt_cause() {
  switch (interrupt_signal.load()) {
    case SIGTERM: return "SIGTERM";
    case SIGHUP: return "SIGHUP";
    default: return "Ctrl-C";
  }
}

std::string describe_signal(int signal) {
  const char* abbrev = sigabbrev_np(signal);
  std::string out = abbrev ? std::string("SIG") + abbrev : "signal " + std::to_string(signal);
  if (const char* text = sigdescr_np(signal)) out += std::string(" (") + text + ")";
  return out;
}

int keep_from_the_script(int fd) {
  // Above what a script's own files take, within the descriptor limit (which may be under 200).
  rlimit limit{};
  int out_of_the_way = 200;
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur <= 216) {
    out_of_the_way = std::max(10, static_cast<int>(limit.rlim_cur) - 16);
  }
  if (::fcntl(fd, F_GETFD) < 0) return fd;
  const int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, out_of_the_way);
  if (moved < 0) return fd;
  ::close(fd);
  return moved;
}

ChildOutcome run_child(const std::vector<std::string>& argv, double timeout_seconds, const ProtocolHandler& handler) {
  Fd message_read, message_write, err_read, err_write, control_read, control_write;
  if (int error = make_pipe(message_read, message_write)) return not_started(error);
  if (int error = make_pipe(err_read, err_write)) return not_started(error);
  if (handler) {
    if (int error = make_pipe(control_read, control_write)) return not_started(error);
    ::signal(SIGPIPE, SIG_IGN);  // an answer to a child that died must fail, not end polyhost
  }

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, err_write.get(), STDERR_FILENO);
  posix_spawn_file_actions_adddup2(&actions, message_write.get(), kMessageFd);  // dup2 clears O_CLOEXEC
  if (handler) posix_spawn_file_actions_adddup2(&actions, control_read.get(), kControlFd);
  // The worker leads a process group of its own, so that whatever it starts can be killed with it.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  // ...and starts with default signal dispositions: run ignores SIGPIPE, which exec would pass on.
  sigset_t defaults;
  sigemptyset(&defaults);
  for (int signal : {SIGPIPE, SIGINT, SIGTERM, SIGHUP}) sigaddset(&defaults, signal);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&attributes, 0);

  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  const auto start = std::chrono::steady_clock::now();
  int rc = posix_spawn(&pid, argv[0].c_str(), &actions, &attributes, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (rc != 0) return not_started(rc);
  message_write.reset();
  err_write.reset();
  control_read.reset();
  ::fcntl(message_read.get(), F_SETFL, O_NONBLOCK);
  ::fcntl(err_read.get(), F_SETFL, O_NONBLOCK);

  ChildOutcome outcome;
  const auto deadline = start + std::chrono::duration<double>(timeout_seconds);
  char buffer[65536];
  // The complete '@' lines at the start of the message so far go to the handler; its answers to the
  // child. A child that stops reading its answers (it died) makes the write fail: that is its end.
  std::size_t protocol_end = 0;  // how much of outcome.message is protocol, already answered
  auto answer_protocol_lines = [&] {
    for (;;) {
      if (protocol_end >= outcome.message.size() || outcome.message[protocol_end] != '@') return;
      const std::size_t newline = outcome.message.find('\n', protocol_end);
      if (newline == std::string::npos) return;
      const std::string line = outcome.message.substr(protocol_end, newline - protocol_end);
      protocol_end = newline + 1;
      const std::string reply = handler(line);
      if (!reply.empty() && control_write.get() >= 0 &&
          write_all(control_write.get(), reply.data(), reply.size()) != 0) {
        control_write.reset();
      }
    }
  };
  // Reads what is there now; false once the pipe is closed.
  auto drain = [&](Fd& fd, bool is_message) {
    for (;;) {
      ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
      if (n > 0) {
        if (is_message) {
          outcome.message.append(buffer, static_cast<size_t>(n));
          if (handler) answer_protocol_lines();
        } else {
          outcome.stderr_tail.append(buffer, static_cast<size_t>(n));
          if (outcome.stderr_tail.size() > 2 * kStderrTail) {
            outcome.stderr_tail.erase(0, outcome.stderr_tail.size() - kStderrTail);
          }
        }
        continue;
      }
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) return true;
      fd.reset();  // end of file or error
      return false;
    }
  };
  int status = 0;
  bool exited = false;
  for (;;) {
    // The worker itself is what we wait for: a process it started may hold the pipes open.
    pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) {
      exited = true;
      if (message_read.get() >= 0) drain(message_read, true);
      if (err_read.get() >= 0) drain(err_read, false);
      break;
    }
    if (interrupt_signal.load() != 0) {
      outcome.interrupted = true;
      break;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      outcome.timed_out = true;
      break;
    }
    pollfd fds[2] = {{message_read.get(), POLLIN, 0}, {err_read.get(), POLLIN, 0}};
    int wait_ms = static_cast<int>(std::min<long long>(left.count(), 50));
    if (message_read.get() < 0 && err_read.get() < 0) {
      // Both pipes are closed, so the worker is almost always exiting: look again soon rather
      // than adding up to 50 ms to every worker (and list's many short ones).
      ::usleep(static_cast<useconds_t>(std::min(wait_ms, 2)) * 1000);
    } else if (::poll(fds, 2, wait_ms) > 0) {
      if (message_read.get() >= 0 && (fds[0].revents & (POLLIN | POLLHUP | POLLERR))) drain(message_read, true);
      if (err_read.get() >= 0 && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) drain(err_read, false);
    }
  }
  ::kill(-pid, SIGKILL);  // the worker (if still running) and everything it started
  if (!exited) {
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  if (outcome.stderr_tail.size() > kStderrTail) outcome.stderr_tail.erase(0, outcome.stderr_tail.size() - kStderrTail);
  outcome.message.erase(0, protocol_end);  // what is left is the final message
  if (WIFEXITED(status)) outcome.exit_status = WEXITSTATUS(status);
  if (WIFSIGNALED(status) && !outcome.timed_out && !outcome.interrupted) outcome.signal = WTERMSIG(status);
  return outcome;
}

void end_with_parent() {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() == 1) ::_exit(1);  // the parent died before the line above took effect
}

void exit_without_teardown() {
  // on_exit's handlers run in reverse order of registration: this one, registered in main(), before
  // the libraries' static destructors, registered as they were loaded.
  ::on_exit(
      [](int status, void*) {
        std::fflush(nullptr);
        ::_exit(status);
      },
      nullptr);
}

namespace {
constexpr int kInterruptSignals[] = {SIGINT, SIGTERM, SIGHUP};

void set_disposition(void (*handler)(int)) {
  struct sigaction action {};
  action.sa_handler = handler;
  sigemptyset(&action.sa_mask);
  for (int signal : kInterruptSignals) sigaddset(&action.sa_mask, signal);  // one handler at a time
  for (int signal : kInterruptSignals) ::sigaction(signal, &action, nullptr);
}
}  // namespace

InterruptOnSignals::InterruptOnSignals() { set_disposition([](int signal) { request_interrupt(signal); }); }
InterruptOnSignals::~InterruptOnSignals() { set_disposition(SIG_DFL); }

}  // namespace polyhost
