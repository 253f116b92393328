// Helpers more than one test file needs (the tests are also compiled in groups, where two copies
// of one helper would clash).
#pragma once

#include <catch2/catch.hpp>

#include <functional>
#include <ostream>
#include <sstream>
#include <string>

#include "host/read_file.h"
#include "host/script_error.h"

namespace polyhost::testing {

// The ScriptError ACTION throws; a test failure when it throws none.
inline ScriptErrorInfo error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const ScriptError& e) {
    return e.info();
  }
  FAIL("no ScriptError was thrown");
  return {};
}

// What WRITE writes to a stream.
template <typename Writer>
std::string render(Writer write) {
  std::ostringstream out;
  write(out);
  return out.str();
}

// The contents of PATH; "" when it cannot be read.
inline std::string read_all(const std::string& path) { return read_file(path).value_or(""); }

}  // namespace polyhost::testing
