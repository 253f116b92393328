#include "host/scale/lane.h"

#include <algorithm>
#include <system_error>
#include <vector>

#include "host/runner/result_check.h"
#include "host/runner/steady_state_watch.h"
#include "host/runner/workload_verdict.h"
#include "host/stats/statistics.h"
#include "host/text/format.h"
#include "host/workload.h"

namespace polyhost {
namespace {

std::int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// The measured calls, then the checks: every result against the first (CHECKED holds the warm-up's),
// and verify() on the first.
void measure_lane(Engine& engine, const Value& n, int iterations, bool has_verify, ResultCheck& checked,
                  ScaleLaneReport& out) {
  std::vector<Value> results;
  results.reserve(static_cast<std::size_t>(iterations));
  out.thread.samples_ns.reserve(static_cast<std::size_t>(iterations));
  out.started_ns = steady_ns();
  for (int i = 0; i < iterations; ++i) {
    Engine::TimedResult r = engine.call_timed("run", {n});
    out.thread.samples_ns.push_back(static_cast<double>(r.elapsed_ns));
    results.push_back(std::move(r.value));
  }
  out.ended_ns = steady_ns();
  // Compared after the measured part, so that the comparisons do not count in its wall time.
  for (Value& result : results) checked.add(ResultCheck::Phase::Measured, std::move(result));
  auto mismatch = checked.check(engine, has_verify);
  out.result = checked.take_first();
  if (mismatch) {
    out.thread.status = mismatch->status;
    out.thread.message = std::move(mismatch->message);
    return;
  }
  out.verified = has_verify;
}

// What a warm call takes, for sizing the measured part: one slow call (a garbage collection) at the
// end of warm-up would otherwise cut the measurement short.
double typical_warm_call_ns(const std::vector<double>& warmup_ns) {
  if (warmup_ns.empty()) return 0;
  return stats::median({warmup_ns.end() - std::min<std::size_t>(warmup_ns.size(), 5), warmup_ns.end()});
}

// The warm-up calls; the stop, when the coordinator stopped this lane between two of them.
std::optional<LaneGo> warm_up(Engine& engine, const Value& n, const LaneRequest& request, ResultCheck& checked,
                              ScaleThread& thread, LaneGate& gate) {
  std::optional<LaneGo> stop;
  auto stopped = [&] {
    stop = gate.stopped_early();
    return stop.has_value();
  };
  auto call = [&] {
    Engine::TimedResult r = engine.call_timed("run", {n});
    thread.warmup_ns.push_back(static_cast<double>(r.elapsed_ns));
    checked.add(ResultCheck::Phase::WarmUp, std::move(r.value));
    return thread.warmup_ns.back();
  };
  if (!request.warmup.automatic) {
    for (int i = 0; i < request.warmup.fixed_iterations && !stopped(); ++i) call();
    return stop;
  }
  SteadyStateWatch watch(request.warmup, request.known_warmup_point);
  while (!stopped() && !watch.warmed_up_after(call())) {
  }
  if (!stop) thread.steady_from = watch.steady_from();
  return stop;
}

}  // namespace

LaneStops::LaneStops(std::chrono::steady_clock::time_point deadline) {
  thread_ = std::thread([this, deadline] {
    std::unique_lock<std::mutex> lock(mutex_);
    if (cancelled_.wait_until(lock, deadline, [this] { return done_; })) return;
    fired_ = true;
    // All at once, each from a thread of its own: in CPython 3.11 a thread waiting for the GIL asks
    // for it through its own interpreter only, which a busy thread of another sub-interpreter never
    // reads. Stopped one by one, the stop for an interpreter whose thread does not hold the GIL
    // would wait behind the one that does; waiting together, the holder's own is among them.
    std::vector<std::thread> requests;
    for (Engine* engine : engines_) {
      try {
        requests.emplace_back([engine] { engine->request_stop(); });
      } catch (const std::system_error&) {  // no thread to spare (a small --max-heap): from this one
        engine->request_stop();
      }
    }
    for (std::thread& request : requests) request.join();
  });
}

LaneStops::~LaneStops() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    done_ = true;
  }
  cancelled_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void LaneStops::add(Engine& engine) {
  std::lock_guard<std::mutex> lock(mutex_);
  engines_.insert(&engine);
  if (fired_) engine.request_stop();
}

void LaneStops::remove(Engine& engine) {
  std::lock_guard<std::mutex> lock(mutex_);
  engines_.erase(&engine);
}

ScaleLaneReport run_lane(LaneEngine& lane, const LaneRequest& request, LaneGate& gate, LaneStops& stops) {
  ScaleLaneReport out;
  Engine& engine = lane.engine();
  out.engine = engine.version();
  auto fail = [&](RunStatus status, const std::string& message) {
    out.thread.status = status;
    out.thread.message = message;
  };
  lane.without_lock([&] { stops.add(engine); });
  try {
    lane.name_lane(request.thread, request.threads);
    engine.load_module(request.file);
    const WorkloadShape shape = inspect_loaded_workload(engine);
    out.sizes = shape.sizes;
    out.has_verify = shape.has_verify;
    const auto size = shape.sizes.find(request.size_name);
    if (size == shape.sizes.end()) throw WorkloadError("the workload has no \"" + request.size_name + "\" size");
    out.size = size->second;
    const Value n(size->second);
    if (shape.has_setup) engine.call("setup", {n});
    ResultCheck checked(n);
    std::optional<LaneGo> stopped = warm_up(engine, n, request, checked, out.thread, gate);
    LaneGo go;
    if (stopped) {
      go = *stopped;
    } else {
      lane.without_lock([&] { go = gate.ready(typical_warm_call_ns(out.thread.warmup_ns)); });
    }
    if (go.status != RunStatus::Ok) {
      fail(go.status, go.message);
    } else {
      measure_lane(engine, n, go.iterations, shape.has_verify, checked, out);
    }
  } catch (...) {
    const WorkloadVerdict verdict = workload_verdict(request.file, request.timeout_seconds, request.max_heap_mb);
    fail(verdict.status, verdict.message);
  }
  lane.without_lock([&] { stops.remove(engine); });
  return out;
}

}  // namespace polyhost
