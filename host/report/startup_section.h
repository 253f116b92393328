// The start-up part of the HTML report, from a `polyhost startup --json` file: charts of the whole
// programs, the in-process steps, the further instances and the time to first result, then the
// numbers as tables. It reads the model only.
#pragma once

#include <ostream>
#include <string>

#include "host/model/startup.h"

namespace polyhost {

// NAME is the file's name, for the heading.
void write_startup_section(const std::string& name, const StartupReport& report, std::ostream& out);

}  // namespace polyhost
