#include "host/cli/problem_line.h"

#include <cstdio>

#include "host/text/layout.h"

namespace polyhost {

void print_problem(const std::string& command, const std::string& message) {
  const std::string line = command + ": " + text::escape_controls(message) + "\n";
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace polyhost
