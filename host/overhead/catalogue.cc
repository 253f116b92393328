#include "host/overhead/catalogue.h"

namespace polyhost {

const std::vector<BindingInfo>& overhead_bindings() {
  using R = OverheadRuntime;
  static const std::vector<BindingInfo> bindings = {
      {"cpp", "cpp", "direct C++ call through a function pointer: the floor", R::Cpp},
      {"js", "js", "the same function in plain JavaScript", R::V8},
      {"js", "v8-callback", "V8 FunctionTemplate callback", R::V8, V8Natives::Callbacks},
      {"js", "v8-fast-api", "V8 fast API call (v8::CFunction, --turbo-fast-api-calls), slow callback as fallback", R::V8,
       V8Natives::FastApi, {"--turbo-fast-api-calls"}},
      {"py", "py", "the same function in plain Python", R::CPython},
      {"py", "capi", "raw CPython C-API (METH_NOARGS / METH_O / METH_FASTCALL)", R::CPython},
      {"py", "pybind11", "pybind11 embedded module", R::CPython},
      {"py", "ctypes", "ctypes over libpolyhost_cabi.so (C ABI)", R::CPython},
      {"py", "cffi", "cffi over libpolyhost_cabi.so", R::CPython},
  };
  return bindings;
}

const BindingInfo* find_binding(const std::string& name) {
  for (const auto& b : overhead_bindings()) {
    if (b.binding == name) return &b;
  }
  return nullptr;
}

const std::vector<std::string>& overhead_cases() {
  static const std::vector<std::string> cases = {"noop",          "add_i32",       "add_f64",    "str_len",  "str_repeat",
                                                 "sum_f64_array", "sum_f64_typed", "make_point", "call_back"};
  return cases;
}

}  // namespace polyhost
