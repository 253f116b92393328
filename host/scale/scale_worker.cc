#include "host/scale/scale_worker.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <system_error>
#include <thread>

#include "host/python/python_engine.h"
#include "host/python/python_threads.h"
#include "host/runner/memory_limit.h"
#include "host/runner/subprocess.h"
#include "host/runner/worker_client.h"
#include "host/scale/engine_lanes.h"
#include "host/scale/lane_link.h"
#include "host/scale/scale_modes.h"
#include "host/v8/v8_engine.h"

namespace polyhost {
namespace {

using Clock = std::chrono::steady_clock;

Clock::time_point deadline_after(double seconds) {
  if (!(seconds > 0)) return Clock::time_point::max() - std::chrono::hours(24 * 365);
  return Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
}

LaneRequest lane_request(const ScaleWorkerRequest& request, int thread) {
  LaneRequest lane;
  lane.file = request.file;
  lane.size_name = request.size_name;
  lane.warmup = request.warmup;
  lane.known_warmup_point = known_warmup_point(*find_scale_mode(request.mode));
  lane.thread = thread;
  lane.threads = request.threads;
  lane.timeout_seconds = request.timeout_seconds;
  lane.max_heap_mb = request.max_heap_mb;
  return lane;
}

CoordinatorSettings coordinator_settings(const ScaleWorkerRequest& request, Clock::time_point deadline) {
  CoordinatorSettings settings;
  settings.threads = request.threads;
  settings.min_iterations = request.min_iterations;
  settings.min_time_s = request.min_time_s;
  settings.deadline = deadline;
  settings.grace_seconds = kLaneGraceSeconds;
  settings.timeout_seconds = request.timeout_seconds;
  settings.file = request.file;
  return settings;
}

// Runs BODY with a lane engine made on the calling thread, and tears it down afterwards.
using WithLaneEngine = std::function<void(const std::function<void(LaneEngine&)>& body)>;

// The lanes of the thread modes, and what their threads use. Kept until the process ends: a lane
// that does not stop is left running (its thread detached) while the worker reports and exits.
struct ThreadLanes {
  ThreadLanes(const ScaleWorkerRequest& request, Clock::time_point deadline, WithLaneEngine with_engine)
      : request(request), with_engine(std::move(with_engine)), stops(deadline),
        done(std::make_unique<std::atomic<bool>[]>(static_cast<std::size_t>(request.threads))) {}
  const ScaleWorkerRequest request;
  const WithLaneEngine with_engine;
  LaneStops stops;
  std::unique_ptr<std::atomic<bool>[]> done;
  std::vector<std::thread> threads;
};

// A lane that failed in polyhost's own code (its thread or engine could not be had): WHAT, with the
// --max-heap cap named when it is the likely cause.
ScaleLaneReport lane_error(const std::string& what) {
  ScaleLaneReport report;
  report.thread.status = RunStatus::Error;
  report.thread.message = with_address_space_cap_note(what, ErrorFrom::Polyhost);
  return report;
}

void run_thread_lane(ThreadLanes& lanes, int k, LaneChannel& channel) {
  const LaneRequest request = lane_request(lanes.request, k + 1);
  try {
    lanes.with_engine([&](LaneEngine& lane) { channel.finish(run_lane(lane, request, channel, lanes.stops)); });
  } catch (const std::exception& e) {
    if (!channel.finished()) channel.finish(lane_error(std::string("polyhost could not run this thread's engine: ") + e.what()));
  }
  lanes.done[k] = true;
}

ScaleWorkerMessage run_thread_lanes(const ScaleWorkerRequest& request, Clock::time_point deadline,
                                    WithLaneEngine with_engine) {
  static std::optional<ThreadLanes> kept;
  ThreadLanes& lanes = kept.emplace(request, deadline, std::move(with_engine));
  exit_without_teardown();  // after the statics: their destructors are registered first
  std::vector<LaneLink> links;
  for (int k = 0; k < request.threads; ++k) {
    auto [channel, link] = make_lane_pipes();
    links.push_back(std::move(link));
    lanes.done[k] = false;
    // Shared with the thread, so that this one still has it when the thread cannot be started.
    auto lane_channel = std::make_shared<LaneChannel>(std::move(channel));
    try {
      lanes.threads.emplace_back([&lanes, k, lane_channel] { run_thread_lane(lanes, k, *lane_channel); });
    } catch (const std::system_error& e) {  // no thread to spare (a small --max-heap): the lane fails, the others run
      lane_channel->finish(lane_error(std::string("polyhost could not start this thread: ") + e.what()));
      lanes.done[k] = true;
      lanes.threads.emplace_back();  // not joinable
    }
  }
  ScaleWorkerMessage message = coordinate_lanes(links, coordinator_settings(request, deadline));
  for (int k = 0; k < request.threads; ++k) {
    // A lane that reported may still be tearing its engine down (a sub-interpreter waits for the
    // threads its code started): only lanes that are done are waited for.
    if (lanes.done[k]) {
      if (lanes.threads[k].joinable()) lanes.threads[k].join();
    } else {
      lanes.threads[k].detach();
    }
  }
  return message;
}

constexpr int kNodeV8PoolSize = 4;

ScaleWorkerMessage run_v8_isolates(const ScaleWorkerRequest& request, Clock::time_point deadline) {
  static std::optional<V8Platform> platform;  // process-wide, shared by every isolate
  // Every isolate's background jobs (parallel and concurrent GC; no compilation: the mode's flags) share the
  // platform's pool, which V8 sizes at one fewer than the cores by default: one thread here for all
  // the isolates. Node.js gives its worker_threads a pool of 4 (--v8-pool-size), and so does this
  // mode, for a like-for-like comparison with node-workers.
  platform.emplace(find_scale_mode(request.mode)->v8_flags, kNodeV8PoolSize);
  const std::size_t max_heap_mb = request.max_heap_mb;
  return run_thread_lanes(request, deadline, [max_heap_mb](const auto& body) {
    V8Engine engine(*platform, max_heap_mb);
    engine.detailed_stacks_when_timed(false);  // timed as node's workers run: no detailed stack trace per throw
    V8Lane lane(engine);
    body(lane);
  });
}

// The interpreter, started by this (the main) thread, which then lets go of the GIL for the lanes.
// Kept until the process ends: finalizing would wait for the lanes' threads.
struct PythonHost {
  explicit PythonHost(const ScaleWorkerRequest& request) {
    interpreter.emplace();
    if (request.max_heap_mb > 0) limit_address_space(request.max_heap_mb, static_cast<std::size_t>(request.threads));
    primer.emplace(*interpreter);  // the lanes' engines share the prelude it loads
    released.emplace();
  }
  std::optional<PythonInterpreter> interpreter;
  std::optional<PythonEngine> primer;
  std::optional<GilReleased> released;
};

ScaleWorkerMessage run_python_threads(const ScaleWorkerRequest& request, Clock::time_point deadline, bool sub_interpreters) {
  static std::optional<PythonHost> host;
  host.emplace(request);
  const bool capped = request.max_heap_mb > 0;
  return run_thread_lanes(request, deadline, [capped, sub_interpreters](const auto& body) {
    GilHeld gil;
    std::optional<SubInterpreter> sub;
    if (sub_interpreters) sub.emplace();
    PythonEngine engine(*host->interpreter);
    engine.set_memory_capped(capped);
    PythonLane lane(engine);
    body(lane);
  });
}

// A lane of the processes mode, in a child of the worker: its own interpreter on its main thread.
[[noreturn]] void run_process_lane(const ScaleWorkerRequest& request, int thread, LaneChannel channel,
                                   Clock::time_point deadline) {
  end_with_parent();
  ScaleLaneReport report;
  try {
    static std::optional<PythonInterpreter> interpreter;  // never finalized: the lane _exits
    interpreter.emplace();
    if (request.max_heap_mb > 0) limit_address_space(request.max_heap_mb);
    static std::optional<PythonEngine> engine;
    engine.emplace(*interpreter);
    engine->set_memory_capped(request.max_heap_mb > 0);
    PythonLane lane(*engine);
    static std::optional<LaneStops> stops;
    stops.emplace(deadline);
    exit_without_teardown();  // after the statics: their destructors are registered first
    report = run_lane(lane, lane_request(request, thread), channel, *stops);
  } catch (const std::exception& e) {
    report = lane_error(std::string("polyhost could not run this process's engine: ") + e.what());
  }
  std::fflush(stdout);
  channel.finish(report);
  std::fflush(stderr);
  ::_exit(0);
}

// How a lane process ended, once its pipe closed without a report.
LaneEnd describe_end(pid_t pid) {
  int status = 0;
  for (int i = 0; i < 100; ++i) {
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) {
      if (WIFSIGNALED(status)) return {std::nullopt, "its process died by " + describe_signal(WTERMSIG(status))};
      return {WEXITSTATUS(status), ""};
    }
    ::usleep(10000);
  }
  return {std::nullopt, "its process closed its pipe and kept running"};
}

ScaleWorkerMessage run_python_processes(const ScaleWorkerRequest& request, Clock::time_point deadline, int result_fd) {
  std::vector<LaneLink> links;
  std::vector<pid_t> pids;
  for (int k = 0; k < request.threads; ++k) {
    auto [channel, link] = make_lane_pipes();
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("could not start lane " + std::to_string(k + 1) + "'s process: " + std::strerror(errno));
    if (pid == 0) {
      // The child keeps only its own lane's ends.
      for (auto& other : links) {
        other.from_lane.reset();
        other.to_lane.reset();
      }
      link.from_lane.reset();
      link.to_lane.reset();
      ::close(result_fd);
      run_process_lane(request, k + 1, std::move(channel), deadline);
    }
    link.give_up = [pid] { ::kill(pid, SIGKILL); };
    link.how_it_ended = [pid] { return describe_end(pid); };
    links.push_back(std::move(link));
    pids.push_back(pid);
  }
  ScaleWorkerMessage message = coordinate_lanes(links, coordinator_settings(request, deadline));
  for (pid_t pid : pids) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
    }
  }
  return message;
}

