#include "host/v8/v8_convert.h"

#include <cmath>

#include "host/script_error.h"
#include "host/v8/v8_strings.h"

namespace polyhost {
namespace {

constexpr double kMaxSafeInteger = 9007199254740991.0;  // 2^53 - 1
constexpr int kMaxDepth = 200;

Value convert(v8::Local<v8::Context> context, v8::Local<v8::Value> value, const std::string& where, int depth) {
  v8::Isolate* isolate = context->GetIsolate();
  if (depth > kMaxDepth) throw ConversionError(where + " is nested more than 200 levels deep (a cycle?)");
  if (value->IsNull() || value->IsUndefined()) {
    return Value();
  }
  if (value->IsBoolean()) return Value(value->BooleanValue(isolate));
  if (value->IsNumber()) {
    double d = value.As<v8::Number>()->Value();
    if (std::isfinite(d) && d == std::trunc(d) && std::fabs(d) <= kMaxSafeInteger && !(d == 0 && std::signbit(d))) {
      return Value(static_cast<std::int64_t>(d));
    }
    return Value(d);
  }
  if (value->IsBigInt()) {
    bool lossless = false;
    std::int64_t i = value.As<v8::BigInt>()->Int64Value(&lossless);
    if (!lossless) throw ConversionError(where + " is a BigInt that does not fit in 64 bits");
    return Value(i);
  }
  if (value->IsString()) return Value(v8_to_utf8(isolate, value));
  if (value->IsArray()) {
    auto array = value.As<v8::Array>();
    Value::Array out;
    out.reserve(array->Length());
    for (uint32_t i = 0; i < array->Length(); ++i) {
      std::string item_where = where + "[" + std::to_string(i) + "]";
      v8::Local<v8::Value> item;
      if (!array->Get(context, i).ToLocal(&item)) throw ConversionError("could not read " + item_where);
      out.push_back(convert(context, item, item_where, depth + 1));
    }
    return Value(std::move(out));
  }
  if (value->IsTypedArray()) {
    auto typed = value.As<v8::TypedArray>();
    Value::Array out;
    for (size_t i = 0; i < typed->Length(); ++i) {
      v8::Local<v8::Value> item;
      if (!typed->Get(context, static_cast<uint32_t>(i)).ToLocal(&item)) throw ConversionError("could not read " + where);
      out.push_back(convert(context, item, where + "[" + std::to_string(i) + "]", depth + 1));
    }
    return Value(std::move(out));
  }
  if (value->IsFunction()) throw ConversionError(where + " is a function, which is not JSON-like");
  if (value->IsSymbol()) throw ConversionError(where + " is a symbol, which is not JSON-like");
  if (value->IsPromise()) throw ConversionError(where + " is a Promise, which is not JSON-like");
  if (value->IsMap() || value->IsSet() || value->IsDate() || value->IsRegExp()) {
    throw ConversionError(where + " is a " + v8_to_utf8(isolate, value.As<v8::Object>()->GetConstructorName()) +
                          ", which is not JSON-like (convert it to an object or array)");
  }
  if (value->IsObject()) {
    auto object = value.As<v8::Object>();
    v8::Local<v8::Array> keys;
    if (!object->GetOwnPropertyNames(context, v8::ONLY_ENUMERABLE, v8::KeyConversionMode::kConvertToString)
             .ToLocal(&keys)) {
      throw ConversionError("could not list the keys of " + where);
    }
    Value::Map out;
    for (uint32_t i = 0; i < keys->Length(); ++i) {
      v8::Local<v8::Value> key, item;
      if (!keys->Get(context, i).ToLocal(&key) || !object->Get(context, key).ToLocal(&item)) {
        throw ConversionError("could not read a property of " + where);
      }
      std::string name = v8_to_utf8(isolate, key);
      if (item->IsUndefined() || item->IsFunction()) continue;  // as JSON.stringify leaves them out
      out.emplace(name, convert(context, item, where + "." + name, depth + 1));
    }
    return Value(std::move(out));
  }
  throw ConversionError(where + " has a type that is not JSON-like");
}

}  // namespace

Value to_value(v8::Local<v8::Context> context, v8::Local<v8::Value> value, const std::string& where) {
  return convert(context, value, where, 0);
}

v8::Local<v8::Value> from_value(v8::Local<v8::Context> context, const Value& value) {
  v8::Isolate* isolate = context->GetIsolate();
  v8::EscapableHandleScope scope(isolate);
  v8::Local<v8::Value> out;
  if (value.is_null()) {
    out = v8::Null(isolate);
  } else if (value.is_bool()) {
    out = v8::Boolean::New(isolate, value.as_bool());
  } else if (value.is_int()) {
    std::int64_t i = value.as_int();
    if (std::fabs(static_cast<double>(i)) <= kMaxSafeInteger) {
      out = v8::Number::New(isolate, static_cast<double>(i));
    } else {
      out = v8::BigInt::New(isolate, i);
    }
  } else if (value.is_double()) {
    out = v8::Number::New(isolate, value.as_double());
  } else if (value.is_string()) {
    const auto& s = value.as_string();
    out = v8_string(isolate, s);
  } else if (value.is_array()) {
    const auto& items = value.as_array();
    auto array = v8::Array::New(isolate, static_cast<int>(items.size()));
    for (size_t i = 0; i < items.size(); ++i) {
      array->Set(context, static_cast<uint32_t>(i), from_value(context, items[i])).Check();
    }
    out = array;
  } else {
    auto object = v8::Object::New(isolate);
    for (const auto& [key, item] : value.as_map()) {
      object->Set(context, v8_string(isolate, key), from_value(context, item)).Check();
    }
    out = object;
  }
  return scope.Escape(out);
}

}  // namespace polyhost
