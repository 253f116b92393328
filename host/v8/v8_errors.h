// Turning a V8 exception into a ScriptErrorInfo (file, line, column, type, message, stack).
#pragma once

#include <v8.h>

#include "host/script_error.h"

namespace polyhost {

// MESSAGE may be empty; the location then comes from the exception's own captured stack.
ScriptErrorInfo describe_v8_exception(v8::Local<v8::Context> context, v8::Local<v8::Value> exception,
                                      v8::Local<v8::Message> message = {});

}  // namespace polyhost
