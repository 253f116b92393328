// One lane of a scale worker: one thread (or one process of the processes mode) with its own
// engine, running the workload: setup(n), warm-up (until its own series is steady, or a fixed
// number of calls), then - when every lane is ready - the same
// measured run(n) calls as the others. A lane never throws for the workload's problems: they are
// its report's status and message, as in `polyhost run`.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>

#include "host/engine.h"
#include "host/model/scale_worker_message.h"

namespace polyhost {

struct LaneRequest {
  std::string file;
  std::string size_name;  // "quick" or "default"
  WarmupPolicy warmup;         // until steady (the lane's own SteadyStateWatch) or a fixed number of calls
  int known_warmup_point = 0;  // the engine's, for auto warm-up
  int thread = 1;   // this lane, 1-based
  int threads = 1;  // lanes in all
  double timeout_seconds = 0;  // for messages
  std::size_t max_heap_mb = 0;  // for messages
};

// How a lane meets the others once it is warm: it waits to learn how many measured calls every
// lane makes, or that it must not measure (STATUS and MESSAGE say why: another lane failed, or the
// time ran out). While it warms up, it asks between calls whether it has been told to stop already
// (another lane failed): a stopped lane makes no more calls.
struct LaneGo {
  int iterations = 0;
  RunStatus status = RunStatus::Ok;
  std::string message;
};
class LaneGate {
 public:
  virtual ~LaneGate() = default;
  virtual LaneGo ready(double warm_call_ns) = 0;
  // The stop, when one came before this lane was ready (without waiting).
  virtual std::optional<LaneGo> stopped_early() { return std::nullopt; }
};

// A lane's engine, as the lane needs it.
class LaneEngine {
 public:
  virtual ~LaneEngine() = default;
  virtual Engine& engine() = 0;
  // Runs FN with what the engine holds let go of, for waiting on the others: Python lanes let go
  // of the GIL (a thread waiting with it would keep every other thread from running Python).
  virtual void without_lock(const std::function<void()>& fn) { fn(); }
  // Tells the workload which lane it runs on: globalThis.polyhostLane = {thread, threads} in
  // JavaScript, the current thread's name "polyhost-thread-K" in Python.
  virtual void name_lane(int thread, int threads) = 0;
};

// The timeout for every lane of a process: at DEADLINE each engine still registered is asked to
// stop (V8: TerminateExecution of its isolate; Python: an interrupt raised in its thread), and an
// engine registered later is stopped at once. Call add and remove without holding the GIL: stopping
// a Python engine takes the GIL while holding this object's lock.
class LaneStops {
 public:
  explicit LaneStops(std::chrono::steady_clock::time_point deadline);
  ~LaneStops();  // cancels the deadline and waits for the stopping thread
  LaneStops(const LaneStops&) = delete;
  LaneStops& operator=(const LaneStops&) = delete;

  void add(Engine& engine);
  void remove(Engine& engine);

 private:
  std::mutex mutex_;
  std::condition_variable cancelled_;
  std::set<Engine*> engines_;
  bool done_ = false;
  bool fired_ = false;
  std::thread thread_;
};

// Runs the lane. Every measured result is compared with the first (untimed, after the measured
// calls), and verify(result, n) is called on it.
ScaleLaneReport run_lane(LaneEngine& lane, const LaneRequest& request, LaneGate& gate, LaneStops& stops);

}  // namespace polyhost
