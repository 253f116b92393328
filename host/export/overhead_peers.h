// With `overhead --peers`: polyhost's bridge (js->py) against other projects' bridges on the same
// JavaScript-calls-Python cases, as a terminal table and a Markdown section.
#pragma once

#include <ostream>

#include "host/model/overhead.h"

namespace polyhost {

bool has_peers(const OverheadMatrix& matrix);
void write_peer_table(const OverheadMatrix& matrix, std::ostream& out);
void write_peer_markdown(const OverheadMatrix& matrix, std::ostream& out);

}  // namespace polyhost
