#include "host/value.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "host/value_json.h"

namespace polyhost {
namespace {

bool has_non_finite(const Value& v) {
  if (v.is_double()) return !std::isfinite(v.as_double());
  if (v.is_array())
    for (const auto& item : v.as_array())
      if (has_non_finite(item)) return true;
  if (v.is_map())
    for (const auto& [key, item] : v.as_map())
      if (has_non_finite(item)) return true;
  return false;
}

void append_with_non_finite(const Value& v, std::string& out) {
  if (v.is_double() && !std::isfinite(v.as_double())) {
    double d = v.as_double();
    out += std::isnan(d) ? "NaN" : (d > 0 ? "Infinity" : "-Infinity");
  } else if (v.is_array()) {
    out += '[';
    bool first = true;
    for (const auto& item : v.as_array()) {
      if (!first) out += ',';
      first = false;
      append_with_non_finite(item, out);
    }
    out += ']';
  } else if (v.is_map()) {
    out += '{';
    bool first = true;
    for (const auto& [key, item] : v.as_map()) {
      if (!first) out += ',';
      first = false;
      out += nlohmann::json(key).dump();
      out += ':';
      append_with_non_finite(item, out);
    }
    out += '}';
  } else {
    out += value_to_json(v).dump();
  }
}

}  // namespace

const char* Value::type_name() const {
  static constexpr const char* names[] = {"null", "bool", "int", "double", "string", "array", "map"};
  return names[data_.index()];
}

std::string Value::to_json() const {
  // nlohmann writes non-finite doubles as null, which would hide a NaN result.
  if (!has_non_finite(*this)) return value_to_json(*this).dump();
  std::string out;
  append_with_non_finite(*this, out);
  return out;
}

}  // namespace polyhost
