#include "host/text/layout.h"

namespace polyhost::text {

std::size_t display_width(const std::string& utf8) {
  std::size_t width = 0;
  for (unsigned char byte : utf8)
    if ((byte & 0xC0) != 0x80) ++width;  // every byte but UTF-8 continuation bytes starts one
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

std::string first_line(const std::string& text, std::size_t max_code_points) {
  std::string line = text.substr(0, text.find('\n'));
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (display_width(line) <= max_code_points) return line;
  if (max_code_points == 0) return "";
  // Keep max_code_points - 1 code points, then the ellipsis.
  std::size_t kept = 0, end = 0;
  for (; end < line.size(); ++end) {
    if ((static_cast<unsigned char>(line[end]) & 0xC0) != 0x80) {
      if (kept == max_code_points - 1) break;
      ++kept;
    }
  }
  return line.substr(0, end) + "\u2026";
}

std::string escape_controls(const std::string& utf8) {
  static const char hex[] = "0123456789abcdef";
  const auto escaped = [](unsigned char code, const char* prefix) {  // PREFIX and two hex digits
    return std::string(prefix) + hex[code >> 4] + hex[code & 0xF];
  };
  std::string out;
  out.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size(); ++i) {
    const auto byte = static_cast<unsigned char>(utf8[i]);
    const auto next = i + 1 < utf8.size() ? static_cast<unsigned char>(utf8[i + 1]) : 0;
    if (byte == '\n') {
      out += "\\n";
    } else if (byte == '\r') {
      out += "\\r";
    } else if (byte == '\t') {
      out += "\\t";
    } else if (byte < 0x20 || byte == 0x7F) {
      out += escaped(byte, "\\x");
    } else if (byte == 0xC2 && next >= 0x80 && next <= 0x9F) {  // U+0080..U+009F, the C1 controls
      out += escaped(next, "\\u00");
      ++i;
    } else {
      out += static_cast<char>(byte);
    }
  }
  return out;
}

std::string to_upper(std::string text) {
  for (char& c : text)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return text;
}

}  // namespace polyhost::text
