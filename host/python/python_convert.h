// Conversion between Python objects and polyhost::Value. Call with the GIL held.
#pragma once

#include <string>

#include "host/python/py_ref.h"
#include "host/value.h"

namespace polyhost {

// Throws ConversionError naming where the problem is (e.g. "result['items'][3]") for objects that
// are not JSON-like: NaN and ±inf, ints beyond ±2^53 (more than a JS number holds exactly), strs
// holding a surrogate, sets, functions, non-str dict keys, cycles, nesting deeper than
// kMaxValueDepth (host/value_path.h), ... Tuples become arrays.
Value to_value(PyObject* object, const std::string& where = "value");

// Returns a new reference; throws std::runtime_error if Python cannot allocate it.
PyRef from_value(const Value& value);

}  // namespace polyhost
