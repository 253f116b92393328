// The two engines as lanes of a scale worker (see lane.h).
#pragma once

#include "host/python/python_engine.h"
#include "host/scale/lane.h"
#include "host/v8/v8_engine.h"

namespace polyhost {

// A V8 isolate of its own: nothing is shared with the other lanes, so nothing is let go of while
// waiting. (The isolate is created, entered and disposed of on its lane's thread only, which is why
// no v8::Locker is needed.)
class V8Lane final : public LaneEngine {
 public:
  explicit V8Lane(V8Engine& engine) : engine_(engine) {}
  Engine& engine() override { return engine_; }
  void name_lane(int thread, int threads) override;

 private:
  V8Engine& engine_;
};

// A Python engine on a thread that holds the GIL (of the main interpreter or of a sub-interpreter).
class PythonLane final : public LaneEngine {
 public:
  explicit PythonLane(PythonEngine& engine) : engine_(engine) {}
  Engine& engine() override { return engine_; }
  void without_lock(const std::function<void()>& fn) override;
  void name_lane(int thread, int threads) override;

 private:
  PythonEngine& engine_;
};

}  // namespace polyhost
