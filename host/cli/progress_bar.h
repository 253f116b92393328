// A progress bar on stderr for long commands: "[=====>     ] 12/40 · 1m05s · ~2m10s left · what".
// The estimate is the mean time per step so far times the steps left; with warm-up by detection a
// step's length varies, so the bar says the estimate is a range. Nothing is drawn when stderr is
// not a terminal.
#pragma once

#include <chrono>
#include <string>

namespace polyhost {

class ProgressBar {
 public:
  // VARIABLE_STEPS: steps differ in length (auto warm-up), so the time left is only an estimate.
  explicit ProgressBar(bool variable_steps);
  ~ProgressBar();  // clears the line
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // Before step DONE (0-based) of TOTAL starts; WHAT is what it does.
  void step(int done, int total, const std::string& what);

 private:
  bool enabled_;
  bool variable_steps_;
  std::chrono::steady_clock::time_point start_;
};

// "45s", "2m05s", "1h02m".
std::string format_clock(double seconds);

}  // namespace polyhost
