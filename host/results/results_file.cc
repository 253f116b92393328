#include "host/results/results_file.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "host/read_file.h"

namespace polyhost {
namespace {

using json = nlohmann::json;

// Where a field sits, for messages: "runs[3].samples_ns[2]".
std::string at(std::size_t run, const std::string& field) { return "runs[" + std::to_string(run) + "]." + field; }

std::string type_name(const json& v) { return v.is_null() ? "null" : v.type_name(); }

// A sample, or the reason it is not one.
std::string check_sample(const json& v, const std::string& where) {
  if (!v.is_number()) return where + ": expected a number of nanoseconds, found " + type_name(v);
  const double x = v.get<double>();
  if (!std::isfinite(x) || x <= 0) return where + ": expected a positive number of nanoseconds, found " + v.dump();
  return "";
}

// The samples of ARRAY (at WHERE), or a problem text in PROBLEM when one is not a sample.
std::vector<double> samples(const json& array, const std::string& where, std::string& problem) {
  std::vector<double> out;
  if (array.is_null()) return out;
  if (!array.is_array()) {
    if (problem.empty()) problem = where + ": expected an array, found " + type_name(array);
    return out;
  }
  for (std::size_t i = 0; i < array.size(); ++i) {
    std::string why = check_sample(array[i], where + "[" + std::to_string(i) + "]");
    if (!why.empty()) {
      if (problem.empty()) problem = why;
      continue;
    }
    out.push_back(array[i].get<double>());
  }
  return out;
}

std::string optional_string(const json& r, const char* field, std::size_t index, const std::string& path) {
  if (!r.contains(field)) return "";
  if (!r[field].is_string()) {
    throw ResultsFileError(path + ": " + at(index, field) + ": expected a string, found " + type_name(r[field]));
  }
  return r[field].get<std::string>();
}

void require_object_or_null(const json& r, const char* field, std::size_t index, const std::string& path) {
  if (r.contains(field) && !r[field].is_null() && !r[field].is_object()) {
    throw ResultsFileError(path + ": " + at(index, field) + ": expected an object, found " + type_name(r[field]));
  }
}

// nlohmann reports a byte offset; editors count lines and characters (not UTF-8 bytes).
std::string line_and_column(const std::string& text, std::size_t byte) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i + 1 < byte && i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++line;
      column = 1;
    } else if ((c & 0xC0) != 0x80) {  // not a UTF-8 continuation byte
      ++column;
    }
  }
  return std::to_string(line) + ":" + std::to_string(column);
}

// "syntax error while parsing value - unexpected end of input; ..." from nlohmann's message.
std::string parser_reason(const std::string& what) {
  const auto colon = what.find(": ");
  if (colon != std::string::npos) return what.substr(colon + 2);
  const auto tag = what.find("] ");  // "[json.exception.out_of_range.406] number overflow ..."
  return tag == std::string::npos ? what : what.substr(tag + 2);
}

