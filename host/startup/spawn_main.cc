// polyhost-spawn PROGRAM [ARGS...]: starts PROGRAM once (no shell), waits for it, and writes how
// long that took and the child's peak resident size (wait4's ru_maxrss) to fd 3 as a
// SpawnMeasurement. `polyhost startup` times whole programs through it because at exec the kernel
// copies the starting process's peak resident size into the child's ru_maxrss: started from
// polyhost itself (tens of MB), a 9 MB python3 would report polyhost's size. This helper links
// neither V8 nor CPython and stays a few MB, well under every program it measures, and it says
// its own peak so that the reader can tell when a child's figure is really the child's.
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

#include "host/model/spawn_measurement.h"
#include "host/write_all.h"

extern char** environ;

namespace {

constexpr int kMessageFd = 3;  // as host/runner/subprocess.h, which this helper does not link

std::int64_t now_ns() {
  timespec t{};
  ::clock_gettime(CLOCK_MONOTONIC, &t);
  return static_cast<std::int64_t>(t.tv_sec) * 1000000000 + t.tv_nsec;
}

// This process's VmHWM in KiB, 0 when /proc cannot tell.
std::int64_t own_peak_kib() {
  std::FILE* f = std::fopen("/proc/self/status", "re");
  if (!f) return 0;
  char line[256];
  std::int64_t kib = 0;
  while (std::fgets(line, sizeof line, f)) {
    if (std::strncmp(line, "VmHWM:", 6) == 0) kib = std::strtoll(line + 6, nullptr, 10);
  }
  std::fclose(f);
  return kib;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs("usage: polyhost-spawn PROGRAM [ARGS...] (the measurement goes to fd 3)\n", stderr);
    return 2;
  }
  polyhost::SpawnMeasurement m;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addclose(&actions, kMessageFd);  // the child must not write our message
  m.spawner_max_rss_kib = own_peak_kib();
  pid_t pid = -1;
  const std::int64_t start = now_ns();
  const int rc = ::posix_spawn(&pid, argv[1], &actions, nullptr, argv + 1, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    m.error = std::string("cannot start ") + argv[1] + ": " + std::strerror(rc);
  } else {
    int status = 0;
    rusage usage{};
    while (::wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
    }
    m.wall_ns = now_ns() - start;
    m.max_rss_kib = usage.ru_maxrss;
    if (WIFEXITED(status)) m.exit_status = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) m.signal = WTERMSIG(status);
  }
  const std::string text = polyhost::write_spawn_measurement(m);
  if (polyhost::write_all(kMessageFd, text.data(), text.size()) != 0) {
    std::perror("polyhost-spawn: writing the measurement");
    return 3;
  }
  return 0;
}
