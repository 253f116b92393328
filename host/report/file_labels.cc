#include "host/report/file_labels.h"

#include <filesystem>

namespace polyhost {
namespace {

// The last COUNT components of PATH ("new/results.json" for 2), or all of it when it has fewer.
std::string ending(const std::vector<std::string>& components, std::size_t count) {
  std::filesystem::path out;
  for (std::size_t i = components.size() - std::min(count, components.size()); i < components.size(); ++i) out /= components[i];
  return out.generic_string();
}

std::vector<std::string> components_of(const std::string& path) {
  std::vector<std::string> out;
  for (const auto& part : std::filesystem::path(path).lexically_normal()) {
    if (!part.empty()) out.push_back(part.string());
  }
  return out;
}

}  // namespace

std::map<std::string, std::string> file_labels(const std::vector<std::string>& paths) {
  std::map<std::string, std::vector<std::string>> components;  // distinct normalized path -> its components
  std::map<std::string, std::string> normalized;              // path as given -> normalized
  for (const auto& path : paths) {
    normalized[path] = std::filesystem::path(path).lexically_normal().generic_string();
    components.emplace(normalized[path], components_of(path));
  }
  std::map<std::string, std::string> labels;
  for (const auto& path : paths) {
    const auto& mine = components.at(normalized[path]);
    std::size_t count = 1;
    for (const auto& [other_path, other] : components) {
      if (other_path == normalized[path]) continue;
      while (count < mine.size() && ending(mine, count) == ending(other, count)) ++count;
    }
    labels[path] = ending(mine, count);
  }
  return labels;
}

}  // namespace polyhost
