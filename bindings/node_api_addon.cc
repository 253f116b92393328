// Node-API adapter: native.h as a Node.js addon written against the C API of node_api.h, the way
// a C addon is (every call returns a napi_status that is checked). Compiled as C++ only to call
// native.h; no C++ wrapper is used (node_addon_api_addon.cc is the same addon through
// node-addon-api). Loaded by the system's node as polyhost_node_api.node (`polyhost overhead`,
// column node-api). Wrong argument counts or types throw a JavaScript TypeError, as the V8 adapters do.
#include <node_api.h>

#include <cstdint>
#include <string>
#include <vector>

#include "bindings/native.h"

namespace {

namespace native = polyhost::native;

// A failed Node-API call: throws a JavaScript Error with Node-API's own message unless the call
// left an exception pending already (a script function that threw, for example).
bool ok(napi_env env, napi_status status) {
  if (status == napi_ok) return true;
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (!pending) {
    const napi_extended_error_info* info = nullptr;
    napi_get_last_error_info(env, &info);
    napi_throw_error(env, nullptr, info && info->error_message ? info->error_message : "a Node-API call failed");
  }
  return false;
}

napi_value type_error(napi_env env, const std::string& message) {
  napi_throw_type_error(env, nullptr, message.c_str());
  return nullptr;
}

// The arguments of a call, or false (with a TypeError thrown) when there are not exactly COUNT.
template <std::size_t N>
bool arguments(napi_env env, napi_callback_info info, const char* name, napi_value (&argv)[N], std::size_t count) {
  std::size_t given = N;
  if (!ok(env, napi_get_cb_info(env, info, &given, argv, nullptr, nullptr))) return false;
  if (given == count) return true;
  type_error(env, std::string(name) + "() takes " + std::to_string(count) + " argument" + (count == 1 ? "" : "s") + " (" +
                      std::to_string(given) + " given)");
  return false;
}

// A JavaScript string as UTF-8, or false with a TypeError thrown.
bool utf8(napi_env env, napi_value value, const char* message, std::string& out) {
  std::size_t size = 0;
  napi_status status = napi_get_value_string_utf8(env, value, nullptr, 0, &size);
  if (status == napi_string_expected) return type_error(env, message), false;
  if (!ok(env, status)) return false;
  out.assign(size + 1, '\0');  // room for the NUL Node-API writes
  if (!ok(env, napi_get_value_string_utf8(env, value, out.data(), out.size(), &size))) return false;
  out.resize(size);
  return true;
}

napi_value noop(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!arguments(env, info, "noop", argv, 0)) return nullptr;
  native::noop();
  return nullptr;  // undefined
}

napi_value add_i32(napi_env env, napi_callback_info info) {
  napi_value argv[2], result;
  if (!arguments(env, info, "add_i32", argv, 2)) return nullptr;
  std::int32_t a, b;
  napi_status status = napi_get_value_int32(env, argv[0], &a);
  if (status == napi_ok) status = napi_get_value_int32(env, argv[1], &b);
  if (status == napi_number_expected) return type_error(env, "add_i32(a, b) takes two 32-bit integers");
  if (!ok(env, status) || !ok(env, napi_create_int32(env, native::add_i32(a, b), &result))) return nullptr;
  return result;
}

napi_value add_f64(napi_env env, napi_callback_info info) {
  napi_value argv[2], result;
  if (!arguments(env, info, "add_f64", argv, 2)) return nullptr;
  double a, b;
  napi_status status = napi_get_value_double(env, argv[0], &a);
  if (status == napi_ok) status = napi_get_value_double(env, argv[1], &b);
  if (status == napi_number_expected) return type_error(env, "add_f64(a, b) takes two numbers");
  if (!ok(env, status) || !ok(env, napi_create_double(env, native::add_f64(a, b), &result))) return nullptr;
  return result;
}

napi_value str_len(napi_env env, napi_callback_info info) {
  napi_value argv[1], result;
  std::string text;
  if (!arguments(env, info, "str_len", argv, 1) || !utf8(env, argv[0], "str_len(s) takes a string", text)) return nullptr;
  if (!ok(env, napi_create_int64(env, native::str_len(text), &result))) return nullptr;
  return result;
}

napi_value str_repeat(napi_env env, napi_callback_info info) {
  napi_value argv[2], result;
  std::string text;
  std::int32_t times;
  if (!arguments(env, info, "str_repeat", argv, 2)) return nullptr;
  const char* message = "str_repeat(s, k) takes a string and an integer";
  if (!utf8(env, argv[0], message, text)) return nullptr;
  napi_status status = napi_get_value_int32(env, argv[1], &times);
  if (status == napi_number_expected) return type_error(env, message);
  if (!ok(env, status)) return nullptr;
  std::string out = native::str_repeat(text, times);
  if (!ok(env, napi_create_string_utf8(env, out.data(), out.size(), &result))) return nullptr;
  return result;
}

