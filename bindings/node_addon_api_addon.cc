// node-addon-api adapter: native.h as a Node.js addon written with the header-only C++ wrapper of
// Node-API (napi.h), as most C++ addons are, with C++ exceptions (NAPI_CPP_EXCEPTIONS): a thrown
// Napi::Error becomes a JavaScript exception. Loaded by the system's node as
// polyhost_node_addon_api.node (`polyhost overhead`, column node-addon-api). Wrong argument counts
// or types throw a JavaScript TypeError, as the other adapters do.
#include <napi.h>

#include <cstdint>
#include <string>
#include <vector>

#include "bindings/native.h"

namespace {

namespace native = polyhost::native;

void expect_count(const Napi::CallbackInfo& info, const char* name, std::size_t count) {
  if (info.Length() == count) return;
  throw Napi::TypeError::New(info.Env(), std::string(name) + "() takes " + std::to_string(count) + " argument" +
                                             (count == 1 ? "" : "s") + " (" + std::to_string(info.Length()) + " given)");
}

void noop(const Napi::CallbackInfo& info) {
  expect_count(info, "noop", 0);
  native::noop();
}

Napi::Value add_i32(const Napi::CallbackInfo& info) {
  expect_count(info, "add_i32", 2);
  if (!info[0].IsNumber() || !info[1].IsNumber()) throw Napi::TypeError::New(info.Env(), "add_i32(a, b) takes two 32-bit integers");
  return Napi::Number::New(info.Env(), native::add_i32(info[0].As<Napi::Number>().Int32Value(), info[1].As<Napi::Number>().Int32Value()));
}

Napi::Value add_f64(const Napi::CallbackInfo& info) {
  expect_count(info, "add_f64", 2);
  if (!info[0].IsNumber() || !info[1].IsNumber()) throw Napi::TypeError::New(info.Env(), "add_f64(a, b) takes two numbers");
  return Napi::Number::New(info.Env(), native::add_f64(info[0].As<Napi::Number>().DoubleValue(), info[1].As<Napi::Number>().DoubleValue()));
}

Napi::Value str_len(const Napi::CallbackInfo& info) {
  expect_count(info, "str_len", 1);
  if (!info[0].IsString()) throw Napi::TypeError::New(info.Env(), "str_len(s) takes a string");
  return Napi::Number::New(info.Env(), static_cast<double>(native::str_len(info[0].As<Napi::String>().Utf8Value())));
}

Napi::Value str_repeat(const Napi::CallbackInfo& info) {
  expect_count(info, "str_repeat", 2);
  if (!info[0].IsString() || !info[1].IsNumber()) throw Napi::TypeError::New(info.Env(), "str_repeat(s, k) takes a string and an integer");
  return Napi::String::New(info.Env(), native::str_repeat(info[0].As<Napi::String>().Utf8Value(), info[1].As<Napi::Number>().Int32Value()));
}

Napi::Value sum_f64(const Napi::CallbackInfo& info) {
  expect_count(info, "sum_f64", 1);
  const char* message = "sum_f64(xs) takes an Array of numbers or a Float64Array";
  if (info[0].IsTypedArray()) {  // zero copy: the typed array's own memory
    if (info[0].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) throw Napi::TypeError::New(info.Env(), message);
    auto typed = info[0].As<Napi::Float64Array>();
    return Napi::Number::New(info.Env(), native::sum_f64(typed.Data(), typed.ElementLength()));
  }
  if (!info[0].IsArray()) throw Napi::TypeError::New(info.Env(), message);
  auto array = info[0].As<Napi::Array>();
  std::vector<double> values;
  values.reserve(array.Length());
  for (std::uint32_t i = 0; i < array.Length(); ++i) {  // converted element by element
    Napi::Value item = array.Get(i);
    if (!item.IsNumber()) throw Napi::TypeError::New(info.Env(), "sum_f64(xs): element " + std::to_string(i) + " is not a number");
    values.push_back(item.As<Napi::Number>().DoubleValue());
  }
  return Napi::Number::New(info.Env(), native::sum_f64(values.data(), values.size()));
}

Napi::Value make_point(const Napi::CallbackInfo& info) {
  expect_count(info, "make_point", 2);
  if (!info[0].IsNumber() || !info[1].IsNumber()) throw Napi::TypeError::New(info.Env(), "make_point(x, y) takes two numbers");
  native::Point p = native::make_point(info[0].As<Napi::Number>().DoubleValue(), info[1].As<Napi::Number>().DoubleValue());
  Napi::Object point = Napi::Object::New(info.Env());
  point.Set("x", p.x);
  point.Set("y", p.y);
  return point;
}

Napi::Value call_back(const Napi::CallbackInfo& info) {
  expect_count(info, "call_back", 2);
  if (!info[0].IsFunction() || !info[1].IsNumber()) throw Napi::TypeError::New(info.Env(), "call_back(fn, k) takes a function and an integer");
  Napi::Env env = info.Env();
  auto fn = info[0].As<Napi::Function>();
  // An exception thrown by FN arrives here as a Napi::Error and leaves through native::call_back.
  std::int64_t total = native::call_back(
      [&](std::int32_t i) -> std::int64_t {
        Napi::Value result = fn.Call({Napi::Number::New(env, i)});
        if (!result.IsNumber()) throw Napi::TypeError::New(env, "call_back(fn, k): fn must return a number");
        return result.As<Napi::Number>().Int64Value();
      },
      info[1].As<Napi::Number>().Int32Value());
  return Napi::Number::New(env, static_cast<double>(total));
}

Napi::Object init(Napi::Env env, Napi::Object exports) {
  exports.Set("noop", Napi::Function::New(env, noop, "noop"));
  exports.Set("add_i32", Napi::Function::New(env, add_i32, "add_i32"));
  exports.Set("add_f64", Napi::Function::New(env, add_f64, "add_f64"));
  exports.Set("str_len", Napi::Function::New(env, str_len, "str_len"));
  exports.Set("str_repeat", Napi::Function::New(env, str_repeat, "str_repeat"));
  exports.Set("sum_f64", Napi::Function::New(env, sum_f64, "sum_f64"));
  exports.Set("make_point", Napi::Function::New(env, make_point, "make_point"));
  exports.Set("call_back", Napi::Function::New(env, call_back, "call_back"));
  return exports;
}

}  // namespace

NODE_API_MODULE(polyhost_node_addon_api, init)
