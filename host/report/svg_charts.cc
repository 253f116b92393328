#include "host/report/svg_charts.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "host/text/format.h"
#include "host/text/html.h"
#include "host/text/layout.h"

namespace polyhost::svg {
namespace {

using text::html_escape;

constexpr int kWidth = 640;
constexpr int kLeft = 120, kRight = 40, kTop = 34, kBarHeight = 22, kGap = 6, kAxis = 40;
constexpr int kValueRoom = 64;  // right of a bar chart's axis, for the value of a bar that reaches its end

std::string num(double v) { return text::format_fixed(v, 1); }

std::string svg_text(double x, double y, const std::string& content, const std::string& anchor = "start",
                     const std::string& extra = "") {
  return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" text-anchor=\"" + anchor + "\"" + extra + ">" +
         html_escape(content) + "</text>";
}

// Tick values for a linear axis from 0 to MAX: 1, 2 or 5 times a power of ten apart.
std::vector<double> linear_ticks(double max) {
  if (!(max > 0)) return {0};
  double raw = max / 5;
  double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = magnitude;
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (m * magnitude >= raw) {
      step = m * magnitude;
      break;
    }
  }
  std::vector<double> out;  // up to the first tick at or above MAX, so every point is inside
  for (double v = 0;; v += step) {
    out.push_back(v);
    if (v >= max) break;
  }
  return out;
}

// 1-2-5 values (1, 2 or 5 times a power of ten): the largest at or below V, the smallest at or above.
double nice_floor(double v) {
  const double power = std::pow(10.0, std::floor(std::log10(v)));
  for (double m : {5.0, 2.0}) {
    if (m * power <= v * (1 + 1e-9)) return m * power;
  }
  return power;
}
double nice_ceil(double v) {
  const double power = std::pow(10.0, std::floor(std::log10(v)));
  for (double m : {1.0, 2.0, 5.0}) {
    if (m * power >= v * (1 - 1e-9)) return m * power;
  }
  return 10 * power;
}

// A 1-2-5 tick value as a label: "1 ns", "20 µs", "500 ms", "2 s".
std::string tick_label(double ns) {
  static const char* units[] = {"ns", "\u00b5s", "ms", "s"};
  const int unit = std::clamp(static_cast<int>(std::floor(std::log10(ns) + 1e-9)) / 3, 0, 3);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g %s", ns / std::pow(1000.0, unit), units[unit]);
  return buffer;
}

// The log axis of a bar chart, from a 1-2-5 value below the smallest bar to one at or above the
// largest whisker. Bars start at the axis, so it starts well below the smallest value: that bar
// gets at least kMinBarShare of the width (starting at the decade below made 110 µs next to
// 100 µs a sliver).
struct LogAxis {
  double low, high;
  std::vector<double> ticks;
};

LogAxis log_axis(double smallest, double largest) {
  constexpr double kMinBarShare = 0.15;
  // Below a picosecond nothing is measured, and no sample exceeds 10^15 ns (the results reader's
  // bound): the two keep the axis (and the loop below) finite.
  smallest = std::min(std::max(smallest, 1e-3), 1e15);
  largest = std::min(std::max(largest, smallest), 1e15);
  LogAxis axis;
  axis.high = nice_ceil(largest);
  const double share_start =
      std::pow(10.0, (std::log10(smallest) - kMinBarShare * std::log10(axis.high)) / (1 - kMinBarShare));
  axis.low = nice_floor(std::min(smallest / 2, share_start));
  // Every 1-2-5 value when there are few; otherwise the decades and the two ends.
  std::vector<double> all;
  for (double power = std::pow(10.0, std::floor(std::log10(axis.low))); power <= axis.high * 1.001; power *= 10) {
    for (double m : {1.0, 2.0, 5.0}) {
      if (m * power >= axis.low * 0.999 && m * power <= axis.high * 1.001) all.push_back(m * power);
    }
  }
  if (all.size() <= 7) {
    axis.ticks = all;
  } else {
    for (double v : all) {
      const double mantissa = v / std::pow(10.0, std::floor(std::log10(v) + 1e-9));
      if (std::fabs(mantissa - 1) < 1e-6 || v == all.front() || v == all.back()) axis.ticks.push_back(v);
    }
  }
  return axis;
}

// " (steady from it. 36 by classification, 2 by the detector)", or as much of it as S has.
std::string steady_legend(const Series& s) {
  std::string marks;
  if (s.steady_iteration) marks = std::to_string(*s.steady_iteration) + " by classification";
  if (s.detected_iteration) {
    marks += (marks.empty() ? "" : ", ") + std::to_string(*s.detected_iteration) + " by the detector";
  }
  return marks.empty() ? "" : " (steady from it. " + marks + ")";
}

}  // namespace


