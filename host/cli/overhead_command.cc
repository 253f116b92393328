#include "host/cli/overhead_command.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>

#include "host/bridge/peer_bridges.h"
#include "host/export/exporters.h"
#include "host/overhead/overhead.h"

namespace polyhost {

int overhead_command(const OverheadCommandOptions& options) {
  for (const auto& [flag, path] : {std::pair{"--json", options.json}, std::pair{"--markdown", options.markdown}}) {
    if (path.empty()) continue;
    if (const std::string reason = unwritable_reason(path); !reason.empty()) {
      std::fprintf(stderr, "polyhost overhead: cannot write %s %s: %s\n", flag, path.c_str(), reason.c_str());
      return 2;
    }
  }
  const bool interactive = ::isatty(STDERR_FILENO);
  OverheadOptions run{options.quick, options.peers, options.command_line};
  std::printf("Measuring %zu cases through %zu bindings in fresh worker processes%s\n", overhead_cases().size(),
              overhead_bindings().size(), options.quick ? " (quick)" : "");
  std::fflush(stdout);
  OverheadReport report = run_overhead(run, [&](const std::string& what) {
    if (interactive) std::fprintf(stderr, "\r\033[K%s", what.c_str());
  });
  if (interactive) std::fprintf(stderr, "\r\033[K");
  write_overhead_table(report, std::cout);
  if (options.peers) write_peer_table(report, std::cout);
  std::cout.flush();
  try {
    auto emit = [](const std::string& path, void (*writer)(const OverheadReport&, std::ostream&), const OverheadReport& r) {
      if (path.empty()) return;
      std::ostringstream text;
      writer(r, text);
      write_file_atomically(path, text.str());
      std::fprintf(stderr, "wrote %s\n", path.c_str());
    };
    emit(options.json, write_overhead_json, report);
    emit(options.markdown, options.peers ? write_overhead_markdown_with_peers : write_overhead_markdown, report);
  } catch (const std::exception& e) {
    // Still possible after the check above (the disk filled up, the directory went away): exit 2
    // as compare and report do when they cannot write their output.
    std::fprintf(stderr, "polyhost overhead: %s\n", e.what());
    return 2;
  }
  for (const auto& e : report.entries) {
    if (e.status == "error") return 1;
  }
  return 0;
}

}  // namespace polyhost
