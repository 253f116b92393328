#include "host/value_compare.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "host/value_path.h"

namespace polyhost {
namespace {

constexpr double kRelativeTolerance = 1e-9;
constexpr size_t kShownChars = 80;

std::string shown(const Value& v) {
  std::string text = v.to_json();
  return text.size() > kShownChars ? text.substr(0, kShownChars) + "..." : text;
}

// Whether D is exactly the integer I (no rounding on either side).
bool is_exactly(std::int64_t i, double d) {
  constexpr double kTwo63 = 9223372036854775808.0;
  return d >= -kTwo63 && d < kTwo63 && d == std::trunc(d) && static_cast<std::int64_t>(d) == i;
}

bool beyond_exact_double(std::int64_t i) { return i > kMaxExactInteger || i < -kMaxExactInteger; }

bool numbers_agree(const Value& a, const Value& b) {
  if (a.is_int() && b.is_int()) return a.as_int() == b.as_int();
  // An integer a double cannot hold exactly agrees only with a double that is exactly it: the
  // relative tolerance would let 2^53 + 1 equal 2^53, breaking "integers exactly".
  if (a.is_int() && beyond_exact_double(a.as_int())) return b.is_double() && is_exactly(a.as_int(), b.as_double());
  if (b.is_int() && beyond_exact_double(b.as_int())) return a.is_double() && is_exactly(b.as_int(), a.as_double());
  double x = a.as_number(), y = b.as_number();
  if (std::isnan(x) || std::isnan(y)) return std::isnan(x) && std::isnan(y);
  if (x == y) return true;  // includes equal infinities
  if (std::isinf(x) || std::isinf(y)) return false;  // the relative test below would accept inf vs -inf
  return std::fabs(x - y) <= kRelativeTolerance * std::max(std::fabs(x), std::fabs(y));
}

}  // namespace

std::optional<std::string> find_difference(const Value& a, const Value& b, const std::string& where) {
  if (a.is_number() && b.is_number()) {
    if (numbers_agree(a, b)) return std::nullopt;
    return where + ": " + shown(a) + " vs " + shown(b);
  }
  if (std::string(a.type_name()) != b.type_name()) {
    return where + ": " + a.type_name() + " " + shown(a) + " vs " + b.type_name() + " " + shown(b);
  }
  if (a.is_array()) {
    const auto &x = a.as_array(), &y = b.as_array();
    if (x.size() != y.size()) {
      return where + ": arrays of length " + std::to_string(x.size()) + " vs " + std::to_string(y.size());
    }
    for (size_t i = 0; i < x.size(); ++i) {
      if (auto d = find_difference(x[i], y[i], where + "[" + std::to_string(i) + "]")) return d;
    }
    return std::nullopt;
  }
  if (a.is_map()) {
    const auto &x = a.as_map(), &y = b.as_map();
    for (const auto& [key, item] : x) {
      auto other = y.find(key);
      if (other == y.end()) return where + ": key '" + key + "' only in the first";
      if (auto d = find_difference(item, other->second, where + "." + key)) return d;
    }
    for (const auto& [key, item] : y) {
      if (!x.count(key)) return where + ": key '" + key + "' only in the second";
    }
    return std::nullopt;
  }
  if (a == b) return std::nullopt;
  return where + ": " + shown(a) + " vs " + shown(b);
}

}  // namespace polyhost
