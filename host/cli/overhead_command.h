// `polyhost overhead`.
#pragma once

#include <string>
#include <vector>

namespace polyhost {

struct OverheadCommandOptions {
  bool quick = false;
  std::string json, markdown;
  std::vector<std::string> command_line;
};

int overhead_command(const OverheadCommandOptions& options);

}  // namespace polyhost
