#include "host/export/environment_facts.h"

namespace polyhost {
namespace {

std::string or_unknown(const std::string& text) { return text.empty() ? "unknown" : text; }

}  // namespace

std::vector<EnvironmentFact> environment_facts(const Environment& env) {
  std::vector<EnvironmentFact> facts;
  facts.push_back({"CPU", or_unknown(env.cpu_model) + ", " + std::to_string(env.cpu_count) + " cores", ""});
  facts.push_back({"OS", or_unknown(env.os), ""});
  for (const auto& engine : env.engines) facts.push_back({engine.name, or_unknown(engine.version), engine.executable});
  facts.push_back({"polyhost", or_unknown(env.polyhost_version) + ", commit " + or_unknown(env.git_commit), ""});
  facts.push_back({"Started", or_unknown(env.start_time), ""});
  facts.push_back({"Command", env.command_line.empty() ? "unknown" : "", env.command_line});
  return facts;
}

}  // namespace polyhost
