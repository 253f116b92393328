#include "host/script_error.h"

namespace polyhost {

ScriptError::ScriptError(ScriptErrorInfo info) : std::runtime_error(headline(info)), info_(std::move(info)) {}

std::string ScriptError::headline(const ScriptErrorInfo& info) {
  std::string out;
  if (!info.file.empty()) {
    out += info.file;
    if (info.line > 0) {
      out += ':' + std::to_string(info.line);
      if (info.column > 0) out += ':' + std::to_string(info.column);
    }
    out += ": ";
  }
  out += info.type.empty() ? "Error" : info.type;
  if (!info.message.empty()) out += ": " + info.message;
  return out;
}

}  // namespace polyhost
