// What is recorded about the machine and the build with every result (as pyperf's metadata).
#pragma once

#include <string>
#include <vector>

#include "host/model/environment.h"

namespace polyhost {

// The machine, the build and the engines polyhost embeds, as of now.
Environment collect_environment(const std::vector<std::string>& command_line);

// ARGV as one line a shell would split back into ARGV (arguments quoted where needed).
std::string command_line_text(const std::vector<std::string>& argv);

}  // namespace polyhost
