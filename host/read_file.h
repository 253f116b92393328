#pragma once

#include <optional>
#include <string>

namespace polyhost {

// The whole file as bytes, or nothing if it cannot be opened.
std::optional<std::string> read_file(const std::string& path);

}  // namespace polyhost
