// A subcommand of polyhost: its CLI11 app, with the options its add_*_command function registered
// next to the code that uses them, and what it does once the command line is parsed.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

namespace polyhost {

struct Invocation {
  std::vector<std::string> command_line;  // argv as given, for the results' environment
  std::vector<std::string> script_args;   // everything after a lone "--"
};

struct Command {
  CLI::App* app;
  std::function<int(const Invocation&)> run;  // returns the exit status
};

}  // namespace polyhost
