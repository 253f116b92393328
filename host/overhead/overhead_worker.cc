#include "host/overhead/overhead_worker.h"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "bindings/python_modules.h"
#include "bindings/v8_callbacks.h"
#include "bindings/v8_fast_api.h"
#include "host/bridge/bridge_overhead.h"
#include "host/build_info.h"
#include "host/model/worker_message.h"
#include "host/overhead/catalogue.h"
#include "host/overhead/cpp_floor.h"
#include "host/python/python_engine.h"
#include "host/runner/subprocess.h"
#include "host/runner/worker_client.h"
#include "host/v8/v8_engine.h"
#include "host/value_json.h"

namespace polyhost {
namespace {

std::string bench_file(const char* name) { return std::string(build_info::source_dir) + "/bindings/overhead/" + name; }

// The C-ABI library is built next to the polyhost binary.
std::string cabi_path() {
  return (std::filesystem::path(self_executable()).parent_path() / "libpolyhost_cabi.so").string();
}

Value config_value(const std::string& binding, double target_ns, int repeats, const std::vector<std::string>& skip) {
  Value::Array skipped;
  for (const auto& s : skip) skipped.push_back(Value(s));
  return Value(Value::Map{{"binding", Value(binding)},
                          {"target_ns", Value(target_ns)},
                          {"repeats", Value(repeats)},
                          {"skip", Value(skipped)},
                          {"cabi_path", Value(cabi_path())}});
}

// The benchmark script's answer, read as the measurement it is.
OverheadMeasurement measurement_of(const Value& answer) {
  const Json json(value_to_json(answer));
  return read_overhead_measurement(JsonNode(json, "the benchmark's answer"));
}

void measure_js(const BindingInfo& b, double target_ns, int repeats, OverheadWorkerMessage& out) {
  V8Platform platform(b.v8_flags);
  V8Engine engine(platform);
  std::vector<std::string> skip;
  engine.with_context([&](v8::Local<v8::Context> context) {
    if (b.natives == V8Natives::None) return;
    v8::Local<v8::Object> native = v8::Object::New(context->GetIsolate());
    if (b.natives == V8Natives::Callbacks) {
      bindings::install_v8_callbacks(context, native);
    } else {
      bindings::install_v8_fast_api(context, native);
    }
    context->Global()->Set(context, v8::String::NewFromUtf8Literal(context->GetIsolate(), "__polyhost_native"), native).Check();
  });
  if (b.natives == V8Natives::FastApi) {
    for (const auto& [name, reason] : bindings::fast_api_unsupported()) {
      skip.push_back(name);
      out.unsupported[name] = reason;
    }
  }
  engine.load_module(bench_file("bench.js"));
  out.measured = measurement_of(engine.call("run", {config_value(b.binding, target_ns, repeats, skip)}));
  if (b.natives == V8Natives::FastApi) out.fast_calls = bindings::fast_api_calls_taken();
  out.engine = engine.version();
  out.flags = b.v8_flags;
}

void measure_py(const BindingInfo& b, double target_ns, int repeats, OverheadWorkerMessage& out) {
  bindings::register_python_binding_modules();
  PythonInterpreter interpreter;
  PythonEngine engine(interpreter);
  engine.load_module(bench_file("bench.py"));
  out.engine = engine.version();
  out.measured = measurement_of(engine.call("run", {config_value(b.binding, target_ns, repeats, {})}));
}

}  // namespace

int overhead_worker_main(const std::string& binding, double target_ns, int repeats, int result_fd) {
  end_with_parent();
  exit_without_teardown();
  OverheadWorkerMessage out;
  out.binding = binding;
  try {
    const auto b = find_binding(binding);
    if (!b) throw std::runtime_error("unknown binding '" + binding + "'");
    switch (b->runtime) {
      case OverheadRuntime::Cpp: out.measured = measure_cpp_floor(target_ns, repeats); break;
      case OverheadRuntime::V8: measure_js(*b, target_ns, repeats, out); break;
      case OverheadRuntime::CPython: measure_py(*b, target_ns, repeats, out); break;
      case OverheadRuntime::Bridge: measure_bridge_overhead(binding, b->v8_flags, target_ns, repeats, out); break;
      case OverheadRuntime::Node:
      case OverheadRuntime::PyPy:
      case OverheadRuntime::Peer: throw std::runtime_error(binding + " is measured by its own runtime's worker script");
    }
  } catch (const std::exception& e) {
    out.ok = false;
    out.message = e.what();
  } catch (const ExitRequest& e) {
    out.ok = false;
    out.message = "the benchmark exited with status " + std::to_string(e.status);
  }
  return write_message(result_fd, write_overhead_worker_message(out)) ? 0 : 3;
}

}  // namespace polyhost
