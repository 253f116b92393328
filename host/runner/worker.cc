#include "host/runner/worker.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <vector>

#include "host/bridge/bridge.h"
#include "host/python/gil_hold.h"
#include "host/python/python_engine.h"
#include "host/runner/configs.h"
#include "host/runner/result_check.h"
#include "host/runner/memory_limit.h"
#include "host/runner/memory_probe.h"
#include "host/runner/subprocess.h"
#include "host/runner/worker_client.h"
#include "host/text/format.h"
#include "host/runner/watchdog.h"
#include "host/runner/workload_verdict.h"
#include "host/v8/v8_engine.h"
#include "host/workload.h"
#include "host/write_all.h"

namespace polyhost {
namespace {

// A worker runs one language, so only that runtime is started, with the configuration's flags;
// the other starts only if the workload calls it through the bridge (host/bridge).
class WorkerEngine {
 public:
  WorkerEngine(const Config& config, std::size_t max_heap_mb) : max_heap_mb_(max_heap_mb) {
    if (config.language == Language::JavaScript) {
      platform_.emplace(config.v8_flags);
      auto js = std::make_unique<V8Engine>(*platform_, max_heap_mb);
      js->detailed_stacks_when_timed(false);  // timed as node runs: the bridge turns it on if Python starts
      bridge_.attach(*js);
      js_ = js.get();
      engine_ = std::move(js);
    } else {
      interpreter_.emplace();
      auto python = std::make_unique<PythonEngine>(*interpreter_);
      if (max_heap_mb > 0) {
        limit_address_space(max_heap_mb);
        python->set_memory_capped(true);
      }
      bridge_.attach(*python);
      python_ = python.get();
      engine_ = std::move(python);
    }
  }
  Engine& operator*() { return *engine_; }

  // The engine's own view of what the script holds, in bytes (read between timed calls).
  struct Heap {
    double used = 0;
    std::optional<double> total;
  };
  Heap heap() const {
    if (js_) {
      const V8HeapMemory m = v8_heap_memory(*js_);
      return {static_cast<double>(m.script_bytes()), static_cast<double>(m.total_heap_bytes)};
    }
    GilHold gil;
    return {static_cast<double>(python_memory().allocated_bytes()), std::nullopt};
  }
  const char* heap_measure() const {
    return js_ ? "V8 used heap + external (v8::HeapStatistics)" : "pymalloc allocated blocks + malloc in use";
  }

 private:
  void start_other_js() {
    if (python_) {  // V8 reserves far more address space than it uses: no cap with it in the process
      lift_address_space_limit();
      python_->set_memory_capped(false);
    }
    platform_.emplace();
    auto js = std::make_unique<V8Engine>(*platform_, max_heap_mb_);
    bridge_.attach(*js);
    other_ = std::move(js);
  }
  void start_other_python() {
    interpreter_.emplace();
    auto python = std::make_unique<PythonEngine>(*interpreter_);
    bridge_.attach(*python);
    other_ = std::move(python);
  }

  std::size_t max_heap_mb_;
  V8Engine* js_ = nullptr;          // the worker's own engine, when it is JavaScript
  PythonEngine* python_ = nullptr;  // the worker's own engine, when it is Python
  std::optional<V8Platform> platform_;
  std::optional<PythonInterpreter> interpreter_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<Engine> other_;
  Bridge bridge_{[this] { start_other_js(); }, [this] { start_other_python(); }};
};

// An empty workload in the configuration's language, written to a private temporary folder.
class EmptyWorkload {
 public:
  explicit EmptyWorkload(Language language) {
    char pattern[] = "/tmp/polyhost-calibrate-XXXXXX";
    if (!mkdtemp(pattern)) throw std::runtime_error("cannot create a temporary folder for calibration");
    dir_ = pattern;
    file_ = dir_ / (language == Language::JavaScript ? "empty.js" : "empty.py");
    std::FILE* f = std::fopen(file_.c_str(), "w");
    if (!f) throw std::runtime_error("cannot write " + file_.string());
    std::fputs(language == Language::JavaScript ? "exports.sizes = {quick: 1, default: 1};\nexports.run = (n) => null;\n"
                                                : "SIZES = {'quick': 1, 'default': 1}\ndef run(n):\n    return None\n",
               f);
    std::fclose(f);
  }
  ~EmptyWorkload() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  const std::filesystem::path& file() const { return file_; }

