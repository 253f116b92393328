// The floor of the overhead matrix: each case called directly from C++, through a function
// pointer the compiler cannot see through, measured with the same calibrated loops as the scripts.
#pragma once

#include <nlohmann/json.hpp>

namespace polyhost {

// {"cases": {name: {"n": loop length, "ns": [ns per call, one per repetition]}}, "errors": {}}
nlohmann::json measure_cpp_floor(double target_ns, int repeats);

}  // namespace polyhost
