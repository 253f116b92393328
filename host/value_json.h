// Lossless Value <-> nlohmann::json, for passing results between processes and keeping them in
// result files: ints stay ints, doubles stay doubles (2.0 is written "2.0"), and NaN / ±Infinity,
// which JSON cannot hold, become {"$number": "NaN" | "Infinity" | "-Infinity"}.
#pragma once

#include <nlohmann/json.hpp>

#include "host/value.h"

namespace polyhost {

nlohmann::json value_to_json(const Value& value);
// Throws std::invalid_argument on other shapes, and on a container more than kMaxValueDepth levels
// down (host/value_path.h): "nested deeper than 200 levels (an array or object 201 levels inside ...)".
Value value_from_json(const nlohmann::json& json);
Value value_from_json(const nlohmann::ordered_json& json);  // a result read from a polyhost file, uncopied

}  // namespace polyhost
