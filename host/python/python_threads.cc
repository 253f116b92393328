#include "host/python/python_threads.h"

#include <stdexcept>
#include <system_error>
#include <thread>

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
  if (PyThread_get_thread_ident() == thread_id) {
    // Asked on the target thread itself (a scale lane that registers after its deadline): a thread
    // state made on this thread would carry the same id, be found first, and take the exception
    // with it when deleted. Another thread makes it.
    try {
      std::thread([interpreter, thread_id] { interrupt_python_thread(interpreter, thread_id); }).join();
      return;
    } catch (const std::system_error&) {  // no thread to spare: below, where the exception may be lost
    }
  }
  // A thread state of our own in the target's interpreter: PyThreadState_SetAsyncExc looks the
  // thread up among the current interpreter's threads.
  PyThreadState* own = PyThreadState_New(interpreter);
  PyEval_RestoreThread(own);
  PyThreadState_SetAsyncExc(thread_id, PyExc_KeyboardInterrupt);
  PyThreadState_Clear(own);
  PyThreadState_DeleteCurrent();  // and lets go of the GIL
}

}  // namespace polyhost
