#include "host/runner/memory_limit.h"

#include <sys/resource.h>

#include <fstream>
#include <string>

namespace polyhost {

void limit_address_space(std::size_t max_heap_mb) {
  std::size_t current_kb = 0;
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmSize:", 0) == 0) current_kb = std::stoul(line.substr(7));
  }
  rlimit limit{};
  ::getrlimit(RLIMIT_AS, &limit);
  limit.rlim_cur = static_cast<rlim_t>(current_kb * 1024 + max_heap_mb * 1024 * 1024);
  if (limit.rlim_max != RLIM_INFINITY && limit.rlim_cur > limit.rlim_max) limit.rlim_cur = limit.rlim_max;
  ::setrlimit(RLIMIT_AS, &limit);
}

void lift_address_space_limit() {
  rlimit limit{};
  ::getrlimit(RLIMIT_AS, &limit);
  limit.rlim_cur = limit.rlim_max;
  ::setrlimit(RLIMIT_AS, &limit);
}

}  // namespace polyhost
