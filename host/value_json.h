// Lossless Value <-> nlohmann::json, for passing results between processes and keeping them in
// result files: ints stay ints, doubles stay doubles (2.0 is written "2.0"), and NaN / ±Infinity,
// which JSON cannot hold, become {"$number": "NaN" | "Infinity" | "-Infinity"}.
#pragma once

#include <nlohmann/json.hpp>

#include "host/value.h"

namespace polyhost {

nlohmann::json value_to_json(const Value& value);
Value value_from_json(const nlohmann::json& json);  // throws std::invalid_argument on other shapes

}  // namespace polyhost
