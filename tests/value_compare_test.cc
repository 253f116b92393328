#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "host/value_compare.h"
#include "host/value_json.h"

using polyhost::find_difference;
using polyhost::Value;

TEST_CASE("Integers and strings must match exactly", "[compare]") {
  CHECK_FALSE(find_difference(Value(7), Value(7)));
  CHECK(*find_difference(Value(7), Value(8)) == "result: 7 vs 8");
  CHECK(find_difference(Value(9007199254740993LL), Value(9007199254740992LL)));  // beyond 2^53, still exact
  CHECK_FALSE(find_difference(Value("abc"), Value("abc")));
  CHECK(find_difference(Value("abc"), Value("abd")));
}

TEST_CASE("Doubles agree to 1e-9 relative; ints and doubles compare numerically", "[compare]") {
  CHECK_FALSE(find_difference(Value(1.0), Value(1.0 + 1e-12)));
  CHECK(find_difference(Value(1.0), Value(1.0 + 1e-8)));
  CHECK_FALSE(find_difference(Value(3), Value(3.0)));
  CHECK(find_difference(Value(3), Value(3.1)));
  CHECK_FALSE(find_difference(Value(0.0), Value(0.0)));
  const double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK_FALSE(find_difference(Value(nan), Value(nan)));
  CHECK(find_difference(Value(nan), Value(1.0)));
  CHECK_FALSE(find_difference(Value(INFINITY), Value(INFINITY)));
  CHECK(find_difference(Value(INFINITY), Value(-INFINITY)));
}

TEST_CASE("An int beyond 2^53 agrees only with a double that is exactly it", "[compare]") {
  const std::int64_t two53 = std::int64_t{1} << 53;
  // A JS number cannot hold 2^53 + 1: the tolerance must not let it pass as 2^53.
  CHECK(*find_difference(Value(two53 + 1), Value(9007199254740992.0)) == "result: 9007199254740993 vs 9.007199254740992e+15");
  CHECK(find_difference(Value(9007199254740992.0), Value(two53 + 1)));
  CHECK(find_difference(Value(-two53 - 1), Value(-9007199254740992.0)));
  CHECK_FALSE(find_difference(Value(std::int64_t{1} << 60), Value(std::ldexp(1.0, 60))));  // exactly equal
  CHECK_FALSE(find_difference(Value(two53), Value(9007199254740992.0)));
  CHECK_FALSE(find_difference(Value(-two53), Value(-9007199254740992.0)));
  CHECK(find_difference(Value(std::numeric_limits<std::int64_t>::max()), Value(9223372036854775808.0)));
  CHECK(find_difference(Value(two53 + 1), Value(std::numeric_limits<double>::quiet_NaN())));
  CHECK_FALSE(find_difference(Value(two53 - 1), Value(9007199254740991.0)));
}

TEST_CASE("Arrays and maps are compared deeply and the path names the difference", "[compare]") {
  Value a(Value::Map{{"xs", Value::Array{1, 2, Value::Map{{"k", "v"}}}}, {"n", nullptr}});
  Value b(Value::Map{{"n", nullptr}, {"xs", Value::Array{1, 2, Value::Map{{"k", "w"}}}}});
  CHECK(*find_difference(a, b) == "result.xs[2].k: \"v\" vs \"w\"");
  CHECK_FALSE(find_difference(a, a));
  CHECK_THAT(*find_difference(Value(Value::Array{1}), Value(Value::Array{1, 2})), Catch::Contains("length 1 vs 2"));
  CHECK_THAT(*find_difference(Value(Value::Map{{"a", 1}}), Value(Value::Map{{"b", 1}})), Catch::Contains("'a' only in the first"));
  CHECK_THAT(*find_difference(Value("1"), Value(1)), Catch::Contains("string") && Catch::Contains("int"));
  CHECK(find_difference(Value(), Value(false)));
}

TEST_CASE("value_json round-trips every type, keeping int vs double and non-finite numbers", "[compare][json]") {
  const std::vector<Value> values = {
      Value(), Value(true), Value(-5), Value(2.0), Value(0.1), Value("s\n\"q\""),
      Value(std::numeric_limits<double>::infinity()), Value(-std::numeric_limits<double>::infinity()),
      Value(Value::Array{1, 2.5, Value::Map{{"k", Value::Array{}}}}),
  };
  for (const auto& v : values) {
    INFO(v.to_json());
    Value back = polyhost::value_from_json(nlohmann::json::parse(polyhost::value_to_json(v).dump()));
    CHECK(back == v);
    CHECK(std::string(back.type_name()) == v.type_name());
  }
  Value nan = polyhost::value_from_json(nlohmann::json::parse(polyhost::value_to_json(Value(std::nan(""))).dump()));
  CHECK(std::isnan(nan.as_double()));
}
