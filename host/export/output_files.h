// The files a command was asked to write (--json, --csv, --markdown, -o), checked before the work
// and written after it, in one place for every command.
#pragma once

#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace polyhost {

struct OutputFile {
  std::string flag;  // "--json"
  std::string path;  // empty: not asked for
  std::function<void(std::ostream&)> write;
};

// "cannot write --json PATH: why" for the first output that cannot be written, or that names the
// same file as another output or as one of INPUTS (it would be lost, or replace what is read), or an
// existing JavaScript or Python source file anywhere (a module some workload may load), or "".
std::string unwritable_output(const std::vector<OutputFile>& outputs, const std::vector<std::string>& inputs = {});

// "PATH is given twice" when two of INPUTS name one file (read twice, its runs would count twice),
// or "".
std::string repeated_input(const std::vector<std::string>& inputs);

// After a command printed WHAT ("the table") to std::cout: flushes it, and when standard output
// failed (closed by `| head`; the caller ignores SIGPIPE) says so on stderr and returns false.
bool printed_to_stdout(const std::string& command, const std::string& what);

// Writes every asked-for output atomically; one that fails does not keep the others from being
// written, and its content goes to a new file in the temporary directory, named on stderr. Says "wrote PATH" or "COMMAND: why" on stderr for each (control characters shown escaped).
// Returns whether all were written.
bool write_outputs(const std::vector<OutputFile>& outputs, const std::string& command);

}  // namespace polyhost
