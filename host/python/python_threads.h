// CPython on threads other than the one that started it (polyhost scale): holding and letting go
// of the GIL, sub-interpreters, and stopping a script that runs on another thread. In CPython 3.11
// every thread and every sub-interpreter shares the one GIL.
#pragma once

#include <Python.h>

namespace polyhost {

// The GIL, held by this thread for the main interpreter (a thread state is created for a thread
// Python has not seen). The thread that started the interpreter already holds it.
class GilHeld {
 public:
  GilHeld() : state_(PyGILState_Ensure()) {}
  ~GilHeld() { PyGILState_Release(state_); }
  GilHeld(const GilHeld&) = delete;
  GilHeld& operator=(const GilHeld&) = delete;

 private:
  PyGILState_STATE state_;
};

// The GIL let go by this thread for as long as this lives (to wait for something, or to let other
// threads run Python), and taken back at the end.
class GilReleased {
 public:
  GilReleased() : saved_(PyEval_SaveThread()) {}
  ~GilReleased() { PyEval_RestoreThread(saved_); }
  GilReleased(const GilReleased&) = delete;
  GilReleased& operator=(const GilReleased&) = delete;

 private:
  PyThreadState* saved_;
};

// A sub-interpreter (Py_NewInterpreter) current on this thread while this lives: its own modules,
// sys and builtins, but in 3.11 the same GIL as every other interpreter (3.12's per-interpreter
// GIL, PEP 684, needs Py_NewInterpreterFromConfig with an own GIL). Create it with the GIL held;
// the thread state that was current before is current again afterwards. Ending it waits for the
// threads its code started (as Py_EndInterpreter does).
class SubInterpreter {
 public:
  SubInterpreter();  // throws std::runtime_error when CPython cannot create one
  ~SubInterpreter();
  SubInterpreter(const SubInterpreter&) = delete;
  SubInterpreter& operator=(const SubInterpreter&) = delete;

 private:
  PyThreadState* previous_;
  PyThreadState* own_;
};

// Raises KeyboardInterrupt in the Python thread THREAD_ID (PyThread_get_thread_ident() of that
// thread) of INTERPRETER, at its next bytecode. Only the main thread of the main interpreter
// receives Python's signal handlers, so this is how a script on any other thread is stopped. Call
// it from a thread that does not hold the GIL (the target thread itself included, with its GIL
// released): it takes the GIL (as soon as the running thread lets go of it, within the switch
// interval while bytecode runs).
void interrupt_python_thread(PyInterpreterState* interpreter, unsigned long thread_id);

}  // namespace polyhost
