#include "host/runner/configs.h"

#include <unistd.h>

#include <cstdlib>
#include <sstream>

#include "host/build_info.h"

namespace polyhost {
namespace {

// PROGRAM itself when it contains a slash, else the first executable of that name on PATH.
std::string find_program(const std::string& program) {
  if (program.find('/') != std::string::npos) return ::access(program.c_str(), X_OK) == 0 ? program : "";
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    std::string candidate = (dir.empty() ? "." : dir) + "/" + program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

// CPython 3.11 quickens (specializes) a code object once it has run 8 times.
constexpr int kCPythonQuickening = 8;

}  // namespace

const std::vector<Config>& all_configs() {
  static const std::vector<Config> configs = {
      {"v8-jit", Language::JavaScript, {}, "V8 with its default tiers (Ignition, Sparkplug, TurboFan)", "", ""},
      {"v8-sparkplug", Language::JavaScript, {"--no-opt"}, "V8 without TurboFan: bytecode interpreter + baseline compiler", "", ""},
      {"v8-ignition", Language::JavaScript, {"--jitless"}, "V8's bytecode interpreter only", "", ""},
      {"cpython", Language::Python, {}, "the embedded CPython (specializing bytecode interpreter)", "", "", {}, kCPythonQuickening},
      {"node", Language::JavaScript, {}, "the system's Node.js, as a separate program", "node",
       "host/runner/reference/worker.js"},
      // The standalone interpreter of the very build polyhost embeds, so that cpython/python3
      // measures the host, not two different builds.
      {"python3", Language::Python, {}, "the standalone python3 of the embedded CPython build", build_info::python_executable,
       "host/runner/reference/worker.py", {}, kCPythonQuickening},
      {"pypy3", Language::Python, {}, "Debian's PyPy (a tracing JIT for Python)", "pypy3", "host/runner/reference/worker.py"},
      // The same PyPy with its JIT off: its own interpreter only, as v8-ignition is V8's.
      {"pypy3-nojit", Language::Python, {}, "Debian's PyPy with its JIT off: PyPy's bytecode interpreter only", "pypy3",
       "host/runner/reference/worker.py", {"--jit", "off"}},
  };
  return configs;
}

const Config* find_config(const std::string& name) {
  for (const auto& config : all_configs()) {
    if (config.name == name) return &config;
  }
  return nullptr;
}

std::vector<std::string> default_config_names() { return {"v8-jit", "cpython"}; }

std::string baseline_of(const std::vector<std::string>& configs) {
  for (const auto& c : configs) {
    if (c == "v8-jit") return c;
  }
  return configs.empty() ? std::string() : configs.front();
}

const Config& plain_config_for(Language language) {
  return *find_config(language == Language::JavaScript ? "v8-jit" : "cpython");
}

const std::vector<BreakEvenPair>& break_even_pairs() {
  static const std::vector<BreakEvenPair> pairs = {
      {"v8-jit", "v8-ignition"}, {"pypy3", "pypy3-nojit"}, {"pypy3", "cpython"}};
  return pairs;
}

const std::vector<TierQuestion>& tier_questions() {
  static const std::vector<TierQuestion> questions = {
      {"v8-ignition", "v8-jit", "JIT vs V8's own interpreter (how much of V8's speed is its JIT)"},
      {"pypy3-nojit", "pypy3", "PyPy's JIT vs its own interpreter (how much of PyPy's speed is its JIT)"},
      {"v8-sparkplug", "v8-jit", "V8's baseline compiler alone vs its optimizing JIT"},
      {"cpython", "v8-ignition", "interpreter vs interpreter (CPython's bytecode vs V8's Ignition)"},
      {"cpython", "v8-jit", "CPython vs V8 with its JIT"},
      {"cpython", "pypy3", "PyPy's speed-up over CPython (the \"4.5x\" claim)"},
      {"pypy3-nojit", "cpython", "PyPy's interpreter vs CPython's (both without a JIT)"},
      {"cpython", "python3", "embedded vs standalone CPython, same build (polyhost's own overhead; ~1.00 expected)"},
      {"node", "v8-jit", "Node.js (its own, newer V8) vs polyhost's embedded V8"},
  };
  return questions;
}

std::optional<std::vector<std::string>> worker_command(const Config& config, const std::string& self,
                                                       std::size_t max_heap_mb, std::string& reason) {
  if (!config.is_reference()) return std::vector<std::string>{self, "worker", "--config", config.name};
  std::string program = find_program(config.program);
  if (program.empty()) {
    reason = config.program + " is not installed (not found" +
             (config.program.find('/') == std::string::npos ? std::string(" on PATH") : std::string()) + ")";
    return std::nullopt;
  }
  std::string script = std::string(build_info::source_dir) + "/" + config.reference_worker;
  if (::access(script.c_str(), R_OK) != 0) {
    reason = "polyhost's reference worker " + script + " is missing";
    return std::nullopt;
  }
  if (config.program == "node" && max_heap_mb > 0) {
    return std::vector<std::string>{program, "--max-old-space-size=" + std::to_string(max_heap_mb), script};
  }
  std::vector<std::string> command{program};
  command.insert(command.end(), config.program_flags.begin(), config.program_flags.end());
  command.push_back(script);
  return command;
}

}  // namespace polyhost
