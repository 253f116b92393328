#pragma once

#include <optional>
#include <string>

namespace polyhost {

// The whole file as bytes, or nothing if it cannot be read; then WHY (when given) says why ("No
// such file or directory", "it is a directory").
std::optional<std::string> read_file(const std::string& path, std::string* why = nullptr);

}  // namespace polyhost
