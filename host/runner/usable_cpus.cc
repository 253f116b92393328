#include "host/runner/usable_cpus.h"

#include <sched.h>

#include <cstdlib>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <thread>

namespace polyhost {
namespace {

std::string first_line_of(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// "0::/path" (cgroup v2) or "N:cpu,cpuacct:/path" (v1) from /proc/self/cgroup: the file saying
// this process's quota as cpu.max would, or "".
std::string own_cgroup_cpu_max() {
  std::ifstream in("/proc/self/cgroup");
  std::string line;
  while (std::getline(in, line)) {
    const auto first = line.find(':'), second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    const std::string controllers = line.substr(first + 1, second - first - 1), path = line.substr(second + 1);
    if (controllers.empty()) {
      const std::string v2 = first_line_of("/sys/fs/cgroup" + path + "/cpu.max");
      if (!v2.empty()) return v2;
      continue;
    }
    std::istringstream names(controllers);
    for (std::string name; std::getline(names, name, ',');) {
      if (name != "cpu") continue;
      const std::string dir = "/sys/fs/cgroup/" + controllers + path;
      const std::string quota = first_line_of(dir + "/cpu.cfs_quota_us"), period = first_line_of(dir + "/cpu.cfs_period_us");
      if (!quota.empty() && !period.empty()) return (quota == "-1" ? "max" : quota) + " " + period;
    }
  }
  return "";
}

}  // namespace

std::optional<int> cpus_of_cgroup_quota(const std::string& cpu_max) {
  std::istringstream in(cpu_max);
  std::string quota;
  double period = 0;
  if (!(in >> quota >> period) || quota == "max" || !(period > 0)) return std::nullopt;
  char* end = nullptr;
  const double microseconds = std::strtod(quota.c_str(), &end);
  if (*end != '\0' || !(microseconds > 0)) return std::nullopt;
  return std::max(1, static_cast<int>(std::ceil(microseconds / period)));
}

int usable_cpu_count() {
  int cpus = static_cast<int>(std::thread::hardware_concurrency());
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof set, &set) == 0) cpus = CPU_COUNT(&set);
  if (const auto quota = cpus_of_cgroup_quota(own_cgroup_cpu_max())) cpus = std::min(cpus, *quota);
  return std::max(1, cpus);
}

}  // namespace polyhost
