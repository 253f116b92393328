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
#include <optional>
#include <set>
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

// The numbers in a /proc/self/task/TID/children file, or false when there is no such file.
bool read_child_list(const std::string& path, std::vector<pid_t>& pids) {
  std::FILE* file = std::fopen(path.c_str(), "re");
  if (!file) return false;
  long pid = 0;
  while (std::fscanf(file, "%ld", &pid) == 1) pids.push_back(static_cast<pid_t>(pid));
  std::fclose(file);
  return true;
}

// This process's children, from the lists each of its threads keeps (an adopted orphan is the
// child of one of them); nothing when the kernel keeps no such lists (CONFIG_PROC_CHILDREN).
std::optional<std::vector<pid_t>> listed_children() {
  std::unique_ptr<DIR, int (*)(DIR*)> tasks(::opendir("/proc/self/task"), ::closedir);
  if (!tasks) return std::nullopt;
  std::vector<pid_t> pids;
  while (const dirent* entry = ::readdir(tasks.get())) {
    if (entry->d_name[0] == '.') continue;
    if (!read_child_list(std::string("/proc/self/task/") + entry->d_name + "/children", pids)) return std::nullopt;
  }
  return pids;
}

std::vector<ProcessIds> children_of(pid_t parent) {
  std::vector<ProcessIds> children;
  if (parent == ::getpid()) {
    if (auto listed = listed_children()) {
      for (pid_t pid : *listed) {
        ProcessIds ids;
        if (read_ids(pid, ids) && ids.parent == parent) children.push_back(ids);
      }
      return children;
    }
  }
  // Else every process's parent is read: a scan of /proc.
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

// Children polyhost had before it adopted anything: not a workload's. (A shell that runs
// `job & exec polyhost ...` leaves its job to polyhost as a child.)
std::set<pid_t>& children_before_adopting() {
  static std::set<pid_t> pids;
  return pids;
}

}  // namespace

void adopt_orphans() {
  for (const ProcessIds& child : children_of(::getpid())) children_before_adopting().insert(child.pid);
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
}

void end_adopted_orphans(bool no_worker_running) {
  const pid_t self = ::getpid(), session = ::getsid(0);
  const std::set<pid_t>& spared = children_before_adopting();
  // Each round kills the orphans found; their own children then become ours, for the next round.
  for (;;) {
    std::vector<pid_t> orphans;
    for (const ProcessIds& child : children_of(self)) {
      if (spared.count(child.pid)) continue;
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
