// Value conversion through each engine, in both directions, for every Value type.
#include <catch2/catch.hpp>

#include <cmath>

#include "tests/engines_fixture.h"

using namespace polyhost;
using polyhost::testing::make_engine;
using polyhost::testing::TempDir;

namespace {

// A module with identity(x) and native(kind), which builds values natively in the language.
std::unique_ptr<Engine> conversion_engine(Language language, const TempDir& dir) {
  auto engine = make_engine(language);
  if (language == Language::JavaScript) {
    engine->load_module(dir.write("conv.js", R"(
      exports.identity = (x) => x;
      exports.native = (kind) => ({
        int: 42, negative: -7, double: 1.25, integral_double: 3.0, huge: 2 ** 60, nan: NaN,
        string: 'héllo ✓', empty: '', true: true, false: false, null: null, undefined: undefined,
        bigint: 12345678901234n, array: [1, 'two', [3]], object: { a: 1, nested: { b: [true] } },
        typed: new Float64Array([0.5, 2]),
        sparse_object: { keep: 1, drop: undefined, fn() {} },
        function: () => 1, symbol: Symbol('s'), map: new Map(), cycle: (() => { const o = {}; o.self = o; return o; })(),
        big_bigint: 2n ** 70n, nested_function: { ok: 1, bad: [() => 0] },
      })[kind];
      exports.typeOf = (x) => Array.isArray(x) ? 'array' : typeof x;
    )"));
  } else {
    engine->load_module(dir.write("conv.py", R"(
import math
def identity(x):
    return x
def native(kind):
    cyc = []
    cyc.append(cyc)
    return {
        "int": 42, "negative": -7, "double": 1.25, "integral_double": 3.0, "huge": 2 ** 60, "nan": math.nan,
        "string": "héllo ✓", "empty": "", "true": True, "false": False, "null": None,
        "tuple": (1, "two", (3,)), "array": [1, "two", [3]], "object": {"a": 1, "nested": {"b": [True]}},
        "function": len, "set": {1}, "int_key": {1: "x"}, "cycle": cyc, "big_int": 2 ** 70,
        "nested_function": {"ok": 1, "bad": [len]},
    }[kind]
def type_of(x):
    return type(x).__name__
)"));
  }
  return engine;
}

}  // namespace

TEST_CASE("Every Value type survives a round trip through each engine", "[convert]") {
  auto language = GENERATE(Language::JavaScript, Language::Python);
  INFO("language: " << language_name(language));
  TempDir dir;
  auto engine = conversion_engine(language, dir);
  const std::vector<Value> values = {
      Value(), Value(true), Value(false), Value(0), Value(-123456789012LL), Value(9007199254740991LL),
      Value(0.1), Value(-2.5e300), Value(""), Value("ünïcode ✓ \xF0\x9F\x98\x80"),
      Value(Value::Array{}), Value(Value::Array{1, "a", Value::Array{nullptr, 2.5}}),
      Value(Value::Map{}), Value(Value::Map{{"a", 1}, {"b", Value::Map{{"c", Value::Array{true}}}}, {"", "empty key"}}),
  };
  for (const auto& value : values) {
    INFO("value: " << value.to_json());
    CHECK(engine->call("identity", {value}) == value);
  }
}

TEST_CASE("Values arrive in each engine as the language's own types", "[convert]") {
  TempDir dir;
  auto js = conversion_engine(Language::JavaScript, dir);
  CHECK(js->call("typeOf", {Value(1)}) == Value("number"));
  CHECK(js->call("typeOf", {Value(1.5)}) == Value("number"));
  CHECK(js->call("typeOf", {Value(std::int64_t{1} << 60)}) == Value("bigint"));  // beyond 2^53: no digit lost
  CHECK(js->call("typeOf", {Value("s")}) == Value("string"));
  CHECK(js->call("typeOf", {Value(Value::Array{})}) == Value("array"));
  CHECK(js->call("typeOf", {Value(Value::Map{})}) == Value("object"));
  CHECK(js->call("typeOf", {Value()}) == Value("object"));  // null

  auto py = conversion_engine(Language::Python, dir);
  CHECK(py->call("type_of", {Value(1)}) == Value("int"));
  CHECK(py->call("type_of", {Value(1.0)}) == Value("float"));
  CHECK(py->call("type_of", {Value(true)}) == Value("bool"));
  CHECK(py->call("type_of", {Value("s")}) == Value("str"));
  CHECK(py->call("type_of", {Value(Value::Array{})}) == Value("list"));
  CHECK(py->call("type_of", {Value(Value::Map{})}) == Value("dict"));
  CHECK(py->call("type_of", {Value()}) == Value("NoneType"));
}

TEST_CASE("JavaScript values convert to Value", "[convert][js]") {
  TempDir dir;
  auto js = conversion_engine(Language::JavaScript, dir);
  auto native = [&](const char* kind) { return js->call("native", {Value(kind)}); };
  CHECK(native("int") == Value(42));
  CHECK(native("negative") == Value(-7));
  CHECK(native("double") == Value(1.25));
  CHECK(native("integral_double") == Value(3));  // JS cannot tell 3.0 from 3
  CHECK(native("huge") == Value(std::ldexp(1.0, 60)));  // beyond 2^53 stays a double
  CHECK(std::isnan(native("nan").as_double()));
  CHECK(native("string") == Value("héllo ✓"));
  CHECK(native("empty") == Value(""));
  CHECK(native("true") == Value(true));
  CHECK(native("false") == Value(false));
  CHECK(native("null").is_null());
  CHECK(native("undefined").is_null());
  CHECK(native("bigint") == Value(std::int64_t{12345678901234}));
  CHECK(native("array") == Value(Value::Array{1, "two", Value::Array{3}}));
  CHECK(native("object") == Value(Value::Map{{"a", 1}, {"nested", Value::Map{{"b", Value::Array{true}}}}}));
  CHECK(native("typed") == Value(Value::Array{0.5, 2}));
  CHECK(native("sparse_object") == Value(Value::Map{{"keep", 1}}));  // as JSON.stringify drops them
}

TEST_CASE("Python values convert to Value", "[convert][py]") {
  TempDir dir;
  auto py = conversion_engine(Language::Python, dir);
  auto native = [&](const char* kind) { return py->call("native", {Value(kind)}); };
  CHECK(native("int") == Value(42));
  CHECK(native("negative") == Value(-7));
  CHECK(native("double") == Value(1.25));
  CHECK(native("integral_double") == Value(3.0));  // Python keeps float and int apart
  CHECK(native("huge") == Value(std::int64_t{1} << 60));
  CHECK(std::isnan(native("nan").as_double()));
  CHECK(native("string") == Value("héllo ✓"));
  CHECK(native("empty") == Value(""));
  CHECK(native("true") == Value(true));
  CHECK(native("false") == Value(false));
  CHECK(native("null").is_null());
  CHECK(native("tuple") == Value(Value::Array{1, "two", Value::Array{3}}));
  CHECK(native("array") == Value(Value::Array{1, "two", Value::Array{3}}));
  CHECK(native("object") == Value(Value::Map{{"a", 1}, {"nested", Value::Map{{"b", Value::Array{true}}}}}));
}

TEST_CASE("Values that are not JSON-like are refused with where and why", "[convert]") {
  TempDir dir;
  auto js = conversion_engine(Language::JavaScript, dir);
  auto js_native = [&](const char* kind) { return js->call("native", {Value(kind)}); };
  CHECK_THROWS_WITH(js_native("function"), Catch::Contains("is a function"));
  CHECK_THROWS_WITH(js_native("symbol"), Catch::Contains("is a symbol"));
  CHECK_THROWS_WITH(js_native("map"), Catch::Contains("Map") && Catch::Contains("not JSON-like"));
  CHECK_THROWS_WITH(js_native("cycle"), Catch::Contains("cycle"));
  CHECK_THROWS_WITH(js_native("big_bigint"), Catch::Contains("does not fit in 64 bits"));
  CHECK_THROWS_WITH(js_native("nested_function"), Catch::Contains("native() result.bad[0] is a function"));
  CHECK_THROWS_AS(js_native("function"), ConversionError);

  auto py = conversion_engine(Language::Python, dir);
  auto py_native = [&](const char* kind) { return py->call("native", {Value(kind)}); };
  CHECK_THROWS_WITH(py_native("function"), Catch::Contains("builtin_function_or_method"));
  CHECK_THROWS_WITH(py_native("set"), Catch::Contains("is a set"));
  CHECK_THROWS_WITH(py_native("int_key"), Catch::Contains("only str keys"));
  CHECK_THROWS_WITH(py_native("cycle"), Catch::Contains("cycle"));
  CHECK_THROWS_WITH(py_native("big_int"), Catch::Contains("does not fit in 64 bits"));
  CHECK_THROWS_WITH(py_native("nested_function"), Catch::Contains("native() result['bad'][0]"));
  CHECK_THROWS_AS(py_native("set"), ConversionError);
}
