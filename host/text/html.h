// Escaping for HTML (and SVG) text and attribute values. Pure.
#pragma once

#include <string>

namespace polyhost::text {

std::string html_escape(const std::string& text);

}  // namespace polyhost::text
