// Holds the GIL for a scope: PyGILState_Ensure / PyGILState_Release, cheap when this thread
// holds it already (as polyhost's one thread does while both engines run).
#pragma once

#include <Python.h>

namespace polyhost {

class GilHold {
 public:
  GilHold() : state_(PyGILState_Ensure()) {}
  ~GilHold() { PyGILState_Release(state_); }
  GilHold(const GilHold&) = delete;
  GilHold& operator=(const GilHold&) = delete;

 private:
  PyGILState_STATE state_;
};

}  // namespace polyhost
