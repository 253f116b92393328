// Small, self-contained SVG charts for the HTML report: every chart has a title, labelled axes
// with units, and a legend. Pure functions from numbers to markup.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace polyhost::svg {

struct Bar {
  std::string label;      // the row label (a configuration)
  double value_ns;        // the median
  double low_ns, high_ns;  // its 95% CI
  std::string color;
};

// Horizontal bars on a logarithmic time axis, so that a 60x gap and a 1.2x gap are both readable;
// whiskers show each bar's CI. SUBTITLE, when not empty, is a line under the title (the size).
std::string bar_chart(const std::string& title, const std::string& subtitle, const std::vector<Bar>& bars);

struct Series {
  std::string label;
  std::vector<double> ys_ns;                   // one point per iteration
  // 1-based: where the classification of the whole series (Barrett et al.) puts the steady state,
  // marked with a dashed line; where the auto warm-up's detector found it, a dotted one.
  std::optional<std::size_t> steady_iteration, detected_iteration;
  std::string color;
  bool failed = false;  // the run is not ok: drawn dotted and faded, so it is not read as a measurement
};

// Time per iteration against the iteration number, one line per series.
std::string line_chart(const std::string& title, const std::vector<Series>& series);

// Bars of any quantity (start-up time, resident memory) with their 95% CI as whiskers, on a linear
// axis from zero, or a logarithmic one when the bars span orders of magnitude. FORMAT writes a
// value for the ticks and the labels ("12.3 ms", "34.0 MiB").
struct ValueBar {
  std::string label;
  double value, low, high;  // the median and its 95% CI
  std::string color;
};
struct ValueAxis {
  std::string label;  // "time from spawn to exit (median, 95% CI)"
  std::string (*format)(double);
  bool log = false;
  bool binary = false;  // linear ticks at 1-2-5 steps of KiB, MiB or GiB rather than of powers of ten
};
std::string value_bar_chart(const std::string& title, const std::string& subtitle, const ValueAxis& axis,
                            const std::vector<ValueBar>& bars);
struct SpeedupPoint {
  int threads;
  double speedup, low, high;  // with its interval
  std::string hover;           // the speedup with its interval, as shown on hover; empty: "×S [L–H]"
};

struct SpeedupSeries {
  std::string label;  // a mode
  std::vector<SpeedupPoint> points;
  std::string color;
};

// Speedup against the number of threads, one line per series with CI whiskers; the ideal (speedup
// = threads) is a dashed diagonal, and with CORES below the largest thread count a dotted line
// marks where the machine runs out of cores.
std::string speedup_chart(const std::string& title, const std::string& subtitle, const std::vector<SpeedupSeries>& series,
                          const std::vector<int>& thread_counts, int cores);

// A stable colour for the I-th configuration.
std::string color_for(std::size_t index);

}  // namespace polyhost::svg
