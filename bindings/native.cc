#include "bindings/native.h"

namespace polyhost::native {

void noop() {}

std::int32_t add_i32(std::int32_t a, std::int32_t b) {
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(a) + static_cast<std::uint32_t>(b));
}

double add_f64(double a, double b) { return a + b; }

std::int64_t str_len(std::string_view utf8) { return static_cast<std::int64_t>(utf8.size()); }

std::string str_repeat(std::string_view utf8, std::int32_t times) {
  std::string out;
  if (times <= 0) return out;
  out.reserve(utf8.size() * static_cast<std::size_t>(times));
  for (std::int32_t i = 0; i < times; ++i) out.append(utf8);
  return out;
}

double sum_f64(const double* values, std::size_t count) {
  double total = 0;
  for (std::size_t i = 0; i < count; ++i) total += values[i];
  return total;
}

Point make_point(double x, double y) { return {x, y}; }

}  // namespace polyhost::native
