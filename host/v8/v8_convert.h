// Conversion between V8 values and polyhost::Value.
#pragma once

#include <v8.h>

#include <functional>
#include <string>

#include "host/value.h"

namespace polyhost {

// Throws ConversionError, naming where in the value the problem is (e.g. "result.items[3]"),
// for anything JSON cannot hold or JSON.stringify would silently drop or mangle: NaN and
// ±Infinity, functions and symbols (also as property values or keys), strings with a lone
// surrogate, BigInts beyond ±2^53, Maps, Sets, Dates, Promises and other built-in objects, a
// thenable result, cycles, and nesting deeper than kMaxValueDepth (host/value_path.h).
// A JS number that is an integer within ±2^53 (and not -0) becomes an int; other numbers
// become doubles. undefined (alone, in an array, a hole, or a property's value) becomes null.
// DESCRIBE names an object of another language that crossed as a live proxy (the bridge's), and
// what makes a plain value of it, or gives "" for any other object; such a proxy is refused so.
using ProxyDescriber = std::function<std::string(v8::Local<v8::Object>)>;
Value to_value(v8::Local<v8::Context> context, v8::Local<v8::Value> value, const std::string& where = "value",
               const ProxyDescriber& describe = {});

// Integers beyond ±2^53 become BigInts so that no digit is lost.
v8::Local<v8::Value> from_value(v8::Local<v8::Context> context, const Value& value);

}  // namespace polyhost
