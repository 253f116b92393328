#include "host/overhead/cpp_floor.h"

#include <chrono>
#include <functional>
#include <string>

#include "bindings/native.h"

namespace polyhost {
namespace {

// Keeps VALUE alive as far as the optimizer knows (as Google Benchmark's DoNotOptimize does).
template <typename T>
inline void keep(const T& value) {
  asm volatile("" : : "r,m"(value) : "memory");
}

// Read through volatile pointers, so calls cannot be inlined or hoisted out of the loops.
void (*volatile noop_fn)() = &native::noop;
std::int32_t (*volatile add_i32_fn)(std::int32_t, std::int32_t) = &native::add_i32;
double (*volatile add_f64_fn)(double, double) = &native::add_f64;
std::int64_t (*volatile str_len_fn)(std::string_view) = &native::str_len;
std::string (*volatile str_repeat_fn)(std::string_view, std::int32_t) = &native::str_repeat;
double (*volatile sum_f64_fn)(const double*, std::size_t) = &native::sum_f64;
native::Point (*volatile make_point_fn)(double, double) = &native::make_point;
std::int64_t back(std::int32_t i) { return i; }
std::int64_t (*volatile back_fn)(std::int32_t) = &back;

__attribute__((noinline)) std::int64_t call_back_entry(std::int64_t (*fn)(std::int32_t), std::int32_t k) {
  return native::call_back(fn, k);
}
std::int64_t (*volatile call_back_fn)(std::int64_t (*)(std::int32_t), std::int32_t) = &call_back_entry;

const std::string kText = "polyhost \xE2\x9C\x93 12345";  // 18 UTF-8 bytes, as in the scripts
double kValues[64];

using Loop = std::function<double(std::size_t)>;  // runs n iterations, returns ns

template <typename Body>
Loop loop(Body body) {
  return [body](std::size_t n) {
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < n; ++i) body(i);
    return std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
  };
}

std::vector<double> measure_floor(const Loop& call, const Loop& empty, double target_ns, int repeats) {
  std::size_t n = 16;  // calibrated as bench.js's calibrate() does (and why)
  for (; n < (std::size_t{1} << 32); n *= 2) {
    empty(n);
    if (call(n) >= target_ns && call(n) >= target_ns / 2) break;
  }
  std::vector<double> ns;
  for (int r = 0; r < repeats; ++r) {
    double with_call = call(n), without = empty(n);
    ns.push_back((with_call - without) / static_cast<double>(n));
  }
  return ns;
}

}  // namespace

// Each case's empty loop is its call loop with the call taken out, nothing else changed: it computes
// the arguments the call loop computes from i (i & 1023, a conversion to double) and keeps that in
// place of the result, or keeps i where the arguments are constants.
OverheadMeasurement measure_cpp_floor(double target_ns, int repeats) {
  for (int i = 0; i < 64; ++i) kValues[i] = i * 0.5;
  const Loop count = loop([](std::size_t i) { keep(i); });
  OverheadMeasurement out;
  auto& cases = out.cases;
  cases["noop"] = measure_floor(loop([](std::size_t i) { noop_fn(); keep(i); }), count, target_ns, repeats);
  cases["add_i32"] = measure_floor(loop([](std::size_t i) { keep(add_i32_fn(static_cast<std::int32_t>(i & 1023), 7)); }),
                                   loop([](std::size_t i) { keep(static_cast<std::int32_t>(i & 1023)); }), target_ns, repeats);
  cases["add_f64"] = measure_floor(loop([](std::size_t i) { keep(add_f64_fn(static_cast<double>(i), 0.5)); }),
                                   loop([](std::size_t i) { keep(static_cast<double>(i)); }), target_ns, repeats);
  cases["str_len"] = measure_floor(loop([](std::size_t) { keep(str_len_fn(kText)); }), count, target_ns, repeats);
  cases["str_repeat"] = measure_floor(loop([](std::size_t) { keep(str_repeat_fn(kText, 3).size()); }), count, target_ns, repeats);
  // C++ has no conversion to make: both sum cases pass the same pointer.
  const Loop sum = loop([](std::size_t) { keep(sum_f64_fn(kValues, 64)); });
  cases["sum_f64_array"] = measure_floor(sum, count, target_ns, repeats);
  cases["sum_f64_typed"] = measure_floor(sum, count, target_ns, repeats);
  cases["make_point"] = measure_floor(loop([](std::size_t i) { keep(make_point_fn(static_cast<double>(i), 1.0).x); }),
                                      loop([](std::size_t i) { keep(static_cast<double>(i)); }), target_ns, repeats);
  cases["call_back"] = measure_floor(loop([](std::size_t) { keep(call_back_fn(back_fn, 10)); }), count, target_ns, repeats);
  return out;
}

}  // namespace polyhost
