// The JavaScript/Python bridge through its C++ interface: engines started on first use, proxies
// that outlive the engine behind them, and the bridge's bookkeeping. The behaviour seen by scripts
// is covered by tests/cli/bridge_cases.py.
#include <catch2/catch.hpp>

#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include "host/bridge/bridge.h"
#include "tests/engines_fixture.h"
#include "tests/test_support.h"

using namespace polyhost;
using polyhost::testing::TempDir;
using polyhost::testing::error_of;

namespace {

// Two engines and a bridge, each engine started only when the bridge asks for it (or the test).
class BridgedEngines {
 public:
  BridgedEngines()
      : bridge_([this] { start_js(); }, [this] { start_python(); }) {}
  ~BridgedEngines() {
    bridge_.detach_python();
    bridge_.detach_js();
  }
  V8Engine& js() {
    if (!js_) start_js();
    return *js_;
  }
  PythonEngine& python() {
    if (!python_) start_python();
    return *python_;
  }
  bool python_started() const { return python_ != nullptr; }
  bool js_started() const { return js_ != nullptr; }
  Bridge& bridge() { return bridge_; }

 private:
  void start_js() {
    js_ = std::make_unique<V8Engine>(polyhost::testing::v8_platform());
    bridge_.attach(*js_);
  }
  void start_python() {
    python_ = std::make_unique<PythonEngine>(polyhost::testing::python_interpreter());
    bridge_.attach(*python_);
  }

  std::unique_ptr<V8Engine> js_;
  std::unique_ptr<PythonEngine> python_;
  Bridge bridge_;  // declared last: gone before the engines
};

}  // namespace

TEST_CASE("CPython starts on the first use from JavaScript, not before", "[bridge]") {
  TempDir dir;
  BridgedEngines engines;
  engines.js().run_program(dir.write("plain.js", "globalThis.sum = [1, 2, 3].reduce((a, b) => a + b);"), {});
  CHECK_FALSE(engines.python_started());
  engines.js().run_program(dir.write("uses.js", "globalThis.root = python.import('math').isqrt(49);"), {});
  CHECK(engines.python_started());
}

TEST_CASE("V8 starts on the first use from Python, not before", "[bridge]") {
  TempDir dir;
  BridgedEngines engines;
  engines.python().run_program(dir.write("plain.py", "import polyhost\nx = polyhost.stats()['crossings']\n"), {});
  CHECK_FALSE(engines.js_started());
  engines.python().run_program(dir.write("uses.py", "from polyhost import js\nassert js.Math.max(2, 9) == 9\n"), {});
  CHECK(engines.js_started());
}

TEST_CASE("An engine is not started from another thread than the bridge's", "[bridge]") {
  BridgedEngines engines;
  std::string refused;
  std::thread other([&] {
    try {
      engines.bridge().js();
    } catch (const std::runtime_error& e) {
      refused = e.what();
    }
  });
  other.join();
  CHECK(refused == "JavaScript can only be used from the thread that runs it (the main thread)");
  CHECK_FALSE(engines.js_started());
  engines.bridge().js();  // the bridge's own thread still can
  CHECK(engines.js_started());
}

TEST_CASE("A JavaScript proxy of a Python object throws once the interpreter is gone", "[bridge]") {
  TempDir dir;
  BridgedEngines engines;
  engines.js().run_program(dir.write("keep.js", "globalThis.kept = python.eval('[1, 2, 3]');"), {});
  engines.bridge().detach_python();
  auto info = error_of([&] { engines.js().run_program(dir.write("use.js", "kept.length;"), {}); });
  CHECK(info.type == "Error");
  CHECK_THAT(info.message, Catch::Contains("the Python interpreter has shut down"));
  info = error_of([&] { engines.js().run_program(dir.write("global.js", "python.eval('1');"), {}); });
  CHECK_THAT(info.message, Catch::Contains("gone"));
}

TEST_CASE("A Python proxy of a JavaScript value raises once V8 is gone", "[bridge]") {
  TempDir dir;
  BridgedEngines engines;
  engines.python().run_program(dir.write("keep.py", "import builtins\nfrom polyhost import js\nbuiltins.kept = js.eval('[1, 2]')\n"), {});
  engines.bridge().detach_js();
  auto info = error_of([&] { engines.python().run_program(dir.write("use.py", "len(kept)\n"), {}); });
  CHECK(info.type == "RuntimeError");
  CHECK_THAT(info.message, Catch::Contains("the JavaScript engine has shut down"));
  engines.python().run_program(dir.write("clean.py", "import builtins\ndel builtins.kept\n"), {});
}

TEST_CASE("Proxies are counted while alive and released when dropped", "[bridge]") {
  TempDir dir;
  BridgedEngines engines;
  engines.python().run_program(dir.write("count.py", R"py(
import polyhost
from polyhost import js
base = polyhost.stats()["python_proxies_of_js"]
objects = [js.eval("({})") for _ in range(50)]
assert polyhost.stats()["python_proxies_of_js"] == base + 50, polyhost.stats()
del objects
assert polyhost.stats()["python_proxies_of_js"] == base, polyhost.stats()
)py"),
                               {});
}
