// A C ABI over native.h, built as the shared library libpolyhost_cabi.so for ctypes (and cffi).
#pragma once

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  double x, y;
} polyhost_point;

typedef int64_t (*polyhost_callback)(int32_t);

void polyhost_noop(void);
int32_t polyhost_add_i32(int32_t a, int32_t b);
double polyhost_add_f64(double a, double b);
int64_t polyhost_str_len(const char* utf8, size_t size);
// Returns a NUL-terminated string owned by the library, valid until the next call on this thread.
const char* polyhost_str_repeat(const char* utf8, size_t size, int32_t times);
double polyhost_sum_f64(const double* values, size_t count);
polyhost_point polyhost_make_point(double x, double y);
int64_t polyhost_call_back(polyhost_callback fn, int32_t times);

#ifdef __cplusplus
}
#endif
