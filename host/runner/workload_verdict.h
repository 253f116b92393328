// What a workload's exception means for its run, the same for `run`'s worker and `scale`'s lanes:
// a timeout or out-of-memory stop, a broken contract (invalid), unbounded recursion, an ordinary
// error, or an exit the workload asked for.
#pragma once

#include <cstddef>
#include <string>

#include "host/model/results.h"

namespace polyhost {

struct WorkloadVerdict {
  RunStatus status;
  std::string message;
};

// Call only inside a catch block: the verdict for the exception being handled, whose workload is
// FILE (TIMEOUT_SECONDS and MAX_HEAP_MB for the message). DURING, when given, ends the message's
// headline (its first line, before any stack) in brackets: which call of the workload's failed ("in run(10), warm-up iteration 3").
// An exception that is not the workload's (not one of the engines' errors, WorkloadError,
// ConversionError or ExitRequest) is thrown on.
WorkloadVerdict workload_verdict(const std::string& file, double timeout_seconds, std::size_t max_heap_mb,
                                 const std::string& during = "");

}  // namespace polyhost
