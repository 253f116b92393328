// Engines on threads other than the main one, as `polyhost scale` uses them: V8 isolates on two
// threads at once, each with its own globals, each stopped on its own; a Python engine on another
// thread, and one in a sub-interpreter, stopped by the asynchronous interrupt (signals reach only
// the main thread), and usable again afterwards.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <optional>
#include <thread>

#include "host/python/python_threads.h"
#include "tests/engines_fixture.h"

using namespace polyhost;
using polyhost::testing::TempDir;

namespace {

// What a thread's endless call ended with.
struct Stopped {
  std::atomic<bool> running{false};
  std::optional<EngineStop::Reason> reason;
  Value after;  // what the engine returned when called again after the stop
};

// Calls spin() (which never returns) on ENGINE, then ping(): records how the first call ended.
void spin_then_ping(Engine& engine, Stopped& out) {
  out.running = true;
  try {
    engine.call("spin", {});
  } catch (const EngineStop& e) {
    out.reason = e.reason;
  }
  out.after = engine.call("ping", {});
}

void wait_until_running(const std::vector<Stopped*>& all) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (Stopped* s : all) {
    while (!s->running && std::chrono::steady_clock::now() < give_up) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // well inside the endless loop
}

}  // namespace

TEST_CASE("V8 engines on two threads keep their own globals and stop one at a time", "[threads]") {
  TempDir dir;
  const auto file = dir.write("spin.js", "globalThis.count = (globalThis.count || 0) + 1;\n"
                                         "exports.spin = () => { for (;;) {} };\n"
                                         "exports.ping = () => globalThis.count;\n");
  std::optional<V8Engine> engines[2];
  Stopped stopped[2];
  std::thread threads[2];
  for (int k = 0; k < 2; ++k) {
    threads[k] = std::thread([&, k] {
      engines[k].emplace(polyhost::testing::v8_platform());
      engines[k]->load_module(file);
      spin_then_ping(*engines[k], stopped[k]);
      engines[k].reset();  // disposed of on the thread that made it
    });
  }
  wait_until_running({&stopped[0], &stopped[1]});
  engines[1]->request_stop();
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!stopped[1].reason && std::chrono::steady_clock::now() < give_up) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  CHECK(stopped[1].reason == EngineStop::Reason::Timeout);
  CHECK_FALSE(stopped[0].reason);  // the other isolate is still running its loop
  engines[0]->request_stop();
  for (auto& t : threads) t.join();
  CHECK(stopped[0].reason == EngineStop::Reason::Timeout);
  CHECK(stopped[0].after == Value(1));  // each isolate ran the module once: nothing is shared
  CHECK(stopped[1].after == Value(1));
}

TEST_CASE("a Python engine on another thread, or in a sub-interpreter, is stopped by an interrupt", "[threads]") {
  TempDir dir;
  const auto file = dir.write("spin.py", "def spin():\n    while True:\n        pass\n\ndef ping():\n    return 7\n");
  // The main thread's engine loads the prelude first, as the scale worker's does.
  const auto primer = polyhost::testing::make_engine(Language::Python);
  const bool sub_interpreter = GENERATE(false, true);
  std::optional<PythonEngine> engine;
  Stopped stopped;
  {
    GilReleased released;  // the main thread lets the other run Python
    std::thread thread([&] {
      GilHeld gil;
      std::optional<SubInterpreter> sub;
      if (sub_interpreter) sub.emplace();
      engine.emplace(polyhost::testing::python_interpreter());
      engine->load_module(file);
      spin_then_ping(*engine, stopped);
      engine.reset();
    });
    wait_until_running({&stopped});
    engine->request_stop();
    thread.join();
  }
  CHECK(stopped.reason == EngineStop::Reason::Timeout);
  CHECK(stopped.after == Value(7));
}
