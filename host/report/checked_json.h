// Checked reads of the report's input documents. Every read that finds something missing or of
// the wrong type throws ReportInputError "FILE: runs[3].stats.ci95_ns: missing", so a malformed
// file is a clear error instead of an nlohmann exception or a const operator[] on a missing key
// (undefined behaviour).
#pragma once

#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace polyhost::checked_json {

class ReportInputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "null", "a string", "the number 5", "an object", "an array of 3": what was found instead.
inline std::string describe(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null: return "null";
    case nlohmann::json::value_t::string: return "the string " + value.dump();
    case nlohmann::json::value_t::boolean: return value.get<bool>() ? "true" : "false";
    case nlohmann::json::value_t::object: return "an object";
    case nlohmann::json::value_t::array: return "an array of " + std::to_string(value.size());
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float: return "the number " + value.dump();
    default: return "an unexpected value";
  }
}

// A value inside a document, with the file and the JSON path that lead to it. Holds a reference:
// the document must outlive it.
class Node {
 public:
  Node(const nlohmann::json& value, std::string file, std::string path = "")
      : value_(&value), file_(std::move(file)), path_(std::move(path)) {}

  const nlohmann::json& json() const { return *value_; }
  const std::string& path() const { return path_; }
  bool is_null() const { return value_->is_null(); }

  [[noreturn]] void fail(const std::string& what) const {
    throw ReportInputError(file_ + ": " + (path_.empty() ? std::string("the document") : path_) + ": " + what);
  }
  [[noreturn]] void expected(const std::string& what) const { fail("expected " + what + ", found " + describe(*value_)); }

  // KEY of this object; missing is an error.
  Node at(const std::string& key) const {
    auto found = find(key);
    if (!found) child(key).fail("missing");
    return *found;
  }
  // KEY of this object, or nothing when it is absent (null counts as present: callers decide).
  std::optional<Node> find(const std::string& key) const {
    if (!value_->is_object()) expected("an object");
    auto it = value_->find(key);
    if (it == value_->end()) return std::nullopt;
    return Node(*it, file_, child_path(key));
  }
  // KEY of this object when it is present and not null.
  std::optional<Node> find_non_null(const std::string& key) const {
    auto found = find(key);
    if (found && found->is_null()) return std::nullopt;
    return found;
  }

  // The elements of this array.
  std::vector<Node> elements() const {
    if (!value_->is_array()) expected("an array");
    std::vector<Node> out;
    for (std::size_t i = 0; i < value_->size(); ++i) out.emplace_back((*value_)[i], file_, path_ + "[" + std::to_string(i) + "]");
    return out;
  }
  // The members of this object, in the document's order.
  std::vector<std::pair<std::string, Node>> members() const {
    if (!value_->is_object()) expected("an object");
    std::vector<std::pair<std::string, Node>> out;
    for (auto it = value_->begin(); it != value_->end(); ++it) out.emplace_back(it.key(), Node(it.value(), file_, child_path(it.key())));
    return out;
  }

  std::string string() const {
    if (!value_->is_string()) expected("a string");
    return value_->get<std::string>();
  }
  double number() const {
    if (!value_->is_number()) expected("a number");
    return value_->get<double>();
  }
  // A number, or nothing for null (polyhost writes non-finite numbers as null).
  std::optional<double> number_or_null() const {
    if (is_null()) return std::nullopt;
    return number();
  }
  std::int64_t integer() const {
    if (!value_->is_number_integer()) expected("an integer");
    return value_->get<std::int64_t>();
  }
  // [low, high], both numbers.
  std::pair<double, double> interval() const {
    if (!value_->is_array() || value_->size() != 2) expected("[low, high]");
    return {Node((*value_)[0], file_, path_ + "[0]").number(), Node((*value_)[1], file_, path_ + "[1]").number()};
  }
  // [low, high], each a number or null.
  std::pair<std::optional<double>, std::optional<double>> interval_or_nulls() const {
    if (!value_->is_array() || value_->size() != 2) expected("[low, high]");
    return {Node((*value_)[0], file_, path_ + "[0]").number_or_null(),
            Node((*value_)[1], file_, path_ + "[1]").number_or_null()};
  }
  // A string or a number as text (environment fields such as cpu_count are numbers).
  std::string text() const {
    if (value_->is_string()) return value_->get<std::string>();
    if (value_->is_number()) return value_->dump();
    expected("a string or a number");
  }

 private:
  std::string child_path(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }
  Node child(const std::string& key) const { return Node(*value_, file_, child_path(key)); }

  const nlohmann::json* value_;
  std::string file_, path_;
};

}  // namespace polyhost::checked_json
