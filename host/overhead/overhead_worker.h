// The worker of `polyhost overhead`: one binding, every case, in a fresh process (V8 flags such as
// --turbo-fast-api-calls are process-wide, and each binding should start from the same state).
#pragma once

#include <string>

namespace polyhost {

// Measures BINDING and writes an OverheadWorkerMessage to RESULT_FD. Returns the exit status.
int overhead_worker_main(const std::string& binding, double target_ns, int repeats, int result_fd);

}  // namespace polyhost
