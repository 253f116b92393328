#include "host/model/spawn_measurement.h"
#include <nlohmann/json.hpp>

#include "host/model/json_node.h"

namespace polyhost {

std::string write_spawn_measurement(const SpawnMeasurement& m) {
  Json doc{{"wall_ns", m.wall_ns},         {"max_rss_kib", m.max_rss_kib}, {"spawner_max_rss_kib", m.spawner_max_rss_kib},
           {"exit_status", m.exit_status}, {"signal", m.signal},           {"error", m.error}};
  return doc.dump(-1, ' ', false, Json::error_handler_t::replace);
}

SpawnMeasurement read_spawn_measurement(const std::string& text) {
  const std::string file = "spawn measurement";
  const Json doc = parse_json_file(text, file);
  const JsonNode root(doc, file);
  if (!doc.is_object()) root.expected("an object");
  SpawnMeasurement m;
  m.wall_ns = root.at("wall_ns").integer();
  m.max_rss_kib = root.at("max_rss_kib").integer();
  m.spawner_max_rss_kib = root.at("spawner_max_rss_kib").integer();
  m.exit_status = static_cast<int>(root.at("exit_status").integer());
  m.signal = static_cast<int>(root.at("signal").integer());
  m.error = root.at("error").string();
  if (m.error.empty() && m.wall_ns <= 0) root.at("wall_ns").fail("expected a positive duration");
  return m;
}

}  // namespace polyhost
