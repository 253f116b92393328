#include "host/text/html.h"

#include <cstdio>

namespace polyhost::text {
namespace {

// HTML allows no control characters but tab, line feed, carriage return (and form feed) in text;
// a message from a file may hold any (a script printed ESC sequences, a NUL). They are shown as
// the JSON escape that wrote them, e.g. "\u001b", so the page stays valid and says what was there.
bool is_control(unsigned char c) { return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F; }

std::string visible_escape(unsigned code) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "\\u%04x", code);
  return buffer;
}

}  // namespace

std::string html_escape(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const auto byte = static_cast<unsigned char>(c);
    // C1 controls, U+0080 to U+009F, are the two bytes C2 80 to C2 9F in UTF-8.
    if (byte == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(text[i + 1]) <= 0x9F) {
      out += visible_escape(static_cast<unsigned char>(text[++i]));
      continue;
    }
    if (is_control(byte)) {
      out += visible_escape(byte);
      continue;
    }
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace polyhost::text
