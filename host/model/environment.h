// What is recorded about the machine and the build with every measurement (as pyperf's metadata):
// the part every polyhost file shares. Its one JSON writer and reader are below.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "host/model/json_node.h"

namespace polyhost {

struct EngineVersion {
  std::string name;        // "V8", "CPython"
  std::string version;     // "10.2.154.26-node.37", "3.11.7"
  std::string executable;  // the standalone program of that build, when there is one
};

struct Environment {
  std::string polyhost_version;
  std::string git_commit;  // of the source tree polyhost was built from ("unknown" if not a checkout)
  std::vector<EngineVersion> engines;  // the engines polyhost embeds
  std::string cpu_model;
  int cpu_count = 0;
  std::string os;
  std::string command_line;
  std::string start_time;  // ISO 8601, UTC
  // The 1-minute load average when the command started (as pyperf records it): a busy machine's
  // figures are noisier. Absent when it could not be read (and in files written before it).
  std::optional<double> load_average;
  // A merged file's (polyhost merge): how many files it was merged from. Its start time is then the
  // earliest of theirs and its load average the largest; 0 for a command's own environment.
  int merged_files = 0;
};

// A note that the machine was busy when ENV was collected (its load average above half its cores),
// or "".
std::string busy_machine_note(const Environment& env);

// The fields above as the members of a JSON object, and back. Files written before the engines
// list existed name them as v8_version, python_version and python_executable: those are read too.
Json environment_to_json(const Environment& environment);
Environment environment_from_json(const JsonNode& node);

}  // namespace polyhost
