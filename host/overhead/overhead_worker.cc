// The worker of `polyhost overhead`: one binding, every case, in a fresh process (V8 flags such as
// --turbo-fast-api-calls are process-wide, and each binding should start from the same state).
#include <unistd.h>

#include <filesystem>

#include "bindings/python_modules.h"
#include "bindings/v8_callbacks.h"
#include "bindings/v8_fast_api.h"
#include "host/bridge/bridge_overhead.h"
#include "host/build_info.h"
#include "host/overhead/cpp_floor.h"
#include "host/overhead/overhead.h"
#include "host/python/python_engine.h"
#include "host/runner/subprocess.h"
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

nlohmann::json measure_js(const std::string& binding, double target_ns, int repeats, nlohmann::json& report) {
  std::vector<std::string> flags;
  if (binding == "v8-fast-api") flags.push_back("--turbo-fast-api-calls");
  V8Platform platform(flags);
  V8Engine engine(platform);
  std::vector<std::string> skip;
  engine.with_context([&](v8::Local<v8::Context> context) {
    if (binding == "js") return;
    v8::Local<v8::Object> native = v8::Object::New(context->GetIsolate());
    if (binding == "v8-callback") {
      bindings::install_v8_callbacks(context, native);
    } else {
      bindings::install_v8_fast_api(context, native);
    }
    context->Global()->Set(context, v8::String::NewFromUtf8Literal(context->GetIsolate(), "__polyhost_native"), native).Check();
  });
  if (binding == "v8-fast-api") {
    for (const auto& [name, reason] : bindings::fast_api_unsupported()) {
      skip.push_back(name);
      report["unsupported"][name] = reason;
    }
  }
  engine.load_module(bench_file("bench.js"));
  nlohmann::json out = value_to_json(engine.call("run", {config_value(binding, target_ns, repeats, skip)}));
  if (binding == "v8-fast-api") report["fast_calls"] = bindings::fast_api_calls_taken();
  report["engine"] = engine.version();
  report["flags"] = flags;
  return out;
}

nlohmann::json measure_py(const std::string& binding, double target_ns, int repeats, nlohmann::json& report) {
  bindings::register_python_binding_modules();
  PythonInterpreter interpreter;
  PythonEngine engine(interpreter);
  engine.load_module(bench_file("bench.py"));
  report["engine"] = engine.version();
  return value_to_json(engine.call("run", {config_value(binding, target_ns, repeats, {})}));
}

}  // namespace

int overhead_worker_main(const std::string& binding, double target_ns, int repeats, int result_fd) {
  end_with_parent();
  nlohmann::json report = {{"binding", binding}, {"status", "ok"}, {"unsupported", nlohmann::json::object()}};
  try {
    nlohmann::json measured;
    if (binding == "cpp") {
      measured = measure_cpp_floor(target_ns, repeats);
    } else if (binding == "js" || binding == "v8-callback" || binding == "v8-fast-api") {
      measured = measure_js(binding, target_ns, repeats, report);
    } else if (binding == "js->py" || binding == "py->js") {
      measured = measure_bridge_overhead(binding, target_ns, repeats, report);
    } else {
      measured = measure_py(binding, target_ns, repeats, report);
    }
    report["cases"] = measured["cases"];
    report["errors"] = measured["errors"];
    if (measured.contains("unavailable")) report["unavailable"] = measured["unavailable"];
  } catch (const std::exception& e) {
    report["status"] = "error";
    report["message"] = e.what();
  } catch (const ExitRequest& e) {
    report["status"] = "error";
    report["message"] = "the benchmark exited with status " + std::to_string(e.status);
  }
  std::string text = report.dump();
  for (size_t done = 0; done < text.size();) {
    ssize_t n = ::write(result_fd, text.data() + done, text.size() - done);
    if (n <= 0) return 3;
    done += static_cast<size_t>(n);
  }
  ::close(result_fd);
  return 0;
}

}  // namespace polyhost