std::string color_for(std::size_t index) {
  static const char* palette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"};
  return palette[index % (sizeof palette / sizeof palette[0])];
}

std::string bar_chart(const std::string& title, const std::string& subtitle, const std::vector<Bar>& bars) {
  const int plot_width = kWidth - kLeft - kValueRoom;
  const int top = kTop + (subtitle.empty() ? 0 : 14);
  const int height = top + static_cast<int>(bars.size()) * (kBarHeight + kGap) + kAxis;
  // Only positive finite values can sit on a log axis; a zero or negative bar is drawn empty.
  double lo = INFINITY, hi = 0;
  for (const auto& b : bars) {
    for (double v : {b.value_ns, b.low_ns, b.high_ns}) {
      if (!(v > 0) || !std::isfinite(v)) continue;
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  }
  if (!(lo < INFINITY)) lo = hi = 1;
  const LogAxis axis = log_axis(lo, hi);
  const double log_low = std::log10(axis.low), log_span = std::log10(axis.high) - log_low;
  auto x_of = [&](double ns) {
    const double t = ns > axis.low ? (std::log10(ns) - log_low) / log_span : 0.0;
    return kLeft + std::min(t, 1.0) * plot_width;
  };
  std::ostringstream out;
  out << "<svg class=\"chart bars\" viewBox=\"0 0 " << kWidth << ' ' << height << "\" width=\"" << kWidth
      << "\" height=\"" << height << "\" role=\"img\"><title>" << html_escape(title) << "</title>";
  out << svg_text(kWidth / 2.0, 20, title, "middle", " class=\"chart-title\"");
  if (!subtitle.empty()) out << svg_text(kWidth / 2.0, 35, subtitle, "middle", " class=\"chart-subtitle\"");
  const int axis_y = top + static_cast<int>(bars.size()) * (kBarHeight + kGap);
  double last_label_x = -1e9;
  for (double tick : axis.ticks) {
    const double x = x_of(tick);
    out << "<line class=\"grid\" x1=\"" << num(x) << "\" y1=\"" << top - 4 << "\" x2=\"" << num(x) << "\" y2=\"" << axis_y
        << "\"/>";
    if (x - last_label_x < 44) continue;  // the label would overlap the previous one
    out << svg_text(x, axis_y + 14, tick_label(tick), "middle", " class=\"tick\"");
    last_label_x = x;
  }
  out << "<line class=\"axis\" x1=\"" << kLeft << "\" y1=\"" << axis_y << "\" x2=\"" << kLeft + plot_width << "\" y2=\""
      << axis_y << "\"/>";
  out << svg_text(kLeft + plot_width / 2.0, axis_y + 32, "time per iteration (median, 95% CI; log scale)", "middle",
                  " class=\"axis-label\"");
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const auto& b = bars[i];
    const double y = top + static_cast<double>(i) * (kBarHeight + kGap);
    out << svg_text(kLeft - 8, y + kBarHeight * 0.7, b.label, "end", " class=\"bar-label\"");
    out << "<rect x=\"" << kLeft << "\" y=\"" << num(y) << "\" width=\"" << num(x_of(b.value_ns) - kLeft) << "\" height=\""
        << kBarHeight << "\" fill=\"" << b.color << "\"><title>" << html_escape(b.label + ": " +
                                                                            text::format_duration_with_ci(
                                                                                b.value_ns, b.low_ns, b.high_ns))
        << "</title></rect>";
    const double mid = y + kBarHeight / 2.0;
    out << "<line class=\"whisker\" x1=\"" << num(x_of(b.low_ns)) << "\" y1=\"" << num(mid) << "\" x2=\""
        << num(x_of(b.high_ns)) << "\" y2=\"" << num(mid) << "\"/>";
    out << svg_text(x_of(std::max(b.value_ns, b.high_ns)) + 6, y + kBarHeight * 0.7, text::format_duration_ns(b.value_ns),
                    "start", " class=\"value\"");
  }
  out << "</svg>";
  return out.str();
}

