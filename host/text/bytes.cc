#include "host/text/bytes.h"

#include <cmath>
#include <cstdio>

namespace polyhost::text {
namespace {

constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};

struct Scale {
  const char* unit;
  double size;  // bytes in one unit
  int decimals;
};

// Decimals that show V (>= 1) with 3 significant digits, a carry from rounding counted (999.6 -> "1000").
int decimals_for(double v) {
  for (int decimals = 2; decimals > 0; --decimals) {
    const double limit = std::pow(10.0, 3 - decimals) - 0.5 * std::pow(10.0, -decimals);
    if (v < limit) return decimals;
  }
  return 0;
}

Scale scale_for(double bytes) {
  const double a = std::fabs(bytes);
  std::size_t unit = 0;
  // 1023.6 KiB shows as "1024 KiB" rather than "1.00 MiB": the next unit starts at 1024 of this one.
  while (unit + 1 < sizeof kUnits / sizeof kUnits[0] && a >= std::pow(1024.0, static_cast<double>(unit + 1))) ++unit;
  const double size = std::pow(1024.0, static_cast<double>(unit));
  return {kUnits[unit], size, unit == 0 ? 0 : decimals_for(a / size)};
}

std::string fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

}  // namespace

std::string format_bytes(double bytes) {
  if (!std::isfinite(bytes)) return "n/a";
  const Scale s = scale_for(bytes);
  return fixed(bytes / s.size, s.decimals) + " " + s.unit;
}

std::string format_bytes_with_ci(double median, double low, double high) {
  if (!std::isfinite(median)) return "n/a";
  const Scale s = scale_for(median);
  return format_bytes(median) + " [" + fixed(low / s.size, s.decimals) + "\u2013" + fixed(high / s.size, s.decimals) + "]";
}

}  // namespace polyhost::text
