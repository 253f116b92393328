// Which program measures each binding of `polyhost overhead`: polyhost's own overhead-worker for
// the C++ floor, the embedded engines and the extensions built into polyhost, or another runtime
// running a worker script that writes the same message: bindings/overhead/node_worker.js under
// the system's node (pure JavaScript and the Node.js addons), bindings/overhead/pypy_worker.py
// under pypy3 (pure Python and cffi).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "host/overhead/catalogue.h"

namespace polyhost {

// The command that measures BINDING in a fresh process (its message on kMessageFd), or nothing with
// UNAVAILABLE saying why it cannot run here: its runtime is not installed, or this build left the
// extension out.
std::optional<std::vector<std::string>> overhead_worker_command(const BindingInfo& binding, const std::string& self,
                                                                double target_ns, int repeats, std::string& unavailable);

}  // namespace polyhost
