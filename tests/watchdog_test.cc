// The timer (Deadline) and the watchdog built on it. The watchdog asks the engine to stop once its
// deadline passes, never before, and says so even when the script returned just as the deadline
// passed (the stop request would otherwise be left pending for whatever the engine runs next).
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <thread>

#include "host/runner/deadline.h"
#include "host/runner/watchdog.h"

using namespace polyhost;

namespace {

// An engine that only counts stop requests; its "script" is whatever the test does meanwhile.
class StopCounter : public Engine {
 public:
  std::atomic<int> stops{0};
  Language language() const override { return Language::JavaScript; }
  std::string version() const override { return "stop counter"; }
  void run_program(const std::filesystem::path&, const std::vector<std::string>&) override {}
  void load_module(const std::filesystem::path&) override {}
  bool has_export(const std::string&) override { return false; }
  Value get_export(const std::string&) override { return Value(); }
  TimedResult call_timed(const std::string&, const std::vector<Value>&) override { return {Value(), 0}; }
  void request_stop() override { ++stops; }
};

void wait_for(const std::atomic<int>& count, int value) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (count < value && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

}  // namespace

TEST_CASE("a watchdog whose script ends in time never asks it to stop") {
  StopCounter engine;
  Watchdog watchdog(engine, 600);
  CHECK_FALSE(watchdog.finish());
  CHECK(engine.stops == 0);
}

TEST_CASE("a watchdog without a deadline does nothing") {
  StopCounter engine;
  Watchdog watchdog(engine, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK_FALSE(watchdog.finish());
  CHECK(engine.stops == 0);
}

TEST_CASE("a passed deadline asks once, and finish reports it though the script ignored the request") {
  StopCounter engine;
  Watchdog watchdog(engine, 0.01);
  wait_for(engine.stops, 1);  // the script keeps going, as one that returns just then would
  CHECK(engine.stops == 1);
  CHECK(watchdog.finish());
  CHECK(watchdog.finish());  // finishing twice is harmless and keeps the answer
  CHECK(engine.stops == 1);
}

TEST_CASE("a deadline cancelled before it passes never runs its action") {
  std::atomic<int> runs{0};
  Deadline deadline(600, [&runs] { ++runs; });
  CHECK_FALSE(deadline.cancel());
  CHECK(runs == 0);
}

TEST_CASE("a passed deadline runs its action once, and cancel says so") {
  std::atomic<int> runs{0};
  Deadline deadline(0.01, [&runs] { ++runs; });
  wait_for(runs, 1);
  CHECK(deadline.cancel());
  CHECK(deadline.cancel());
  CHECK(runs == 1);
}

TEST_CASE("a deadline of zero seconds never runs its action") {
  std::atomic<int> runs{0};
  Deadline deadline(0, [&runs] { ++runs; });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK_FALSE(deadline.cancel());
  CHECK(runs == 0);
}
