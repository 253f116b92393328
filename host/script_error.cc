#include "host/script_error.h"

namespace polyhost {

ScriptError::ScriptError(ScriptErrorInfo info) : std::runtime_error(headline(info)), info_(std::move(info)) {}

std::string ScriptError::location(const ScriptErrorInfo& info) {
  if (info.file.empty()) return "";
  std::string out = info.file;
  if (info.line > 0) {
    out += ':' + std::to_string(info.line);
    if (info.column > 0) out += ':' + std::to_string(info.column);
  }
  return out;
}

std::string ScriptError::headline(const ScriptErrorInfo& info) {
  std::string out = location(info);
  if (!out.empty()) out += ": ";
  out += info.type.empty() ? "Error" : info.type;
  if (!info.message.empty()) out += ": " + info.message;
  return out;
}

}  // namespace polyhost
