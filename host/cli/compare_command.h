// `polyhost compare BASE.json NEW.json [--threshold PCT] [--markdown FILE]`.
#pragma once

#include "host/cli/command.h"

#include <string>

namespace polyhost {

struct CompareCommandOptions {
  std::string base_path, new_path, markdown;
  double threshold_percent = 5;
};

// 0: no significant slowdown beyond the threshold; 1: at least one; 2: a file cannot be read.
int compare_command(const CompareCommandOptions& options);

// Registers `compare` on APP.
Command add_compare_command(CLI::App& app);

}  // namespace polyhost
