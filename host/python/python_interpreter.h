// Process-wide CPython lifetime: initialized in the constructor, finalized in the destructor.
// Create at most one, before any PythonEngine, and keep it alive longer than every engine.
#pragma once

#include <string>

namespace polyhost {

class PythonInterpreter {
 public:
  PythonInterpreter();
  ~PythonInterpreter();
  PythonInterpreter(const PythonInterpreter&) = delete;
  PythonInterpreter& operator=(const PythonInterpreter&) = delete;

  static std::string version();     // "3.11.7"
  static std::string executable();  // the standalone interpreter of the same build
};

}  // namespace polyhost
