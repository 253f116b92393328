#include "bindings/c_abi.h"

#include <string>

#include "bindings/native.h"

using namespace polyhost;

extern "C" {

void polyhost_noop(void) { native::noop(); }
int32_t polyhost_add_i32(int32_t a, int32_t b) { return native::add_i32(a, b); }
double polyhost_add_f64(double a, double b) { return native::add_f64(a, b); }
int64_t polyhost_str_len(const char* utf8, size_t size) { return native::str_len({utf8, size}); }

const char* polyhost_str_repeat(const char* utf8, size_t size, int32_t times) {
  thread_local std::string result;
  result = native::str_repeat({utf8, size}, times);
  return result.c_str();
}

double polyhost_sum_f64(const double* values, size_t count) { return native::sum_f64(values, count); }

polyhost_point polyhost_make_point(double x, double y) {
  native::Point p = native::make_point(x, y);
  return {p.x, p.y};
}

int64_t polyhost_call_back(polyhost_callback fn, int32_t times) { return native::call_back(fn, times); }

}  // extern "C"
