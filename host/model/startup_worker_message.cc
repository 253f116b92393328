#include "host/model/startup_worker_message.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "host/model/json_node.h"

namespace polyhost {
namespace {

Json steps_json(const std::vector<StartupStep>& steps) {
  Json out = Json::array();
  for (const auto& s : steps) out.push_back({{"name", s.name}, {"ns", json_number(s.ns)}, {"rss_after_bytes", s.rss_after_bytes}});
  return out;
}

std::vector<StartupStep> read_steps(const JsonNode& node) {
  std::vector<StartupStep> out;
  for (const auto& s : node.elements()) {
    StartupStep step;
    step.name = s.at("name").string();
    step.ns = s.at("ns").number();
    if (!std::isfinite(step.ns) || step.ns < 0) s.at("ns").fail("expected a duration >= 0");
    const std::int64_t rss = s.at("rss_after_bytes").integer();
    if (rss < 0) s.at("rss_after_bytes").fail("expected a size >= 0");
    step.rss_after_bytes = static_cast<std::uint64_t>(rss);
    out.push_back(std::move(step));
  }
  return out;
}

}  // namespace

std::string write_startup_worker_message(const StartupWorkerMessage& m) {
  Json doc{{"ok", m.ok},
           {"message", m.message},
           {"failure", m.failure},
           {"engine", m.engine},
           {"steps", steps_json(m.steps)},
           {"instances", steps_json(m.instances)},
           {"peak_rss_bytes", m.peak_rss_bytes},
           {"size", m.size},
           {"sizes", m.sizes},
           {"has_setup", m.has_setup}};
  return doc.dump(-1, ' ', false, Json::error_handler_t::replace);
}

StartupWorkerMessage read_startup_worker_message(const std::string& text) {
  const std::string file = "startup worker message";
  const Json doc = parse_json_file(text, file);
  const JsonNode root(doc, file);
  if (!doc.is_object()) root.expected("an object");
  StartupWorkerMessage m;
  m.ok = root.at("ok").boolean();
  m.message = root.at("message").string();
  if (const auto failure = root.find_non_null("failure")) {
    m.failure = failure->string();
    if (m.failure != "error" && m.failure != "timeout" && m.failure != "out-of-memory") {
      failure->fail("expected \"error\", \"timeout\" or \"out-of-memory\", found \"" + m.failure + "\"");
    }
  }
  m.engine = root.at("engine").string();
  m.steps = read_steps(root.at("steps"));
  m.instances = read_steps(root.at("instances"));
  const std::int64_t peak = root.at("peak_rss_bytes").integer();
  if (peak < 0) root.at("peak_rss_bytes").fail("expected a size >= 0");
  m.peak_rss_bytes = static_cast<std::uint64_t>(peak);
  m.size = root.at("size").integer();
  if (const auto sizes = root.find_non_null("sizes")) {
    for (const auto& [name, n] : sizes->members()) m.sizes[name] = n.integer();
  }
  m.has_setup = root.at("has_setup").boolean();
  return m;
}

}  // namespace polyhost
