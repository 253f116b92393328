// One function per output format; each reads a RunReport and writes text. Adding a format means
// adding one file and one line here.
#pragma once

#include <ostream>
#include <string>

#include "host/runner/report.h"

namespace polyhost {

void write_json(const RunReport& report, std::ostream& out);      // schema "polyhost.results/1"
void write_csv(const RunReport& report, std::ostream& out);       // one row per run
void write_markdown(const RunReport& report, std::ostream& out);  // the results table + notes
void write_table(const RunReport& report, std::ostream& out, bool color);  // the terminal table

// Writes PATH via a temporary file in the same directory and a rename, so that a reader never
// sees half a file. Throws std::runtime_error naming the path on failure.
void write_file_atomically(const std::string& path, const std::string& content);

// Why PATH could not be written (its directory is missing or not writable, or PATH is a
// directory), or "" when it can. Commands check their output paths before long work with it, so
// a typo costs nothing.
std::string unwritable_reason(const std::string& path);

}  // namespace polyhost
