#include "host/overhead/catalogue.h"

namespace polyhost {
namespace {

// V8 10.2's concurrent tier-up never optimizes a calibrated call loop that runs a few thousand
// iterations at a time (it stays marked for optimization, in Sparkplug or Ignition code: the pure-JS
// Float64Array sum cost 520-2500 ns instead of about 100 ns; Debian's node 18 on the same V8 does
// the same, node 20 does not). Compiling on the main thread gives the same optimized code at once.
constexpr const char* kMainThreadCompiles = "--no-concurrent-recompilation";

const std::vector<BindingInfo>& own_bindings() {
  using R = OverheadRuntime;
  static const std::vector<BindingInfo> bindings = {
      {"cpp", "cpp", "C++", "direct C++ call through a function pointer: the floor", R::Cpp},
      {"js", "js", "JavaScript", "the same function in plain JavaScript", R::V8, V8Natives::None, {kMainThreadCompiles}},
      {"js", "v8-callback", "JavaScript", "V8 FunctionTemplate callback", R::V8, V8Natives::Callbacks, {kMainThreadCompiles}},
      {"js", "v8-fast-api", "JavaScript", "V8 fast API call (v8::CFunction, --turbo-fast-api-calls), slow callback as fallback", R::V8,
       V8Natives::FastApi, {"--turbo-fast-api-calls", kMainThreadCompiles}},
      {"node", "node", "JavaScript", "the same function in plain JavaScript, in the system's Node.js", R::Node},
      {"node", "node-api", "JavaScript", "Node.js addon against Node-API's C API (node_api.h)", R::Node},
      {"node", "node-addon-api", "JavaScript", "Node.js addon against node-addon-api (napi.h, the C++ wrapper of Node-API)", R::Node},
      {"node", "node-v8", "JavaScript", "Node.js addon against raw V8 (the v8-callback adapter, built with node's V8 headers)", R::Node},
      {"py", "py", "Python", "the same function in plain Python", R::CPython},
      {"py", "capi", "Python", "raw CPython C-API (METH_NOARGS / METH_O / METH_FASTCALL)", R::CPython},
      {"py", "cython", "Python", "Cython module (cython3), built into polyhost like capi and pybind11", R::CPython},
      {"py", "pybind11", "Python", "pybind11 embedded module", R::CPython},
      {"py", "ctypes", "Python", "ctypes over libpolyhost_cabi.so (C ABI)", R::CPython},
      {"py", "cffi", "Python", "cffi over libpolyhost_cabi.so", R::CPython},
      {"pypy", "pypy", "Python", "the same function in plain Python, under PyPy's JIT", R::PyPy},
      // The bridge between the languages (host/bridge): the language is the callee's, whose pure
      // call is the baseline of the relative cost.
      {"py", "js->py", "JavaScript", "JavaScript calling the pure-Python function through polyhost's bridge", R::Bridge,
       V8Natives::None, {kMainThreadCompiles}},
      {"js", "py->js", "Python", "Python calling the pure-JavaScript function through polyhost's bridge", R::Bridge,
       V8Natives::None, {kMainThreadCompiles}},
      {"pypy", "pypy-cffi", "Python", "PyPy's built-in cffi (ABI mode) over libpolyhost_cabi.so, a call PyPy's JIT compiles into its trace",
       R::PyPy},
  };
  return bindings;
}

// Other projects' bridges, on the same JavaScript-calls-Python cases (bindings/overhead/peers.js).
const std::vector<BindingInfo>& peer_bindings() {
  static const std::vector<BindingInfo> peers = {
      {"py", "node-calls-python", "JavaScript",
       "node-calls-python under Node.js: CPython embedded in the Node process (an add-on)", OverheadRuntime::Peer},
      {"py", "pythonia", "JavaScript", "pythonia under Node.js: Python in a child process, over pipes (every call awaited)",
       OverheadRuntime::Peer},
  };
  return peers;
}

}  // namespace

std::vector<BindingInfo> overhead_bindings(bool peers) {
  std::vector<BindingInfo> all = own_bindings();
  if (peers) all.insert(all.end(), peer_bindings().begin(), peer_bindings().end());
  return all;
}

std::optional<BindingInfo> find_binding(const std::string& name) {
  for (const auto& b : overhead_bindings(true)) {
    if (b.binding == name) return b;
  }
  return std::nullopt;
}

const std::vector<std::string>& overhead_cases() {
  static const std::vector<std::string> cases = {"noop",          "add_i32",       "add_f64",    "str_len",  "str_repeat",
                                                 "sum_f64_array", "sum_f64_typed", "make_point", "call_back"};
  return cases;
}

}  // namespace polyhost
