#include "host/v8/v8_host_functions.h"

#include <sys/stat.h>

#include <chrono>
#include <cstdio>

#include "host/read_file.h"
#include "host/v8/v8_strings.h"

namespace polyhost {
namespace {

using Args = v8::FunctionCallbackInfo<v8::Value>;

const auto process_start = std::chrono::steady_clock::now();

void throw_type_error(v8::Isolate* isolate, const char* message) {
  isolate->ThrowException(v8::Exception::TypeError(v8_string(isolate, message)));
}

// write(fd, text): fd 1 is stdout, 2 is stderr.
void write(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  if (args.Length() < 2 || !args[0]->IsInt32() || !args[1]->IsString()) return throw_type_error(isolate, "write(fd, text)");
  // A lone surrogate as U+FFFD, as Node writes one (3 bytes, as its own encoding takes).
  v8::Local<v8::String> string = args[1].As<v8::String>();
  std::string text(static_cast<std::size_t>(string->Utf8Length(isolate)), '\0');
  string->WriteUtf8(isolate, text.data(), static_cast<int>(text.size()), nullptr,
                    v8::String::REPLACE_INVALID_UTF8 | v8::String::NO_NULL_TERMINATION);
  FILE* stream = args[0].As<v8::Int32>()->Value() == 2 ? stderr : stdout;
  std::fwrite(text.data(), 1, text.size(), stream);
  if (stream == stderr) std::fflush(stderr);
}

// now(): milliseconds since the process started, with sub-microsecond resolution.
void now(const Args& args) {
  std::chrono::duration<double, std::milli> elapsed = std::chrono::steady_clock::now() - process_start;
  args.GetReturnValue().Set(elapsed.count());
}

void read_file_native(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  if (args.Length() < 1 || !args[0]->IsString()) return throw_type_error(isolate, "readFile(path)");
  std::string path = v8_to_utf8(isolate, args[0]);
  std::optional<std::string> text = read_file(path);
  if (!text) {
    auto error = v8::Exception::Error(v8_string(isolate, "ENOENT: cannot open '" + path + "'")).As<v8::Object>();
    error->Set(isolate->GetCurrentContext(), v8_string(isolate, "code"), v8_string(isolate, "ENOENT")).Check();
    isolate->ThrowException(error);
    return;
  }
  if (text->size() > static_cast<size_t>(v8::String::kMaxLength)) {
    isolate->ThrowException(v8::Exception::RangeError(v8_string(isolate, path + " is too large to load")));
    return;
  }
  args.GetReturnValue().Set(v8_string(isolate, *text));
}

// stat(path): 0 missing, 1 file, 2 directory.
void stat_native(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  if (args.Length() < 1 || !args[0]->IsString()) return throw_type_error(isolate, "stat(path)");
  struct stat info {};
  int kind = 0;
  if (::stat(v8_to_utf8(isolate, args[0]).c_str(), &info) == 0) kind = S_ISDIR(info.st_mode) ? 2 : 1;
  args.GetReturnValue().Set(kind);
}

// compileFunction(source, filename, [param names]): compiles SOURCE as a function body whose
// positions are reported against FILENAME (so errors point at the file's own lines).
void compile_function(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  if (args.Length() < 3 || !args[0]->IsString() || !args[1]->IsString() || !args[2]->IsArray()) {
    return throw_type_error(isolate, "compileFunction(source, filename, params)");
  }
  auto names = args[2].As<v8::Array>();
  std::vector<v8::Local<v8::String>> params;
  for (uint32_t i = 0; i < names->Length(); ++i) {
    params.push_back(names->Get(context, i).ToLocalChecked()->ToString(context).ToLocalChecked());
  }
  v8::ScriptOrigin origin(isolate, args[1]);
  v8::ScriptCompiler::Source source(args[0].As<v8::String>(), origin);
  v8::Local<v8::Function> fn;
  if (v8::ScriptCompiler::CompileFunction(context, &source, params.size(), params.data()).ToLocal(&fn)) {
    args.GetReturnValue().Set(fn);
  }
}

void exit_native(const Args& args) {
  int status = args.Length() > 0 && args[0]->IsInt32() ? args[0].As<v8::Int32>()->Value() : 0;
  static_cast<ExitHandler*>(args.Data().As<v8::External>()->Value())->request_exit(status);
}

}  // namespace

v8::Local<v8::Object> make_host_functions(v8::Local<v8::Context> context, ExitHandler& handler) {
  v8::Isolate* isolate = context->GetIsolate();
  v8::EscapableHandleScope scope(isolate);
  auto host = v8::Object::New(isolate);
  auto add = [&](const char* name, v8::FunctionCallback callback, v8::Local<v8::Value> data = {}) {
    host->Set(context, v8_string(isolate, name), v8::Function::New(context, callback, data).ToLocalChecked()).Check();
  };
  add("write", write);
  add("now", now);
  add("readFile", read_file_native);
  add("stat", stat_native);
  add("compileFunction", compile_function);
  add("exit", exit_native, v8::External::New(isolate, &handler));
  double origin_ms = std::chrono::duration<double, std::milli>(
      std::chrono::system_clock::now().time_since_epoch()).count();
  host->Set(context, v8_string(isolate, "timeOrigin"), v8::Number::New(isolate, origin_ms)).Check();
  return scope.Escape(host);
}

}  // namespace polyhost
