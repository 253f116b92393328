#include "host/python/python_engine.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>

#include "host/python/prelude_py.h"  // generated from prelude.py: kPreludePy
#include "host/python/python_convert.h"
#include "host/python/python_text.h"
#include "host/python/python_threads.h"

namespace polyhost {
namespace {

PyRef unicode(const std::string& s) {
  return PyRef::steal(PyUnicode_DecodeFSDefaultAndSize(s.data(), static_cast<Py_ssize_t>(s.size())));
}

int python_exit_status(PyObject* code) {
  if (!code || code == Py_None) return 0;
  if (!PyLong_Check(code)) return 1;
  const long status = PyLong_AsLong(code);
  if (status == -1) PyErr_Clear();
  return static_cast<int>(status);
}

}  // namespace

PythonExit python_exit_of(PyObject* system_exit) {
  PyRef code = PyRef::steal(PyObject_GetAttrString(system_exit, "code"));
  PythonExit out{python_exit_status(code.get()), std::nullopt};
  if (code && code.get() != Py_None && !PyLong_Check(code.get())) {
    // A code whose str() fails prints only the line's end, as in python3.
    PyRef text = PyRef::steal(PyObject_Str(code.get()));
    out.message = text ? printable_utf8_of_python_text(text.get()) : std::string();
  }
  PyErr_Clear();
  return out;
}

PythonEngine::PythonEngine(PythonInterpreter&)
    : interpreter_thread_(::pthread_self()),
      interpreter_state_(PyInterpreterState_Get()),
      python_thread_id_(PyThread_get_thread_ident()),
      signal_reaches_it_(::getpid() == ::gettid() && interpreter_state_ == PyInterpreterState_Main()) {
  // Engines of one interpreter share its prelude (threads of polyhost scale): executing it again
  // would reset the state other engines are using.
  prelude_ = PyRef::steal(PyImport_GetModule(PyRef::steal(PyUnicode_FromString("_polyhost")).get()));
  PyErr_Clear();
  PyRef code = prelude_ ? PyRef() : PyRef::steal(Py_CompileString(kPreludePy, "polyhost:prelude.py", Py_file_input));
  if (code) prelude_ = PyRef::steal(PyImport_ExecCodeModule("_polyhost", code.get()));
  if (!prelude_) {
    // Out of memory, under a small --max-heap, or (an ImportError) for want of memory inside an import.
    PyObject* type = PyErr_Occurred();
    const std::string name = type ? reinterpret_cast<PyTypeObject*>(type)->tp_name : "no exception";
    PyErr_Print();
    throw std::runtime_error("polyhost's Python prelude failed to load: " + name);
  }
  if (signal_reaches_it_) call_prelude("install_stop_handler", {});
}

// Py_AddPendingCall would be the obvious tool, but in CPython 3.11 a call queued from another
// thread is only noticed when the interpreter next re-checks for other reasons (a pure bytecode
// loop never does). A signal is noticed at the next bytecode and also interrupts a blocked system
// call; prelude.py turns SIGUSR2 into KeyboardInterrupt. Python runs signal handlers only on the
// main thread of the main interpreter, so an engine elsewhere gets KeyboardInterrupt as an
// asynchronous exception instead (noticed at its next bytecode, not in a blocked system call).
void PythonEngine::request_stop() {
  stop_requested_ = true;
  if (signal_reaches_it_) {
    ::pthread_kill(interpreter_thread_, SIGUSR2);
  } else {
    interrupt_python_thread(interpreter_state_, python_thread_id_);
  }
  std::function<void()> listener;
  {
    std::lock_guard<std::mutex> lock(stop_listener_mutex_);
    listener = stop_listener_;
  }
  if (listener) listener();
}

void PythonEngine::set_stop_listener(std::function<void()> listener) {
  std::lock_guard<std::mutex> lock(stop_listener_mutex_);
  stop_listener_ = std::move(listener);
}

void PythonEngine::throw_if_stopped() {
  if (stop_requested_ && PyErr_ExceptionMatches(PyExc_KeyboardInterrupt)) {
    PyErr_Clear();
    stop_requested_ = false;
    throw EngineStop(EngineStop::Reason::Timeout, "the script was stopped (an interrupt raised in it) after its time ran out");
  }
}

void PythonEngine::throw_pending_error() {
  throw_if_stopped();
  if (memory_capped_ && PyErr_ExceptionMatches(PyExc_MemoryError)) {
    PyErr_Clear();
    throw EngineStop(EngineStop::Reason::OutOfMemory, "Python raised MemoryError: the worker's memory limit was reached");
  }
  PyObject *type = nullptr, *value = nullptr, *traceback = nullptr;
  PyErr_Fetch(&type, &value, &traceback);
  PyErr_NormalizeException(&type, &value, &traceback);
  PyRef type_ref = PyRef::steal(type), value_ref = PyRef::steal(value), tb_ref = PyRef::steal(traceback);
  if (!value) throw std::logic_error("a Python call failed without setting an exception");
  if (traceback) PyException_SetTraceback(value, traceback);

  if (PyErr_GivenExceptionMatches(type, PyExc_SystemExit)) {
    PythonExit exit = python_exit_of(value);
    ScriptErrorInfo site = described(value);
    site.type.clear();
    site.message.clear();
    throw ExitRequest{exit.status, std::move(exit.message), "sys.exit", std::move(site)};
  }
  throw ScriptError(described(value));
}

ScriptErrorInfo PythonEngine::described(PyObject* value) {
  PyRef describe = PyRef::steal(PyObject_GetAttrString(prelude_.get(), "describe"));
  PyRef info = describe ? PyRef::steal(PyObject_CallOneArg(describe.get(), value)) : PyRef();
  if (!info || !PyTuple_Check(info.get()) || PyTuple_GET_SIZE(info.get()) != 6) {
    PyErr_Clear();
    PyRef text = PyRef::steal(PyObject_Str(value));
    PyErr_Clear();
    return {"", 0, 0, Py_TYPE(value)->tp_name, text ? printable_utf8_of_python_text(text.get()) : std::string(), ""};
  }
  // The error ends here and is printed: its text as Python prints a traceback on sys.stderr.
  ScriptErrorInfo out;
  out.type = printable_utf8_of_python_text(PyTuple_GET_ITEM(info.get(), 0));
  out.message = printable_utf8_of_python_text(PyTuple_GET_ITEM(info.get(), 1));
  out.file = printable_utf8_of_python_text(PyTuple_GET_ITEM(info.get(), 2));
  out.line = static_cast<int>(PyLong_AsLong(PyTuple_GET_ITEM(info.get(), 3)));
  out.column = static_cast<int>(PyLong_AsLong(PyTuple_GET_ITEM(info.get(), 4)));
  out.stack = printable_utf8_of_python_text(PyTuple_GET_ITEM(info.get(), 5));
  return out;
}

PyRef PythonEngine::call_prelude(const char* name, std::initializer_list<PyObject*> args) {
  PyRef fn = PyRef::steal(PyObject_GetAttrString(prelude_.get(), name));
  if (!fn) throw_pending_error();
  PyRef tuple = PyRef::steal(PyTuple_New(static_cast<Py_ssize_t>(args.size())));
  Py_ssize_t i = 0;
  for (PyObject* arg : args) {
    Py_INCREF(arg);
    PyTuple_SET_ITEM(tuple.get(), i++, arg);
  }
  PyRef result = PyRef::steal(PyObject_Call(fn.get(), tuple.get(), nullptr));
  if (!result) throw_pending_error();
  return result;
}

void PythonEngine::run_program(const std::filesystem::path& file, const std::vector<std::string>& args) {
  std::fflush(stdout);  // keep output in order with what the other engine printed
  PyRef path = unicode(std::filesystem::absolute(file).lexically_normal().string());
  PyRef argv = PyRef::steal(PyList_New(0));
  for (const auto& arg : args) PyList_Append(argv.get(), unicode(arg).get());
  PyRef status = call_prelude("run_main", {path.get(), argv.get()});
  if (status.get() != Py_None) throw ExitRequest{static_cast<int>(PyLong_AsLong(status.get()))};
}

void PythonEngine::load_module(const std::filesystem::path& file) {
  PyRef path = unicode(std::filesystem::absolute(file).lexically_normal().string());
  module_ = call_prelude("load_module", {path.get()});
}

PyRef PythonEngine::attribute(const std::string& name) {
  if (!module_) throw std::logic_error("attribute access before load_module");
  PyRef value = PyRef::steal(PyObject_GetAttrString(module_.get(), name.c_str()));
  if (!value) PyErr_Clear();
  return value;
}

bool PythonEngine::has_export(const std::string& name) { return static_cast<bool>(attribute(name)); }

Value PythonEngine::get_export(const std::string& name) {
  PyRef value = attribute(name);
  return value ? to_value(value.get(), name) : Value();
}

Engine::TimedResult PythonEngine::call_timed(const std::string& name, const std::vector<Value>& args) {
  PyRef fn = attribute(name);
  if (!fn || !PyCallable_Check(fn.get())) {
    throw ScriptError({"", 0, 0, "TypeError", name + " is not a function (it is " +
                       (fn ? std::string(Py_TYPE(fn.get())->tp_name) : std::string("missing")) + ")", ""});
  }
  PyRef py_args = PyRef::steal(PyTuple_New(static_cast<Py_ssize_t>(args.size())));
  for (size_t i = 0; i < args.size(); ++i) {
    PyTuple_SET_ITEM(py_args.get(), static_cast<Py_ssize_t>(i), from_value(args[i]).release());
  }
  const auto start = std::chrono::steady_clock::now();
  PyRef result = call_prelude("call", {fn.get(), py_args.get()});
  const auto elapsed = std::chrono::steady_clock::now() - start;
  return {to_value(result.get(), name + "() result"), std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count()};
}

}  // namespace polyhost
