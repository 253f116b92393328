// Value conversion through each engine, in both directions, for every Value type.
#include <catch2/catch.hpp>

#include <cmath>

#include "host/value_path.h"
#include "tests/engines_fixture.h"

using namespace polyhost;
using polyhost::testing::make_engine;
using polyhost::testing::TempDir;

namespace {

// A module with identity(x); native(kind), which builds values natively in the language; and
// deep(k) / deep_obj(k), arrays / objects nested K levels below the top.
std::unique_ptr<Engine> conversion_engine(Language language, const TempDir& dir) {
  auto engine = make_engine(language);
  if (language == Language::JavaScript) {
    engine->load_module(dir.write("conv.js", R"(
      class Point { constructor() { this.x = 1; } norm() { return 1; } }
      const shared = [1];
      exports.identity = (x) => x;
      exports.native = (kind) => ({
        int: 42, negative: -7, double: 1.25, integral_double: 3.0, huge: 2 ** 60, nan: NaN,
        string: 'héllo ✓', empty: '', true: true, false: false, null: null, undefined: undefined,
        bigint: 12345678901234n, array: [1, 'two', [3]], object: { a: 1, nested: { b: [true] } },
        typed: new Float64Array([0.5, 2]),
        sparse_object: { keep: 1, drop: undefined, fn() {} },
        function: () => 1, symbol: Symbol('s'), map: new Map(), cycle: (() => { const o = {}; o.self = o; return o; })(),
        big_bigint: 2n ** 70n, nested_function: { ok: 1, bad: [() => 0] },
        // edges that must still convert
        two53: 2 ** 53, minus_two53: -(2 ** 53), beyond_two53: 2 ** 53 + 2, bigint_two53: 2n ** 53n,
        minus_bigint_two53: -(2n ** 53n), negative_zero: -0, empty_array: [], empty_object: {},
        nested_empty: { a: [], o: {}, s: '' }, astral: '😀é', surrogate_pair: '\uD83D\uDE00',
        astral_key: { '😀': '\u{1F600}' }, undefined_property: { keep: 1, drop: undefined },
        undefined_item: [undefined, 1], sparse_array: [1, , 3], instance: new Point(), shared: [shared, shared],
        tiny: 5e-324, max_double: Number.MAX_VALUE,
        // not JSON-like
        nan_item: [NaN, 1], infinity: [Infinity, -Infinity], minus_infinity: { x: -Infinity },
        nan_typed: new Float64Array([1, NaN]), method: { f() {} }, thenable: { then(resolve) { resolve(1); } },
        symbol_value: { s: Symbol('x') }, symbol_key: { [Symbol('k')]: 1 }, bigint_past: 2n ** 53n + 1n,
        lone: '\uD800', lone_item: ['ok', 'a\uDC00'], lone_key: { '\uD800x': 1 }, reversed_pair: '\uDE00\uD83D',
        deep_cycle: (() => { const o = { x: [] }; o.x.push(o); return o; })(), date: new Date(0),
        error: new TypeError('boom'), boxed: new Number(1), promise_item: [Promise.resolve(1)],
        odd_key_function: { 'a b': [() => 0] },
        generator: (function* run() { yield 1; })(),
        throwing_getter: { get x() { throw new Error('boom in getter'); } },
        throwing_proxy: [new Proxy({ a: 1 }, { get() { throw new RangeError('trap'); } })],
      })[kind];
      exports.deep = (k) => { let a = []; for (let i = 0; i < k; i++) a = [a]; return a; };
      exports.deep_obj = (k) => { let a = {}; for (let i = 0; i < k; i++) a = { k: a }; return a; };
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
    deep_cyc = {"x": []}
    deep_cyc["x"].append(deep_cyc)
    shared = [1]
    return {
        "int": 42, "negative": -7, "double": 1.25, "integral_double": 3.0, "huge": 2 ** 60, "nan": math.nan,
        "string": "héllo ✓", "empty": "", "true": True, "false": False, "null": None,
        "tuple": (1, "two", (3,)), "array": [1, "two", [3]], "object": {"a": 1, "nested": {"b": [True]}},
        "function": len, "set": {1}, "int_key": {1: "x"}, "cycle": cyc, "big_int": 2 ** 70,
        "nested_function": {"ok": 1, "bad": [len]},
        # edges that must still convert
        "two53": 2 ** 53, "minus_two53": -(2 ** 53), "negative_zero": -0.0, "empty_array": [], "empty_tuple": (),
        "empty_object": {}, "nested_empty": {"a": [], "o": {}, "s": ""}, "astral": "😀é",
        "astral_key": {"😀": "\U0001F600"}, "shared": [shared, shared], "tiny": 5e-324, "max_double": 1.7976931348623157e308,
        "huge_float": 2.0 ** 60,
        # not JSON-like
        "nan_item": [math.nan, 1], "infinity": [math.inf, -math.inf], "minus_infinity": {"x": -math.inf},
        "int_past": 2 ** 53 + 1, "minus_int_past": -(2 ** 53) - 1, "method": {"f": print}, "lambda_item": [1, lambda: 0],
        "lone": "\ud800", "lone_item": ["ok", "a\udc00"], "lone_key": {"\ud800x": 1}, "pair_as_code_points": "\ud83d\ude00",
        "deep_cycle": deep_cyc, "bytes": b"ab", "odd_key_function": {"it's": [len]},
    }[kind]
def deep(k):
    a = []
    for _ in range(k):
        a = [a]
    return a
def deep_obj(k):
    a = {}
    for _ in range(k):
        a = {"k": a}
    return a
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
      Value(9007199254740992LL), Value(-9007199254740992LL), Value(0.1), Value(-2.5e300), Value(-0.0),
      Value(5e-324), Value(1.7976931348623157e308), Value(""), Value("ünïcode ✓ \xF0\x9F\x98\x80"),
      Value("\xF0\x9F\x98\x80"), Value(Value::Array{Value::Array{}, Value::Map{}, ""}),
      Value(Value::Array{}), Value(Value::Array{1, "a", Value::Array{nullptr, 2.5}}),
      Value(Value::Map{}), Value(Value::Map{{"a", 1}, {"b", Value::Map{{"c", Value::Array{true}}}}, {"", "empty key"}}),
  };
  for (const auto& value : values) {
    INFO("value: " << value.to_json());
    const Value back = engine->call("identity", {value});
    CHECK(back == value);
    CHECK(std::string(back.type_name()) == value.type_name());
  }
  CHECK(std::signbit(engine->call("identity", {Value(-0.0)}).as_double()));
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
}

TEST_CASE("JavaScript edge values still convert, exactly", "[convert][js]") {
  TempDir dir;
  auto js = conversion_engine(Language::JavaScript, dir);
  auto native = [&](const char* kind) { return js->call("native", {Value(kind)}); };
  CHECK(native("two53") == Value(std::int64_t{1} << 53));  // 2^53 itself is an exact integer
  CHECK(native("minus_two53") == Value(-(std::int64_t{1} << 53)));
  CHECK(native("bigint_two53") == Value(std::int64_t{1} << 53));
  CHECK(native("minus_bigint_two53") == Value(-(std::int64_t{1} << 53)));
  CHECK(native("beyond_two53") == Value(9007199254740994.0));  // a JS number there is a double
  const Value zero = native("negative_zero");
  REQUIRE(zero.is_double());
  CHECK(std::signbit(zero.as_double()));
  CHECK(native("tiny") == Value(5e-324));
  CHECK(native("max_double") == Value(1.7976931348623157e308));
  CHECK(native("empty_array") == Value(Value::Array{}));
  CHECK(native("empty_object") == Value(Value::Map{}));
  CHECK(native("nested_empty") == Value(Value::Map{{"a", Value::Array{}}, {"o", Value::Map{}}, {"s", ""}}));
  CHECK(native("astral") == Value("\xF0\x9F\x98\x80\xC3\xA9"));
  CHECK(native("surrogate_pair") == Value("\xF0\x9F\x98\x80"));  // a pair is one astral character
  CHECK(native("astral_key") == Value(Value::Map{{"\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80"}}));
  // undefined is JS's other "no value": null wherever it is, and a property keeps its key.
  CHECK(native("undefined_property") == Value(Value::Map{{"drop", nullptr}, {"keep", 1}}));
  CHECK(native("undefined_item") == Value(Value::Array{nullptr, 1}));
  CHECK(native("sparse_array") == Value(Value::Array{1, nullptr, 3}));
  CHECK(native("instance") == Value(Value::Map{{"x", 1}}));  // own data; methods live on the prototype
  CHECK(native("shared") == Value(Value::Array{Value::Array{1}, Value::Array{1}}));  // shared is not a cycle
  CHECK(js->call("deep", {Value(kMaxValueDepth)}).is_array());
  CHECK(js->call("deep_obj", {Value(kMaxValueDepth)}).is_map());
}

TEST_CASE("Python values convert to Value", "[convert][py]") {
  TempDir dir;
  auto py = conversion_engine(Language::Python, dir);
  auto native = [&](const char* kind) { return py->call("native", {Value(kind)}); };
  CHECK(native("int") == Value(42));
  CHECK(native("negative") == Value(-7));
  CHECK(native("double") == Value(1.25));
  CHECK(native("integral_double") == Value(3.0));  // Python keeps float and int apart
  CHECK(native("string") == Value("héllo ✓"));
  CHECK(native("empty") == Value(""));
  CHECK(native("true") == Value(true));
  CHECK(native("false") == Value(false));
  CHECK(native("null").is_null());
  CHECK(native("tuple") == Value(Value::Array{1, "two", Value::Array{3}}));
  CHECK(native("array") == Value(Value::Array{1, "two", Value::Array{3}}));
  CHECK(native("object") == Value(Value::Map{{"a", 1}, {"nested", Value::Map{{"b", Value::Array{true}}}}}));
}

TEST_CASE("Python edge values still convert, exactly", "[convert][py]") {
  TempDir dir;
  auto py = conversion_engine(Language::Python, dir);
  auto native = [&](const char* kind) { return py->call("native", {Value(kind)}); };
  CHECK(native("two53") == Value(std::int64_t{1} << 53));
  CHECK(native("minus_two53") == Value(-(std::int64_t{1} << 53)));
  CHECK(native("huge_float") == Value(std::ldexp(1.0, 60)));  // a float may be large: it is a double anyway
  const Value zero = native("negative_zero");
  REQUIRE(zero.is_double());
  CHECK(std::signbit(zero.as_double()));
  CHECK(native("tiny") == Value(5e-324));
  CHECK(native("max_double") == Value(1.7976931348623157e308));
  CHECK(native("empty_array") == Value(Value::Array{}));
  CHECK(native("empty_tuple") == Value(Value::Array{}));
  CHECK(native("empty_object") == Value(Value::Map{}));
  CHECK(native("nested_empty") == Value(Value::Map{{"a", Value::Array{}}, {"o", Value::Map{}}, {"s", ""}}));
  CHECK(native("astral") == Value("\xF0\x9F\x98\x80\xC3\xA9"));
  CHECK(native("astral_key") == Value(Value::Map{{"\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80"}}));
  CHECK(native("shared") == Value(Value::Array{Value::Array{1}, Value::Array{1}}));  // shared is not a cycle
  CHECK(py->call("deep", {Value(kMaxValueDepth)}).is_array());
  CHECK(py->call("deep_obj", {Value(kMaxValueDepth)}).is_map());
}

TEST_CASE("Values that are not JSON-like are refused with where and why", "[convert]") {
  TempDir dir;
  auto js = conversion_engine(Language::JavaScript, dir);
  auto js_native = [&](const char* kind) { return js->call("native", {Value(kind)}); };
  CHECK_THROWS_WITH(js_native("function"), Catch::Contains("is a function"));
  CHECK_THROWS_WITH(js_native("symbol"), Catch::Contains("is a symbol"));
  CHECK_THROWS_WITH(js_native("map"), Catch::Contains("Map") && Catch::Contains("not JSON-like"));
  CHECK_THROWS_WITH(js_native("nested_function"), Catch::Contains("native() result.bad[0] is a function"));
  CHECK_THROWS_AS(js_native("function"), ConversionError);

  auto py = conversion_engine(Language::Python, dir);
  auto py_native = [&](const char* kind) { return py->call("native", {Value(kind)}); };
  CHECK_THROWS_WITH(py_native("function"), Catch::Contains("builtin_function_or_method"));
  CHECK_THROWS_WITH(py_native("set"), Catch::Contains("is a set"));
  CHECK_THROWS_WITH(py_native("int_key"), Catch::Contains("only str keys"));
  CHECK_THROWS_WITH(py_native("nested_function"), Catch::Contains("native() result['bad'][0]"));
  CHECK_THROWS_AS(py_native("set"), ConversionError);
}

TEST_CASE("NaN and infinities are refused: JSON cannot hold them", "[convert]") {
  TempDir dir;
  auto js = conversion_engine(Language::JavaScript, dir);
  auto js_native = [&](const char* kind) { return js->call("native", {Value(kind)}); };
  CHECK_THROWS_WITH(js_native("nan"), "native() result is NaN, which JSON cannot represent");
  CHECK_THROWS_WITH(js_native("nan_item"), "native() result[0] is NaN, which JSON cannot represent");
  CHECK_THROWS_WITH(js_native("infinity"), "native() result[0] is Infinity, which JSON cannot represent");
  CHECK_THROWS_WITH(js_native("minus_infinity"), "native() result.x is -Infinity, which JSON cannot represent");
  CHECK_THROWS_WITH(js_native("nan_typed"), Catch::StartsWith("native() result[1] is NaN"));
  CHECK_THROWS_AS(js_native("nan_item"), ConversionError);

  auto py = conversion_engine(Language::Python, dir);
  auto py_native = [&](const char* kind) { return py->call("native", {Value(kind)}); };
  CHECK_THROWS_WITH(py_native("nan"), "native() result is NaN, which JSON cannot represent");
  CHECK_THROWS_WITH(py_native("nan_item"), "native() result[0] is NaN, which JSON cannot represent");
  CHECK_THROWS_WITH(py_native("infinity"), "native() result[0] is Infinity, which JSON cannot represent");
  CHECK_THROWS_WITH(py_native("minus_infinity"), "native() result['x'] is -Infinity, which JSON cannot represent");
  CHECK_THROWS_AS(py_native("nan_item"), ConversionError);
}

TEST_CASE("Functions, symbols, thenables and built-in objects are refused, not silently dropped", "[convert]") {
  TempDir dir;
  auto js = conversion_engine(Language::JavaScript, dir);
  auto js_native = [&](const char* kind) { return js->call("native", {Value(kind)}); };
  CHECK_THROWS_WITH(js_native("method"), "native() result.f is a function, which is not JSON-like");
  CHECK_THROWS_WITH(js_native("sparse_object"), Catch::StartsWith("native() result.fn is a function"));
  CHECK_THROWS_WITH(js_native("odd_key_function"), Catch::StartsWith("native() result[\"a b\"][0] is a function"));
  CHECK_THROWS_WITH(js_native("thenable"), "native() result is a thenable, not a Promise: polyhost awaits only real Promises (use an async function)");
  CHECK_THROWS_WITH(js_native("symbol_value"), Catch::StartsWith("native() result.s is a symbol"));
  CHECK_THROWS_WITH(js_native("symbol_key"), Catch::StartsWith("native() result has a property keyed by a symbol (k)"));
  CHECK_THROWS_WITH(js_native("date"), Catch::StartsWith("native() result is a Date, which is not JSON-like"));
  CHECK_THROWS_WITH(js_native("error"), Catch::StartsWith("native() result is a TypeError, which is not JSON-like"));
  CHECK_THROWS_WITH(js_native("boxed"), Catch::StartsWith("native() result is a Number, which is not JSON-like"));
  CHECK_THROWS_WITH(js_native("promise_item"), Catch::StartsWith("native() result[0] is a Promise") &&
                                                   Catch::Contains("await it"));
  CHECK_THROWS_WITH(js_native("generator"), Catch::StartsWith("native() result is a generator object, which is not JSON-like"));
  CHECK_THROWS_WITH(js_native("throwing_getter"), "native() result.x could not be read: reading it threw Error: boom in getter");
  CHECK_THROWS_WITH(js_native("throwing_proxy"), "native() result[0].a could not be read: reading it threw RangeError: trap");
  CHECK_THROWS_AS(js_native("method"), ConversionError);

  auto py = conversion_engine(Language::Python, dir);
  auto py_native = [&](const char* kind) { return py->call("native", {Value(kind)}); };
  CHECK_THROWS_WITH(py_native("method"), "native() result['f'] is a builtin_function_or_method, which is not JSON-like");
  CHECK_THROWS_WITH(py_native("lambda_item"), "native() result[1] is a function, which is not JSON-like");
  CHECK_THROWS_WITH(py_native("odd_key_function"), Catch::StartsWith("native() result['it\\'s'][0] is a builtin_function"));
  CHECK_THROWS_WITH(py_native("bytes"), "native() result is a bytes, which is not JSON-like");
}

TEST_CASE("Integers beyond 2^53 are refused: a JS number cannot hold them exactly", "[convert]") {
  TempDir dir;
  auto js = conversion_engine(Language::JavaScript, dir);
  auto js_native = [&](const char* kind) { return js->call("native", {Value(kind)}); };
  CHECK_THROWS_WITH(js_native("bigint_past"), Catch::StartsWith("native() result is a BigInt beyond \u00b12^53 (9007199254740993n)") &&
                                                  Catch::Contains("; return it as a string, String(x), since results hold integers only within"));
  CHECK_THROWS_WITH(js_native("big_bigint"), Catch::StartsWith("native() result is a BigInt beyond \u00b12^53; return"));

  auto py = conversion_engine(Language::Python, dir);
  auto py_native = [&](const char* kind) { return py->call("native", {Value(kind)}); };
  CHECK_THROWS_WITH(py_native("int_past"), Catch::StartsWith("native() result is an int beyond \u00b12^53 (9007199254740993)") &&
                                               Catch::Contains("; return it as a string, str(x), since JS numbers cannot hold it exactly"));
  CHECK_THROWS_WITH(py_native("minus_int_past"), Catch::StartsWith("native() result is an int beyond \u00b12^53 (-9007199254740993)"));
  CHECK_THROWS_WITH(py_native("huge"), Catch::StartsWith("native() result is an int beyond \u00b12^53 (1152921504606846976)"));
  CHECK_THROWS_WITH(py_native("big_int"), Catch::StartsWith("native() result is an int beyond \u00b12^53; return"));
  CHECK_THROWS_AS(py_native("big_int"), ConversionError);
}

TEST_CASE("Strings with a lone surrogate are refused in both languages", "[convert]") {
  TempDir dir;
  auto js = conversion_engine(Language::JavaScript, dir);
  auto js_native = [&](const char* kind) { return js->call("native", {Value(kind)}); };
  CHECK_THROWS_WITH(js_native("lone"),
                    "native() result is a string with a lone surrogate (U+D800 at index 0), not valid Unicode");
  CHECK_THROWS_WITH(js_native("lone_item"), Catch::StartsWith("native() result[1] is a string with a lone surrogate (U+DC00 at index 1)"));
  CHECK_THROWS_WITH(js_native("lone_key"), Catch::StartsWith("native() result has a key with a lone surrogate (U+D800 at index 0)"));
  CHECK_THROWS_WITH(js_native("reversed_pair"), Catch::Contains("(U+DE00 at index 0)"));
  CHECK_THROWS_AS(js_native("lone"), ConversionError);

  auto py = conversion_engine(Language::Python, dir);
  auto py_native = [&](const char* kind) { return py->call("native", {Value(kind)}); };
  CHECK_THROWS_WITH(py_native("lone"),
                    "native() result is a string with a lone surrogate (U+D800 at index 0), not valid Unicode");
  CHECK_THROWS_WITH(py_native("lone_item"), Catch::StartsWith("native() result[1] is a string with a lone surrogate (U+DC00 at index 1)"));
  CHECK_THROWS_WITH(py_native("lone_key"), Catch::StartsWith("native() result has a key with a lone surrogate (U+D800 at index 0)"));
  // Python strings hold code points: two surrogate code points are not an astral character.
  CHECK_THROWS_WITH(py_native("pair_as_code_points"), Catch::Contains("(U+D83D at index 0)"));
  CHECK_THROWS_AS(py_native("lone"), ConversionError);
}

TEST_CASE("Cycles and too-deep nesting are refused with a short path and the reason", "[convert]") {
  TempDir dir;
  auto js = conversion_engine(Language::JavaScript, dir);
  CHECK_THROWS_WITH(js->call("native", {Value("cycle")}), "native() result.self is native() result again (a cycle), which JSON cannot represent");
  CHECK_THROWS_WITH(js->call("native", {Value("deep_cycle")}), Catch::StartsWith("native() result.x[0] is native() result again (a cycle)"));
  const std::string js_deep = "deep() result[0][0][0]\u2026[0][0] is nested 201 levels deep; the limit is 200";
  CHECK_THROWS_WITH(js->call("deep", {Value(kMaxValueDepth + 1)}), js_deep);
  CHECK_THROWS_WITH(js->call("deep", {Value(3000)}), js_deep);
  CHECK_THROWS_WITH(js->call("deep_obj", {Value(3000)}), Catch::StartsWith("deep_obj() result.k.k.k\u2026.k.k is nested 201 levels deep"));
  CHECK_THROWS_AS(js->call("deep", {Value(3000)}), ConversionError);

  auto py = conversion_engine(Language::Python, dir);
  CHECK_THROWS_WITH(py->call("native", {Value("cycle")}), "native() result[0] is native() result again (a cycle), which JSON cannot represent");
  CHECK_THROWS_WITH(py->call("native", {Value("deep_cycle")}), Catch::StartsWith("native() result['x'][0] is native() result again (a cycle)"));
  const std::string py_deep = "deep() result[0][0][0]\u2026[0][0] is nested 201 levels deep; the limit is 200";
  CHECK_THROWS_WITH(py->call("deep", {Value(kMaxValueDepth + 1)}), py_deep);
  CHECK_THROWS_WITH(py->call("deep", {Value(3000)}), py_deep);
  CHECK_THROWS_WITH(py->call("deep_obj", {Value(3000)}), Catch::StartsWith("deep_obj() result['k']['k']['k']\u2026['k']['k'] is nested 201 levels deep"));
  CHECK_THROWS_AS(py->call("deep", {Value(3000)}), ConversionError);
}