std::string line_chart(const std::string& title, const std::vector<Series>& series) {
  constexpr int kPlotTop = 34, kPlotBottom = 210, kLegendY = 252, kLegendRow = 16;
  const int plot_width = kWidth - kLeft - kRight;
  // The legend wraps onto more rows when the labels do not fit on one.
  std::vector<std::string> labels;
  int legend_rows = 1;
  double probe = kLeft;
  for (const auto& s : series) {
    labels.push_back(s.label + steady_legend(s));
    double width = 28 + 6.5 * static_cast<double>(labels.back().size());
    if (probe + width > kWidth && probe > kLeft) {
      ++legend_rows;
      probe = kLeft;
    }
    probe += width;
  }
  const int kHeight = kLegendY + 8 + (legend_rows - 1) * kLegendRow;
  std::size_t points = 0;
  double max = 0;
  for (const auto& s : series) {
    points = std::max(points, s.ys_ns.size());
    for (double y : s.ys_ns) max = std::max(max, y);
  }
  const auto ticks = linear_ticks(max * 1.05);
  const double y_max = ticks.size() > 1 ? ticks.back() : 1.0;
  auto x_of = [&](double i) { return kLeft + (points > 1 ? (i - 1) / static_cast<double>(points - 1) : 0.5) * plot_width; };
  auto y_of = [&](double ns) { return kPlotBottom - (ns / y_max) * (kPlotBottom - kPlotTop); };
  std::ostringstream out;
  out << "<svg class=\"chart lines\" viewBox=\"0 0 " << kWidth << ' ' << kHeight << "\" width=\"" << kWidth
      << "\" height=\"" << kHeight << "\" role=\"img\"><title>" << html_escape(title) << "</title>";
  out << svg_text(kWidth / 2.0, 20, title, "middle", " class=\"chart-title\"");
  for (double t : ticks) {
    out << "<line class=\"grid\" x1=\"" << kLeft << "\" y1=\"" << num(y_of(t)) << "\" x2=\"" << kLeft + plot_width
        << "\" y2=\"" << num(y_of(t)) << "\"/>";
    out << svg_text(kLeft - 6, y_of(t) + 4, text::format_duration_ns(t), "end", " class=\"tick\"");
  }
  out << "<line class=\"axis\" x1=\"" << kLeft << "\" y1=\"" << kPlotBottom << "\" x2=\"" << kLeft + plot_width
      << "\" y2=\"" << kPlotBottom << "\"/>";
  for (std::size_t i = 1; i <= points; i += std::max<std::size_t>(1, points / 8)) {
    out << svg_text(x_of(static_cast<double>(i)), kPlotBottom + 14, std::to_string(i), "middle", " class=\"tick\"");
  }
  out << svg_text(kLeft + plot_width / 2.0, kPlotBottom + 30, "iteration in the process (warm-up included)", "middle",
                  " class=\"axis-label\"");
  out << svg_text(14, (kPlotTop + kPlotBottom) / 2.0, "time per iteration", "middle",
                  " class=\"axis-label\" transform=\"rotate(-90 14 " + num((kPlotTop + kPlotBottom) / 2.0) + ")\"");
  double legend_x = kLeft;
  double legend_y = kLegendY;
  for (std::size_t k = 0; k < series.size(); ++k) {
    const auto& s = series[k];
    std::string points_attr;
    for (std::size_t i = 0; i < s.ys_ns.size(); ++i) {
      points_attr += num(x_of(static_cast<double>(i + 1))) + "," + num(y_of(s.ys_ns[i])) + " ";
    }
    out << "<polyline fill=\"none\" stroke=\"" << s.color << "\" stroke-width=\"1.6\""
        << (s.failed ? " stroke-dasharray=\"2 3\" opacity=\"0.6\"" : "") << " points=\"" << points_attr << "\"/>";
    const auto mark = [&](const std::optional<std::size_t>& iteration, const char* css_class, const std::string& what) {
      if (!iteration) return;
      const double x = x_of(static_cast<double>(*iteration));
      out << "<line class=\"" << css_class << "\" stroke=\"" << s.color << "\" x1=\"" << num(x) << "\" y1=\"" << kPlotTop
          << "\" x2=\"" << num(x) << "\" y2=\"" << kPlotBottom << "\"><title>" << html_escape(s.label + ": " + what) << ' '
          << *iteration << "</title></line>";
    };
    mark(s.steady_iteration, "steady", "the classification puts the steady state from iteration");
    mark(s.detected_iteration, "detected", "the warm-up detector found the steady state from iteration");
    const std::string& label = labels[k];
    const double width = 28 + 6.5 * static_cast<double>(label.size());
    if (legend_x + width > kWidth && legend_x > kLeft) {
      legend_x = kLeft;
      legend_y += kLegendRow;
    }
    out << "<rect x=\"" << num(legend_x) << "\" y=\"" << num(legend_y - 9) << "\" width=\"10\" height=\"10\" fill=\""
        << (s.failed ? "none" : s.color) << "\" stroke=\"" << s.color << "\"/>";
    out << svg_text(legend_x + 14, legend_y, label, "start", " class=\"legend\"");
    legend_x += width;
  }
  out << "</svg>";
  return out.str();
}

