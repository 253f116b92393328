// The items of a comma-separated option (--configs, --modes, --threads), empty ones kept, so that
// "a,,b" and "a," are a usage error naming the empty item rather than a typo passed over.
#pragma once

#include <string>
#include <vector>

namespace polyhost {

inline std::vector<std::string> comma_items(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t comma; (comma = text.find(',', start)) != std::string::npos; start = comma + 1) {
    out.push_back(text.substr(start, comma - start));
  }
  out.push_back(text.substr(start));
  return out;
}

}  // namespace polyhost
