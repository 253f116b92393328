// The floor of the overhead matrix: each case called directly from C++, through a function
// pointer the compiler cannot see through, measured with the same calibrated loops as the scripts.
#pragma once

#include "host/model/worker_message.h"

namespace polyhost {

// ns per call of each case, one per repetition.
OverheadMeasurement measure_cpp_floor(double target_ns, int repeats);

}  // namespace polyhost
