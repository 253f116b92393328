// The configurations a workload can run under: which engine, with which process-wide flags.
#pragma once

#include <string>
#include <vector>

#include "host/engine.h"

namespace polyhost {

struct Config {
  std::string name;                    // as used in --configs
  Language language;
  std::vector<std::string> v8_flags;   // set before V8 starts (so one worker process per config)
  std::string description;
};

const std::vector<Config>& all_configs();
const Config* find_config(const std::string& name);  // nullptr if unknown
// The default set for `polyhost run`: v8-jit and cpython.
std::vector<std::string> default_config_names();

}  // namespace polyhost
