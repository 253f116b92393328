// V8 adapter: native.h as fast API calls (v8::CFunction) where V8 10.2 supports the signature,
// with the v8_callbacks function as the slow path. Fast calls happen only from TurboFan-optimized
// callers and only with --turbo-fast-api-calls; otherwise V8 calls the slow callback.
#pragma once

#include <v8.h>

#include <cstdint>
#include <map>
#include <string>

namespace polyhost::bindings {

// Sets the same functions as install_v8_callbacks on TARGET; those with a fast path are noop,
// add_i32, add_f64 and sum_f64 (for a Float64Array).
void install_v8_fast_api(v8::Local<v8::Context> context, v8::Local<v8::Object> target);

// How many calls took the fast path so far (to show whether V8 used it at all).
std::uint64_t fast_api_calls_taken();

// Why the other functions have no fast path in V8 10.2.
const std::map<std::string, std::string>& fast_api_unsupported();

}  // namespace polyhost::bindings
