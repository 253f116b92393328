#include "host/scale/engine_lanes.h"

#include <stdexcept>

#include "host/python/py_ref.h"
#include "host/python/python_threads.h"
#include "host/v8/v8_strings.h"

namespace polyhost {

void V8Lane::name_lane(int thread, int threads) {
  engine_.with_context([&](v8::Local<v8::Context> context) {
    v8::Isolate* isolate = context->GetIsolate();
    v8::Local<v8::Object> lane = v8::Object::New(isolate);
    lane->Set(context, v8_string(isolate, "thread"), v8::Integer::New(isolate, thread)).Check();
    lane->Set(context, v8_string(isolate, "threads"), v8::Integer::New(isolate, threads)).Check();
    context->Global()->Set(context, v8_string(isolate, "polyhostLane"), lane).Check();
  });
}

void PythonLane::without_lock(const std::function<void()>& fn) {
  GilReleased released;
  fn();
}

void PythonLane::name_lane(int thread, int) {
  PyRef threading = PyRef::steal(PyImport_ImportModule("threading"));
  PyRef current = threading ? PyRef::steal(PyObject_CallMethod(threading.get(), "current_thread", nullptr)) : PyRef();
  PyRef name = PyRef::steal(PyUnicode_FromString(("polyhost-thread-" + std::to_string(thread)).c_str()));
  if (!current || !name || PyObject_SetAttrString(current.get(), "name", name.get()) != 0) {
    engine_.throw_if_stopped();  // the lane's deadline came while it was starting
    PyErr_Clear();
    throw std::runtime_error("could not name the Python thread of lane " + std::to_string(thread));
  }
}

}  // namespace polyhost
