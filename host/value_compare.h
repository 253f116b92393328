// Do two results agree? The rule used to check that the JavaScript and Python versions of a
// workload computed the same answer.
#pragma once

#include <optional>
#include <string>

#include "host/value.h"

namespace polyhost {

// Empty when A and B agree, else a description of the first difference ("result.items[3]: 7 vs 8").
// Integers and strings must match exactly; numbers with a fractional part (or an int against a
// double) to 1e-9 relative, except that an int beyond ±2^53 only matches a double that is exactly
// it; NaN matches NaN; arrays element by element; maps by key, in any order.
std::optional<std::string> find_difference(const Value& a, const Value& b, const std::string& where = "result");

}  // namespace polyhost
