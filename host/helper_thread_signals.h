// Threads that polyhost or V8 start as helpers take none of the signals a user sends (Ctrl-C,
// kill): those go to the engines' thread. CPython 3.11 on Linux notices a signal only if its
// handler ran on the main thread (elsewhere it notes the signal but never tells the interpreter
// to look), and every process that runs Python has Python's SIGINT handler.
#pragma once

#include <signal.h>

namespace polyhost {

// For its scope, this thread blocks those signals, so that the threads it starts are born
// blocking them; then its own mask is as it was.
class HelperThreadSignals {
 public:
  HelperThreadSignals() {
    sigset_t blocked;
    sigfillset(&blocked);
    // Faults are the faulting thread's own and must stay deliverable.
    for (int fault : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS, SIGABRT}) sigdelset(&blocked, fault);
    ::pthread_sigmask(SIG_BLOCK, &blocked, &saved_);
  }
  ~HelperThreadSignals() { ::pthread_sigmask(SIG_SETMASK, &saved_, nullptr); }
  HelperThreadSignals(const HelperThreadSignals&) = delete;
  HelperThreadSignals& operator=(const HelperThreadSignals&) = delete;

 private:
  sigset_t saved_;
};

}  // namespace polyhost
