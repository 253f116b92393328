#include "host/runner/orphans.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

namespace polyhost {
namespace {

struct ProcessIds {
  pid_t pid = 0, parent = 0, session = 0;
};

// PID's parent and session from /proc/PID/stat; false when it is gone. The fields after the
// command name, which may hold spaces and parentheses, are counted from its last ')'. (Read with
// one read(2): a scan reads every process's, after every worker.)
bool read_ids(pid_t pid, ProcessIds& ids) {
  const std::string path = "/proc/" + std::to_string(pid) + "/stat";
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char text[512];
  const ssize_t length = ::read(fd, text, sizeof text - 1);
  ::close(fd);
  if (length <= 0) return false;
  const std::string stat(text, static_cast<std::size_t>(length));
  const auto name_end = stat.rfind(')');
  if (name_end == std::string::npos) return false;
  char state = 0;
  int parent = 0, group = 0, session = 0;
  if (std::sscanf(stat.c_str() + name_end + 1, " %c %d %d %d", &state, &parent, &group, &session) != 4) return false;
  ids = {pid, parent, session};
  return true;
}

std::vector<ProcessIds> children_of(pid_t parent) {
  std::vector<ProcessIds> children;
  std::unique_ptr<DIR, int (*)(DIR*)> proc(::opendir("/proc"), ::closedir);
  if (!proc) return children;
  while (const dirent* entry = ::readdir(proc.get())) {
    char* end = nullptr;
    const long pid = std::strtol(entry->d_name, &end, 10);
    ProcessIds ids;
    if (*end == '\0' && pid > 0 && read_ids(static_cast<pid_t>(pid), ids) && ids.parent == parent) children.push_back(ids);
  }
  return children;
}

}  // namespace

void adopt_orphans() { ::prctl(PR_SET_CHILD_SUBREAPER, 1); }

void end_adopted_orphans(bool no_worker_running) {
  const pid_t self = ::getpid(), session = ::getsid(0);
  // Each round kills the orphans found; their own children then become ours, for the next round.
  for (;;) {
    std::vector<pid_t> orphans;
    for (const ProcessIds& child : children_of(self)) {
      if (no_worker_running || child.session != session) orphans.push_back(child.pid);
    }
    if (orphans.empty()) return;
    for (pid_t pid : orphans) ::kill(pid, SIGKILL);
    for (pid_t pid : orphans) {
      while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
      }
    }
  }
}

}  // namespace polyhost
