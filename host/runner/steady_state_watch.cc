#include "host/runner/steady_state_watch.h"

#include <cstdlib>

#include "host/stats/warmup.h"

namespace polyhost {

std::string SteadyStateWatch::answer(const std::string& line) {
  static const std::string kIteration = "@iteration ";
  if (line.rfind(kIteration, 0) != 0) return "";
  return warmed_up_after(std::strtod(line.c_str() + kIteration.size(), nullptr)) ? "measure\n" : "more\n";
}

bool SteadyStateWatch::warmed_up_after(double ns) {
  if (done_) return true;
  series_.push_back(ns);
  seconds_ += ns / 1e9;
  const bool capped = series_.size() >= static_cast<std::size_t>(policy_.max_iterations) || seconds_ >= policy_.max_seconds;
  // The detector segments the whole series (PELT), so checking after every one of thousands of
  // short calls (a time floor with calls of microseconds) would cost more than the calls: past
  // kEveryIteration iterations the series is checked each time it has grown by a sixteenth.
  if (!capped && series_.size() > kEveryIteration && series_.size() < next_check_) return false;
  next_check_ = series_.size() + series_.size() / 16;
  steady_from_ = warmup::steady_start(series_, known_point_, static_cast<std::size_t>(policy_.window));
  double steady_seconds = 0;
  if (steady_from_) {
    for (std::size_t i = *steady_from_; i < series_.size(); ++i) steady_seconds += series_[i] / 1e9;
  }
  // A cap reached with a steady stretch shorter than the floor still measures from its start.
  done_ = (steady_from_ && steady_seconds >= policy_.min_steady_seconds) || capped;
  return done_;
}

}  // namespace polyhost
