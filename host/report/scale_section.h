// The HTML report's part for a `polyhost scale` file: the notes (cores, the GIL), one speedup
// against threads chart per workload with the ideal line, the runs that are not ok, and the
// numbers as a table. Reads the model only.
#pragma once

#include <ostream>
#include <string>

#include "host/model/scale.h"

namespace polyhost {

void write_scale_section(const std::string& name, const ScaleReport& report, std::ostream& out);

}  // namespace polyhost
