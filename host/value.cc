#include "host/value.h"

#include <cmath>
#include <nlohmann/json.hpp>

namespace polyhost {
namespace {

// Compact JSON, with non-finite doubles spelled as JavaScript does (nlohmann would write null).
void append_json(const Value& v, std::string& out) {
  if (v.is_double() && !std::isfinite(v.as_double())) {
    double d = v.as_double();
    out += std::isnan(d) ? "NaN" : (d > 0 ? "Infinity" : "-Infinity");
  } else if (v.is_array()) {
    out += '[';
    bool first = true;
    for (const auto& item : v.as_array()) {
      if (!first) out += ',';
      first = false;
      append_json(item, out);
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
      append_json(item, out);
    }
    out += '}';
  } else if (v.is_string()) {
    out += nlohmann::json(v.as_string()).dump();
  } else if (v.is_double()) {
    out += nlohmann::json(v.as_double()).dump();
  } else if (v.is_int()) {
    out += std::to_string(v.as_int());
  } else if (v.is_bool()) {
    out += v.as_bool() ? "true" : "false";
  } else {
    out += "null";
  }
}

}  // namespace

const char* Value::type_name() const {
  static constexpr const char* names[] = {"null", "bool", "int", "double", "string", "array", "map"};
  return names[data_.index()];
}

std::string Value::to_json() const {
  std::string out;
  append_json(*this, out);
  return out;
}

}  // namespace polyhost
