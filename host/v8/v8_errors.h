// Turning a V8 exception into a ScriptErrorInfo (file, line, column, type, message, stack).
#pragma once

#include <v8.h>

#include <functional>
#include <optional>

#include "host/script_error.h"

namespace polyhost {

// Where code given to eval that has no file of its own (as from Python's js.eval) is said to be.
inline constexpr const char* kEvalCode = "<eval>";

// Describes a thrown object that stands for another language's error (the bridge's proxy of a
// Python exception) as that error: its type, its message, where it was raised (no file when it
// never was), and as stack the text that shows it, its own frames innermost first (the JavaScript
// frames where it was thrown come after them). Nothing for any other object. Set on a V8Engine.
using ForeignErrorDescriber = std::function<std::optional<ScriptErrorInfo>(v8::Local<v8::Object>)>;

// Whether a description's stack ends with the error's causes ("  [cause]: ..." lines, as node
// prints them): for an error that is printed, not for one whose causes go on as causes.
enum class Causes { Printed, Left };

// MESSAGE may be empty; the location then comes from the exception's own captured stack.
ScriptErrorInfo describe_v8_exception(v8::Local<v8::Context> context, v8::Local<v8::Value> exception,
                                      v8::Local<v8::Message> message = {}, Causes causes = Causes::Printed);

// As describe_v8_exception (which keeps a lone surrogate, for an error crossing into Python), for
// an error that ends at one of the engine's entry points and is printed: lone surrogates as
// U+FFFD, as Node prints them.
ScriptErrorInfo describe_uncaught_v8_exception(v8::Local<v8::Context> context, v8::Local<v8::Value> exception,
                                               v8::Local<v8::Message> message = {});

}  // namespace polyhost
