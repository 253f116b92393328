#include "tests/engines_fixture.h"

#include <fstream>
#include <optional>
#include <random>

#include "bindings/python_modules.h"

namespace polyhost::testing {
namespace {
std::optional<V8Platform> platform;
std::optional<PythonInterpreter> interpreter;
}  // namespace

ProcessRuntimes::ProcessRuntimes() {
  platform.emplace();
  bindings::register_python_binding_modules();  // before the interpreter starts
  interpreter.emplace();
}

ProcessRuntimes::~ProcessRuntimes() {
  interpreter.reset();
  platform.reset();
}

V8Platform& v8_platform() { return *platform; }
PythonInterpreter& python_interpreter() { return *interpreter; }

std::unique_ptr<Engine> make_engine(Language language) {
  if (language == Language::JavaScript) return std::make_unique<V8Engine>(*platform);
  return std::make_unique<PythonEngine>(*interpreter);
}

TempDir::TempDir() {
  std::random_device random;
  path_ = std::filesystem::temp_directory_path() / ("polyhost-test-" + std::to_string(random()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::filesystem::path TempDir::write(const std::string& name, const std::string& text) const {
  auto file = path_ / name;
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
  return file;
}

}  // namespace polyhost::testing
