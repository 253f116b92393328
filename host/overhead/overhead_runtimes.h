// Which program measures each binding of `polyhost overhead`: polyhost's own overhead-worker for
// the C++ floor, the embedded engines and the extensions built into polyhost, or another runtime
// running a worker script that writes the same JSON report: bindings/overhead/node_worker.js under
// the system's node (pure JavaScript and the Node.js addons), bindings/overhead/pypy_worker.py
// under pypy3 (pure Python and cffi).
#pragma once

#include <string>
#include <vector>

#include "host/overhead/overhead.h"
#include "host/runner/subprocess.h"

namespace polyhost {

// Runs the worker that measures BINDING in a fresh process (report on fd 3), as
// run_child(command, 300) does. When it cannot run here, because its runtime is not installed or
// this build left the extension out, nothing is started and the report says
// {"status": "ok", "unavailable": "<why>"}, so every cell of the column is unsupported with that reason.
ChildOutcome run_overhead_worker(const std::string& binding, const std::string& self, double target_ns, int repeats);

// One line per runtime the columns ran in, in column order:
// "node, node-api, node-addon-api, node-v8: Node.js v20.20.2 (V8 11.3.244.8-node.38, Node-API 9)".
std::vector<std::string> overhead_runtime_lines(const OverheadReport& report);

}  // namespace polyhost
