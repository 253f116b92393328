#include <catch2/catch.hpp>

#include <cmath>

#include "host/value.h"

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
