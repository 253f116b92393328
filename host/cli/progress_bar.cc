#include "host/cli/progress_bar.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>

#include "host/text/layout.h"

namespace polyhost {

std::string format_clock(double seconds) {
  const long s = std::lround(std::max(0.0, seconds));
  char buffer[32];
  if (s < 60) {
    std::snprintf(buffer, sizeof buffer, "%lds", s);
  } else if (s < 3600) {
    std::snprintf(buffer, sizeof buffer, "%ldm%02lds", s / 60, s % 60);
  } else {
    std::snprintf(buffer, sizeof buffer, "%ldh%02ldm", s / 3600, (s % 3600) / 60);
  }
  return buffer;
}

ProgressBar::ProgressBar(bool variable_steps)
    : enabled_(::isatty(STDERR_FILENO)), variable_steps_(variable_steps), start_(std::chrono::steady_clock::now()) {}

ProgressBar::~ProgressBar() {
  if (enabled_) std::fprintf(stderr, "\r\033[K");
}

void ProgressBar::step(int done, int total, const std::string& what) {
  if (!enabled_ || total <= 0) return;
  constexpr int kWidth = 24;
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const int filled = kWidth * done / total;
  std::string bar(static_cast<std::size_t>(filled), '=');
  if (filled < kWidth) bar += '>';
  bar.resize(kWidth, ' ');
  std::string left = "estimating";
  if (done > 0) {
    left = (variable_steps_ ? "~" : "") + format_clock(elapsed / done * (total - done)) + " left";
    if (variable_steps_) left += " (warm-up lengths vary)";
  }
  std::fprintf(stderr, "\r\033[K[%s] %d/%d · %s · %s · %s", bar.c_str(), done + 1, total, format_clock(elapsed).c_str(),
               left.c_str(), text::first_line(text::escape_controls(what), 60).c_str());
  std::fflush(stderr);
}

}  // namespace polyhost
