#include "host/value_json.h"

#include <cmath>
#include <limits>
#include <stdexcept>

#include "host/value_path.h"

namespace polyhost {

nlohmann::json value_to_json(const Value& v) {
  if (v.is_null()) return nullptr;
  if (v.is_bool()) return v.as_bool();
  if (v.is_int()) return v.as_int();
  if (v.is_double()) {
    double d = v.as_double();
    if (std::isfinite(d)) return d;
    return {{"$number", std::isnan(d) ? "NaN" : (d > 0 ? "Infinity" : "-Infinity")}};
  }
  if (v.is_string()) return v.as_string();
  if (v.is_array()) {
    auto out = nlohmann::json::array();
    for (const auto& item : v.as_array()) out.push_back(value_to_json(item));
    return out;
  }
  auto out = nlohmann::json::object();
  for (const auto& [key, item] : v.as_map()) out[key] = value_to_json(item);
  return out;
}

Value value_from_json(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::null: return Value();
    case nlohmann::json::value_t::boolean: return Value(j.get<bool>());
    // A whole number beyond 2^53 is a double that JSON printed without a fraction (node's
    // JSON.stringify(2 ** 60)): results may not hold such integers, so read it as the double it was.
    case nlohmann::json::value_t::number_integer: {
      const auto i = j.get<std::int64_t>();
      if (i > kMaxExactInteger || i < -kMaxExactInteger) return Value(static_cast<double>(i));
      return Value(i);
    }
    case nlohmann::json::value_t::number_unsigned: {
      auto u = j.get<std::uint64_t>();
      if (u > static_cast<std::uint64_t>(kMaxExactInteger)) return Value(static_cast<double>(u));
      return Value(static_cast<std::int64_t>(u));
    }
    case nlohmann::json::value_t::number_float: return Value(j.get<double>());
    case nlohmann::json::value_t::string: return Value(j.get<std::string>());
    case nlohmann::json::value_t::array: {
      Value::Array out;
      for (const auto& item : j) out.push_back(value_from_json(item));
      return Value(std::move(out));
    }
    case nlohmann::json::value_t::object: {
      if (j.size() == 1 && j.contains("$number") && j["$number"].is_string()) {
        const auto& s = j["$number"].get_ref<const std::string&>();
        if (s == "NaN") return Value(std::numeric_limits<double>::quiet_NaN());
        if (s == "Infinity") return Value(std::numeric_limits<double>::infinity());
        if (s == "-Infinity") return Value(-std::numeric_limits<double>::infinity());
      }
      Value::Map out;
      for (const auto& [key, item] : j.items()) out.emplace(key, value_from_json(item));
      return Value(std::move(out));
    }
    default: throw std::invalid_argument("JSON value of unsupported type");
  }
}

}  // namespace polyhost