ScaleWorkerMessage run_scale_worker(const ScaleWorkerRequest& request, int result_fd) {
  const auto deadline = deadline_after(request.timeout_seconds);
  const ScaleMode* mode = find_scale_mode(request.mode);
  ScaleWorkerMessage message;
  if (!mode || mode->kind == LaneKind::Reference) {
    message.status = RunStatus::Invalid;
    message.message = "'" + request.mode + "' is not a mode polyhost's own scale worker runs";
    return message;
  }
  if (request.threads < 1) {
    message.status = RunStatus::Invalid;
    message.message = "a scale worker needs at least one thread";
    return message;
  }
  switch (mode->kind) {
    case LaneKind::Isolates: return run_v8_isolates(request, deadline);
    case LaneKind::Threads: return run_python_threads(request, deadline, false);
    case LaneKind::SubInterpreters: return run_python_threads(request, deadline, true);
    case LaneKind::Processes: return run_python_processes(request, deadline, result_fd);
    case LaneKind::Reference: break;
  }
  return message;
}

}  // namespace

int scale_worker_main(const ScaleWorkerRequest& request, int result_fd) {
  end_with_parent();
  // A lane given up on may still write to its pipe after the coordinator is done with it.
  ::signal(SIGPIPE, SIG_IGN);
  ScaleWorkerMessage message;
  try {
    message = run_scale_worker(request, result_fd);
  } catch (const std::exception& e) {
    message = ScaleWorkerMessage{};
    message.status = RunStatus::Error;
    message.message = with_address_space_cap_note(std::string("polyhost scale worker failed: ") + e.what(), ErrorFrom::Polyhost);
  }
  std::fflush(stdout);
  if (!write_message(result_fd, write_scale_worker_message(message))) {
    std::perror("polyhost scale-worker: writing the message");
    return 3;
  }
  // As the run worker: leave at once; lanes given up on, or threads a workload left, must not
  // keep the process alive, and nothing it owns needs tidying.
  std::fflush(stderr);
  ::_exit(0);
}

}  // namespace polyhost