LoadedRun load_run(const json& r, std::size_t index, const std::string& path) {
  if (!r.is_object()) throw ResultsFileError(path + ": runs[" + std::to_string(index) + "]: expected an object");
  for (const char* field : {"workload", "config", "status"}) {
    if (!r.contains(field) || !r[field].is_string()) {
      throw ResultsFileError(path + ": runs[" + std::to_string(index) + "] has no \"" + field + "\"" +
                             (r.contains(field) ? " string (found " + type_name(r[field]) + ")" : std::string()));
    }
  }
  LoadedRun run;
  run.workload = r["workload"];
  run.config = r["config"];
  run.status = r["status"];
  run.language = optional_string(r, "language", index, path);
  run.message = optional_string(r, "message", index, path);
  if (r.contains("size")) {
    if (!r["size"].is_number_integer()) {
      throw ResultsFileError(path + ": " + at(index, "size") + ": expected an integer, found " + r["size"].dump());
    }
    run.size = r["size"].get<std::int64_t>();
  }
  require_object_or_null(r, "stats", index, path);
  require_object_or_null(r, "warmup", index, path);
  std::string& problem = run.problem;
  run.samples_ns = samples(r.value("samples_ns", json()), path + ": " + at(index, "samples_ns"), problem);
  const json measured = r.value("process_samples_ns", json::array());
  const json warm = r.value("process_warmup_ns", json::array());
  if (!measured.is_array() && problem.empty()) {
    problem = path + ": " + at(index, "process_samples_ns") + ": expected an array of arrays";
  }
  std::vector<double> all_measured;
  for (std::size_t p = 0; measured.is_array() && p < measured.size(); ++p) {
    const std::string index_text = "[" + std::to_string(p) + "]";
    std::vector<double> series =
        warm.is_array() && p < warm.size()
            ? samples(warm[p], path + ": " + at(index, "process_warmup_ns" + index_text), problem)
            : std::vector<double>{};
    run.warmup_counts.push_back(series.size());
    auto m = samples(measured[p], path + ": " + at(index, "process_samples_ns" + index_text), problem);
    all_measured.insert(all_measured.end(), m.begin(), m.end());
    series.insert(series.end(), m.begin(), m.end());
    run.process_series.push_back(std::move(series));
  }
  // The median and the test read samples_ns, the CI reads the per-process series: they must be
  // the same samples, or one edited file could hide a change from half the statistics.
  if (!r.contains("samples_ns")) {
    run.samples_ns = all_measured;
  } else if (problem.empty() && !all_measured.empty()) {
    std::vector<double> flat = run.samples_ns;
    std::sort(flat.begin(), flat.end());
    std::sort(all_measured.begin(), all_measured.end());
    if (flat != all_measured) {
      problem = path + ": " + at(index, "samples_ns") + " and " + at(index, "process_samples_ns") +
                " hold different samples";
    }
  }
  run.stats = r.value("stats", json());
  run.warmup = r.value("warmup", json());
  return run;
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
  const json configs = document.value("environment", json::object()).value("configs", json::object());
  if (configs.is_object() && configs.contains(config) && configs[config].is_object() &&
      configs[config].contains("engine") && configs[config]["engine"].is_string()) {
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
    out.document = json::parse(*text);
  } catch (const json::parse_error& e) {
    throw ResultsFileError(path + ":" + line_and_column(*text, e.byte) + ": not valid JSON (" + parser_reason(e.what()) + ")");
  } catch (const json::exception& e) {  // e.g. a number too large for a double
    throw ResultsFileError(path + ": not usable JSON (" + parser_reason(e.what()) + ")");
  }
  const auto& doc = out.document;
  if (!doc.is_object() || doc.value("schema", json()) != "polyhost.results/1") {
    throw ResultsFileError(path + ": not a polyhost results file (expected \"schema\": \"polyhost.results/1\"" +
                           (doc.is_object() && doc.contains("schema") ? ", found " + doc["schema"].dump() : std::string()) +
                           ")");
  }
  if (!doc.contains("runs") || !doc["runs"].is_array()) throw ResultsFileError(path + ": has no \"runs\" array");
  if (doc.contains("environment") && !doc["environment"].is_object()) {
    throw ResultsFileError(path + ": environment: expected an object, found " + type_name(doc["environment"]));
  }
  std::map<std::pair<std::string, std::string>, std::size_t> first_index;
  for (std::size_t index = 0; index < doc["runs"].size(); ++index) {
    LoadedRun run = load_run(doc["runs"][index], index, path);
    auto [seen, fresh] = first_index.emplace(std::make_pair(run.workload, run.config), index);
    if (!fresh) {
      const std::string twice = path + ": runs[" + std::to_string(seen->second) + "] and runs[" + std::to_string(index) +
                                "] are both " + run.workload + " [" + run.config + "]";
      out.runs[seen->second].problem = twice;
      run.problem = twice;
    }
    out.runs.push_back(std::move(run));
  }
  return out;
}

}  // namespace polyhost
