// UTF-8 <-> v8::String, the two conversions every V8 file needs.
#pragma once

#include <v8.h>

#include <string>

namespace polyhost {

inline v8::Local<v8::String> v8_string(v8::Isolate* isolate, const std::string& s) {
  return v8::String::NewFromUtf8(isolate, s.data(), v8::NewStringType::kNormal, static_cast<int>(s.size()))
      .ToLocalChecked();
}

inline std::string v8_to_utf8(v8::Isolate* isolate, v8::Local<v8::Value> value) {
  v8::String::Utf8Value text(isolate, value);
  return *text ? std::string(*text, text.length()) : std::string("<unprintable>");
}

}  // namespace polyhost
