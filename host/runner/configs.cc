#include "host/runner/configs.h"

namespace polyhost {

const std::vector<Config>& all_configs() {
  static const std::vector<Config> configs = {
      {"v8-jit", Language::JavaScript, {}, "V8 with its default tiers (Ignition, Sparkplug, TurboFan)"},
      {"v8-sparkplug", Language::JavaScript, {"--no-opt"}, "V8 without TurboFan: bytecode interpreter + baseline compiler"},
      {"v8-ignition", Language::JavaScript, {"--jitless"}, "V8's bytecode interpreter only"},
      {"cpython", Language::Python, {}, "the embedded CPython (specializing bytecode interpreter)"},
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

}  // namespace polyhost