napi_value sum_f64(napi_env env, napi_callback_info info) {
  napi_value argv[1], result;
  if (!arguments(env, info, "sum_f64", argv, 1)) return nullptr;
  const char* message = "sum_f64(xs) takes an Array of numbers or a Float64Array";
  bool is_typed = false, is_array = false;
  if (!ok(env, napi_is_typedarray(env, argv[0], &is_typed))) return nullptr;
  if (is_typed) {  // zero copy: Node-API hands out the typed array's own memory, offset applied
    napi_typedarray_type type;
    std::size_t length = 0;
    void* data = nullptr;
    if (!ok(env, napi_get_typedarray_info(env, argv[0], &type, &length, &data, nullptr, nullptr))) return nullptr;
    if (type != napi_float64_array) return type_error(env, message);
    if (!ok(env, napi_create_double(env, native::sum_f64(static_cast<const double*>(data), length), &result))) return nullptr;
    return result;
  }
  if (!ok(env, napi_is_array(env, argv[0], &is_array))) return nullptr;
  if (!is_array) return type_error(env, message);
  std::uint32_t length = 0;
  if (!ok(env, napi_get_array_length(env, argv[0], &length))) return nullptr;
  std::vector<double> values(length);
  for (std::uint32_t i = 0; i < length; ++i) {  // converted element by element
    napi_value item;
    if (!ok(env, napi_get_element(env, argv[0], i, &item))) return nullptr;
    napi_status status = napi_get_value_double(env, item, &values[i]);
    if (status == napi_number_expected) return type_error(env, "sum_f64(xs): element " + std::to_string(i) + " is not a number");
    if (!ok(env, status)) return nullptr;
  }
  if (!ok(env, napi_create_double(env, native::sum_f64(values.data(), values.size()), &result))) return nullptr;
  return result;
}

napi_value make_point(napi_env env, napi_callback_info info) {
  napi_value argv[2], point, x, y;
  if (!arguments(env, info, "make_point", argv, 2)) return nullptr;
  double a, b;
  napi_status status = napi_get_value_double(env, argv[0], &a);
  if (status == napi_ok) status = napi_get_value_double(env, argv[1], &b);
  if (status == napi_number_expected) return type_error(env, "make_point(x, y) takes two numbers");
  if (!ok(env, status)) return nullptr;
  native::Point p = native::make_point(a, b);
  if (!ok(env, napi_create_object(env, &point)) || !ok(env, napi_create_double(env, p.x, &x)) ||
      !ok(env, napi_create_double(env, p.y, &y)) || !ok(env, napi_set_named_property(env, point, "x", x)) ||
      !ok(env, napi_set_named_property(env, point, "y", y))) {
    return nullptr;
  }
  return point;
}

napi_value call_back(napi_env env, napi_callback_info info) {
  napi_value argv[2], receiver, result;
  if (!arguments(env, info, "call_back", argv, 2)) return nullptr;
  const char* message = "call_back(fn, k) takes a function and an integer";
  napi_valuetype type;
  std::int32_t times;
  if (!ok(env, napi_typeof(env, argv[0], &type))) return nullptr;
  if (type != napi_function) return type_error(env, message);
  napi_status status = napi_get_value_int32(env, argv[1], &times);
  if (status == napi_number_expected) return type_error(env, message);
  if (!ok(env, status) || !ok(env, napi_get_undefined(env, &receiver))) return nullptr;
  bool failed = false;
  std::int64_t total = native::call_back(
      [&](std::int32_t i) -> std::int64_t {
        if (failed) return 0;
        napi_value arg, value;
        std::int64_t number = 0;
        if (!ok(env, napi_create_int32(env, i, &arg)) || !ok(env, napi_call_function(env, receiver, argv[0], 1, &arg, &value))) {
          failed = true;  // the function's exception stays pending and reaches the caller
          return 0;
        }
        napi_status got = napi_get_value_int64(env, value, &number);
        if (got != napi_ok) {
          failed = true;
          if (got == napi_number_expected) type_error(env, "call_back(fn, k): fn must return a number");
          else ok(env, got);
        }
        return number;
      },
      times);
  if (failed || !ok(env, napi_create_int64(env, total, &result))) return nullptr;
  return result;
}

}  // namespace

NAPI_MODULE_INIT() {
  const napi_property_descriptor functions[] = {
      {"noop", nullptr, noop, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"add_i32", nullptr, add_i32, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"add_f64", nullptr, add_f64, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"str_len", nullptr, str_len, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"str_repeat", nullptr, str_repeat, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"sum_f64", nullptr, sum_f64, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"make_point", nullptr, make_point, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"call_back", nullptr, call_back, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
  };
  if (!ok(env, napi_define_properties(env, exports, sizeof functions / sizeof functions[0], functions))) return nullptr;
  return exports;
}
