// Text layout for terminals and tables: display width, padding, cutting to one line. Pure.
#pragma once

#include <cstddef>
#include <string>

namespace polyhost::text {

// Display width of UTF-8 text, counted in code points (every code point is taken as one column).
std::size_t display_width(const std::string& utf8);

// TEXT padded with spaces to WIDTH display columns, on the right (left-aligned) or left.
std::string pad_right(const std::string& text, std::size_t width);
std::string pad_left(const std::string& text, std::size_t width);

// The first line of TEXT, cut to at most MAX_CODE_POINTS code points ("…" marks a cut, and is
// counted). Trailing '\r' is dropped.
std::string first_line(const std::string& text, std::size_t max_code_points);

// TEXT for one line of a terminal: the control characters a terminal would act on (C0, DEL and
// C1: a newline that breaks a table's row, an ESC that starts a colour, a tab) written as escapes
// ("\n", "\t", "\x1b", "\u009b"); everything else unchanged. Names and messages from files and
// scripts go through it before they are printed.
std::string escape_controls(const std::string& utf8);

// ASCII upper case ("mismatch" -> "MISMATCH").
std::string to_upper(std::string text);

}  // namespace polyhost::text
