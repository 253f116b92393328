// Text layout for terminals and tables: display width, padding, cutting to one line. Pure.
#pragma once

#include <cstddef>
#include <string>

namespace polyhost::text {

// Columns UTF-8 text takes on a terminal, by the C library's wcwidth() under a UTF-8 locale: a wide
// or fullwidth character ("排", "🚀") 2, a combining or zero-width one (U+0301, U+200B) 0, any
// other 1; a byte that is not part of valid UTF-8 1. Without a UTF-8 locale, one per code point.
std::size_t display_width(const std::string& utf8);

// TEXT padded with spaces to WIDTH display columns, on the right (left-aligned) or left.
std::string pad_right(const std::string& text, std::size_t width);
std::string pad_left(const std::string& text, std::size_t width);

// The first line of TEXT, cut to at most MAX_COLUMNS display columns (as display_width counts them;
// "…" marks a cut, and is counted; no character is split). Trailing '\r' is dropped.
std::string first_line(const std::string& text, std::size_t max_columns);

// TEXT for one line of a terminal: the control characters a terminal would act on (C0, DEL and
// C1: a newline that breaks a table's row, an ESC that starts a colour, a tab) written as escapes
// ("\n", "\t", "\x1b", "\u009b"), and so is every byte that is not part of valid UTF-8 ("\x9b":
// alone, CSI to an 8-bit terminal; overlong forms and surrogates included); everything else
// unchanged. Names and messages from files, scripts and the command line go through it before
// they are printed.
std::string escape_controls(const std::string& utf8);

// ASCII upper case ("mismatch" -> "MISMATCH").
std::string to_upper(std::string text);

}  // namespace polyhost::text
