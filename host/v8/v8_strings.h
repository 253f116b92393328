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

// TEXT as v8_to_utf8 gives it (a lone surrogate, which UTF-8 cannot hold, encoded as other code
// points are: ED A0 80 for U+D800, so that it can cross to Python intact) with each lone
// surrogate as U+FFFD, which is how V8 and Node print one: text for output.
inline std::string with_lone_surrogates_replaced(std::string text) {
  // In UTF-8, 0xED only ever leads a sequence; followed by A0..BF it is a surrogate's.
  for (std::size_t at = text.find('\xED'); at != std::string::npos && at + 2 < text.size(); at = text.find('\xED', at + 1)) {
    if ((static_cast<unsigned char>(text[at + 1]) & 0xE0) == 0xA0) text.replace(at, 3, "\xEF\xBF\xBD");
  }
  return text;
}

}  // namespace polyhost
