#include "host/runner/memory_limit.h"

#include <sys/resource.h>

#include <fstream>

namespace polyhost {
namespace {

// limit_address_space's MAX_HEAP_MB while its cap is in force, 0 otherwise.
std::size_t cap_in_force_mb = 0;

bool ends_with(const std::string& text, const std::string& end) {
  return text.size() >= end.size() && text.compare(text.size() - end.size(), end.size(), end) == 0;
}

// Failures to get address space as the engines and the C++ library word them: CPython's threading
// (a script's error: its whole headline ends so), and in polyhost's own errors strerror of EAGAIN
// (pthread_create) and ENOMEM (mmap), std::bad_alloc, and the prelude's MemoryError.
bool says_address_space_ran_out(const std::string& message, ErrorFrom from) {
  if (from == ErrorFrom::Script) return ends_with(message, "RuntimeError: can't start new thread");
  for (const char* sign : {"can't start new thread", "Resource temporarily unavailable", "Cannot allocate memory",
                           "std::bad_alloc", "MemoryError"}) {
    if (message.find(sign) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

void limit_address_space(std::size_t max_heap_mb, std::size_t lanes) {
  std::size_t current_kb = 0;
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmSize:", 0) == 0) current_kb = std::stoul(line.substr(7));
  }
  rlimit limit{};
  ::getrlimit(RLIMIT_AS, &limit);
  limit.rlim_cur = static_cast<rlim_t>(current_kb * 1024 + max_heap_mb * lanes * 1024 * 1024);
  if (limit.rlim_max != RLIM_INFINITY && limit.rlim_cur > limit.rlim_max) limit.rlim_cur = limit.rlim_max;
  if (::setrlimit(RLIMIT_AS, &limit) == 0) cap_in_force_mb = max_heap_mb;
}

void lift_address_space_limit() {
  rlimit limit{};
  ::getrlimit(RLIMIT_AS, &limit);
  limit.rlim_cur = limit.rlim_max;
  ::setrlimit(RLIMIT_AS, &limit);
  cap_in_force_mb = 0;
}

std::string with_address_space_cap_note(const std::string& message, ErrorFrom from) {
  if (cap_in_force_mb == 0 || !says_address_space_ran_out(message, from)) return message;
  return message + " (likely the --max-heap " + std::to_string(cap_in_force_mb) +
         " MB cap: for Python it caps the worker's address space, which every thread's stack (8 MiB each with the "
         "usual ulimit -s) and malloc arena count against, not only the heap; give a larger --max-heap)";
}

}  // namespace polyhost
