// V8 adapter: native.h as FunctionTemplate callbacks, installed as methods of an object.
// Wrong argument counts or types throw a JavaScript TypeError.
#pragma once

#include <v8.h>

namespace polyhost::bindings {

// The slow callbacks, also the fallbacks of the fast API adapter (v8_fast_api.h).
namespace v8_callbacks {
void noop(const v8::FunctionCallbackInfo<v8::Value>& args);
void add_i32(const v8::FunctionCallbackInfo<v8::Value>& args);
void add_f64(const v8::FunctionCallbackInfo<v8::Value>& args);
void str_len(const v8::FunctionCallbackInfo<v8::Value>& args);
void str_repeat(const v8::FunctionCallbackInfo<v8::Value>& args);
void sum_f64(const v8::FunctionCallbackInfo<v8::Value>& args);  // an Array (copied) or a Float64Array (not)
void make_point(const v8::FunctionCallbackInfo<v8::Value>& args);
void call_back(const v8::FunctionCallbackInfo<v8::Value>& args);
}  // namespace v8_callbacks

// Sets noop, add_i32, add_f64, str_len, str_repeat, sum_f64, make_point, call_back on TARGET.
void install_v8_callbacks(v8::Local<v8::Context> context, v8::Local<v8::Object> target);

}  // namespace polyhost::bindings
