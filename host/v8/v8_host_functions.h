// The native functions prelude.js receives as `host`: output, clock, files, compiling, exit.
#pragma once

#include <v8.h>

namespace polyhost {

v8::Local<v8::Object> make_host_functions(v8::Local<v8::Context> context);

}  // namespace polyhost
