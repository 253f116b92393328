#include "bindings/v8_fast_api.h"

#include <v8-fast-api-calls.h>


#include "bindings/native.h"
#include "bindings/v8_callbacks.h"

namespace polyhost::bindings {
namespace {

// A plain counter: an isolate runs on one thread, and an atomic increment (a locked instruction on
// x86) would cost more than the call being measured.
std::uint64_t fast_calls = 0;

void fast_noop(v8::Local<v8::Object> /*receiver*/) {
  ++fast_calls;
  native::noop();
}

std::int32_t fast_add_i32(v8::Local<v8::Object> /*receiver*/, std::int32_t a, std::int32_t b) {
  ++fast_calls;
  return native::add_i32(a, b);
}

double fast_add_f64(v8::Local<v8::Object> /*receiver*/, double a, double b) {
  ++fast_calls;
  return native::add_f64(a, b);
}

double fast_sum_f64(v8::Local<v8::Object> /*receiver*/, const v8::FastApiTypedArray<double>& values) {
  ++fast_calls;
  double* data = nullptr;
  if (values.getStorageIfAligned(&data)) return native::sum_f64(data, values.length());
  double total = 0;  // an unaligned view: read element by element
  for (size_t i = 0; i < values.length(); ++i) total += values.get(i);
  return total;
}

}  // namespace

void install_v8_fast_api(v8::Local<v8::Context> context, v8::Local<v8::Object> target) {
  v8::Isolate* isolate = context->GetIsolate();
  // CFunction descriptions must outlive every use: static storage.
  static const v8::CFunction c_noop = v8::CFunction::Make(fast_noop);
  static const v8::CFunction c_add_i32 = v8::CFunction::Make(fast_add_i32);
  static const v8::CFunction c_add_f64 = v8::CFunction::Make(fast_add_f64);
  static const v8::CFunction c_sum_f64 = v8::CFunction::Make(fast_sum_f64);
  auto add = [&](const char* name, v8::FunctionCallback slow, const v8::CFunction* fast, int length) {
    auto fn = v8::FunctionTemplate::New(isolate, slow, {}, {}, length, v8::ConstructorBehavior::kThrow,
                                        v8::SideEffectType::kHasSideEffect, fast)
                  ->GetFunction(context)
                  .ToLocalChecked();
    target->Set(context, v8::String::NewFromUtf8(isolate, name).ToLocalChecked(), fn).Check();
  };
  add("noop", v8_callbacks::noop, &c_noop, 0);
  add("add_i32", v8_callbacks::add_i32, &c_add_i32, 2);
  add("add_f64", v8_callbacks::add_f64, &c_add_f64, 2);
  add("sum_f64", v8_callbacks::sum_f64, &c_sum_f64, 1);
  add("str_len", v8_callbacks::str_len, nullptr, 1);
  add("str_repeat", v8_callbacks::str_repeat, nullptr, 2);
  add("make_point", v8_callbacks::make_point, nullptr, 2);
  add("call_back", v8_callbacks::call_back, nullptr, 2);
}

std::uint64_t fast_api_calls_taken() { return fast_calls; }

const std::map<std::string, std::string>& fast_api_unsupported() {
  static const std::map<std::string, std::string> reasons = {
      {"str_len", "V8 10.2's fast API has no string parameter type"},
      {"str_repeat", "fast calls may not allocate on the JS heap, and V8 10.2 has no string types"},
      {"sum_f64_array", "V8 10.2's fast API takes typed arrays; a plain Array goes through the slow callback"},
      {"make_point", "fast calls may not allocate on the JS heap (no objects returned)"},
      {"call_back", "fast calls may not run JavaScript"},
  };
  return reasons;
}

}  // namespace polyhost::bindings
