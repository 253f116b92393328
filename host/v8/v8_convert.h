// Conversion between V8 values and polyhost::Value.
#pragma once

#include <v8.h>

#include "host/value.h"

namespace polyhost {

// Throws ConversionError, naming where in the value the problem is (e.g. "result.items[3]"),
// for functions, symbols, undefined inside containers, cycles, BigInts beyond 64 bits, ...
// A JS number that is an integer within 2^53 becomes an int; other numbers become doubles.
Value to_value(v8::Local<v8::Context> context, v8::Local<v8::Value> value, const std::string& where = "value");

// Integers beyond 2^53 become BigInts so that no digit is lost.
v8::Local<v8::Value> from_value(v8::Local<v8::Context> context, const Value& value);

}  // namespace polyhost
