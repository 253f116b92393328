#include "host/v8/v8_errors.h"

#include <cstdlib>

#include <algorithm>
#include <vector>

#include "host/v8/v8_engine.h"
#include "host/v8/v8_strings.h"

namespace polyhost {

namespace {

std::string string_property(v8::Local<v8::Context> context, v8::Local<v8::Object> object, const char* name) {
  v8::Isolate* isolate = context->GetIsolate();
  v8::TryCatch ignore(isolate);  // a throwing getter must not replace the error being described
  v8::Local<v8::Value> value;
  if (!object->Get(context, v8::String::NewFromUtf8(isolate, name).ToLocalChecked()).ToLocal(&value) ||
      value->IsUndefined()) {
    return {};
  }
  return v8_to_utf8(isolate, value);
}

// The runtime's own frames (prelude.js) say nothing about the user's program.
std::string without_prelude_frames(const std::string& stack) {
  std::string out;
  size_t start = 0;
  while (start < stack.size()) {
    size_t end = stack.find('\n', start);
    if (end == std::string::npos) end = stack.size();
    std::string line = stack.substr(start, end - start);
    if (line.find("(polyhost:prelude.js:") == std::string::npos && line.find("at polyhost:prelude.js:") == std::string::npos) {
      if (!out.empty()) out += '\n';
      out += line;
    }
    start = end + 1;
  }
  return out;
}

// A thrown value that is not an Error (`throw {code: 1}`, `throw Symbol('x')`): shown as JSON or
// as the symbol, the way node shows it, not as "[object Object]".
std::string thrown_value_text(v8::Local<v8::Context> context, v8::Local<v8::Value> value) {
  v8::Isolate* isolate = context->GetIsolate();
  v8::TryCatch ignore(isolate);  // a throwing toJSON or getter must not replace the error
  if (value->IsSymbol()) {
    v8::Local<v8::Value> description = value.As<v8::Symbol>()->Description(isolate);
    return "Symbol(" + (description->IsUndefined() ? std::string() : v8_to_utf8(isolate, description)) + ")";
  }
  if (value->IsObject() && !value->IsFunction()) {
    v8::Local<v8::String> json;
    if (v8::JSON::Stringify(context, value).ToLocal(&json)) return v8_to_utf8(isolate, json);
    return "an object that cannot be shown";
  }
  return v8_to_utf8(isolate, value);
}

// OBJECT as the other language's error it stands for (see ForeignErrorDescriber), or nothing.
std::optional<ScriptErrorInfo> foreign_error(v8::Local<v8::Context> context, v8::Local<v8::Value> value) {
  if (!value->IsObject() || value->IsNativeError()) return std::nullopt;
  const ForeignErrorDescriber* describe = V8Engine::foreign_error_describer(context->GetIsolate());
  if (!describe) return std::nullopt;
  v8::TryCatch ignore(context->GetIsolate());  // describing must not replace the error being described
  return (*describe)(value.As<v8::Object>());
}

// TRACE's frames as V8 writes them in a stack ("    at NAME (FILE:LINE:COLUMN)"), innermost
// first, without the runtime's.
std::string stack_trace_lines(v8::Isolate* isolate, v8::Local<v8::StackTrace> trace) {
  std::string lines;
  for (int i = 0; i < trace->GetFrameCount(); ++i) {
    v8::Local<v8::StackFrame> frame = trace->GetFrame(isolate, static_cast<std::uint32_t>(i));
    v8::Local<v8::String> script = frame->GetScriptName();
    std::string file = !script.IsEmpty() && script->Length() > 0 ? v8_to_utf8(isolate, script) : frame->IsEval() ? kEvalCode : "";
    if (file.empty() || file == "polyhost:prelude.js") continue;
    const std::string where = file + ":" + std::to_string(frame->GetLineNumber()) + ":" + std::to_string(frame->GetColumn());
    v8::Local<v8::String> name = frame->GetFunctionName();
    lines += "\n    at " + (name.IsEmpty() || name->Length() == 0 ? where : v8_to_utf8(isolate, name) + " (" + where + ")");
  }
  return lines;
}

// "\n  [cause]: STACK" for ERROR's own `cause` and each cause's own after it (as node prints
// them, each level indented 2 more; "[Circular]" for one met before), up to 8 levels; "" when it
// has none.
std::string cause_lines(v8::Local<v8::Context> context, v8::Local<v8::Object> error) {
  constexpr int kMostCauses = 8;
  v8::Isolate* isolate = context->GetIsolate();
  v8::TryCatch ignore(isolate);  // a throwing getter must not replace the error being described
  v8::Local<v8::String> key = v8::String::NewFromUtf8Literal(isolate, "cause");
  std::vector<v8::Local<v8::Object>> met{error};
  std::string text;
  for (int level = 1; level <= kMostCauses; ++level) {
    v8::Local<v8::Value> cause;
    if (!error->HasOwnProperty(context, key).FromMaybe(false) || !error->Get(context, key).ToLocal(&cause)) break;
    const bool circular =
        std::any_of(met.begin(), met.end(), [&](v8::Local<v8::Object> seen) { return seen->StrictEquals(cause); });
    const std::string stack = cause->IsObject() && !circular ? string_property(context, cause.As<v8::Object>(), "stack") : "";
    std::optional<ScriptErrorInfo> foreign = circular || !stack.empty() ? std::nullopt : foreign_error(context, cause);
    std::string shown;
    if (circular) {
      shown = "[Circular]";
    } else if (foreign) {  // a Python exception: as Python describes it; its own causes are Python's
      shown = foreign->stack;
    } else if (!stack.empty()) {
      shown = without_prelude_frames(stack);
    } else if (cause->IsString()) {  // quoted, as node shows a string cause
      v8::Local<v8::String> json;
      shown = v8::JSON::Stringify(context, cause).ToLocal(&json) ? v8_to_utf8(isolate, json) : v8_to_utf8(isolate, cause);
    } else {
      shown = thrown_value_text(context, cause);
    }
    const std::string indent(2 * static_cast<std::size_t>(level), ' ');
    for (std::size_t at = shown.find('\n'); at != std::string::npos; at = shown.find('\n', at + 1 + indent.size())) {
      shown.insert(at + 1, indent);
    }
    text += "\n" + indent + "[cause]: " + shown;
    if (circular || foreign || !cause->IsObject()) break;
    error = cause.As<v8::Object>();
    met.push_back(error);
  }
  return text;
}

// "FILE:LINE:COLUMN" of a stack line's frame, after "    at ": "NAME (WHERE)" or "WHERE"; "" for
// code given to eval or new Function ("eval at NAME (...), <anonymous>:L:C"), which has no file:
// the frame that called it is the script's, as with a detailed stack trace.
std::string frame_location(std::string frame) {
  if (!frame.empty() && frame.back() == ')') {
    const std::size_t open = frame.find(" (");  // a file name may hold " (", a function's name not
    if (open != std::string::npos) frame = frame.substr(open + 2, frame.size() - open - 3);
  }
  return frame.rfind("eval at ", 0) == 0 ? "" : frame;
}

// Where the innermost frame of STACK (an Error's stack text) that is a script's, not a builtin's or
// the runtime's, is: for an error made while V8 captured no detailed stack trace (see
// V8Engine::detailed_stacks_when_timed). INFO is left as it is when none is.
void locate_in_stack_text(const std::string& stack, ScriptErrorInfo& info) {
  std::size_t start = 0;
  while (start < stack.size()) {
    std::size_t end = stack.find('\n', start);
    if (end == std::string::npos) end = stack.size();
    const std::string line = stack.substr(start, end - start);
    start = end + 1;
    if (line.rfind("    at ", 0) != 0) continue;
    const std::string where = frame_location(line.substr(7));
    const std::size_t second = where.rfind(':');
    const std::size_t first = second == std::string::npos || second == 0 ? std::string::npos : where.rfind(':', second - 1);
    if (first == std::string::npos) continue;  // "<anonymous>", "native", "index 0": no script
    const std::string file = where.substr(0, first);
    const int line_number = std::atoi(where.c_str() + first + 1), column = std::atoi(where.c_str() + second + 1);
    if (file.empty() || file == "polyhost:prelude.js" || file == "<anonymous>" || line_number <= 0) continue;
    info.file = file;
    info.line = line_number;
    info.column = column;
    return;
  }
}

}  // namespace

ScriptErrorInfo describe_v8_exception(v8::Local<v8::Context> context, v8::Local<v8::Value> exception,
                                      v8::Local<v8::Message> message, Causes causes) {
  v8::Isolate* isolate = context->GetIsolate();
  v8::HandleScope scope(isolate);
  ScriptErrorInfo info;
  // For Error objects the location comes from the error itself: where it was created, or for a
  // syntax error where the bad token is. A rethrow (`catch (e) { throw e; }`) does not move it.
  if (message.IsEmpty() || exception->IsNativeError()) message = v8::Exception::CreateMessage(isolate, exception);
  if (!message.IsEmpty()) {
    v8::Local<v8::Value> resource = message->GetScriptResourceName();
    if (!resource.IsEmpty() && resource->IsString()) info.file = v8_to_utf8(isolate, resource);
    info.line = message->GetLineNumber(context).FromMaybe(0);
    int column = message->GetStartColumn(context).FromMaybe(-1);
    info.column = column >= 0 ? column + 1 : 0;
  }
  // An error raised inside a builtin (JSON.parse, ...) has no script location of its own: use the
  // innermost frame of the error's stack that is the user's code.
  // A thrown value that is no Error has no stack of its own: the message's, captured where it was
  // thrown (SetCaptureStackTraceForUncaughtExceptions), tells eval code (js.eval) apart.
  v8::Local<v8::StackTrace> trace = v8::Exception::GetStackTrace(exception);
  if (trace.IsEmpty() && !message.IsEmpty()) trace = message->GetStackTrace();
  if ((info.file.empty() || info.file == "polyhost:prelude.js") && trace.IsEmpty() && exception->IsObject()) {
    locate_in_stack_text(string_property(context, exception.As<v8::Object>(), "stack"), info);
  }
  if ((info.file.empty() || info.file == "polyhost:prelude.js") && !trace.IsEmpty()) {
    bool in_eval_code = false;
    for (int i = 0; i < trace->GetFrameCount(); ++i) {
      v8::Local<v8::StackFrame> frame = trace->GetFrame(isolate, i);
      v8::Local<v8::String> name = frame->GetScriptName();
      in_eval_code = in_eval_code || (i == 0 && frame->IsEval());
      if (name.IsEmpty() || name->Length() == 0) continue;
      std::string file = v8_to_utf8(isolate, name);
      if (file == "polyhost:prelude.js") continue;
      info.file = file;
      info.line = frame->GetLineNumber();
      info.column = frame->GetColumn();
      break;
    }
    // Code that no script of a file called eval on (js.eval from Python): where in that code.
    if (info.file.empty() && in_eval_code) info.file = kEvalCode;
  }
  // Only the runtime's own frames (the prelude's strictSet called from Python): no JavaScript
  // location of the user's, so the caller's (Python's line) is shown as for any error without one.
  if (info.file == "polyhost:prelude.js") info.file.clear(), info.line = info.column = 0;
  // Where the runtime says the error really comes from: a Python exception that crossed the bridge
  // (host/bridge keeps where Python raised it), or a JSON file that is not JSON (prelude.js).
  bool from_python = false;
  std::string python_source_excerpt;  // a Python SyntaxError's line and caret
  if (exception->IsObject()) {
    v8::TryCatch ignore(isolate);
    v8::Local<v8::Value> origin, where;
    v8::Local<v8::Private> key = v8::Private::ForApi(isolate, v8::String::NewFromUtf8Literal(isolate, "polyhost:origin"));
    if (exception.As<v8::Object>()->GetPrivate(context, key).ToLocal(&origin) && origin->IsArray() &&
        origin.As<v8::Array>()->Length() >= 3) {
      v8::Local<v8::Array> at = origin.As<v8::Array>();
      from_python = true;
      // No file: raised in code of none (python.eval's): where JavaScript called it stays.
      if (std::string file = v8_to_utf8(isolate, at->Get(context, 0).ToLocalChecked()); !file.empty()) {
        info.file = std::move(file);
        info.line = at->Get(context, 1).ToLocalChecked()->Int32Value(context).FromMaybe(0);
        info.column = at->Get(context, 2).ToLocalChecked()->Int32Value(context).FromMaybe(0);
      }
      if (at->Length() > 3) python_source_excerpt = v8_to_utf8(isolate, at->Get(context, 3).ToLocalChecked());
    } else if (exception.As<v8::Object>()->Get(context, v8::String::NewFromUtf8Literal(isolate, "polyhostLocation")).ToLocal(&where) &&
               where->IsObject()) {
      auto location = where.As<v8::Object>();
      info.file = string_property(context, location, "file");
      info.line = std::atoi(string_property(context, location, "line").c_str());
      info.column = std::atoi(string_property(context, location, "column").c_str());
    }
  }
  if (std::optional<ScriptErrorInfo> foreign = foreign_error(context, exception)) {
    // A Python exception thrown as it is: the Python error it is, raised where Python raised it
    // (thrown where JavaScript threw it, when it never was), its traceback above the JavaScript
    // frames of the throw.
    info.type = std::move(foreign->type);
    info.message = std::move(foreign->message);
    const std::string frames = trace.IsEmpty() ? "" : stack_trace_lines(isolate, trace);
    // A stack with no frames would only repeat the type and message.
    if (!frames.empty() || foreign->stack.find("\n    at ") != std::string::npos) info.stack = foreign->stack + frames;
    if (!foreign->file.empty()) info.file = foreign->file, info.line = foreign->line, info.column = foreign->column;
  } else if (exception->IsObject() &&
             (exception->IsNativeError() || !string_property(context, exception.As<v8::Object>(), "message").empty())) {
    auto object = exception.As<v8::Object>();
    info.type = string_property(context, object, "name");
    info.message = string_property(context, object, "message");
    info.stack = string_property(context, object, "stack");
    if (info.type.empty()) info.type = "Error";
    info.stack = without_prelude_frames(info.stack);
    if (causes == Causes::Printed) info.stack += cause_lines(context, object);
  } else {
    info.type = "Uncaught";
    info.message = thrown_value_text(context, exception);
  }
  // A syntax error's stack has no frames: show the offending line with a caret, as node does (a
  // Python SyntaxError that crossed the bridge brings its own, written in as Python shows it).
  if (exception->IsNativeError() && info.type == "SyntaxError" && !message.IsEmpty() && !from_python) {
    v8::Local<v8::String> source_line;
    if (message->GetSourceLine(context).ToLocal(&source_line)) {
      std::string line = v8_to_utf8(isolate, source_line);
      int start = message->GetStartColumn(context).FromMaybe(0);
      int end = message->GetEndColumn(context).FromMaybe(start + 1);
      info.stack = line + "\n" + std::string(static_cast<size_t>(std::max(start, 0)), ' ') +
                   std::string(static_cast<size_t>(std::max(end - start, 1)), '^') + "\n" + info.stack;
    }
  }
  if (!python_source_excerpt.empty()) info.stack = python_source_excerpt + "\n" + info.stack;
  return info;
}

ScriptErrorInfo describe_uncaught_v8_exception(v8::Local<v8::Context> context, v8::Local<v8::Value> exception,
                                               v8::Local<v8::Message> message) {
  ScriptErrorInfo info = describe_v8_exception(context, exception, message);
  for (std::string* text : {&info.file, &info.type, &info.message, &info.stack}) {
    *text = with_lone_surrogates_replaced(std::move(*text));
  }
  return info;
}

}  // namespace polyhost
