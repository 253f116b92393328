#include "host/model/json_node.h"

#include <cmath>
#include <limits>
#include <set>
#include <nlohmann/json.hpp>

#include "host/read_file.h"
#include "host/text/format.h"

namespace polyhost {
namespace {

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

// Follows the parse through its callback, refusing a container more than kMaxDocumentDepth levels
// down with its path ("runs[0].result[0][0][0]…", shortened: it can be thousands of steps long), and
// a key written twice in one object, which the parser would otherwise keep the last of silently
// ("status": "crash", "status": "ok" read as ok).
class ParseGuard {
 public:
  explicit ParseGuard(const std::string& file) : file_(file) {}

  bool operator()(int /*depth*/, Json::parse_event_t event, Json& parsed) {
    switch (event) {
      case Json::parse_event_t::object_start:
      case Json::parse_event_t::array_start:
        if (open_.size() >= static_cast<std::size_t>(kMaxDocumentDepth)) {
          fail(path_of(open_.size()), "nested deeper than " + std::to_string(kMaxDocumentDepth) + " levels");
        }
        open_.push_back({event == Json::parse_event_t::array_start, 0, "", {}});
        break;
      case Json::parse_event_t::key: {
        Container& object = open_.back();
        object.key = parsed.get<std::string>();
        if (!object.keys.insert(object.key).second) {
          fail(path_of(open_.size() - 1), "duplicate key " + Json(object.key).dump() + " (a key is written once in an object)");
        }
        break;
      }
      case Json::parse_event_t::object_end:
      case Json::parse_event_t::array_end:
        open_.pop_back();
        element_done();
        break;
      case Json::parse_event_t::value: element_done(); break;
    }
    return true;
  }

 private:
  struct Container {
    bool array;
    std::size_t index;  // of the element being parsed, in an array
    std::string key;    // of the member being parsed, in an object
    std::set<std::string> keys;  // every key of the object so far
  };

  void element_done() {
    if (!open_.empty() && open_.back().array) ++open_.back().index;
  }

  // The path of the value the first STEPS open containers lead to.
  std::string path_of(std::size_t steps) const {
    constexpr std::size_t kStepsShown = 8;
    std::string path;
    for (std::size_t i = 0; i < steps && i < kStepsShown; ++i) {
      const Container& c = open_[i];
      path += c.array ? "[" + std::to_string(c.index) + "]" : (path.empty() ? "" : ".") + c.key;
    }
    if (steps > kStepsShown) path += "…";
    return path;
  }

  [[noreturn]] void fail(const std::string& path, const std::string& what) const {
    throw FileFormatError(file_ + ": " + (path.empty() ? std::string("the document") : path) + ": " + what);
  }

  const std::string& file_;
  std::vector<Container> open_;
};

}  // namespace

std::string describe_json(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::string: return "the string " + value.dump();
    case Json::value_t::boolean: return value.get<bool>() ? "true" : "false";
    case Json::value_t::object: return "an object";
    case Json::value_t::array: return "an array of " + std::to_string(value.size());
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float: return "the number " + value.dump();
    default: return "an unexpected value";
  }
}

Json parse_json_file(const std::string& text, const std::string& file) {
  try {
    return Json::parse(text, ParseGuard(file));
  } catch (const Json::parse_error& e) {
    throw FileFormatError(file + ":" + line_and_column(text, e.byte) + ": not valid JSON (" + parser_reason(e.what()) + ")");
  } catch (const Json::exception& e) {  // e.g. a number too large for a double
    throw FileFormatError(file + ": not usable JSON (" + parser_reason(e.what()) + ")");
  }
}

Json read_json_file(const std::string& file) {
  std::string why;
  std::optional<std::string> text = read_file(file, &why);
  if (!text) throw FileFormatError(file + ": cannot read the file (" + why + ")");
  return parse_json_file(*text, file);
}

bool JsonNode::is_null() const { return value_->is_null(); }

void JsonNode::expected(const std::string& what) const { fail("expected " + what + ", found " + describe_json(*value_)); }

JsonNode JsonNode::at(const std::string& key) const {
  auto found = find(key);
  if (!found) child(key).fail("missing");
  return *found;
}

std::optional<JsonNode> JsonNode::find(const std::string& key) const {
  if (!value_->is_object()) expected("an object");
  auto it = value_->find(key);
  if (it == value_->end()) return std::nullopt;
  return JsonNode(*it, file_, child_path(key));
}

