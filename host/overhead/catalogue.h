// What `polyhost overhead` measures: the cases (one C++ function each, bindings/native.h) and the
// bindings that call them (the matrix's columns), with the runtime each binding runs in.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace polyhost {

// Where a binding is measured: polyhost's own overhead-worker (the C++ floor, the embedded V8 and
// CPython), or another program running a worker script that writes the same message (the system's
// node, pypy3: see overhead_runtimes.h).
// Bridge: polyhost's JavaScript<->Python bridge, both engines in the overhead-worker. Peer: another
// project's JavaScript-to-Python bridge under the system's node (`--peers` only).
enum class OverheadRuntime { Cpp, V8, CPython, Bridge, Node, PyPy, Peer };
// What the V8 worker installs for a binding's JavaScript to call.
enum class V8Natives { None, Callbacks, FastApi };

struct BindingInfo {
  std::string language;     // "cpp", "js", "py", "node", "pypy": the binding of that name is its pure baseline
  std::string binding;      // the column's name
  std::string family;       // the calling language: "C++", "JavaScript", "Python"
  std::string description;
  OverheadRuntime runtime;
  V8Natives natives = V8Natives::None;
  std::vector<std::string> v8_flags = {};  // process-wide, so each binding gets its own worker
};

// The columns of the matrix; with PEERS also the other projects' bridges.
std::vector<BindingInfo> overhead_bindings(bool peers = false);
std::optional<BindingInfo> find_binding(const std::string& name);  // the peers included
const std::vector<std::string>& overhead_cases();

}  // namespace polyhost
