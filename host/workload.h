// Workloads: a folder <name>/ with <name>.js and <name>.py that follow one contract (see
// workloads/README.md). Finding them, and reading one loaded file against the contract.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "host/engine.h"

namespace polyhost {

struct Workload {
  std::string name;
  std::filesystem::path dir;
  std::filesystem::path js;  // may not exist: reported as invalid when a run needs it
  std::filesystem::path py;
  const std::filesystem::path& file_for(Language language) const {
    return language == Language::JavaScript ? js : py;
  }
  // Why a run in LANGUAGE cannot start ("missing F (a workload needs both files)"), or "" when its
  // file is there.
  std::string missing_file(Language language) const;
};

class WorkloadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The default suite: ./workloads when it exists, else the one in polyhost's source tree.
std::filesystem::path default_suite_dir();

// TARGETS are workload names (looked up in the default suite), workload folders, or suite folders
// holding workload folders. No targets: the whole default suite. Sorted by name, no duplicates.
// Throws WorkloadError naming the target that is neither.
std::vector<Workload> find_workloads(const std::vector<std::string>& targets);

// The files in the WORKLOADS' folders (subfolders included) that no output may replace: every one
// (sources, data a workload reads) but what polyhost itself wrote there (the JSON, CSV or Markdown
// of an earlier run, which a repeated command replaces).
std::vector<std::string> workload_files(const std::vector<Workload>& workloads);

// What a loaded workload file declares, checked against the contract.
struct WorkloadShape {
  std::map<std::string, std::int64_t> sizes;  // "quick" and "default"
  bool has_setup = false;
  bool has_verify = false;
};
// One loaded file's sizes, with its language's short name ("js", "py").
struct DeclaredSizes {
  std::string language;
  std::map<std::string, std::int64_t> sizes;
};
// "sizes differ between the files: js {"default":1,"quick":1} vs py {"default":1,"quick":2}" for
// the first of DECLARED (loads of one workload's files, in any order) whose sizes differ from the
// first's, or nothing when they all agree. Such a workload is invalid: its files would be measured
// at different n.
std::optional<std::string> sizes_disagreement(const std::vector<DeclaredSizes>& declared);

// Throws WorkloadError ("no run() function", "run is not a function", "sizes must be ...") when
// the contract is broken. A run, setup or verify that is plain data (`run = 5`, `verify = 'yes'`)
// is caught here; one that is neither data nor callable (a Symbol, a Python object without
// __call__) only when it is called, see is_not_a_function_error.
WorkloadShape inspect_loaded_workload(Engine& engine);

// Whether INFO is the engines' own "NAME is not a function" error for run, setup or verify (raised
// by Engine::call before anything runs, so it has no location or stack): a broken contract, not an
// error of the workload's code.
bool is_not_a_function_error(const ScriptErrorInfo& info);

}  // namespace polyhost
