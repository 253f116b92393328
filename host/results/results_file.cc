#include "host/results/results_file.h"

#include "host/read_file.h"

namespace polyhost {
namespace {

std::vector<double> numbers(const nlohmann::json& array) {
  std::vector<double> out;
  if (array.is_array()) {
    for (const auto& v : array) {
      if (v.is_number()) out.push_back(v.get<double>());
    }
  }
  return out;
}

}  // namespace

std::vector<std::vector<double>> LoadedRun::measured_by_process() const {
  std::vector<std::vector<double>> out;
  for (size_t p = 0; p < process_series.size(); ++p) {
    const size_t skip = p < warmup_counts.size() ? warmup_counts[p] : 0;
    if (process_series[p].size() > skip) out.emplace_back(process_series[p].begin() + static_cast<long>(skip), process_series[p].end());
  }
  if (out.empty() && !samples_ns.empty()) out.push_back(samples_ns);
  return out;
}

std::string LoadedResults::engine_of(const std::string& config) const {
  const auto& configs = document["environment"]["configs"];
  if (configs.is_object() && configs.contains(config) && configs[config].contains("engine")) {
    return configs[config]["engine"].get<std::string>();
  }
  return "";
}

LoadedResults load_results(const std::string& path) {
  std::optional<std::string> text = read_file(path);
  if (!text) throw ResultsFileError(path + ": cannot read the file");
  LoadedResults out;
  out.path = path;
  try {
    out.document = nlohmann::json::parse(*text);
  } catch (const nlohmann::json::parse_error& e) {
    // nlohmann reports a byte offset; turn it into line:column.
    size_t line = 1, column = 1;
    for (size_t i = 0; i < e.byte - 1 && i < text->size(); ++i) {
      if ((*text)[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    throw ResultsFileError(path + ":" + std::to_string(line) + ":" + std::to_string(column) + ": not valid JSON");
  }
  const auto& doc = out.document;
  if (!doc.is_object() || doc.value("schema", "") != "polyhost.results/1") {
    throw ResultsFileError(path + ": not a polyhost results file (expected \"schema\": \"polyhost.results/1\"" +
                           (doc.is_object() && doc.contains("schema") ? ", found " + doc["schema"].dump() : std::string()) +
                           ")");
  }
  if (!doc.contains("runs") || !doc["runs"].is_array()) throw ResultsFileError(path + ": has no \"runs\" array");
  size_t index = 0;
  for (const auto& r : doc["runs"]) {
    for (const char* field : {"workload", "config", "status"}) {
      if (!r.contains(field) || !r[field].is_string()) {
        throw ResultsFileError(path + ": runs[" + std::to_string(index) + "] has no \"" + field + "\"");
      }
    }
    LoadedRun run;
    run.workload = r["workload"];
    run.config = r["config"];
    run.status = r["status"];
    run.language = r.value("language", "");
    run.message = r.value("message", "");
    run.size = r.value("size", std::int64_t{0});
    run.samples_ns = numbers(r.value("samples_ns", nlohmann::json::array()));
    auto measured = r.value("process_samples_ns", nlohmann::json::array());
    auto warm = r.value("process_warmup_ns", nlohmann::json::array());
    for (size_t p = 0; p < measured.size(); ++p) {
      std::vector<double> series = p < warm.size() ? numbers(warm[p]) : std::vector<double>{};
      run.warmup_counts.push_back(series.size());
      auto m = numbers(measured[p]);
      series.insert(series.end(), m.begin(), m.end());
      run.process_series.push_back(std::move(series));
    }
    run.stats = r.value("stats", nlohmann::json());
    run.warmup = r.value("warmup", nlohmann::json());
    out.runs.push_back(std::move(run));
    ++index;
  }
  return out;
}

}  // namespace polyhost
