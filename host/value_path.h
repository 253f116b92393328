// Where a value sits inside a converted result ("run() result.items[3]"), for the messages of
// ConversionError. Kept as segments, so converting a large result builds no strings until an error
// needs one; printed shortened when deep ("run() result[0][0][0]…[0][0] (201 levels)").
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "host/script_error.h"

namespace polyhost {

// The deepest a value may sit below the top of a converted value: an array or object whose path
// has more than this many steps is refused (a result nested that deep is almost always a bug).
constexpr int kMaxValueDepth = 200;

// Integers a result may hold: JS numbers are doubles, exact only up to 2^53.
constexpr std::int64_t kMaxExactInteger = std::int64_t{1} << 53;

// "U+D800": a UTF-16 code unit (V8) or a code point (CPython), for the converters' messages about
// lone surrogates.
inline std::string code_unit_name(std::uint32_t unit) {
  static const char digits[] = "0123456789ABCDEF";
  std::string out = "U+";
  for (int shift = 12; shift >= 0; shift -= 4) out += digits[(unit >> shift) & 0xF];
  return out;
}

class ValuePath {
 public:
  // How keys are spelled: `.name` / `["a b"]` as in JavaScript, or `['name']` as in Python.
  enum class Style { JavaScript, Python };

  ValuePath(std::string root, Style style) : root_(std::move(root)), style_(style) {}

  // The number of steps below the root.
  std::size_t depth() const { return steps_.size(); }

  // KEY must stay alive until the matching pop().
  void push_index(std::size_t index) { steps_.push_back({true, index, {}}); }
  void push_key(std::string_view key) { steps_.push_back({false, 0, key}); }
  void pop() { steps_.pop_back(); }

  // The path, shortened when long; with " (N levels)" when steps were left out.
  std::string str() const { return render(steps_.size(), true); }
  // The path of the ancestor DEPTH steps below the root.
  std::string prefix(std::size_t depth) const { return render(depth, true); }
  // The path without the " (N levels)" note.
  std::string bare() const { return render(steps_.size(), false); }

 private:
  struct Step {
    bool is_index;
    std::size_t index;
    std::string_view key;
  };

  static constexpr std::size_t kMaxKeyChars = 24;    // code points of a key shown
  static constexpr std::size_t kMaxPathChars = 80;   // code points of a path shown, when it can be cut

  static std::size_t code_points(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
  }

  // The first MAX code points of S, with "…" when cut.
  static std::string cut(std::string_view s, std::size_t max) {
    std::size_t seen = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && seen++ == max) {
        return std::string(s.substr(0, i)) + "\u2026";
      }
    }
    return std::string(s);
  }

  static bool is_identifier(std::string_view s) {
    if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
    for (unsigned char c : s) {
      if (!(c == '_' || c == '$' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return false;
    }
    return true;
  }

  static std::string quoted(std::string_view s, char quote) {
    std::string out(1, quote);
    for (char c : s) {
      if (c == quote || c == '\\') {
        out += '\\';
        out += c;
      } else if (static_cast<unsigned char>(c) < 0x20) {
        static const char hex[] = "0123456789abcdef";
        out += "\\x";
        out += hex[(c >> 4) & 0xF];
        out += hex[c & 0xF];
      } else {
        out += c;
      }
    }
    return out + quote;
  }

  std::string step_text(const Step& step) const {
    if (step.is_index) return "[" + std::to_string(step.index) + "]";
    const std::string key = cut(step.key, kMaxKeyChars);
    if (style_ == Style::JavaScript) return is_identifier(step.key) ? "." + key : "[" + quoted(key, '"') + "]";
    return "[" + quoted(key, '\'') + "]";
  }

  // ROOT plus the first HEAD and last TAIL of the first COUNT steps, "…" between them if apart.
  std::string join(std::size_t count, std::size_t head, std::size_t tail) const {
    std::string out = root_;
    if (head + tail >= count) {
      for (std::size_t i = 0; i < count; ++i) out += step_text(steps_[i]);
      return out;
    }
    for (std::size_t i = 0; i < head; ++i) out += step_text(steps_[i]);
    out += "\u2026";
    for (std::size_t i = count - tail; i < count; ++i) out += step_text(steps_[i]);
    return out;
  }

  std::string render(std::size_t count, bool note_levels) const {
    std::string out = join(count, count, 0);
    if (count <= 6 && code_points(out) <= kMaxPathChars) return out;
    std::size_t head = 3, tail = 2;
    out = join(count, head, tail);
    if (code_points(out) > kMaxPathChars) out = join(count, head = 1, tail = 1);
    if (note_levels && head + tail < count) out += " (" + std::to_string(count) + " levels)";
    return out;
  }

  std::string root_;
  Style style_;
  std::vector<Step> steps_;
};

// Pushes one step on construction and pops it on destruction.
class ValuePathStep {
 public:
  ValuePathStep(ValuePath& path, std::size_t index) : path_(path) { path_.push_index(index); }
  ValuePathStep(ValuePath& path, std::string_view key) : path_(path) { path_.push_key(key); }
  ~ValuePathStep() { path_.pop(); }
  ValuePathStep(const ValuePathStep&) = delete;
  ValuePathStep& operator=(const ValuePathStep&) = delete;

 private:
  ValuePath& path_;
};

// Holds OBJECT on the stack of containers enclosing the value being converted while its contents
// are converted, after the two checks both converters make on entering a container: a container
// inside itself (a cycle) and the depth limit. HANDLE is the engine's object reference.
template <typename Handle>
class EnclosingScope {
 public:
  EnclosingScope(std::vector<Handle>& enclosing, const ValuePath& path, const Handle& object) : enclosing_(enclosing) {
    for (std::size_t depth = 0; depth < enclosing.size(); ++depth) {
      if (enclosing[depth] == object) {
        throw ConversionError(path.str() + " is " + path.prefix(depth) + " again (a cycle), which JSON cannot represent");
      }
    }
    if (path.depth() > static_cast<std::size_t>(kMaxValueDepth)) {
      throw ConversionError(path.bare() + " is nested " + std::to_string(path.depth()) + " levels deep; the limit is " +
                            std::to_string(kMaxValueDepth));
    }
    enclosing.push_back(object);
  }
  ~EnclosingScope() { enclosing_.pop_back(); }
  EnclosingScope(const EnclosingScope&) = delete;
  EnclosingScope& operator=(const EnclosingScope&) = delete;

 private:
  std::vector<Handle>& enclosing_;
};

}  // namespace polyhost
