// The native C++ functions every binding exposes: plain C++, no engine types. Each binding
// technology (v8_callbacks, v8_fast_api, python_capi, python_pybind11, c_abi) is a thin adapter
// over these, so the overhead benchmark compares the crossing, not the work.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace polyhost::native {

void noop();
std::int32_t add_i32(std::int32_t a, std::int32_t b);  // wraps around on overflow, as int32 does
double add_f64(double a, double b);
std::int64_t str_len(std::string_view utf8);             // length in bytes of the UTF-8 text
std::string str_repeat(std::string_view utf8, std::int32_t times);  // times < 0 counts as 0
double sum_f64(const double* values, std::size_t count);

struct Point {
  double x, y;
};
Point make_point(double x, double y);

// Calls FN(i) for i in [0, times) and returns the sum of what it returned.
template <typename Fn>
std::int64_t call_back(Fn&& fn, std::int32_t times) {
  std::int64_t total = 0;
  for (std::int32_t i = 0; i < times; ++i) total += fn(i);
  return total;
}

}  // namespace polyhost::native
