// Checked reading of polyhost's JSON files: every read that finds something missing or of the wrong
// type throws FileFormatError "FILE: runs[3].stats.ci95_ns: missing", so a malformed file is a clear
// error naming the place, never an nlohmann exception or undefined behaviour. Writing helpers too.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>  // the whole library only where a document is built or read: it is slow to compile
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace polyhost {

// Documents keep their keys in the order written, so a file read and written again is unchanged.
using Json = nlohmann::ordered_json;

// What is wrong with an input file: "FILE: JSON.PATH: what".
class FileFormatError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "null", "the string \"x\"", "the number 5", "an object", "an array of 3": what was found instead.
std::string describe_json(const Json& value);

// No polyhost file nests deeper: a run's result may hold kMaxValueDepth (200) levels (host/value_path.h)
// and sits 3 levels down (runs[i].result); the rest of every schema is under 10 deep. Deeper files
// are refused while parsing, so nothing that walks a document recursively (copies, dump) can
// exhaust the stack.
constexpr int kMaxDocumentDepth = 256;

// Parses TEXT as the contents of FILE; a syntax error names the line and character (not byte), a
// container more than kMaxDocumentDepth levels down names its path, and so does a key written
// twice in one object ("FILE: runs[0]: duplicate key \"status\" ...").
Json parse_json_file(const std::string& text, const std::string& file);
// Reads and parses FILE.
Json read_json_file(const std::string& file);

// A value inside a document, with the file and the JSON path that lead to it. Holds a reference:
// the document must outlive it.
class JsonNode {
 public:
  JsonNode(const Json& value, std::string file, std::string path = "")
      : value_(&value), file_(std::move(file)), path_(std::move(path)) {}

  const Json& json() const { return *value_; }
  const std::string& file() const { return file_; }
  const std::string& path() const { return path_; }
  bool is_null() const;
  // "FILE: PATH" for messages.
  std::string where() const { return file_ + ": " + (path_.empty() ? std::string("the document") : path_); }

  [[noreturn]] void fail(const std::string& what) const { throw FileFormatError(where() + ": " + what); }
  [[noreturn]] void expected(const std::string& what) const;

  // KEY of this object; missing is an error.
  JsonNode at(const std::string& key) const;
  // KEY of this object, or nothing when it is absent (null counts as present: callers decide).
  std::optional<JsonNode> find(const std::string& key) const;
  // KEY of this object when it is present and not null.
  std::optional<JsonNode> find_non_null(const std::string& key) const;
  // The elements of this array; the members of this object in the document's order.
  std::vector<JsonNode> elements() const;
  std::vector<std::pair<std::string, JsonNode>> members() const;
  // The child at KEY or INDEX, for a message about a place that need not exist.
  JsonNode child(const std::string& key) const { return JsonNode(*value_, file_, child_path(key)); }
  JsonNode child(std::size_t index) const { return JsonNode(*value_, file_, path_ + "[" + std::to_string(index) + "]"); }

  std::string string() const;
  bool boolean() const;
  double number() const;
  std::optional<double> number_or_null() const;  // polyhost writes non-finite numbers as null
  std::int64_t integer() const;  // any integer a signed 64-bit value holds; a larger one is an error, not wrapped
  // An integer from LOW to HIGH; out of range is "expected a whole number from LOW to HIGH, found
  // 18446744073709551615", the value as written.
  std::int64_t integer_in(std::int64_t low, std::int64_t high) const;
  int count(std::int64_t at_least) const;    // an integer from AT_LEAST to INT_MAX (processes, iterations)
  double number_at_least(double low) const;  // a finite number >= LOW (seconds, nanoseconds)
  std::pair<double, double> interval() const;                                         // [low, high]
  std::pair<std::optional<double>, std::optional<double>> interval_or_nulls() const;  // either may be null
  std::vector<std::string> strings() const;                                           // an array of strings
  std::vector<double> numbers() const;                                                // an array of numbers
  std::string string_or_empty(const std::string& key) const;  // KEY's string; "" when it is absent or null
  std::string text() const;  // a string or a number as text (cpu_count is a number)

 private:
  std::string child_path(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

  const Json* value_;
  std::string file_, path_;
};

// For writers: integral values within ±2^53 as JSON integers ("1234", not "1234.0"); non-finite
// values as null (JSON has no NaN).
Json json_number(double value);
Json json_optional_number(const std::optional<double>& value);
Json json_numbers(const std::vector<double>& values);
Json json_interval(double low, double high);

}  // namespace polyhost
