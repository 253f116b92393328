#include "host/v8/v8_convert.h"

#include <cmath>
#include <vector>

#include "host/script_error.h"
#include "host/v8/v8_strings.h"
#include "host/value_path.h"

namespace polyhost {
namespace {

constexpr double kMaxExactDouble = static_cast<double>(kMaxExactInteger);  // 2^53

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// JS -> Value, remembering where it is (for messages) and which objects enclose the current one
// (to tell a cycle from a merely deep value).
class V8ToValue {
 public:
  V8ToValue(v8::Local<v8::Context> context, const std::string& root, const ProxyDescriber& describe)
      : context_(context), isolate_(context->GetIsolate()), path_(root, ValuePath::Style::JavaScript), describe_(describe) {}

  Value convert(v8::Local<v8::Value> value) {
    if (value->IsNull() || value->IsUndefined()) return Value();  // JS's two "no value"s are Python's None
    if (value->IsBoolean()) return Value(value->BooleanValue(isolate_));
    if (value->IsNumber()) return number(value.As<v8::Number>()->Value());
    if (value->IsBigInt()) return bigint(value.As<v8::BigInt>());
    if (value->IsString()) return Value(string(value.As<v8::String>(), false));
    if (value->IsSymbol()) fail("is a symbol, which is not JSON-like");
    if (describe_ && value->IsObject()) {
      // Before the function test: a proxy of a Python list is no function, but its methods are.
      if (const std::string proxy = describe_(value.As<v8::Object>()); !proxy.empty()) fail("is " + proxy);
    }
    if (value->IsFunction()) fail("is a function, which is not JSON-like");
    if (!value->IsObject()) fail("has a type that is not JSON-like");
    auto object = value.As<v8::Object>();
    refuse_special(object);
    EnclosingScope<v8::Local<v8::Object>> enter(enclosing_, path_, object);
    if (value->IsArray()) return array(value.As<v8::Array>());
    if (value->IsTypedArray()) return typed_array(value.As<v8::TypedArray>());
    return plain_object(object);
  }

 private:
  [[noreturn]] void fail(const std::string& what) const { throw ConversionError(path_.str() + " " + what); }

  // An item whose read failed, with what its getter (or Proxy trap) threw; a stop (the timeout's
  // termination) goes on as one.
  [[noreturn]] void fail_to_read(v8::TryCatch& trying) const {
    std::string why;
    v8::Local<v8::String> text;
    if (trying.HasTerminated()) {
      trying.ReThrow();
    } else if (trying.HasCaught() && trying.Exception()->ToString(context_).ToLocal(&text)) {
      why = ": reading it threw " + v8_to_utf8(isolate_, text);
    }
    fail("could not be read" + why);
  }

  Value number(double d) const {
    if (std::isnan(d)) fail("is NaN, which JSON cannot represent");
    if (std::isinf(d)) fail(std::string("is ") + (d > 0 ? "Infinity" : "-Infinity") + ", which JSON cannot represent");
    if (d == std::trunc(d) && std::fabs(d) <= kMaxExactDouble && !(d == 0 && std::signbit(d))) {
      return Value(static_cast<std::int64_t>(d));
    }
    return Value(d);  // a fraction, -0, or beyond 2^53 (where a JS number is not an exact integer)
  }

  Value bigint(v8::Local<v8::BigInt> big) const {
    bool lossless = false;
    std::int64_t i = big->Int64Value(&lossless);
    if (!lossless || i > kMaxExactInteger || i < -kMaxExactInteger) {
      fail("is a BigInt beyond \u00b12^53" + (lossless ? " (" + std::to_string(i) + "n)" : std::string()) +
           "; return it as a string, String(x), since results hold integers only within \u00b12^53");
    }
    return Value(i);
  }

  // The string as UTF-8; a lone surrogate, which UTF-8 cannot hold, is refused rather than replaced.
  std::string string(v8::Local<v8::String> s, bool is_key) const {
    if (s->IsOneByte()) return v8_to_utf8(isolate_, s);  // Latin-1 only: no surrogates
    const int length = s->Length();
    std::vector<std::uint16_t> units(static_cast<std::size_t>(length));
    s->Write(isolate_, units.data(), 0, length, v8::String::NO_NULL_TERMINATION);
    std::string out;
    out.reserve(units.size() + units.size() / 2);
    for (int i = 0; i < length; ++i) {
      std::uint32_t unit = units[i];
      if (unit >= 0xD800 && unit <= 0xDFFF) {
        const bool paired = unit <= 0xDBFF && i + 1 < length && units[i + 1] >= 0xDC00 && units[i + 1] <= 0xDFFF;
        if (!paired) {
          fail(std::string(is_key ? "has a key" : "is a string") + " with a lone surrogate (" + code_unit_name(unit) +
               " at index " + std::to_string(i) + "), not valid Unicode");
        }
        unit = 0x10000 + ((unit - 0xD800) << 10) + (units[++i] - 0xDC00);
      }
      append_utf8(out, unit);
    }
    return out;
  }

