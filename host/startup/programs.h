// The whole programs `polyhost startup` times, as a user starts them (no shell), and the costs it
// shows apart as one program's time minus another's. Each program is started through
// polyhost-spawn (spawn_main.cc), which times it and reads its peak resident memory from wait4.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "host/model/spawn_measurement.h"
#include "host/model/startup.h"

namespace polyhost {

struct ProgramToTime {
  std::string name;               // "node -e 0"
  std::string description;        // exactly what runs: "/usr/bin/node (an executable)"
  std::vector<std::string> argv;  // argv[0] an absolute path; empty when skipped
  std::string skip_reason;        // "pypy3 is not on PATH"
};

// The programs, in the order shown: node, python3 through PATH, the interpreter itself with and
// without site, pypy3, polyhost --version, polyhost exec on an empty .js and .py file (written
// into SCRATCH, which must outlive the measurements).
std::vector<ProgramToTime> programs_to_time(const std::filesystem::path& scratch);

// The costs shown apart (the python3 launcher on PATH, site, each engine in polyhost exec), as
// rows naming two of the programs above; their estimates are left for the caller to fill in.
std::vector<StartupDifference> differences_to_show(const std::vector<ProgramToTime>& programs);

// The helper program, next to the polyhost binary; throws std::runtime_error when it is missing.
std::string spawn_helper();

// Runs ARGV once through HELPER. Throws std::runtime_error, with the reason and the end of the
// program's stderr, when it cannot be started, fails, or runs past TIMEOUT_SECONDS.
SpawnMeasurement time_program_once(const std::string& helper, const std::vector<std::string>& argv,
                                   double timeout_seconds);

}  // namespace polyhost
