#include "host/read_file.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace polyhost {

std::optional<std::string> read_file(const std::string& path, std::string* why) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {  // opens, and then reads as empty
    if (why) *why = "it is a directory";
    return std::nullopt;
  }
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (why) *why = errno ? std::strerror(errno) : "cannot open it";
    return std::nullopt;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    if (why) *why = errno ? std::strerror(errno) : "a read failed";
    return std::nullopt;
  }
  return buffer.str();
}

}  // namespace polyhost