  // Objects JSON would lose or mangle (JSON.stringify turns most of them into {}).
  void refuse_special(v8::Local<v8::Object> object) const {
    const char* hint = nullptr;
    if (object->IsPromise()) {
      hint = " (await it before returning)";
    } else if (object->IsMap() || object->IsSet() || object->IsDate() || object->IsRegExp() || object->IsWeakMap() ||
               object->IsWeakSet() || object->IsArrayBuffer() ||
               object->IsSharedArrayBuffer() || object->IsDataView() || object->IsMapIterator() ||
               object->IsSetIterator() || object->IsGeneratorObject() || object->IsNativeError() ||
               object->IsNumberObject() || object->IsStringObject() || object->IsBooleanObject() ||
               object->IsBigIntObject() || object->IsSymbolObject() || object->IsWasmModuleObject() ||
               object->IsWasmMemoryObject() || object->IsExternal()) {
      hint = " (convert it to an object, array, string or number)";
    }
    if (hint) {
      // A generator's constructor name is its function's (a generator `run` made "is a run").
      const std::string name = object->IsGeneratorObject() ? "generator object" : v8_to_utf8(isolate_, object->GetConstructorName());
      const bool vowel = !name.empty() && std::string("AEIOUaeiou").find(name[0]) != std::string::npos;
      fail(std::string("is ") + (vowel ? "an " : "a ") + name + ", which is not JSON-like" + hint);
    }
  }

  Value array(v8::Local<v8::Array> array) {
    const uint32_t length = array->Length();
    Value::Array out;
    out.reserve(length);
    v8::TryCatch trying(isolate_);
    for (uint32_t i = 0; i < length; ++i) {
      v8::HandleScope scope(isolate_);
      ValuePathStep step(path_, i);
      v8::Local<v8::Value> item;
      if (!array->Get(context_, i).ToLocal(&item)) fail_to_read(trying);
      out.push_back(convert(item));  // a hole reads as undefined, so becomes null, as in JSON.stringify
    }
    return Value(std::move(out));
  }

  Value typed_array(v8::Local<v8::TypedArray> typed) {
    const std::size_t length = typed->Length();
    Value::Array out;
    out.reserve(length);
    for (std::size_t i = 0; i < length; ++i) {
      v8::HandleScope scope(isolate_);
      ValuePathStep step(path_, i);
      v8::Local<v8::Value> item;
      if (!typed->Get(context_, static_cast<uint32_t>(i)).ToLocal(&item)) fail("could not be read");
      out.push_back(convert(item));
    }
    return Value(std::move(out));
  }

  // An object's own enumerable string-keyed properties, as JSON.stringify reads them; but where
  // JSON.stringify would silently leave something out (a function, a symbol), this refuses it.
  Value plain_object(v8::Local<v8::Object> object) {
    if (path_.depth() == 0) refuse_thenable(object);
    v8::Local<v8::Array> keys;
    if (!object->GetOwnPropertyNames(context_, v8::ONLY_ENUMERABLE, v8::KeyConversionMode::kConvertToString)
             .ToLocal(&keys)) {
      fail("could not have its keys listed");
    }
    Value::Map out;
    v8::TryCatch trying(isolate_);
    for (uint32_t i = 0; i < keys->Length(); ++i) {
      v8::HandleScope scope(isolate_);
      v8::Local<v8::Value> key, item;
      if (!keys->Get(context_, i).ToLocal(&key)) fail("could not have its keys listed");
      if (key->IsSymbol()) {
        fail("has a property keyed by a symbol (" +
             v8_to_utf8(isolate_, key.As<v8::Symbol>()->Description(isolate_)) + "), which JSON cannot represent");
      }
      std::string name = string(key.As<v8::String>(), true);
      ValuePathStep step(path_, name);
      if (!object->Get(context_, key).ToLocal(&item)) fail_to_read(trying);
      Value converted = convert(item);  // undefined becomes null and keeps its key: nothing is dropped
      out.emplace(std::move(name), std::move(converted));
    }
    return Value(std::move(out));
  }

  // A result with a then method is awaited by JS (await, Promise.resolve) but not by polyhost,
  // which awaits real Promises only; converting its fields would silently give something else.
  void refuse_thenable(v8::Local<v8::Object> object) {
    v8::TryCatch try_catch(isolate_);
    v8::Local<v8::Value> then;
    if (object->Get(context_, v8_string(isolate_, "then")).ToLocal(&then) && then->IsFunction()) {
      fail("is a thenable, not a Promise: polyhost awaits only real Promises (use an async function)");
    }
  }

  v8::Local<v8::Context> context_;
  v8::Isolate* isolate_;
  ValuePath path_;
  const ProxyDescriber& describe_;
  std::vector<v8::Local<v8::Object>> enclosing_;
};

}  // namespace

Value to_value(v8::Local<v8::Context> context, v8::Local<v8::Value> value, const std::string& where,
               const ProxyDescriber& describe) {
  v8::HandleScope scope(context->GetIsolate());
  return V8ToValue(context, where, describe).convert(value);
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
    if (i <= kMaxExactInteger && i >= -kMaxExactInteger) {
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
