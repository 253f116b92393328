#include "host/text/bytes.h"

#include <cmath>

#include "host/text/format.h"

namespace polyhost::text {
namespace {

constexpr const char* kByteUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};

struct ByteScale {
  const char* unit;
  double size;  // bytes in one unit
  int decimals;
};

// Decimals that show V (>= 1) with 3 significant digits, a carry from rounding counted (999.6 -> "1000").
int byte_decimals(double v) {
  for (int decimals = 2; decimals > 0; --decimals) {
    const double limit = std::pow(10.0, 3 - decimals) - 0.5 * std::pow(10.0, -decimals);
    if (v < limit) return decimals;
  }
  return 0;
}

ByteScale byte_scale_for(double bytes) {
  const double a = std::fabs(bytes);
  std::size_t unit = 0;
  // 1023.6 KiB shows as "1024 KiB" rather than "1.00 MiB": the next unit starts at 1024 of this one.
  while (unit + 1 < sizeof kByteUnits / sizeof kByteUnits[0] && a >= std::pow(1024.0, static_cast<double>(unit + 1))) ++unit;
  const double size = std::pow(1024.0, static_cast<double>(unit));
  return {kByteUnits[unit], size, unit == 0 ? 0 : byte_decimals(a / size)};
}

}  // namespace

std::string format_bytes(double bytes) {
  if (!std::isfinite(bytes)) return "n/a";
  const ByteScale s = byte_scale_for(bytes);
  return format_fixed(bytes / s.size, s.decimals) + " " + s.unit;
}

std::string format_bytes_with_ci(double median, double low, double high) {
  if (!std::isfinite(median)) return "n/a";
  const ByteScale s = byte_scale_for(median);
  return format_bytes(median) + " [" + format_fixed(low / s.size, s.decimals) + "\u2013" + format_fixed(high / s.size, s.decimals) + "]";
}

}  // namespace polyhost::text
