#include "host/model/scale_worker_message.h"

#include <nlohmann/json.hpp>

#include "host/value_json.h"

namespace polyhost {
namespace {

constexpr const char* kLaneReport = "scale lane report";
constexpr const char* kScaleWorkerMessage = "scale worker message";

Json worker_thread_json(const ScaleThread& t) {
  return Json{{"status", status_name(t.status)},
              {"message", t.message},
              {"warmup_ns", json_numbers(t.warmup_ns)},
              {"samples_ns", json_numbers(t.samples_ns)},
              {"steady_from", t.steady_from ? Json(*t.steady_from) : Json(nullptr)}};
}

ScaleThread read_message_thread(const JsonNode& node) {
  ScaleThread t;
  t.status = read_status(node.at("status"));
  t.message = node.string_or_empty("message");
  if (auto v = node.find_non_null("warmup_ns")) t.warmup_ns = v->numbers();
  if (auto v = node.find_non_null("samples_ns")) t.samples_ns = v->numbers();
  if (auto v = node.find_non_null("steady_from")) {
    const std::int64_t from = v->integer();
    if (from < 0 || static_cast<std::size_t>(from) >= t.warmup_ns.size()) v->fail("not an index into warmup_ns");
    t.steady_from = static_cast<std::size_t>(from);
  }
  return t;
}

// The fields both documents share: the workload as loaded, and the result.
void add_common(Json& doc, const std::string& engine, const std::map<std::string, std::int64_t>& sizes,
                const std::optional<std::int64_t>& size, bool has_verify, bool verified, const std::optional<Value>& result) {
  doc["engine"] = engine;
  if (!sizes.empty()) doc["sizes"] = sizes;
  if (size) doc["size"] = *size;
  doc["has_verify"] = has_verify;
  doc["verified"] = verified;
  doc["result"] = result ? Json(value_to_json(*result)) : Json(nullptr);
}

struct Common {
  std::string engine;
  std::map<std::string, std::int64_t> sizes;
  std::optional<std::int64_t> size;
  bool has_verify = false, verified = false;
  std::optional<Value> result;
};

Common read_common(const JsonNode& root) {
  Common c;
  c.engine = root.string_or_empty("engine");
  // Sizes are the workload's own words: only integers count (the contract check names a bad one).
  if (auto sizes = root.find_non_null("sizes"); sizes && sizes->json().is_object()) {
    for (const auto& [name, n] : sizes->members()) {
      if (n.json().is_number_integer()) c.sizes[name] = n.json().get<std::int64_t>();
    }
  }
  if (auto v = root.find_non_null("size")) c.size = v->integer();
  if (auto v = root.find_non_null("has_verify")) c.has_verify = v->boolean();
  if (auto v = root.find_non_null("verified")) c.verified = v->boolean();
  if (auto v = root.find_non_null("result")) {
    try {
      c.result = value_from_json(v->json());
    } catch (const std::invalid_argument& e) {
      v->fail(e.what());
    }
  }
  return c;
}

}  // namespace

std::string write_scale_lane_report(const ScaleLaneReport& r) {
  Json doc = worker_thread_json(r.thread);
  add_common(doc, r.engine, r.sizes, r.size, r.has_verify, r.verified, r.result);
  doc["started_ns"] = r.started_ns;
  doc["ended_ns"] = r.ended_ns;
  return doc.dump(-1, ' ', false, Json::error_handler_t::replace);
}

ScaleLaneReport read_scale_lane_report(const std::string& text) {
  const Json doc = parse_json_file(text, kLaneReport);
  const JsonNode root(doc, kLaneReport);
  ScaleLaneReport r;
  r.thread = read_message_thread(root);
  Common c = read_common(root);
  r.engine = std::move(c.engine);
  r.sizes = std::move(c.sizes);
  r.size = c.size;
  r.has_verify = c.has_verify;
  r.verified = c.verified;
  r.result = std::move(c.result);
  if (auto v = root.find_non_null("started_ns")) r.started_ns = v->integer();
  if (auto v = root.find_non_null("ended_ns")) r.ended_ns = v->integer();
  return r;
}

std::string write_scale_worker_message(const ScaleWorkerMessage& m) {
  Json threads = Json::array();
  for (const auto& t : m.threads) threads.push_back(worker_thread_json(t));
  Json doc{{"status", status_name(m.status)}, {"message", m.message}};
  add_common(doc, m.engine, m.sizes, m.size, m.has_verify, m.verified, m.result);
  doc["iterations"] = m.iterations;
  doc["wall_ns"] = json_number(m.wall_ns);
  doc["threads"] = threads;
  return doc.dump(-1, ' ', false, Json::error_handler_t::replace);
}

ScaleWorkerMessage read_scale_worker_message(const std::string& text) {
  const Json doc = parse_json_file(text, kScaleWorkerMessage);
  const JsonNode root(doc, kScaleWorkerMessage);
  ScaleWorkerMessage m;
  m.status = read_status(root.at("status"));
  m.message = root.string_or_empty("message");
  Common c = read_common(root);
  m.engine = std::move(c.engine);
  m.sizes = std::move(c.sizes);
  m.size = c.size;
  m.has_verify = c.has_verify;
  m.verified = c.verified;
  m.result = std::move(c.result);
  if (auto v = root.find_non_null("iterations")) m.iterations = v->count(0);
  if (auto v = root.find_non_null("wall_ns")) m.wall_ns = v->number();
  if (auto v = root.find_non_null("threads")) {
    for (const auto& t : v->elements()) m.threads.push_back(read_message_thread(t));
  }
  return m;
}

}  // namespace polyhost
