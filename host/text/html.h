// Escaping for HTML (and SVG) text and attribute values. Pure.
#pragma once

#include <string>

namespace polyhost::text {

// Control characters (C0 but tab, LF and CR; DEL; C1), which HTML does not allow, become visible
// text: "\u001b".
std::string html_escape(const std::string& text);

}  // namespace polyhost::text
