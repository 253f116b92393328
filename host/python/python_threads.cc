#include "host/python/python_threads.h"

#include <stdexcept>

namespace polyhost {

SubInterpreter::SubInterpreter() : previous_(PyThreadState_Get()), own_(Py_NewInterpreter()) {
  if (!own_) {
    PyThreadState_Swap(previous_);
    throw std::runtime_error("CPython could not create a sub-interpreter (Py_NewInterpreter failed)");
  }
}

SubInterpreter::~SubInterpreter() {
  PyThreadState_Swap(own_);  // Py_EndInterpreter needs its own thread state to be the current one
  Py_EndInterpreter(own_);
  PyThreadState_Swap(previous_);
}

void interrupt_python_thread(PyInterpreterState* interpreter, unsigned long thread_id) {
  // A thread state of our own in the target's interpreter: PyThreadState_SetAsyncExc looks the
  // thread up among the current interpreter's threads.
  PyThreadState* own = PyThreadState_New(interpreter);
  PyEval_RestoreThread(own);
  PyThreadState_SetAsyncExc(thread_id, PyExc_KeyboardInterrupt);
  PyThreadState_Clear(own);
  PyThreadState_DeleteCurrent();  // and lets go of the GIL
}

}  // namespace polyhost
