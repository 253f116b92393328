// Process-wide V8 initialization: flags, platform, V8::Initialize, and disposal at the end.
// Create exactly one, before any V8Engine, and keep it alive longer than every engine.
#pragma once

#include <atomic>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace v8 {
class Platform;
}

namespace polyhost {

// A flag V8 does not recognise or whose value it refuses, or one that would override polyhost's
// own heap limit: a usage error, not something to warn about and ignore.
class BadV8Flag : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

class V8Platform {
 public:
  // FLAGS are V8 command-line flags ("--jitless", "--no-opt", ...). They are process-wide and
  // must be set before initialization, which is why they are only accepted here. Throws
  // BadV8Flag for a flag V8 does not know. WORKER_THREADS sizes the platform's pool of
  // background threads (concurrent compilation, parallel and concurrent GC), shared by every isolate
  // of the process; 0 is V8's default, one fewer than the cores (here 1).
  explicit V8Platform(const std::vector<std::string>& flags = {}, int worker_threads = 0);
  ~V8Platform();
  V8Platform(const V8Platform&) = delete;
  V8Platform& operator=(const V8Platform&) = delete;

  v8::Platform* get() const { return platform_.get(); }
  const std::vector<std::string>& flags() const { return flags_; }
  static std::string version();  // the library's version, e.g. "10.2.154.26-node.37"

 private:
  std::vector<std::string> flags_;
  std::unique_ptr<v8::Platform> platform_;
};

namespace detail {
extern std::atomic<bool> v8_lost_by_fork;  // set by V8Platform's pthread_atfork handler
}  // namespace detail

// Whether this process is a child that fork() made after V8 was initialized: V8's heap and threads
// stay with the parent (the child crashed with SIGSEGV at its first touch of an isolate), so nothing
// may use V8 here, nor tear it down. Set by a pthread_atfork handler; one flag's load, inline: it is
// read on every crossing and every conversion into JavaScript.
inline bool v8_lost_by_fork() { return detail::v8_lost_by_fork.load(std::memory_order_relaxed); }

}  // namespace polyhost
