// Process-wide runtimes for the tests, and helpers to make engines on them.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "host/python/python_engine.h"
#include "host/v8/v8_engine.h"

namespace polyhost::testing {

class ProcessRuntimes {
 public:
  ProcessRuntimes();
  ~ProcessRuntimes();
};

V8Platform& v8_platform();
PythonInterpreter& python_interpreter();
std::unique_ptr<Engine> make_engine(Language language);

// A directory under the system temp dir, removed when the object goes.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }
  // Writes TEXT to NAME inside the directory and returns its full path.
  std::filesystem::path write(const std::string& name, const std::string& text) const;

 private:
  std::filesystem::path path_;
};

}  // namespace polyhost::testing
