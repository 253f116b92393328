// What polyhost-spawn (host/startup/spawn_main.cc) reports about the one program it started and
// waited for: the message of that small helper to `polyhost startup`, with its one writer and one
// checked reader.
#pragma once

#include <cstdint>
#include <string>

namespace polyhost {

struct SpawnMeasurement {
  std::int64_t wall_ns = 0;             // from just before posix_spawn to wait4's return
  std::int64_t max_rss_kib = 0;         // the child's ru_maxrss from wait4
  std::int64_t spawner_max_rss_kib = 0;  // the helper's own peak when it started the child (VmHWM)
  int exit_status = -1;                 // when the child exited
  int signal = 0;                       // when a signal ended it
  std::string error;                    // why the child could not be started ("" when it was)
};

// The kernel records the starting process's peak resident size in the child's ru_maxrss at exec
// (see memory_probe.h), so a child's figure is its own only when it is above the helper's peak at
// that moment, which can be a little above what the helper read just before spawning (the spawn
// itself touches memory: /bin/true, 1 MiB on its own, came out 84 KiB above the helper's reading).
inline constexpr std::int64_t kSpawnerGrowthKib = 1024;
inline bool max_rss_is_the_childs(const SpawnMeasurement& m) {
  return m.max_rss_kib > m.spawner_max_rss_kib + kSpawnerGrowthKib;
}

std::string write_spawn_measurement(const SpawnMeasurement& measurement);
// Throws FileFormatError ("spawn measurement: wall_ns: missing").
SpawnMeasurement read_spawn_measurement(const std::string& text);

}  // namespace polyhost
