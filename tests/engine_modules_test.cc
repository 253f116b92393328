// Loading modules through the Engine interface: exports, helpers next to the file, async calls.
#include <catch2/catch.hpp>

#include "tests/engines_fixture.h"

using namespace polyhost;
using polyhost::testing::make_engine;
using polyhost::testing::TempDir;

TEST_CASE("A CommonJS module with a helper exports values and functions", "[modules][js]") {
  TempDir dir;
  dir.write("lib/helper.js", "module.exports.scale = (x) => x * 10;");
  auto file = dir.write("cjs.js", R"(
    const { scale } = require('./lib/helper');
    module.exports = { sizes: { quick: 1, default: 5 }, run: (n) => scale(n), counter: 0 };
  )");
  auto engine = make_engine(Language::JavaScript);
  engine->load_module(file);
  CHECK(engine->has_export("run"));
  CHECK_FALSE(engine->has_export("setup"));
  CHECK(engine->get_export("sizes") == Value(Value::Map{{"quick", 1}, {"default", 5}}));
  CHECK(engine->call("run", {Value(4)}) == Value(40));
}

TEST_CASE("An ES module with imports and top-level await exports values", "[modules][js]") {
  TempDir dir;
  dir.write("dep.mjs", "export const base = await Promise.resolve(100);");
  auto file = dir.write("esm.js", R"(
    import { base } from './dep.mjs';
    export const sizes = { quick: 2, default: 3 };
    export function run(n) { return base + n; }
  )");
  auto engine = make_engine(Language::JavaScript);
  engine->load_module(file);
  CHECK(engine->get_export("sizes") == Value(Value::Map{{"quick", 2}, {"default", 3}}));
  CHECK(engine->call("run", {Value(1)}) == Value(101));
}

TEST_CASE("Async run functions are awaited in both languages", "[modules]") {
  TempDir dir;
  auto js = make_engine(Language::JavaScript);
  js->load_module(dir.write("a.js", R"(
    async function step(i) { await null; return i * 2; }
    exports.run = async (n) => { let s = 0; for (let i = 0; i < n; i++) s += await step(i); return s; };
    exports.never = () => new Promise(() => {});
    exports.reject = async () => { throw new RangeError('async failure'); };
  )"));
  CHECK(js->call("run", {Value(10)}) == Value(90));
  CHECK_THROWS_WITH(js->call("never", {}), Catch::Contains("never settled"));
  CHECK_THROWS_WITH(js->call("reject", {}), Catch::Contains("RangeError: async failure"));

  auto py = make_engine(Language::Python);
  py->load_module(dir.write("a.py", R"(
import asyncio
async def step(i):
    await asyncio.sleep(0)
    return i * 2
async def run(n):
    return sum(await asyncio.gather(*(step(i) for i in range(n))))
)"));
  CHECK(py->call("run", {Value(10)}) == Value(90));
  CHECK(py->call("run", {Value(3)}) == Value(6));  // the event loop is reused across calls
}

TEST_CASE("A Python module imports a package and a module next to it", "[modules][py]") {
  TempDir dir;
  dir.write("pkg_for_test/__init__.py", "FACTOR = 3\n");
  dir.write("helper_for_test.py", "def add(a, b):\n    return a + b\n");
  auto file = dir.write("work.py", R"(
import pkg_for_test
from helper_for_test import add
SIZES = {"quick": 1, "default": 2}
def run(n):
    return add(n, pkg_for_test.FACTOR)
)");
  auto engine = make_engine(Language::Python);
  engine->load_module(file);
  CHECK(engine->has_export("run"));
  CHECK_FALSE(engine->has_export("verify"));
  CHECK(engine->get_export("SIZES") == Value(Value::Map{{"quick", 1}, {"default", 2}}));
  CHECK(engine->call("run", {Value(4)}) == Value(7));
}

TEST_CASE("Calling a missing or non-function export is a TypeError", "[modules]") {
  auto language = GENERATE(Language::JavaScript, Language::Python);
  TempDir dir;
  auto engine = make_engine(language);
  engine->load_module(language == Language::JavaScript ? dir.write("m.js", "exports.value = 1;")
                                                       : dir.write("m.py", "value = 1\n"));
  CHECK_THROWS_WITH(engine->call("run", {}), Catch::Contains("TypeError") && Catch::Contains("run is not a function"));
  CHECK_THROWS_WITH(engine->call("value", {}), Catch::Contains("value is not a function"));
}
