#include "host/runner/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>

extern char** environ;

namespace polyhost {
namespace {

constexpr size_t kStderrTail = 16 * 1024;
volatile sig_atomic_t interrupt_flag = 0;

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

void make_pipe(Fd& read_end, Fd& write_end) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  read_end.reset(fds[0]);
  write_end.reset(fds[1]);
}

}  // namespace

std::string self_executable() {
  char path[4096];
  ssize_t n = ::readlink("/proc/self/exe", path, sizeof path - 1);
  if (n <= 0) throw std::runtime_error("cannot find polyhost's own executable (/proc/self/exe)");
  return std::string(path, static_cast<size_t>(n));
}

void request_interrupt() { interrupt_flag = 1; }
bool interrupt_requested() { return interrupt_flag != 0; }

std::string describe_signal(int signal) {
  const char* abbrev = sigabbrev_np(signal);
  std::string out = abbrev ? std::string("SIG") + abbrev : "signal " + std::to_string(signal);
  if (const char* text = sigdescr_np(signal)) out += std::string(" (") + text + ")";
  return out;
}

ChildOutcome run_child(const std::vector<std::string>& argv, double timeout_seconds) {
  Fd report_read, report_write, err_read, err_write;
  make_pipe(report_read, report_write);
  make_pipe(err_read, err_write);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, err_write.get(), STDERR_FILENO);
  posix_spawn_file_actions_adddup2(&actions, report_write.get(), 3);  // dup2 clears O_CLOEXEC

  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  const auto start = std::chrono::steady_clock::now();
  int rc = posix_spawn(&pid, argv[0].c_str(), &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(rc));
  report_write.reset();
  err_write.reset();

  ChildOutcome outcome;
  const auto deadline = start + std::chrono::duration<double>(timeout_seconds);
  char buffer[65536];
  while (report_read.get() >= 0 || err_read.get() >= 0) {
    pollfd fds[2] = {{report_read.get(), POLLIN, 0}, {err_read.get(), POLLIN, 0}};
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (interrupt_flag) {
      outcome.interrupted = true;
      ::kill(pid, SIGKILL);
      break;
    }
    if (left.count() <= 0) {
      outcome.timed_out = true;
      ::kill(pid, SIGKILL);
      break;
    }
    int ready = ::poll(fds, 2, static_cast<int>(std::min<long long>(left.count(), 1000)));
    if (ready < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n <= 0) {
        (i == 0 ? report_read : err_read).reset();
        continue;
      }
      if (i == 0) {
        outcome.report.append(buffer, static_cast<size_t>(n));
      } else {
        outcome.stderr_tail.append(buffer, static_cast<size_t>(n));
        if (outcome.stderr_tail.size() > 2 * kStderrTail) outcome.stderr_tail.erase(0, outcome.stderr_tail.size() - kStderrTail);
      }
    }
  }
  if (outcome.stderr_tail.size() > kStderrTail) outcome.stderr_tail.erase(0, outcome.stderr_tail.size() - kStderrTail);
  // The pipes are closed, but the child may still hang (say, while shutting down): keep the deadline.
  int status = 0;
  for (;;) {
    pid_t done = ::waitpid(pid, &status, outcome.timed_out || outcome.interrupted ? 0 : WNOHANG);
    if (done == pid || (done < 0 && errno != EINTR)) break;
    if (done == 0 && (interrupt_flag || std::chrono::steady_clock::now() >= deadline)) {
      outcome.interrupted = interrupt_flag != 0;
      outcome.timed_out = !outcome.interrupted;
      ::kill(pid, SIGKILL);
    } else if (done == 0) {
      ::usleep(1000);
    }
  }
  outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (WIFEXITED(status)) outcome.exit_status = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) outcome.signal = WTERMSIG(status);
  return outcome;
}

}  // namespace polyhost
