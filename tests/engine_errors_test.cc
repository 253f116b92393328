// Errors from scripts carry file, line, column, type, message and the engine's stack.
#include <catch2/catch.hpp>

#include "tests/engines_fixture.h"
#include "tests/test_support.h"

using namespace polyhost;
using polyhost::testing::make_engine;
using polyhost::testing::TempDir;
using polyhost::testing::error_of;

TEST_CASE("A JavaScript exception reports where it was thrown", "[errors][js]") {
  TempDir dir;
  auto file = dir.write("boom.js", "exports.run = () => {\n  const x = 1;\n  throw new TypeError('bad input ' + x);\n};\n");
  auto engine = make_engine(Language::JavaScript);
  engine->load_module(file);
  auto info = error_of([&] { engine->call("run", {}); });
  CHECK(info.file == file.string());
  CHECK(info.line == 3);
  CHECK(info.column == 9);
  CHECK(info.type == "TypeError");
  CHECK(info.message == "bad input 1");
  CHECK_THAT(info.stack, Catch::Contains("boom.js:3:9"));
  CHECK_THAT(ScriptError(info).what(), Catch::StartsWith(file.string() + ":3:9: TypeError: bad input 1"));
}

TEST_CASE("A JavaScript syntax error points at the bad token, in CommonJS and ES modules", "[errors][js]") {
  TempDir dir;
  auto cjs = dir.write("bad.js", "const a = 1;\nconst b = a +* 2;\n");
  auto esm = dir.write("bad.mjs", "export const a = 1;\nexport let = 2;\n");
  for (const auto& file : {cjs, esm}) {
    INFO(file);
    auto engine = make_engine(Language::JavaScript);
    auto info = error_of([&] { engine->load_module(file); });
    CHECK(info.file == file.string());
    CHECK(info.line == 2);
    CHECK(info.column > 0);
    CHECK(info.type == "SyntaxError");
  }
}

TEST_CASE("A thrown non-Error value is still reported", "[errors][js]") {
  TempDir dir;
  auto engine = make_engine(Language::JavaScript);
  engine->load_module(dir.write("s.js", "exports.run = () => { throw 'just a string'; };"));
  auto info = error_of([&] { engine->call("run", {}); });
  CHECK(info.type == "Uncaught");
  CHECK(info.message == "just a string");
  CHECK(info.line == 1);
}

TEST_CASE("A Python exception reports the innermost frame", "[errors][py]") {
  TempDir dir;
  auto file = dir.write("boom.py", "def helper(d):\n    return d['missing']\n\ndef run():\n    return helper({})\n");
  auto engine = make_engine(Language::Python);
  engine->load_module(file);
  auto info = error_of([&] { engine->call("run", {}); });
  CHECK(info.file == file.string());
  CHECK(info.line == 2);
  CHECK(info.column == 12);
  CHECK(info.type == "KeyError");
  CHECK(info.message == "'missing'");
  CHECK_THAT(info.stack, Catch::Contains("Traceback (most recent call last)") && Catch::Contains("line 5, in run"));
  CHECK_THAT(info.stack, !Catch::Contains("prelude"));
}

TEST_CASE("A Python syntax error points at the bad token", "[errors][py]") {
  TempDir dir;
  auto file = dir.write("bad.py", "x = 1\ny = (x +\n");
  auto engine = make_engine(Language::Python);
  auto info = error_of([&] { engine->load_module(file); });
  CHECK(info.file == file.string());
  CHECK(info.line == 2);
  CHECK(info.type == "SyntaxError");
  CHECK_THAT(info.message, Catch::Contains("was never closed"));
}

TEST_CASE("Exiting from a script is an ExitRequest with its status", "[errors]") {
  TempDir dir;
  auto js = make_engine(Language::JavaScript);
  js->load_module(dir.write("e.js", "exports.run = () => process.exit(7);"));
  try {
    js->call("run", {});
    FAIL("process.exit did not stop the script");
  } catch (const ExitRequest& e) {
    CHECK(e.status == 7);
  }
  CHECK_THROWS_AS(js->call("run", {}), ExitRequest);  // the engine stays usable after an exit
}
