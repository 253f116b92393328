// Markdown: inline escaping and markup, and one table writer that keeps every cell inside its
// column. Pure.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "host/text/grid.h"

namespace polyhost::text::markdown {

// TEXT with the characters Markdown would act on backslash-escaped, and line breaks as spaces.
std::string escape(const std::string& text);

// TEXT as an inline code span, with a backtick fence longer than any run of backticks inside.
std::string code(const std::string& text);

std::string bold(const std::string& text);

// A table. Cells are Markdown (escape plain text with escape() first); the writer itself makes
// sure no cell breaks the table: a line break becomes a space and a '|' not already escaped is
// escaped (GitHub's tables split at '|' even inside code spans).
void write_table(std::ostream& out, const std::vector<std::string>& header, const std::vector<Align>& align,
                 const std::vector<std::vector<std::string>>& rows);

}  // namespace polyhost::text::markdown
