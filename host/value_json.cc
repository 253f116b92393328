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

namespace {

// DEPTH is the number of containers around J: no result holds more than kMaxValueDepth, and the
// limit also bounds this recursion.
template <typename AnyJson>
Value value_from_any_json(const AnyJson& j, int depth) {
  switch (j.type()) {
    case AnyJson::value_t::null: return Value();
    case AnyJson::value_t::boolean: return Value(j.template get<bool>());
    // A whole number beyond 2^53 is a double that JSON printed without a fraction (node's
    // JSON.stringify(2 ** 60)): results may not hold such integers, so read it as the double it was.
    case AnyJson::value_t::number_integer: {
      const auto i = j.template get<std::int64_t>();
      if (i > kMaxExactInteger || i < -kMaxExactInteger) return Value(static_cast<double>(i));
      return Value(i);
    }
    case AnyJson::value_t::number_unsigned: {
      auto u = j.template get<std::uint64_t>();
      if (u > static_cast<std::uint64_t>(kMaxExactInteger)) return Value(static_cast<double>(u));
      return Value(static_cast<std::int64_t>(u));
    }
    case AnyJson::value_t::number_float: return Value(j.template get<double>());
    case AnyJson::value_t::string: return Value(j.template get<std::string>());
    default: break;
  }
  if (!j.is_array() && !j.is_object()) throw std::invalid_argument("JSON value of unsupported type");
  if (depth > kMaxValueDepth) {
    // Levels counted as the converters count them: the outermost container is 0 levels in.
    throw std::invalid_argument("nested deeper than " + std::to_string(kMaxValueDepth) + " levels (an array or object " +
                                std::to_string(depth) + " levels inside the outermost; the converters allow " +
                                std::to_string(kMaxValueDepth + 1) + " nested in all)");
  }
  if (j.is_array()) {
    Value::Array out;
    for (const auto& item : j) out.push_back(value_from_any_json(item, depth + 1));
    return Value(std::move(out));
  }
  if (j.size() == 1 && j.contains("$number") && j["$number"].is_string()) {
    const auto& s = j["$number"].template get_ref<const std::string&>();
    if (s == "NaN") return Value(std::numeric_limits<double>::quiet_NaN());
    if (s == "Infinity") return Value(std::numeric_limits<double>::infinity());
    if (s == "-Infinity") return Value(-std::numeric_limits<double>::infinity());
  }
  Value::Map out;
  for (const auto& [key, item] : j.items()) out.emplace(key, value_from_any_json(item, depth + 1));
  return Value(std::move(out));
}

}  // namespace

Value value_from_json(const nlohmann::json& j) { return value_from_any_json(j, 0); }
Value value_from_json(const nlohmann::ordered_json& j) { return value_from_any_json(j, 0); }

}  // namespace polyhost
