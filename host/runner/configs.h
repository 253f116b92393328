// The configurations a workload can run under: which engine, with which process-wide flags. This
// is the only place that knows their names, which one is the baseline, and which tier questions
// the configurations answer. Embedded ones run in polyhost's own worker; reference ones are
// standalone programs (node, python3, pypy3) running polyhost's small reference worker
// (reference/worker.js, worker.py).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "host/engine.h"

namespace polyhost {

struct Config {
  std::string name;                    // as used in --configs
  Language language;                   // which file of a workload it runs
  std::vector<std::string> v8_flags;   // embedded V8: set before V8 starts (one worker per config)
  std::string description;             // for --help
  std::string program;                 // reference: the program to run; empty for embedded
  std::string reference_worker;        // reference: the worker script, relative to the source tree
  std::vector<std::string> program_flags = {};  // reference: given to the program before the script (pypy3 --jit off)
  // Calls of run() before which the engine is known to change speed, so a flat series proves
  // nothing yet (CPython 3.11 specializes a function's bytecode on its 8th call).
  int known_warmup_point = 0;
  bool is_reference() const { return !program.empty(); }
  // What the configuration changes in its engine: the V8 flags, or the reference program's flags.
  const std::vector<std::string>& flags() const { return is_reference() ? program_flags : v8_flags; }
};

const std::vector<Config>& all_configs();
const Config* find_config(const std::string& name);  // nullptr if unknown
// The default set for `polyhost run`: v8-jit and cpython.
std::vector<std::string> default_config_names();
// The configuration every other is divided by: v8-jit when it is among CONFIGS, else the first.
std::string baseline_of(const std::vector<std::string>& configs);
// The embedded configuration that loads a file of LANGUAGE as is (no flags), for `list`.
const Config& plain_config_for(Language language);

// A question the tiers answer: numerator / denominator, when both configurations ran.
struct TierQuestion {
  const char* numerator;
  const char* denominator;
  const char* question;
};
const std::vector<TierQuestion>& tier_questions();

// A JIT and an interpreter of the same language: after how many iterations does the JIT's
// cumulative time (warm-up included) drop below the interpreter's?
struct BreakEvenPair {
  const char* jit;
  const char* interpreter;
};
const std::vector<BreakEvenPair>& break_even_pairs();

// The command line that starts a worker for CONFIG (the worker's own options are appended by the
// caller), or nothing with REASON set when the configuration's program is not installed.
// MAX_HEAP_MB > 0 becomes node's --max-old-space-size (the other workers take --max-heap).
std::optional<std::vector<std::string>> worker_command(const Config& config, const std::string& self,
                                                       std::size_t max_heap_mb, std::string& reason);

}  // namespace polyhost