std::string speedup_chart(const std::string& title, const std::string& subtitle, const std::vector<SpeedupSeries>& series,
                          const std::vector<int>& thread_counts, int cores) {
  constexpr int kPlotTop = 48, kPlotBottom = 250, kLegendY = 292, kLegendRow = 16, kPlotLeft = 70;
  const int plot_width = kWidth - kPlotLeft - kRight;
  int max_threads = 1;
  for (int t : thread_counts) max_threads = std::max(max_threads, t);
  double max_y = max_threads;
  for (const auto& s : series) {
    for (const auto& p : s.points) {
      if (std::isfinite(p.high)) max_y = std::max(max_y, p.high);
    }
  }
  const auto ticks = linear_ticks(max_y * 1.05);
  const double y_max = ticks.size() > 1 ? ticks.back() : 1.0;
  auto x_of = [&](double t) {
    return kPlotLeft + (max_threads > 1 ? (t - 1) / static_cast<double>(max_threads - 1) : 0.5) * plot_width;
  };
  auto y_of = [&](double v) { return kPlotBottom - std::clamp(v / y_max, 0.0, 1.0) * (kPlotBottom - kPlotTop); };
  int legend_rows = 1;
  double probe = kPlotLeft;
  for (const auto& s : series) {
    const double width = 28 + 6.5 * static_cast<double>(s.label.size());
    if (probe + width > kWidth && probe > kPlotLeft) {
      ++legend_rows;
      probe = kPlotLeft;
    }
    probe += width;
  }
  const int height = kLegendY + 8 + (legend_rows - 1) * kLegendRow;
  std::ostringstream out;
  out << "<svg class=\"chart speedup\" viewBox=\"0 0 " << kWidth << ' ' << height << "\" width=\"" << kWidth
      << "\" height=\"" << height << "\" role=\"img\"><title>" << html_escape(title) << "</title>";
  out << svg_text(kWidth / 2.0, 20, title, "middle", " class=\"chart-title\"");
  if (!subtitle.empty()) out << svg_text(kWidth / 2.0, 35, subtitle, "middle", " class=\"chart-subtitle\"");
  for (double t : ticks) {
    out << "<line class=\"grid\" x1=\"" << kPlotLeft << "\" y1=\"" << num(y_of(t)) << "\" x2=\"" << kPlotLeft + plot_width
        << "\" y2=\"" << num(y_of(t)) << "\"/>";
    out << svg_text(kPlotLeft - 6, y_of(t) + 4, "\u00d7" + text::format_plain_number(t), "end", " class=\"tick\"");
  }
  out << "<line class=\"axis\" x1=\"" << kPlotLeft << "\" y1=\"" << kPlotBottom << "\" x2=\"" << kPlotLeft + plot_width
      << "\" y2=\"" << kPlotBottom << "\"/>";
  for (int t : thread_counts) out << svg_text(x_of(t), kPlotBottom + 14, std::to_string(t), "middle", " class=\"tick\"");
  out << svg_text(kPlotLeft + plot_width / 2.0, kPlotBottom + 30, "threads (T)", "middle", " class=\"axis-label\"");
  out << svg_text(16, (kPlotTop + kPlotBottom) / 2.0, "speedup over T=1", "middle",
                  " class=\"axis-label\" transform=\"rotate(-90 16 " + num((kPlotTop + kPlotBottom) / 2.0) + ")\"");
  // The ideal: T threads do T times the work.
  out << "<line class=\"ideal\" stroke=\"#999\" stroke-dasharray=\"6 4\" x1=\"" << num(x_of(1)) << "\" y1=\"" << num(y_of(1)) << "\" x2=\"" << num(x_of(max_threads))
      << "\" y2=\"" << num(y_of(max_threads)) << "\"><title>ideal: speedup = threads</title></line>";
  out << svg_text(x_of(max_threads) - 4, y_of(max_threads) - 6, "ideal", "end", " class=\"tick\"");
  if (cores >= 1 && cores < max_threads) {
    out << "<line class=\"cores\" stroke=\"#b26a00\" stroke-dasharray=\"2 3\" x1=\"" << num(x_of(cores)) << "\" y1=\"" << kPlotTop << "\" x2=\"" << num(x_of(cores))
        << "\" y2=\"" << kPlotBottom << "\"><title>" << cores << " cores: more threads than this take turns</title></line>";
    out << svg_text(x_of(cores) + 4, kPlotTop + 10, std::to_string(cores) + " cores", "start", " class=\"tick\"");
  }
  double legend_x = kPlotLeft, legend_y = kLegendY;
  for (const auto& s : series) {
    std::string points;
    for (const auto& p : s.points) points += num(x_of(p.threads)) + "," + num(y_of(p.speedup)) + " ";
    out << "<polyline fill=\"none\" stroke=\"" << s.color << "\" stroke-width=\"1.8\" points=\"" << points << "\"/>";
    for (const auto& p : s.points) {
      const double x = x_of(p.threads);
      out << "<line stroke=\"" << s.color << "\" stroke-width=\"1.2\" x1=\"" << num(x) << "\" y1=\"" << num(y_of(p.low))
          << "\" x2=\"" << num(x) << "\" y2=\"" << num(y_of(p.high)) << "\"/>";
      out << "<circle cx=\"" << num(x) << "\" cy=\"" << num(y_of(p.speedup)) << "\" r=\"3\" fill=\"" << s.color << "\"><title>"
          << html_escape(s.label + ", T=" + std::to_string(p.threads) + ": " +
                         (p.hover.empty() ? text::format_ratio_with_ci({p.speedup, {p.low, p.high}}) : p.hover))
          << "</title></circle>";
    }
    const double width = 28 + 6.5 * static_cast<double>(s.label.size());
    if (legend_x + width > kWidth && legend_x > kPlotLeft) {
      legend_x = kPlotLeft;
      legend_y += kLegendRow;
    }
    out << "<rect x=\"" << num(legend_x) << "\" y=\"" << num(legend_y - 9) << "\" width=\"10\" height=\"10\" fill=\""
        << s.color << "\"/>";
    out << svg_text(legend_x + 14, legend_y, s.label, "start", " class=\"legend\"");
    legend_x += width;
  }
  out << "</svg>";
  return out.str();
}

}  // namespace polyhost::svg

