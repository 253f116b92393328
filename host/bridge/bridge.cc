#include "host/bridge/bridge.h"

#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <new>
#include <stdexcept>

#include "host/bridge/crossing.h"
#include "host/bridge/js_object_proxy.h"
#include "host/bridge/polyhost_module.h"
#include "host/bridge/python_global.h"
#include "host/bridge/python_object_proxy.h"
#include "host/bridge/release_queue.h"
#include "host/bridge/sigint_watcher.h"
#include "host/python/gil_hold.h"
#include "host/python/python_engine.h"
#include "host/v8/v8_engine.h"
#include "host/v8/v8_strings.h"

namespace polyhost {
namespace {

// A proxy of a Python object met in a result JavaScript returns to polyhost (see to_value).
std::string describe_python_proxy(v8::Local<v8::Object> object) {
  PyObject* python = PythonObjectProxies::unwrap(object);
  if (!python) return "";
  const std::string type = Py_TYPE(python)->tp_name;  // held by the proxy: no Python runs here
  if (PyCallable_Check(python)) return "a Python " + type + " (a live proxy), which is not JSON-like";
  const std::string live = "a live Python " + type + " (a proxy, not a copy), which is not JSON-like: ";
  // Only these does python.copy make an Array or object of (a set, bytes: a Set, a Uint8Array;
  // anything else: the same proxy), so only for these is the copy the way out.
  if (PyList_Check(python) || PyTuple_Check(python) || PyDict_Check(python)) {
    return live + "python.copy(x) makes a plain copy of it";
  }
  return live + "run() must convert it to JSON-like values (numbers, strings, arrays, plain objects)";
}

// An engine is attached, started and used on the bridge's thread only.
void check_engines_thread(const Bridge& bridge, const char* what) {
  if (!bridge.on_engines_thread()) {
    throw std::logic_error(std::string(what) + " must be attached on the thread that made the bridge");
  }
}

// Runs START once, refusing to run it again from inside itself.
void start_once(const std::function<void()>& start, bool& starting, bool gone, const char* what) {
  if (gone) throw std::runtime_error(std::string(what) + " is gone: it has shut down");
  if (!start) throw std::runtime_error(std::string(what) + " is not available here");
  if (starting) throw std::runtime_error(std::string(what) + " is still starting");
  starting = true;
  try {
    start();
  } catch (...) {
    starting = false;
    throw;
  }
  starting = false;
}

}  // namespace

Bridge::Bridge(std::function<void()> start_js, std::function<void()> start_python)
    : start_js_(std::move(start_js)), start_python_(std::move(start_python)), releases_(std::make_shared<ReleaseQueue>()) {
  watchdog_fences_ = ::syscall(__NR_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0;
}

Bridge::~Bridge() {
  detach_python();
  detach_js();
}

void Bridge::attach(V8Engine& js) {
  if (js_) throw std::logic_error("the bridge already has a JavaScript engine");
  check_engines_thread(*this, "the JavaScript engine");
  isolate_ = js.isolate();
  js.with_context([&](v8::Local<v8::Context> context) {
    python_objects_ = std::make_unique<PythonObjectProxies>(*this, context);
    v8::Local<v8::Object> link;
    v8::Local<v8::Object> python = make_python_global(*this, context, link);
    python_global_.Reset(isolate_, link);
    context->Global()
        ->DefineOwnProperty(context, v8_string(isolate_, "python"), python, v8::DontEnum)
        .Check();
  });
  js.set_stop_listener([this] { on_stop_requested(true); });
  js.set_proxy_describer(describe_python_proxy);
  js.set_foreign_error_describer([this](v8::Local<v8::Object> object) { return describe_python_exception_proxy(*this, object); });
  // Entered until detach_js (see JsScopes).
  isolate_->Enter();
  ::new (base_handle_scope_) v8::HandleScope(isolate_);
  has_base_handle_scope_ = true;
  context_ = js.context();  // a handle in the base scope: no new handle on every call
  context_->Enter();
  js_.store(&js);
  js_attached_->store(true);
  watch_sigint();
}

void Bridge::attach(PythonEngine& python) {
  if (python_) throw std::logic_error("the bridge already has a Python engine");
  check_engines_thread(*this, "the Python engine");
  GilHold gil;
  js_objects_ = std::make_unique<JsObjectProxies>(*this);
  module_ = make_polyhost_module(*this);
  python.set_stop_listener([this] { on_stop_requested(false); });
  python_.store(&python);
  watch_sigint();
}

void Bridge::watch_sigint() {
  PythonEngine* python = python_.load();
  if (!js_ || !python || sigint_watcher_ || !python->receives_signals() || !on_js_thread()) return;
  GilHold gil;
  sigint_watcher_ = std::make_unique<SigintWatcher>(*this);
}

void Bridge::stop_watching_sigint() { sigint_watcher_.reset(); }

void Bridge::detach_js() {
  if (sigint_watcher_) {  // only while both engines are there
    GilHold gil;
    stop_watching_sigint();
  }
  V8Engine* js = js_.exchange(nullptr);
  if (!js) return;
  js_attached_->store(false);
  js->set_stop_listener(nullptr);
  js->set_proxy_describer(nullptr);
  js->set_foreign_error_describer(nullptr);
  js_gone_ = true;  // for good: not started again
  {
    v8::HandleScope handles(isolate_);
    if (!python_global_.IsEmpty()) {
      python_global_.Get(isolate_)->SetAlignedPointerInInternalField(0, nullptr);
      python_global_.Reset();
    }
    if (python_) {
      GilHold gil;
      errors_through_js_.clear();
      errors_through_python_.clear();
      js_objects_->release_all();
      python_objects_->release_all();
      releases_->drain();
    }
  }
  python_objects_.reset();
  js->context()->Exit();
  context_.Clear();
  if (has_base_handle_scope_) {
    std::launder(reinterpret_cast<v8::HandleScope*>(base_handle_scope_))->~HandleScope();
    has_base_handle_scope_ = false;
  }
  isolate_->Exit();
  isolate_ = nullptr;
}

void Bridge::detach_python() {
  PythonEngine* python = python_.exchange(nullptr);
  if (!python) return;
  python->set_stop_listener(nullptr);
  python_gone_ = true;
  GilHold gil;
  stop_watching_sigint();
  if (js_) {
    v8::HandleScope handles(isolate_);
    errors_through_js_.clear();
    errors_through_python_.clear();
    python_objects_->release_all();
    js_objects_->release_all();
  }
  releases_->drain();
  forget_bridge(module_.get());
  module_ = PyRef();
  js_objects_.reset();
}

V8Engine& Bridge::js() {
  if (!on_engines_thread()) throw std::runtime_error("JavaScript can only be used from the thread that runs it (the main thread)");
  if (!js_) start_once(start_js_, starting_js_, js_gone_, "the JavaScript engine");
  if (!js_) throw std::runtime_error("JavaScript did not start");
  return *js_;
}

PythonEngine& Bridge::python() {
  if (!on_engines_thread()) throw std::runtime_error("Python can only be used from the thread that runs it (the main thread)");
  if (!python_) {
    start_once(start_python_, starting_python_, python_gone_, "the Python interpreter");
    // Errors crossing into Python bring their JavaScript frames from V8's detailed stack traces.
    if (V8Engine* js = js_.load(); js && python_) js->detailed_stacks_when_timed(true);
  }
  if (!python_) throw std::runtime_error("Python did not start");
  return *python_;
}

PyObject* Bridge::helper(const char* name) const {
  PyObject* found = PyDict_GetItemString(PyModule_GetDict(module_.get()), name);  // borrowed
  if (!found) throw std::logic_error(std::string("polyhost's bridge_helpers.py has no ") + name);
  return found;
}

void Bridge::on_stop_requested(bool from_js) {
  // Only when a call crossed between the languages: otherwise the engine asked is the only one
  // running, and its own stop suffices.
  // The engine's stop is stored; fence before reading the depth (see fence_against_watchdog).
  if (!watchdog_fences_ || ::syscall(__NR_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) != 0) {
    std::atomic_thread_fence(std::memory_order_seq_cst);
  }
  if (depth_for_watchdog_.load(std::memory_order_relaxed) == 0) return;
  if (stopping_.exchange(true)) return;  // the other engine's request_stop calls back here
  if (!from_js) {
    // JavaScript frames must stop too, wherever they are: V8 acts on it when it next runs.
    if (V8Engine* js = js_.load()) js->request_stop();
  } else if (python_innermost_.load(std::memory_order_relaxed)) {
    // Python is running: interrupt it. (When JavaScript runs on top of Python, Python unwinds
    // when JavaScript's termination reaches it, and is not interrupted.)
    if (PythonEngine* python = python_.load()) python->request_stop();
  }
}

bool Crossing::stopped_before(Bridge& bridge, Into into) {
  if (into == Into::Python) {
    V8Engine* js = bridge.js_.load();
    if (!js || !js->termination_requested()) return false;
    js->isolate()->TerminateExecution();  // act on it now, not at V8's next stack check
    return true;
  }
  PythonEngine* python = bridge.python_.load();
  return python && python->stop_requested();
}

void Bridge::forget_enumerated() { python_objects_->forget_enumerated(); }

}  // namespace polyhost