 private:
  std::filesystem::path dir_, file_;
};

constexpr int kCalibrationWarmup = 2000;
constexpr int kCalibrationCalls = 10000;

// Reports one warm-up iteration to the host and reads its answer: true for "more". A host that is
// gone (end of file) means measure now.
bool ask_for_more(const WorkerRequest& request, double elapsed_ns) {
  const std::string line = "@iteration " + text::format_plain_number(elapsed_ns) + "\n";
  if (write_all(request.message_fd, line.data(), line.size()) != 0) return false;
  std::string answer;
  char c = 0;
  while (answer.size() < 64) {
    const ssize_t n = ::read(request.control_fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || c == '\n') break;
    answer += c;
  }
  return answer == "more";
}

// Which of the workload's steps is running, for the message of an error that comes from it.
class WorkloadStep {
 public:
  enum class Kind { Load, Setup, WarmUp, Measured, Verify };
  void enter(Kind kind, const Value& n, int iteration = 0) {
    kind_ = kind;
    n_ = n.to_json();
    iteration_ = iteration;
  }
  // "while loading", "in setup(10)", "in run(10), warm-up iteration 3", "in verify()".
  std::string describe() const {
    switch (kind_) {
      case Kind::Load: return "while loading";
      case Kind::Setup: return "in setup(" + n_ + ")";
      case Kind::WarmUp: return "in run(" + n_ + "), warm-up iteration " + std::to_string(iteration_);
      case Kind::Measured: return "in run(" + n_ + "), measured iteration " + std::to_string(iteration_);
      case Kind::Verify: return "in verify(result, " + n_ + ")";
    }
    return "";
  }

