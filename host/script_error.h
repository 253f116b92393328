// An uncaught error raised by a script, in either language, with where it happened.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>

namespace polyhost {

struct ScriptErrorInfo {
  std::string file;     // empty when the error has no source location
  int line = 0;         // 1-based; 0 when unknown
  int column = 0;       // 1-based; 0 when unknown
  std::string type;     // "TypeError", "ZeroDivisionError", ...
  std::string message;
  std::string stack;    // the engine's own stack trace text (may be empty)
};

class ScriptError : public std::runtime_error {
 public:
  explicit ScriptError(ScriptErrorInfo info);
  const ScriptErrorInfo& info() const { return info_; }
  // "FILE:LINE:COLUMN: Type: message" (the location part is left out when unknown).
  static std::string headline(const ScriptErrorInfo& info);
  // "FILE:LINE:COLUMN", "FILE:LINE" or "FILE" as far as known; "" without a file.
  static std::string location(const ScriptErrorInfo& info);

 private:
  ScriptErrorInfo info_;
};

// A value that cannot cross the language boundary (a function, a cycle, a huge integer, ...).
class ConversionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The script asked the process to exit (process.exit / sys.exit) with this status.
struct ExitRequest {
  int status;
  // What Python prints for sys.exit(code) with a code neither an int nor None, when that exit
  // crossed into JavaScript and ends the program there (an empty message is an empty line).
  std::optional<std::string> message = {};
  // Which call it was ("process.exit", "sys.exit"; empty when not known), and where the script
  // made it: its file, line, column and stack (no type or message).
  std::string call = {};
  ScriptErrorInfo site = {};
};

// The host stopped the script: it ran past its time, or its engine ran out of heap.
class EngineStop : public std::runtime_error {
 public:
  enum class Reason { Timeout, OutOfMemory };
  EngineStop(Reason reason, const std::string& message) : std::runtime_error(message), reason(reason), message(message) {}
  Reason reason;
  std::string message;
};

}  // namespace polyhost
