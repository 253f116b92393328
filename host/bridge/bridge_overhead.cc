#include "host/bridge/bridge_overhead.h"

#include <memory>
#include <optional>
#include <nlohmann/json.hpp>

#include "host/bridge/bridge.h"
#include "host/build_info.h"
#include "host/python/python_engine.h"
#include "host/v8/v8_engine.h"
#include "host/value_json.h"

namespace polyhost {

void measure_bridge_overhead(const std::string& binding, const std::vector<std::string>& v8_flags, double target_ns, int repeats,
                             OverheadWorkerMessage& report) {
  const bool from_js = binding == "js->py";
  if (!from_js && binding != "py->js") throw std::invalid_argument("not a bridge binding: " + binding);
  // Both engines, each started when the bridge first needs it, and torn down in reverse.
  std::optional<V8Platform> platform;
  std::unique_ptr<V8Engine> js;
  std::optional<PythonInterpreter> interpreter;
  std::unique_ptr<PythonEngine> python;
  std::unique_ptr<Bridge> bridge;
  auto start_js = [&] {
    platform.emplace(v8_flags);
    js = std::make_unique<V8Engine>(*platform);
    bridge->attach(*js);
  };
  auto start_python = [&] {
    interpreter.emplace();
    python = std::make_unique<PythonEngine>(*interpreter);
    bridge->attach(*python);
  };
  bridge = std::make_unique<Bridge>(start_js, start_python);
  if (from_js) start_js(); else start_python();
  Engine& caller = from_js ? static_cast<Engine&>(*js) : static_cast<Engine&>(*python);

  const std::string bench = std::string(build_info::source_dir) + "/bindings/overhead/" + (from_js ? "bench.js" : "bench.py");
  caller.load_module(bench);
  const Value config(Value::Map{{"binding", Value(binding)},
                                {"target_ns", Value(target_ns)},
                                {"repeats", Value(repeats)},
                                {"skip", Value(Value::Array{})}});
  const Json answer(value_to_json(caller.call("run", {config})));
  report.measured = read_overhead_measurement(JsonNode(answer, "the benchmark's answer"));
  report.engine = "V8 " + V8Platform::version() + " + CPython " + PythonInterpreter::version() + " (bridge)";
  report.flags = v8_flags;
  bridge.reset();  // before the engines
}

}  // namespace polyhost
