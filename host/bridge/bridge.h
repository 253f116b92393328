// JavaScript and Python calling each other in one process: the `python` global in V8 and the
// `polyhost` module in CPython, with live proxies, callbacks and errors crossing both ways.
// host/bridge/README.md explains the design (value rules, lifetimes, limits).
//
// Whoever owns the engines owns one Bridge, attaches each engine when it starts, and gives the
// Bridge a way to start the engine it does not have yet (CPython starts on the first use from
// JavaScript, V8 on the first use from Python). Both engines run on one thread: the one that made
// the Bridge.
#pragma once

#include <Python.h>
#include <pthread.h>
#include <v8.h>

#include <atomic>
#include <functional>
#include <memory>

#include "host/bridge/boundary_errors.h"
#include "host/python/py_ref.h"

namespace polyhost {

class V8Engine;
class PythonEngine;
class PythonObjectProxies;
class JsObjectProxies;
class ReleaseQueue;
class SigintWatcher;

class Bridge {
 public:
  // START_JS / START_PYTHON start that engine and attach it (they are called at most once each,
  // on the first use from the other language). They may throw; the caller then sees an error.
  Bridge(std::function<void()> start_js, std::function<void()> start_python);
  ~Bridge();  // detaches both engines: destroy the Bridge before either engine
  Bridge(const Bridge&) = delete;
  Bridge& operator=(const Bridge&) = delete;

  // Installs the `python` global (JavaScript) / the `polyhost` module (Python).
  void attach(V8Engine& js);
  void attach(PythonEngine& python);
  // Lets go of everything held in the engine that is about to go; proxies into it then raise
  // a clear error ("the JavaScript engine is gone" / "the Python interpreter is gone").
  void detach_js();
  void detach_python();

  // A chain of calls back and forth may cross between the languages this many times; the
  // crossing beyond it fails with RangeError (JavaScript calling Python) or RecursionError
  // (Python calling JavaScript). Chosen so that the C stack and V8's own stack limit (984 KB
  // below where V8 started) are never reached first, with room to spare under AddressSanitizer.
  static constexpr int kMaxCrossings = 200;

  // ---- The rest is for the bridge's own files (host/bridge/*).

  bool has_js() const { return js_ != nullptr; }
  bool has_python() const { return python_ != nullptr; }
  // The engine, started first when it is not yet; throws std::runtime_error when it cannot start
  // (or when called from another thread than the engines').
  V8Engine& js();
  PythonEngine& python();
  // The engine, known to be attached (on a path that has checked on_js_thread()).
  V8Engine& attached_js() const { return *js_.load(std::memory_order_relaxed); }
  v8::Isolate* isolate() const { return isolate_; }
  v8::Local<v8::Context> context() const { return context_; }  // while V8 is attached
  PythonObjectProxies& python_objects() { return *python_objects_; }  // JavaScript's proxies of Python objects
  JsObjectProxies& js_objects() { return *js_objects_; }              // Python's proxies of JavaScript objects
  ReleaseQueue& releases() { return *releases_; }
  std::weak_ptr<ReleaseQueue> releases_weak() const { return releases_; }
  // A function or class of the `polyhost` module (bridge_helpers.py); borrowed reference.
  PyObject* helper(const char* name) const;
  PyObject* module() const { return module_.get(); }
  // True while V8 is attached; shared with what may outlive the bridge (views of V8's memory).
  std::shared_ptr<const std::atomic<bool>> js_attached_flag() const { return js_attached_; }
  // Whether this is the thread both engines run on (the one that made the Bridge).
  bool on_engines_thread() const { return ::pthread_equal(::pthread_self(), engines_thread_); }
  bool on_js_thread() const { return js_ && on_engines_thread(); }

  // Crossings now in progress (see Crossing).
  int depth() const { return into_python_ + into_js_; }
  // Whether JavaScript frames are below the current point (a JavaScript caller waits for Python).
  bool js_below() const { return into_python_ > 0; }
  // Calls in progress from Python into JavaScript / from JavaScript into Python.
  int calls_into_js() const { return into_js_; }
  int calls_into_python() const { return into_python_; }
  // Errors on their way through JavaScript / through Python (see ErrorInFlight).
  ErrorsInFlight& errors_through_js() { return errors_through_js_; }
  ErrorsInFlight& errors_through_python() { return errors_through_python_; }
  // The watchdog asked an engine to stop while both were on the stack: both were asked, and
  // errors crossing the boundary now only unwind, they are not converted.
  bool stopping() const { return stopping_.load(std::memory_order_relaxed); }
  // Called by the engines' stop listeners, from any thread: FROM_JS says which engine was asked.
  void on_stop_requested(bool from_js);
  // The engines' side of the fence between counting a crossing and looking for a stop. With
  // membarrier(2), the watchdog's side makes it a full fence, so this side costs nothing on the
  // path of every call; without it, a full fence here.
  void fence_against_watchdog() const {
    if (watchdog_fences_) std::atomic_signal_fence(std::memory_order_seq_cst);
    else std::atomic_thread_fence(std::memory_order_seq_cst);
  }
  // Whether JavaScript is the language at the bottom of the current chain of crossings.
  bool outermost_js() const { return outermost_js_; }
  // Whether PythonObjectProxies keeps the names its enumerator just listed: the next crossing,
  // unless it is the query pass that follows the listing, forgets them (see Crossing).
  void set_keeps_enumerated(bool keeps) { keeps_enumerated_ = keeps; }
  void forget_enumerated();

 private:
  friend class Crossing;

  // With both engines attached on a thread that gets signals: Ctrl-C stops JavaScript too.
  void watch_sigint();
  void stop_watching_sigint();  // with the GIL

  std::function<void()> start_js_, start_python_;
  std::atomic<V8Engine*> js_{nullptr};
  std::shared_ptr<std::atomic<bool>> js_attached_ = std::make_shared<std::atomic<bool>>(false);
  std::atomic<PythonEngine*> python_{nullptr};
  v8::Isolate* isolate_ = nullptr;
  const pthread_t engines_thread_ = ::pthread_self();
  int into_python_ = 0, into_js_ = 0;
  std::atomic<int> depth_for_watchdog_{0};
  bool watchdog_fences_ = false;  // membarrier(2) is there: see fence_against_watchdog
  std::atomic<bool> stopping_{false};
  std::atomic<bool> python_innermost_{false};  // the latest crossing went into Python
  bool outermost_js_ = false;
  bool keeps_enumerated_ = false;
  bool starting_js_ = false, starting_python_ = false;
  bool js_gone_ = false, python_gone_ = false;  // detached: not to be started again
  PyRef module_;
  std::shared_ptr<ReleaseQueue> releases_;  // shared with the buffers lent to V8 (weakly)
  std::unique_ptr<PythonObjectProxies> python_objects_;
  std::unique_ptr<JsObjectProxies> js_objects_;
  ErrorsInFlight errors_through_js_, errors_through_python_;
  std::unique_ptr<SigintWatcher> sigint_watcher_;
  v8::Global<v8::Object> python_global_;
  // A HandleScope open from attach to detach, below every other: calls from Python into
  // JavaScript then find V8's handle block in place instead of allocating and freeing one each
  // time (JsScopes). Constructed in place, since V8 forbids HandleScopes on the heap.
  alignas(v8::HandleScope) unsigned char base_handle_scope_[sizeof(v8::HandleScope)];
  bool has_base_handle_scope_ = false;
  v8::Local<v8::Context> context_;  // entered, in the base handle scope
};

}  // namespace polyhost
