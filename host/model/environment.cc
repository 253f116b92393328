#include "host/model/environment.h"

#include <cstdio>
#include <nlohmann/json.hpp>

namespace polyhost {
namespace {

std::string optional_text(const JsonNode& node, const char* key) {
  const auto value = node.find_non_null(key);
  return value ? value->text() : std::string();
}

}  // namespace

Json environment_to_json(const Environment& env) {
  Json engines = Json::array();
  for (const auto& e : env.engines) {
    Json engine{{"name", e.name}, {"version", e.version}};
    if (!e.executable.empty()) engine["executable"] = e.executable;
    engines.push_back(std::move(engine));
  }
  Json out{{"polyhost_version", env.polyhost_version},
              {"git_commit", env.git_commit},
              {"engines", engines},
              {"cpu_model", env.cpu_model},
              {"cpu_count", env.cpu_count},
              {"os", env.os},
              {"command_line", env.command_line},
              {"start_time", env.start_time}};
  if (env.load_average) out["load_average"] = json_number(*env.load_average);
  if (env.merged_files > 0) out["merged_files"] = env.merged_files;
  return out;
}

Environment environment_from_json(const JsonNode& node) {
  Environment env;
  env.polyhost_version = optional_text(node, "polyhost_version");
  env.git_commit = optional_text(node, "git_commit");
  if (auto engines = node.find_non_null("engines")) {
    for (const auto& e : engines->elements()) {
      const auto executable = e.find_non_null("executable");
      env.engines.push_back({e.at("name").string(), e.at("version").string(), executable ? executable->string() : ""});
    }
  } else {
    if (node.find_non_null("v8_version")) env.engines.push_back({"V8", optional_text(node, "v8_version"), ""});
    if (node.find_non_null("python_version")) {
      env.engines.push_back({"CPython", optional_text(node, "python_version"), optional_text(node, "python_executable")});
    }
  }
  env.cpu_model = optional_text(node, "cpu_model");
  if (auto count = node.find_non_null("cpu_count")) env.cpu_count = count->count(0);  // 0: not known
  env.os = optional_text(node, "os");
  env.command_line = optional_text(node, "command_line");
  env.start_time = optional_text(node, "start_time");
  if (auto load = node.find_non_null("load_average")) env.load_average = load->number_at_least(0);
  if (auto merged = node.find_non_null("merged_files")) env.merged_files = merged->count(1);
  return env;
}

std::string busy_machine_note(const Environment& env) {
  if (!env.load_average || env.cpu_count <= 0 || *env.load_average <= 0.5 * env.cpu_count) return "";
  char load[32];
  std::snprintf(load, sizeof load, "%.2f", *env.load_average);
  return std::string("the machine is busy (load average ") + load + " on " + std::to_string(env.cpu_count) +
         " cores when this started): figures will be noisier than on an idle machine";
}

}  // namespace polyhost
