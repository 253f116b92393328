// Writing a file so that a reader never sees half of it.
#pragma once

#include <string>

namespace polyhost {

// Writes PATH via a temporary file in the same directory and a rename. Throws std::runtime_error
// naming the path on failure.
void write_file_atomically(const std::string& path, const std::string& content);

// Why PATH could not be written (its directory is missing or not writable, or PATH is a
// directory), or "" when it can. Commands check their output paths before long work with it, so
// a typo costs nothing.
std::string unwritable_reason(const std::string& path);

}  // namespace polyhost
