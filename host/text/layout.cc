#include "host/text/layout.h"

#include <locale.h>
#include <wchar.h>

namespace polyhost::text {
namespace {

unsigned char byte_at(const std::string& text, std::size_t at) {
  return at < text.size() ? static_cast<unsigned char>(text[at]) : 0;  // 0 is never a continuation byte
}

// Length of the well-formed UTF-8 sequence at TEXT[AT] (1 to 4 bytes), or 0 when the bytes there
// are not one: a stray continuation byte, a lead byte without all of its continuations, an
// overlong form (C0, C1, E0 80..9F, F0 80..8F), a surrogate (ED A0..BF) or a code point past
// U+10FFFF (F4 90.., F5..FF).
std::size_t utf8_sequence_length(const std::string& text, std::size_t at) {
  const unsigned char lead = byte_at(text, at);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned char second_low = 0x80, second_high = 0xBF;  // the second byte's range narrows for four leads
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) second_low = 0xA0;
    if (lead == 0xED) second_high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) second_low = 0x90;
    if (lead == 0xF4) second_high = 0x8F;
  } else {
    return 0;
  }
  const unsigned char second = byte_at(text, at + 1);
  if (second < second_low || second > second_high) return 0;
  for (std::size_t k = 2; k < length; ++k) {
    const unsigned char next = byte_at(text, at + k);
    if (next < 0x80 || next > 0xBF) return 0;
  }
  return length;
}

char32_t decode(const std::string& text, std::size_t at, std::size_t length) {
  static constexpr unsigned char kLeadBits[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
  char32_t code_point = byte_at(text, at) & kLeadBits[length];
  for (std::size_t k = 1; k < length; ++k) code_point = (code_point << 6) | (byte_at(text, at + k) & 0x3F);
  return code_point;
}

// A UTF-8 LC_CTYPE for wcwidth(), made once and kept for the life of the process (a thread may
// still measure text while static objects are destroyed); null when the C library has none.
locale_t utf8_ctype() {
  static const locale_t ctype = newlocale(LC_CTYPE_MASK, "C.UTF-8", nullptr);
  return ctype;
}

// Makes LOCALE the calling thread's for the guard's life, then gives the thread back the locale it
// had. The process's global locale is never changed: CPython and V8 run in this process too. A
// null LOCALE changes nothing (uselocale(0) only answers which locale is in use).
class ThreadLocale {
 public:
  explicit ThreadLocale(locale_t locale) : previous_(uselocale(locale)) {}
  ~ThreadLocale() { uselocale(previous_); }
  ThreadLocale(const ThreadLocale&) = delete;
  ThreadLocale& operator=(const ThreadLocale&) = delete;

 private:
  locale_t previous_;
};

// Calls VISIT(start, length, columns) for each character of TEXT in order, until VISIT returns
// false. A well-formed UTF-8 sequence is one character, as wide as wcwidth() says (two for a wide
// or fullwidth one, none for a combining or zero-width one; one for a code point it does not know,
// and for every code point when there is no UTF-8 locale); each byte that is not part of one is a
// character of one column.
template <typename Visit>
void for_each_character(const std::string& text, Visit visit) {
  const locale_t ctype = utf8_ctype();
  const ThreadLocale in_utf8(ctype);
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t length = utf8_sequence_length(text, at);
    std::size_t columns = 1;
    if (length > 1 && ctype) {
      const int width = ::wcwidth(static_cast<wchar_t>(decode(text, at, length)));
      if (width >= 0) columns = static_cast<std::size_t>(width);
    }
    const std::size_t size = length == 0 ? 1 : length;
    if (!visit(at, size, columns)) return;
    at += size;
  }
}

}  // namespace

std::size_t display_width(const std::string& utf8) {
  std::size_t width = 0;
  for_each_character(utf8, [&width](std::size_t, std::size_t, std::size_t columns) {
    width += columns;
    return true;
  });
  return width;
}

std::string pad_right(const std::string& text, std::size_t width) {
  const std::size_t have = display_width(text);
  return have >= width ? text : text + std::string(width - have, ' ');
}

std::string pad_left(const std::string& text, std::size_t width) {
  const std::size_t have = display_width(text);
  return have >= width ? text : std::string(width - have, ' ') + text;
}

std::string first_line(const std::string& text, std::size_t max_columns) {
  std::string line = text.substr(0, text.find('\n'));
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (display_width(line) <= max_columns) return line;
  if (max_columns == 0) return "";
  // Keep what fits in max_columns - 1 columns (a combining mark stays with the character before
  // it), then the ellipsis, one column.
  std::size_t used = 0, end = 0;
  for_each_character(line, [&](std::size_t at, std::size_t length, std::size_t columns) {
    if (used + columns > max_columns - 1) return false;
    used += columns;
    end = at + length;
    return true;
  });
  return line.substr(0, end) + "\u2026";
}

std::string escape_controls(const std::string& utf8) {
  static const char hex[] = "0123456789abcdef";
  const auto escaped = [](unsigned char code, const char* prefix) {  // PREFIX and two hex digits
    return std::string(prefix) + hex[code >> 4] + hex[code & 0xF];
  };
  std::string out;
  out.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size();) {
    const std::size_t length = utf8_sequence_length(utf8, i);
    const auto byte = static_cast<unsigned char>(utf8[i]);
    if (length == 0) {  // a lone 0x9B would be CSI to an 8-bit terminal: no byte outside UTF-8 goes through
      out += escaped(byte, "\\x");
      ++i;
      continue;
    }
    if (byte == '\n') {
      out += "\\n";
    } else if (byte == '\r') {
      out += "\\r";
    } else if (byte == '\t') {
      out += "\\t";
    } else if (byte < 0x20 || byte == 0x7F) {
      out += escaped(byte, "\\x");
    } else if (byte == 0xC2 && byte_at(utf8, i + 1) <= 0x9F) {  // U+0080..U+009F, the C1 controls
      out += escaped(byte_at(utf8, i + 1), "\\u00");
    } else {
      out.append(utf8, i, length);
    }
    i += length;
  }
  return out;
}

std::string to_upper(std::string text) {
  for (char& c : text)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return text;
}

}  // namespace polyhost::text
