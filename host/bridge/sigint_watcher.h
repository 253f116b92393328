// Ctrl-C for JavaScript in a process where Python runs too. Importing Python's `signal` module
// (polyhost's prelude does; CPython 3.11 then installs its SIGINT handler whatever PyConfig says)
// makes SIGINT only note the signal for Python's next bytecode, which never comes while
// JavaScript loops. Python's handler also writes the signal's number to Python's wakeup file
// descriptor: a thread reading it asks V8 to interrupt JavaScript, which then runs Python's
// handlers (run_python_signal_handlers_in_js), so that a KeyboardInterrupt stops JavaScript too.
// A script that sets its own wakeup descriptor (signal.set_wakeup_fd) or that ignores SIGINT
// takes Ctrl-C out of this.
#pragma once

#include <v8.h>

#include <thread>

namespace polyhost {

class Bridge;

class SigintWatcher {
 public:
  // With the GIL, on the engines' thread, which must be the main thread of the main interpreter
  // (where Python runs signal handlers), with both engines attached to BRIDGE.
  explicit SigintWatcher(Bridge& bridge);
  ~SigintWatcher();  // with the GIL, before the engines are detached
  SigintWatcher(const SigintWatcher&) = delete;
  SigintWatcher& operator=(const SigintWatcher&) = delete;

 private:
  void watch();
  static void on_interrupt(v8::Isolate* isolate, void* data);

  v8::Isolate* isolate_;
  int read_fd_ = -1, write_fd_ = -1;
  std::thread thread_;
};

}  // namespace polyhost
