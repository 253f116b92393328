#include "host/cli/exec_command.h"

#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>

#include "host/python/python_engine.h"
#include "host/v8/v8_engine.h"

namespace polyhost {
namespace {

std::optional<Language> language_of(const std::filesystem::path& file) {
  const std::string ext = file.extension().string();
  if (ext == ".js" || ext == ".mjs" || ext == ".cjs") return Language::JavaScript;
  if (ext == ".py") return Language::Python;
  return std::nullopt;
}

// Engines are started on first use and live until the command ends; the process-wide runtimes
// are declared first so that they are torn down last.
class Engines {
 public:
  explicit Engines(std::vector<std::string> v8_flags) : v8_flags_(std::move(v8_flags)) {}
  Engine& get(Language language) {
    if (language == Language::JavaScript) {
      if (!js_) {
        v8_platform_.emplace(v8_flags_);
        js_ = std::make_unique<V8Engine>(*v8_platform_);
      }
      return *js_;
    }
    if (!py_) {
      interpreter_.emplace();
      py_ = std::make_unique<PythonEngine>(*interpreter_);
    }
    return *py_;
  }

 private:
  std::vector<std::string> v8_flags_;
  std::optional<V8Platform> v8_platform_;
  std::optional<PythonInterpreter> interpreter_;
  std::unique_ptr<V8Engine> js_;
  std::unique_ptr<PythonEngine> py_;
};

}  // namespace

int exec_command(const ExecOptions& options) {
  // Check every file before running any, so a typo in the last one wastes no work.
  for (const auto& file : options.files) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
      std::fprintf(stderr, "polyhost exec: %s: no such file\n", file.c_str());
      return 2;
    }
    if (!language_of(file)) {
      std::fprintf(stderr, "polyhost exec: %s: unknown extension '%s' (expected .js, .mjs, .cjs or .py)\n",
                   file.c_str(), std::filesystem::path(file).extension().string().c_str());
      return 2;
    }
  }
  Engines engines(options.v8_flags);
  for (const auto& file : options.files) {
    try {
      engines.get(*language_of(file)).run_program(file, options.args);
    } catch (const ScriptError& e) {
      std::fflush(stdout);
      std::fprintf(stderr, "%s\n", e.what());
      if (!e.info().stack.empty()) std::fprintf(stderr, "%s\n", e.info().stack.c_str());
      return 1;
    } catch (const ConversionError& e) {
      std::fflush(stdout);
      std::fprintf(stderr, "%s: %s\n", file.c_str(), e.what());
      return 1;
    } catch (const ExitRequest& exit) {
      std::fflush(stdout);
      return exit.status;
    }
  }
  std::fflush(stdout);
  return 0;
}

}  // namespace polyhost
