#include "host/python/python_interpreter.h"

#include <Python.h>

#include <stdexcept>

#include "host/build_info.h"

namespace polyhost {

PythonInterpreter::PythonInterpreter() {
  if (Py_IsInitialized()) throw std::logic_error("only one PythonInterpreter may exist");
  PyConfig config;
  PyConfig_InitPythonConfig(&config);
  config.parse_argv = 0;
  // Leave SIGPIPE and SIGXFSZ as they are. SIGINT gets Python's handler all the same: CPython 3.11
  // installs it when the `signal` module is imported (polyhost's prelude does), and it only notes
  // the signal for Python's next bytecode; the bridge's SigintWatcher brings Ctrl-C to JavaScript.
  config.install_signal_handlers = 0;
  // Find the standard library as the standalone interpreter of this build would.
  PyStatus status = PyConfig_SetBytesString(&config, &config.program_name, build_info::python_executable);
  if (!PyStatus_Exception(status)) status = Py_InitializeFromConfig(&config);
  PyConfig_Clear(&config);
  if (PyStatus_Exception(status)) {
    throw std::runtime_error(std::string("CPython failed to initialize: ") + (status.err_msg ? status.err_msg : "?"));
  }
}

PythonInterpreter::~PythonInterpreter() {
  if (Py_FinalizeEx() < 0) std::fputs("polyhost: CPython reported an error while shutting down\n", stderr);
}

std::string PythonInterpreter::version() {
  std::string full = Py_GetVersion();  // "3.11.7 (main, ...) [GCC ...]"
  return full.substr(0, full.find(' '));
}

std::string PythonInterpreter::executable() { return build_info::python_executable; }

}  // namespace polyhost
