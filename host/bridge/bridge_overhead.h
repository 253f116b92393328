// The js->py and py->js columns of `polyhost overhead`: the pure functions of one language
// (bindings/overhead/bench.py's Pure, bench.js's PURE) called from the other through the bridge,
// with the same calibrated loops as every other column, in a fresh worker process.
#pragma once

#include <string>
#include <vector>

#include "host/model/worker_message.h"

namespace polyhost {

// BINDING is "js->py" (bench.js's loops calling Python) or "py->js" (bench.py's loops calling
// JavaScript); V8 starts with V8_FLAGS (those of the pure-JavaScript column, so that the bridge's
// JavaScript is compiled as the baseline's is). Fills OUT's measurement, engine and flags.
void measure_bridge_overhead(const std::string& binding, const std::vector<std::string>& v8_flags, double target_ns, int repeats,
                             OverheadWorkerMessage& out);

}  // namespace polyhost
