// Writing a file so that a reader never sees half of it.
#pragma once

#include <stdexcept>
#include <string>

namespace polyhost {

// A file that could not be written: PATH, and why (strerror's text).
struct FileWriteError : std::runtime_error {
  FileWriteError(const std::string& path, const std::string& reason)
      : std::runtime_error("cannot write " + path + ": " + reason), reason(reason) {}
  std::string reason;
};

// Writes PATH via a temporary file in the same directory and a rename. A symbolic link stays and
// its target is replaced; a file replaced keeps its permission bits. Our own descriptors (/dev/stdout, /dev/fd/N) are written to directly,
// and what is not a regular file (a device such as /dev/null, a FIFO) is written in place, never
// replaced. Throws FileWriteError on failure.
void write_file_atomically(const std::string& path, const std::string& content);

// The regular file that writing PATH replaces (symbolic links followed, absolute), or "" when
// PATH is written in place. Two outputs, or an output and an input, with the same target are one
// file.
std::string replaced_file(const std::string& path);

// Why PATH could not be written (its directory is missing or not writable, or PATH is a
// directory), or "" when it can. Commands check their output paths before long work with it, so
// a typo costs nothing.
std::string unwritable_reason(const std::string& path);

}  // namespace polyhost