 private:
  Kind kind_ = Kind::Load;
  std::string n_;
  int iteration_ = 0;
};

void measure_workload(WorkerEngine& worker, const WorkerRequest& request, const WorkloadShape& shape, WorkerMessage& out,
                      WorkloadStep& step) {
  using Step = WorkloadStep::Kind;
  Engine& engine = *worker;
  const Value n(shape.sizes.at(request.size_name));
  out.size = shape.sizes.at(request.size_name);
  step.enter(Step::Setup, n);
  if (shape.has_setup) engine.call("setup", {n});
  // Memory is read between calls, never inside a timed one.
  MemoryReading& memory = out.memory;
  memory.heap_measure = worker.heap_measure();
  memory.rss_after_setup = static_cast<double>(process_memory().rss_bytes);
  const WorkerEngine::Heap after_setup = worker.heap();
  memory.heap_after_setup = after_setup.used;
  memory.heap_total_after_setup = after_setup.total;
  memory.heap_peak = after_setup.used;
  const auto note_heap = [&] { memory.heap_peak = std::max(*memory.heap_peak, worker.heap().used); };
  ResultCheck results(n);
  const auto warm_up_once = [&] {
    step.enter(Step::WarmUp, n, static_cast<int>(out.warmup_ns.size()) + 1);
    Engine::TimedResult r = engine.call_timed("run", {n});
    out.warmup_ns.push_back(static_cast<double>(r.elapsed_ns));
    note_heap();
    results.add(ResultCheck::Phase::WarmUp, std::move(r.value));
  };
  if (request.auto_warmup) {
    // The host decides when the series is steady: each iteration is reported and answered.
    do {
      warm_up_once();
    } while (!results.differs() && ask_for_more(request, out.warmup_ns.back()));
  } else {
    for (int i = 0; i < request.warmup && !results.differs(); ++i) warm_up_once();
  }
  // The measured calls run as the warm-up's did, nothing of the workload's in between; short
  // ones go on until they have lasted the minimum time, so that they span what comes round every
  // so many calls (a collection of the old generation) in proportion.
  const double min_measure_ns = request.min_measure_seconds * 1e9;
  double measured_ns = 0;
  for (int i = 0; !results.differs() && (i < request.iterations || (measured_ns < min_measure_ns && i < request.max_measured)); ++i) {
    step.enter(Step::Measured, n, i + 1);
    Engine::TimedResult r = engine.call_timed("run", {n});
    measured_ns += static_cast<double>(r.elapsed_ns);
    out.samples_ns.push_back(static_cast<double>(r.elapsed_ns));
    note_heap();
    results.add(ResultCheck::Phase::Measured, std::move(r.value));
  }
  step.enter(Step::Verify, n);
  auto mismatch = results.check(engine, shape.has_verify);
  out.result = results.take_first();
  if (mismatch) {
    out.status = mismatch->status;
    out.message = std::move(mismatch->message);
    return;
  }
  out.verified = shape.has_verify;
}

}  // namespace

WorkerMessage run_worker(const WorkerRequest& request) {
  WorkerMessage out;
  const Config* config = find_config(request.config);
  if (!config) {
    out.status = RunStatus::Invalid;
    out.message = "unknown configuration '" + request.config + "'";
    return out;
  }
  out.flags = config->v8_flags;
  auto fail = [&](RunStatus status, const std::string& message) {
    out.status = status;
    out.message = message;
  };
  WorkloadStep step;
  try {
    // Never torn down: the worker _exits right after its message, and tearing an interpreter down
    // can wait forever (Python's shutdown joins the threads a workload left running).
    static std::optional<WorkerEngine> kept_engine;
    kept_engine.emplace(*config, request.max_heap_mb);
    exit_without_teardown();  // after the static above: its destructor is registered first
    WorkerEngine& engine = *kept_engine;
    out.engine = (*engine).version();
    Watchdog watchdog(*engine, request.timeout_seconds);
    std::optional<EmptyWorkload> empty;
    std::string file = request.file;
    if (request.calibrate) {
      empty.emplace(config->language);
      file = empty->file().string();
    }
    (*engine).load_module(file);
    WorkloadShape shape = inspect_loaded_workload(*engine);
    out.sizes = shape.sizes;
    out.has_verify = shape.has_verify;
    if (request.inspect && !request.calibrate) return out;
    WorkerRequest effective = request;
    if (request.calibrate) {
      effective.size_name = "quick";
      effective.warmup = kCalibrationWarmup;
      effective.iterations = kCalibrationCalls;
      effective.min_measure_seconds = 0;
    }
    measure_workload(engine, effective, shape, out, step);
    out.memory.peak_rss = static_cast<double>(process_memory().peak_rss_bytes);
    if (request.calibrate) out.warmup_ns.clear();  // thousands of numbers nobody needs
  } catch (...) {
    const WorkloadVerdict verdict =
        workload_verdict(request.file, request.timeout_seconds, request.max_heap_mb, step.describe());
    fail(verdict.status, verdict.message);
  }
  return out;
}

int worker_main(const WorkerRequest& request, int result_fd) {
  end_with_parent();
  WorkerMessage message;
  try {
    message = run_worker(request);
  } catch (const std::exception& e) {
    message = WorkerMessage{};
    message.status = RunStatus::Error;
    message.message = with_address_space_cap_note(std::string("polyhost worker failed: ") + e.what(), ErrorFrom::Polyhost);
  }
  std::fflush(stdout);
  if (!write_message(result_fd, write_worker_message(message))) {
    std::perror("polyhost worker: writing the message");
    return 3;
  }
  // The message is out. Leave at once: a workload may have left threads behind (which Python's
  // shutdown would wait for) or a broken heap; nothing the worker still owns needs tidying.
  std::fflush(stderr);
  ::_exit(0);
}

}  // namespace polyhost
