// The environment as labelled facts ("CPU" -> "Golden CPU @ 2.00GHz, 2 cores"), the one list every
// writer prints (the Markdown of run and overhead, and the HTML report).
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "host/model/environment.h"

namespace polyhost {

struct EnvironmentFact {
  std::string label;  // "CPU", "OS", "V8", "CPython", "polyhost", "Started", "Command"
  std::string text;   // plain text; "unknown" for what was not recorded
  std::string code;   // a path or command shown in code style after the text; may be empty
};

std::vector<EnvironmentFact> environment_facts(const Environment& environment);

// The facts as a Markdown list, one "- **Label:** text (`code`)" line each.
void write_environment_markdown(const Environment& environment, std::ostream& out);

}  // namespace polyhost
