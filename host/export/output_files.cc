#include "host/export/output_files.h"

#include <cstdio>
#include <sstream>

#include "host/export/atomic_file.h"

namespace polyhost {

std::string unwritable_output(const std::vector<OutputFile>& outputs) {
  for (const auto& output : outputs) {
    if (output.path.empty()) continue;
    if (const std::string reason = unwritable_reason(output.path); !reason.empty()) {
      return "cannot write " + output.flag + " " + output.path + ": " + reason;
    }
  }
  return "";
}

bool write_outputs(const std::vector<OutputFile>& outputs, const std::string& command) {
  bool all = true;
  for (const auto& output : outputs) {
    if (output.path.empty()) continue;
    try {
      std::ostringstream text;
      output.write(text);
      write_file_atomically(output.path, text.str());
      std::fprintf(stderr, "wrote %s\n", output.path.c_str());
    } catch (const std::exception& e) {
      std::fprintf(stderr, "%s: %s\n", command.c_str(), e.what());
      all = false;
    }
  }
  return all;
}

}  // namespace polyhost
