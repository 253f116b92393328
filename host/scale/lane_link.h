// The pipes between the lanes of a scale worker and the one that coordinates them, the same for a
// lane on a thread and a lane in a process of its own. A lane writes "ready NS\n" when it is warm
// (NS: its typical warm call, the median of its last five warm-up calls) and learns "go N\n" (make N measured calls) or "stop STATUS WHY\n";
// then it writes its report (host/model/scale_worker_message.h) and closes its end. A "stop" can
// also come before the lane is ready (another lane failed): the lane looks for it between its
// warm-up calls and stops there.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "host/model/scale_worker_message.h"
#include "host/scale/lane.h"

namespace polyhost {

// A file descriptor, closed when this goes.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    reset(std::exchange(other.fd_, -1));
    return *this;
  }
  ~UniqueFd() { reset(); }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }
  void reset(int fd = -1);

 private:
  int fd_ = -1;
};

// The lane's end.
class LaneChannel final : public LaneGate {
 public:
  LaneChannel(UniqueFd to_coordinator, UniqueFd from_coordinator)
      : to_coordinator_(std::move(to_coordinator)), from_coordinator_(std::move(from_coordinator)) {}
  LaneGo ready(double warm_call_ns) override;
  std::optional<LaneGo> stopped_early() override;
  // Sends the report and closes the lane's end; the coordinator takes the close as "finished".
  void finish(const ScaleLaneReport& report);
  bool finished() const { return to_coordinator_.get() < 0; }
  // Both descriptors, for a forked lane process to keep while it closes everything else.
  std::vector<int> fds() const { return {to_coordinator_.get(), from_coordinator_.get()}; }

 private:
  UniqueFd to_coordinator_, from_coordinator_;
};

// The coordinator's end of one lane.
// How a lane's process ended once its pipe closed without a report: EXIT_STATUS when it exited
// (the workload ended it: os._exit, or exit() from native code), else TEXT says how ("its process
// died by SIGSEGV").
struct LaneEnd {
  std::optional<int> exit_status;
  std::string text;
};

struct LaneLink {
  UniqueFd from_lane, to_lane;
  std::function<void()> give_up;          // the lane did not finish in time (a process: kill it); may be empty
  std::function<LaneEnd()> how_it_ended;  // after the lane's end closed without a report; may be empty
};

// The pipes of one lane, both ends (close-on-exec).
std::pair<LaneChannel, LaneLink> make_lane_pipes();

struct CoordinatorSettings {
  int threads = 1;
  int min_iterations = 1;
  double min_time_s = 0;  // the measured calls should last about this long (judged by the warm-up)
  std::chrono::steady_clock::time_point deadline;  // the lanes' own timeout stops their engines then
  double grace_seconds = 2;  // how long after the deadline a lane may take to report
  double timeout_seconds = 0;  // for messages
  std::string file;            // the workload's file, for messages
};

// More measured calls per thread than this are not asked for, however short a call is.
inline constexpr int kMaxScaleIterations = 10000;

// Waits until every lane is ready, or one has ended without being ready (it failed); then tells
// the ready ones how many measured calls to make (the same for all: at least min_iterations, and
// enough for about min_time_s by the slowest lane's typical warm call), or not to measure: when a
// lane failed every other lane is told to stop at once, warming up or not, and when the deadline
// passed the ready ones are (the others are stopped by the timeout). Waits for every report until
// deadline + grace (a lane that has not reported by then is given up on: a timeout), and combines
// them: the verdict of the lane that failed first (the first to end) is the process's, every
// thread's result is compared with thread 1's, and the wall time runs from the first measured call
// of any lane to the last return.
ScaleWorkerMessage coordinate_lanes(std::vector<LaneLink>& lanes, const CoordinatorSettings& settings);

}  // namespace polyhost
