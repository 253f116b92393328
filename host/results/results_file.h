// Reading a results file written by `polyhost run --json` (schema polyhost.results/1), for
// `polyhost compare` and `polyhost report`.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace polyhost {

struct LoadedRun {
  std::string workload, config, language, status, message;
  std::int64_t size = 0;
  std::vector<double> samples_ns;                    // all measured samples
  std::vector<std::vector<double>> process_series;   // per process: warm-up then measured iterations
  std::vector<std::size_t> warmup_counts;            // per process: how many of the series are warm-up
  nlohmann::json stats;                              // as written (may be null)
  nlohmann::json warmup;                             // the warm-up classification (may be null)
  // Why this run's samples cannot be used, naming the file and the field (a sample that is not a
  // positive number, per-process samples that disagree with samples_ns, a duplicate row); empty
  // when they can. Such a run is listed, never compared or plotted.
  std::string problem;
  // The measured samples grouped by process (one group of all samples when the file has no
  // per-process series).
  std::vector<std::vector<double>> measured_by_process() const;
};

struct LoadedResults {
  std::string path;
  nlohmann::json document;  // the whole file
  std::vector<LoadedRun> runs;
  std::string engine_of(const std::string& config) const;  // environment.configs[config].engine
};

class ResultsFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws ResultsFileError naming PATH and what is wrong (unreadable, not JSON with the line and
// column and the parser's reason, another schema, a run without its identity fields, a field of
// the wrong type with its path). Problems confined to one run's samples go to LoadedRun::problem.
LoadedResults load_results(const std::string& path);

}  // namespace polyhost