namespace polyhost::svg {

std::string value_bar_chart(const std::string& title, const std::string& subtitle, const ValueAxis& axis,
                            const std::vector<ValueBar>& bars) {
  std::size_t longest = 0;
  for (const auto& b : bars) longest = std::max(longest, text::display_width(b.label));
  const int left = std::clamp(static_cast<int>(12 + 6.5 * static_cast<double>(longest)), 80, 330);
  const int plot_width = kWidth - left - kValueRoom - 16;
  const int top = kTop + (subtitle.empty() ? 0 : 14);
  const int axis_y = top + static_cast<int>(bars.size()) * (kBarHeight + kGap);
  const int height = axis_y + kAxis;
  double lo = INFINITY, hi = 0;
  for (const auto& b : bars) {
    for (double v : {b.value, b.low, b.high}) {
      if (!(v > 0) || !std::isfinite(v)) continue;
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  }
  if (!(lo < INFINITY)) lo = hi = 1;
  // Linear: from zero to the first tick at or above the largest whisker. Log: as bar_chart's axis.
  std::vector<double> ticks;
  double axis_low = 0, axis_high = 1;
  if (axis.log) {
    const LogAxis log_scale = log_axis(lo, hi);
    ticks = log_scale.ticks;
    axis_low = log_scale.low;
    axis_high = log_scale.high;
  } else {
    const double unit = axis.binary && hi >= 1024 ? std::pow(1024.0, std::floor(std::log(hi) / std::log(1024.0))) : 1.0;
    for (double t : linear_ticks(hi / unit)) ticks.push_back(t * unit);
    axis_high = ticks.size() > 1 ? ticks.back() : hi;
  }
  auto x_of = [&](double v) {
    double t = 0;
    if (axis.log) {
      t = v > axis_low ? (std::log10(v) - std::log10(axis_low)) / (std::log10(axis_high) - std::log10(axis_low)) : 0.0;
    } else {
      t = v > 0 ? v / axis_high : 0.0;
    }
    return left + std::clamp(t, 0.0, 1.0) * plot_width;
  };
  std::ostringstream out;
  out << "<svg class=\"chart bars\" viewBox=\"0 0 " << kWidth << ' ' << height << "\" width=\"" << kWidth << "\" height=\""
      << height << "\" role=\"img\"><title>" << html_escape(title) << "</title>";
  out << svg_text(kWidth / 2.0, 20, title, "middle", " class=\"chart-title\"");
  if (!subtitle.empty()) out << svg_text(kWidth / 2.0, 35, subtitle, "middle", " class=\"chart-subtitle\"");
  double last_label_x = -1e9;
  for (double tick : ticks) {
    const double x = x_of(tick);
    out << "<line class=\"grid\" x1=\"" << num(x) << "\" y1=\"" << top - 4 << "\" x2=\"" << num(x) << "\" y2=\"" << axis_y << "\"/>";
    if (x - last_label_x < 52) continue;  // the label would overlap the previous one
    out << svg_text(x, axis_y + 14, tick == 0 ? "0" : axis.format(tick), "middle", " class=\"tick\"");
    last_label_x = x;
  }
  out << "<line class=\"axis\" x1=\"" << left << "\" y1=\"" << axis_y << "\" x2=\"" << left + plot_width << "\" y2=\""
      << axis_y << "\"/>";
  out << svg_text(left + plot_width / 2.0, axis_y + 32, axis.label, "middle", " class=\"axis-label\"");
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const auto& b = bars[i];
    const double y = top + static_cast<double>(i) * (kBarHeight + kGap);
    out << svg_text(left - 8, y + kBarHeight * 0.7, b.label, "end", " class=\"bar-label\"");
    out << "<rect x=\"" << left << "\" y=\"" << num(y) << "\" width=\"" << num(x_of(b.value) - left) << "\" height=\""
        << kBarHeight << "\" fill=\"" << b.color << "\"><title>"
        << html_escape(b.label + ": " + axis.format(b.value) + " [" + axis.format(b.low) + " \u2013 " + axis.format(b.high) + "]")
        << "</title></rect>";
    const double mid = y + kBarHeight / 2.0;
    out << "<line class=\"whisker\" x1=\"" << num(x_of(b.low)) << "\" y1=\"" << num(mid) << "\" x2=\"" << num(x_of(b.high))
        << "\" y2=\"" << num(mid) << "\"/>";
    out << svg_text(x_of(std::max(b.value, b.high)) + 6, y + kBarHeight * 0.7, axis.format(b.value), "start", " class=\"value\"");
  }
  out << "</svg>";
  return out.str();
}

}  // namespace polyhost::svg
