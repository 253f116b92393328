// The one interface both engines implement. Nothing above it knows which language runs.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "host/script_error.h"
#include "host/value.h"

namespace polyhost {

enum class Language { JavaScript, Python };

inline const char* language_name(Language l) { return l == Language::JavaScript ? "js" : "py"; }

class Engine {
 public:
  virtual ~Engine() = default;
  Engine() = default;
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  virtual Language language() const = 0;
  // "V8 10.2.154.26-node.37" / "CPython 3.11.7"
  virtual std::string version() const = 0;

  // Runs FILE as a program, as `node FILE` / `python3 FILE` would; ARGS is what the program sees
  // after its own name. Throws ScriptError on an uncaught error, ExitRequest on process.exit/sys.exit.
  virtual void run_program(const std::filesystem::path& file, const std::vector<std::string>& args) = 0;

  // Loads FILE as a module whose exported names can then be read and called. Throws ScriptError.
  virtual void load_module(const std::filesystem::path& file) = 0;
  // Whether the loaded module exports NAME (with any value).
  virtual bool has_export(const std::string& name) = 0;
  // The exported value NAME as a Value. Throws ConversionError if it is not JSON-like.
  virtual Value get_export(const std::string& name) = 0;
  // Calls the exported function NAME; a returned Promise / coroutine is awaited to completion.
  // Throws ScriptError (including "not a function") or ConversionError for a non-JSON-like result.
  Value call(const std::string& name, const std::vector<Value>& args) { return call_timed(name, args).value; }

  struct TimedResult {
    Value value;
    std::int64_t elapsed_ns;  // the call and its awaiting; not converting arguments or the result
  };
  virtual TimedResult call_timed(const std::string& name, const std::vector<Value>& args) = 0;

  // Asks the running script to stop as soon as it can; the call in progress then throws
  // EngineStop{Timeout}. Safe to call from another thread (a watchdog).
  virtual void request_stop() = 0;
};

}  // namespace polyhost
