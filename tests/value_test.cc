#include <catch2/catch.hpp>

#include <cmath>

#include "host/value.h"
#include "host/value_path.h"

using polyhost::Value;

TEST_CASE("Value holds each JSON-like type and names it", "[value]") {
  CHECK(Value().is_null());
  CHECK(Value(true).as_bool());
  CHECK(Value(42).as_int() == 42);
  CHECK(Value(1.5).as_double() == 1.5);
  CHECK(Value("hi").as_string() == "hi");
  CHECK(Value(Value::Array{1, "a"}).as_array().size() == 2);
  CHECK(Value(Value::Map{{"k", 1}}).as_map().at("k") == Value(1));
  CHECK(std::string(Value(2.0).type_name()) == "double");
  CHECK(std::string(Value(Value::Map{}).type_name()) == "map");
}

TEST_CASE("Value equality distinguishes types and contents", "[value]") {
  CHECK(Value(1) != Value(1.0));
  CHECK(Value(Value::Array{1, 2}) != Value(Value::Array{2, 1}));
  CHECK(Value(Value::Map{{"a", 1}, {"b", 2}}) == Value(Value::Map{{"b", 2}, {"a", 1}}));
}

TEST_CASE("Value prints as JSON, keeping non-finite doubles visible", "[value]") {
  Value v(Value::Map{{"n", nullptr}, {"xs", Value::Array{1, 2.5, "s"}}, {"t", true}});
  CHECK(v.to_json() == R"({"n":null,"t":true,"xs":[1,2.5,"s"]})");
  CHECK(Value(Value::Array{std::nan(""), INFINITY, -INFINITY}).to_json() == "[NaN,Infinity,-Infinity]");
}

TEST_CASE("ValuePath names a place in a value, shortened when deep", "[value]") {
  using polyhost::ValuePath;
  ValuePath js("run() result", ValuePath::Style::JavaScript);
  CHECK(js.str() == "run() result");
  js.push_key("items");
  js.push_index(3);
  js.push_key("a b");
  js.push_key("_ok$1");
  CHECK(js.str() == "run() result.items[3][\"a b\"]._ok$1");
  CHECK(js.prefix(2) == "run() result.items[3]");
  js.pop();
  js.pop();
  CHECK(js.str() == "run() result.items[3]");

  ValuePath py("run() result", ValuePath::Style::Python);
  py.push_key("it's");
  py.push_index(0);
  CHECK(py.str() == "run() result['it\\'s'][0]");

  ValuePath deep("run() result", ValuePath::Style::JavaScript);
  for (int i = 0; i < 3000; ++i) deep.push_index(0);
  CHECK(deep.str() == "run() result[0][0][0]\u2026[0][0] (3000 levels)");
  CHECK(deep.bare() == "run() result[0][0][0]\u2026[0][0]");
  CHECK(deep.prefix(2) == "run() result[0][0]");

  // Long keys are cut, and a path too long to show whole keeps its first and last step.
  const std::string long_key(500, 'k');
  ValuePath wide("run() result", ValuePath::Style::JavaScript);
  for (int i = 0; i < 8; ++i) wide.push_key(long_key);
  const std::string shown_key = "." + std::string(24, 'k') + "\u2026";
  CHECK(wide.str() == "run() result" + shown_key + "\u2026" + shown_key + " (8 levels)");
}

TEST_CASE("ValuePathStep pops what it pushed", "[value]") {
  polyhost::ValuePath path("x", polyhost::ValuePath::Style::Python);
  {
    polyhost::ValuePathStep step(path, std::size_t{1});
    CHECK(path.str() == "x[1]");
    CHECK(path.depth() == 1);
  }
  CHECK(path.depth() == 0);
}
