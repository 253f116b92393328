// What a report calls each input file: its name, or, when inputs in different folders share a
// name (base/results.json, new/results.json), the shortest ending of its path that tells it apart.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace polyhost {

// PATHS as given -> their labels. The same path given twice is one file, with one label.
std::map<std::string, std::string> file_labels(const std::vector<std::string>& paths);

}  // namespace polyhost
