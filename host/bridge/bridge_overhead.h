// The js->py and py->js columns of `polyhost overhead`: the pure functions of one language
// (bindings/overhead/bench.py's Pure, bench.js's PURE) called from the other through the bridge,
// with the same calibrated loops as every other column, in a fresh worker process.
#pragma once

#include <string>

#include "host/model/worker_message.h"

namespace polyhost {

// BINDING is "js->py" (bench.js's loops calling Python) or "py->js" (bench.py's loops calling
// JavaScript). Fills OUT's measurement and engine.
void measure_bridge_overhead(const std::string& binding, double target_ns, int repeats, OverheadWorkerMessage& out);

}  // namespace polyhost
