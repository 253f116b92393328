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
  steady_from_ = warmup::steady_start(series_, known_point_, static_cast<std::size_t>(policy_.window));
  double steady_seconds = 0;
  if (steady_from_) {
    for (std::size_t i = *steady_from_; i < series_.size(); ++i) steady_seconds += series_[i] / 1e9;
  }
  // A cap reached with a steady stretch shorter than the floor still measures from its start.
  done_ = (steady_from_ && steady_seconds >= policy_.min_steady_seconds) ||
          series_.size() >= static_cast<std::size_t>(policy_.max_iterations) || seconds_ >= policy_.max_seconds;
  return done_;
}

}  // namespace polyhost
