// The native functions prelude.js receives as `host`: output, clock, files, compiling, exit.
#pragma once

#include <v8.h>

namespace polyhost {

// What process.exit() asks of its engine.
class ExitHandler {
 public:
  virtual ~ExitHandler() = default;
  virtual void request_exit(int status) = 0;
};

// HANDLER must outlive the functions.
v8::Local<v8::Object> make_host_functions(v8::Local<v8::Context> context, ExitHandler& handler);

}  // namespace polyhost