std::optional<JsonNode> JsonNode::find_non_null(const std::string& key) const {
  auto found = find(key);
  if (found && found->is_null()) return std::nullopt;
  return found;
}

std::vector<JsonNode> JsonNode::elements() const {
  if (!value_->is_array()) expected("an array");
  std::vector<JsonNode> out;
  for (std::size_t i = 0; i < value_->size(); ++i) out.emplace_back((*value_)[i], file_, path_ + "[" + std::to_string(i) + "]");
  return out;
}

std::vector<std::pair<std::string, JsonNode>> JsonNode::members() const {
  if (!value_->is_object()) expected("an object");
  std::vector<std::pair<std::string, JsonNode>> out;
  for (auto it = value_->begin(); it != value_->end(); ++it) out.emplace_back(it.key(), JsonNode(it.value(), file_, child_path(it.key())));
  return out;
}

std::string JsonNode::string() const {
  if (!value_->is_string()) expected("a string");
  return value_->get<std::string>();
}

bool JsonNode::boolean() const {
  if (!value_->is_boolean()) expected("true or false");
  return value_->get<bool>();
}

double JsonNode::number() const {
  if (!value_->is_number()) expected("a number");
  return value_->get<double>();
}

std::optional<double> JsonNode::number_or_null() const {
  if (is_null()) return std::nullopt;
  return number();
}

std::int64_t JsonNode::integer() const {
  return integer_in(std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max());
}

std::int64_t JsonNode::integer_in(std::int64_t low, std::int64_t high) const {
  if (!value_->is_number_integer()) expected("an integer");
  // Integers from 2^63 to 2^64 - 1 are held unsigned: get<std::int64_t> would wrap them negative.
  const bool above_int64 = value_->is_number_unsigned() &&
                           value_->get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (above_int64 || value_->get<std::int64_t>() < low || value_->get<std::int64_t>() > high) {
    fail("expected a whole number from " + std::to_string(low) + " to " + std::to_string(high) + ", found " + value_->dump());
  }
  return value_->get<std::int64_t>();
}

int JsonNode::count(std::int64_t at_least) const {
  return static_cast<int>(integer_in(at_least, std::numeric_limits<int>::max()));
}

double JsonNode::number_at_least(double low) const {
  const double value = number();
  if (!(value >= low)) fail("expected a number of at least " + text::format_plain_number(low) + ", found " + value_->dump());
  return value;
}

std::pair<double, double> JsonNode::interval() const {
  if (!value_->is_array() || value_->size() != 2) expected("[low, high]");
  return {JsonNode((*value_)[0], file_, path_ + "[0]").number(), JsonNode((*value_)[1], file_, path_ + "[1]").number()};
}

std::pair<std::optional<double>, std::optional<double>> JsonNode::interval_or_nulls() const {
  if (!value_->is_array() || value_->size() != 2) expected("[low, high]");
  return {JsonNode((*value_)[0], file_, path_ + "[0]").number_or_null(),
          JsonNode((*value_)[1], file_, path_ + "[1]").number_or_null()};
}

std::vector<std::string> JsonNode::strings() const {
  std::vector<std::string> out;
  for (const auto& element : elements()) out.push_back(element.string());
  return out;
}

std::vector<double> JsonNode::numbers() const {
  std::vector<double> out;
  for (const auto& element : elements()) out.push_back(element.number());
  return out;
}

std::string JsonNode::string_or_empty(const std::string& key) const {
  const auto value = find_non_null(key);
  return value ? value->string() : std::string();
}

std::string JsonNode::text() const {
  if (value_->is_string()) return value_->get<std::string>();
  if (value_->is_number()) return value_->dump();
  expected("a string or a number");
}

Json json_number(double value) {
  if (!std::isfinite(value)) return nullptr;
  if (const auto integer = text::exact_integer(value)) return *integer;
  return value;
}

Json json_optional_number(const std::optional<double>& value) { return value ? json_number(*value) : Json(nullptr); }

Json json_numbers(const std::vector<double>& values) {
  Json out = Json::array();
  for (double value : values) out.push_back(json_number(value));
  return out;
}

Json json_interval(double low, double high) { return Json::array({json_number(low), json_number(high)}); }

}  // namespace polyhost
