#include "host/export/environment_facts.h"

#include <cmath>

#include "host/text/format.h"
#include "host/text/markdown.h"

namespace polyhost {
namespace {

std::string or_unknown(const std::string& text) { return text.empty() ? "unknown" : text; }

}  // namespace

std::vector<EnvironmentFact> environment_facts(const Environment& env) {
  std::vector<EnvironmentFact> facts;
  // No core count: a merge of machines that differ in it (their own environments list each).
  facts.push_back({"CPU", or_unknown(env.cpu_model) + (env.cpu_count > 0 ? ", " + std::to_string(env.cpu_count) + " cores" : ""), ""});
  facts.push_back({"OS", or_unknown(env.os), ""});
  for (const auto& engine : env.engines) facts.push_back({engine.name, or_unknown(engine.version), engine.executable});
  facts.push_back({"polyhost", or_unknown(env.polyhost_version) + ", commit " + or_unknown(env.git_commit), ""});
  const bool merged = env.merged_files > 1;
  const std::string files = std::to_string(env.merged_files) + " merged files'";
  facts.push_back({"Started", or_unknown(env.start_time) + (merged && !env.start_time.empty() ? " (the earliest of the " + files + ")" : ""), ""});
  if (env.load_average) {
    const double load = *env.load_average;  // 2 decimals, as /proc/loadavg has it
    facts.push_back({"Load average", (load < 1e9 ? text::format_plain_number(std::round(load * 100) / 100) : text::format_plain_number(load)) +
                                         (merged ? " (1 minute: the largest of the " + files + ", each at its start)" : " (1 minute, at the start)"),
                     ""});
  }
  facts.push_back({"Command", env.command_line.empty() ? "unknown" : "", env.command_line});
  return facts;
}

void write_environment_markdown(const Environment& environment, std::ostream& out) {
  using text::markdown::code;
  for (const auto& fact : environment_facts(environment)) {
    out << "- **" << fact.label << ":** " << text::markdown::escape(fact.text);
    if (!fact.code.empty()) out << (fact.text.empty() ? "" : " (") << code(fact.code) << (fact.text.empty() ? "" : ")");
    out << '\n';
  }
}

}  // namespace polyhost
