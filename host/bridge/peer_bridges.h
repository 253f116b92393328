// `polyhost overhead --peers`: the same JavaScript-calls-Python cases (bench.js's loops, bench.py's
// pure functions) through the bridges a Node.js user would pick instead of polyhost's, measured
// under Node in fresh processes (bindings/overhead/peers.js):
//   node-calls-python  a Node add-on that embeds CPython in the Node process
//   pythonia           Python in a child process, reached over pipes
// scripts/setup-peers installs them from the npm registry on first use (into .deps/peers/).
// A peer that cannot be installed or run gets its cells as not measured, with the reason.
#pragma once

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "host/overhead/overhead.h"

namespace polyhost {

const std::vector<BindingInfo>& peer_bindings();

// Adds an entry per peer and case to REPORT (before compute_overhead_statistics), and a note per
// peer; a peer that is skipped has its cells "unsupported" with "skipped: <reason>".
void measure_peer_bridges(OverheadReport& report, const std::function<void(const std::string&)>& progress);

// polyhost's js->py against the peers, case by case (a terminal table / a Markdown section).
void write_peer_table(const OverheadReport& report, std::ostream& out);
void write_peer_markdown(const OverheadReport& report, std::ostream& out);
// The overhead Markdown followed by the peers' section.
void write_overhead_markdown_with_peers(const OverheadReport& report, std::ostream& out);

}  // namespace polyhost
