#include "host/model/worker_message.h"

#include <limits>
#include <nlohmann/json.hpp>

#include "host/value_json.h"

namespace polyhost {
namespace {

constexpr const char* kWorkerMessage = "worker message";

}  // namespace

std::string write_worker_message(const WorkerMessage& m) {
  Json sizes = Json::object();
  for (const auto& [name, n] : m.sizes) sizes[name] = n;
  Json doc{{"status", status_name(m.status)},
           {"message", m.message},
           {"engine", m.engine},
           {"flags", m.flags},
           {"has_verify", m.has_verify},
           {"verified", m.verified},
           {"warmup_ns", m.warmup_ns},
           {"samples_ns", m.samples_ns},
           {"result", m.result ? Json(value_to_json(*m.result)) : Json(nullptr)},
           {"memory", memory_to_json(m.memory)}};
  if (!m.sizes.empty()) doc["sizes"] = sizes;
  if (m.size) doc["size"] = *m.size;
  return doc.dump(-1, ' ', false, Json::error_handler_t::replace);
}

WorkerMessage read_worker_message(const std::string& text) {
  const Json doc = parse_json_file(text, kWorkerMessage);
  const JsonNode root(doc, kWorkerMessage);
  WorkerMessage m;
  m.status = read_status(root.at("status"));
  m.message = root.string_or_empty("message");
  m.engine = root.string_or_empty("engine");
  if (auto flags = root.find_non_null("flags")) m.flags = flags->strings();
  // Sizes are the workload's own words: the contract check names a bad one, so only integers count.
  if (auto sizes = root.find_non_null("sizes"); sizes && sizes->json().is_object()) {
    for (const auto& [name, n] : sizes->members()) {
      if (n.json().is_number_integer()) m.sizes[name] = n.json().get<std::int64_t>();
    }
  }
  if (auto size = root.find_non_null("size")) m.size = size->integer();
  if (auto v = root.find_non_null("has_verify")) m.has_verify = v->boolean();
  if (auto v = root.find_non_null("verified")) m.verified = v->boolean();
  if (auto v = root.find_non_null("warmup_ns")) m.warmup_ns = v->numbers();
  if (auto v = root.find_non_null("samples_ns")) m.samples_ns = v->numbers();
  // A result of null is a result (run() returned null or None): skipped, it left an ok run unverified.
  if (auto v = root.find("result")) {
    try {
      m.result = value_from_json(v->json());
    } catch (const std::invalid_argument& e) {
      v->fail(e.what());
    }
  }
  if (auto v = root.find_non_null("memory")) m.memory = memory_from_json(*v);
  return m;
}

Json overhead_measurement_to_json(const OverheadMeasurement& measurement) {
  Json cases = Json::object();
  for (const auto& [name, ns] : measurement.cases) cases[name] = Json{{"ns", ns}};
  Json doc{{"cases", cases}, {"errors", measurement.errors}};
  if (!measurement.unavailable.empty()) doc["unavailable"] = measurement.unavailable;
  return doc;
}

OverheadMeasurement read_overhead_measurement(const JsonNode& node) {
  OverheadMeasurement out;
  if (auto cases = node.find_non_null("cases")) {
    for (const auto& [name, c] : cases->members()) out.cases[name] = c.at("ns").numbers();
  }
  if (auto errors = node.find_non_null("errors")) {
    for (const auto& [name, message] : errors->members()) out.errors[name] = message.string();
  }
  if (auto unavailable = node.find_non_null("unavailable")) out.unavailable = unavailable->string();
  return out;
}

std::string write_overhead_worker_message(const OverheadWorkerMessage& m) {
  Json doc = overhead_measurement_to_json(m.measured);
  doc["binding"] = m.binding;
  doc["status"] = m.ok ? "ok" : "error";
  doc["message"] = m.message;
  doc["engine"] = m.engine;
  if (m.flags) doc["flags"] = *m.flags;
  doc["fast_calls"] = m.fast_calls;
  doc["unsupported"] = m.unsupported;
  return doc.dump(-1, ' ', false, Json::error_handler_t::replace);
}

OverheadWorkerMessage read_overhead_worker_message(const std::string& text) {
  const Json doc = parse_json_file(text, kWorkerMessage);
  const JsonNode root(doc, kWorkerMessage);
  OverheadWorkerMessage m;
  m.binding = root.string_or_empty("binding");
  m.ok = root.at("status").string() == "ok";
  m.message = root.string_or_empty("message");
  m.engine = root.string_or_empty("engine");
  if (auto flags = root.find_non_null("flags")) m.flags = flags->strings();
  if (auto calls = root.find_non_null("fast_calls")) m.fast_calls = static_cast<std::uint64_t>(calls->integer_in(0, std::numeric_limits<std::int64_t>::max()));
  if (auto unsupported = root.find_non_null("unsupported")) {
    for (const auto& [name, why] : unsupported->members()) m.unsupported[name] = why.string();
  }
  m.measured = read_overhead_measurement(root);
  return m;
}

}  // namespace polyhost
