// How many CPUs this process may use, which can be fewer than the machine has: its CPU affinity
// (taskset, a cpuset) and its cgroup's CPU quota (a container's --cpus) both limit it.
#pragma once

#include <optional>
#include <string>

namespace polyhost {

// The CPUs in this process's affinity mask, capped by its cgroup's quota rounded up; at least 1.
// Falls back to std::thread::hardware_concurrency() where the affinity cannot be read.
int usable_cpu_count();

// The CPUs a cgroup v2 cpu.max ("QUOTA PERIOD", or "max PERIOD" for no limit) allows, rounded up;
// nothing without a limit or for text that is not one.
std::optional<int> cpus_of_cgroup_quota(const std::string& cpu_max);

}  // namespace polyhost
