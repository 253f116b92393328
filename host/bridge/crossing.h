// One call from one language into the other, as a scope. It counts the crossings in progress
// (Bridge::kMaxCrossings), holds the GIL for a call into Python, and enters V8's isolate, handle
// and context scopes for a call into JavaScript.
#pragma once

#include <optional>

#include "host/bridge/boundary_errors.h"
#include "host/bridge/bridge.h"
#include "host/bridge/release_queue.h"
#include "host/python/gil_hold.h"
#include "host/v8/v8_platform.h"

namespace polyhost {

class Crossing {
 public:
  enum class Into { Python, JavaScript };
  // Whether this crossing may be V8's query pass over the names an enumerator just listed, which
  // keeps them (PythonObjectProxies::remember_enumerated); any other forgets them.
  enum class Enumerated { Forget, MayKeep };

  Crossing(Bridge& bridge, Into into, Enumerated enumerated = Enumerated::Forget) : bridge_(bridge), into_(into) {
    // While the engines are being stopped, nothing new starts on the other side.
    allowed_ = bridge.depth() < Bridge::kMaxCrossings && !bridge.stopping();
    if (!allowed_) return;
    const bool outermost = bridge.depth() == 0;
    (into == Into::Python ? bridge.into_python_ : bridge.into_js_) += 1;
    // Ordered before the check for a stop just below, against the watchdog, which stores its stop
    // and then reads the depth (Bridge::on_stop_requested): one of the two sees the other.
    bridge.depth_for_watchdog_.store(bridge.depth(), std::memory_order_relaxed);
    bridge.fence_against_watchdog();
    // A stop the watchdog asked for before this crossing counted (say, while CPython was still
    // starting) went to the calling engine only: the other side must not start running.
    if (stopped_before(bridge, into)) {
      (into == Into::Python ? bridge.into_python_ : bridge.into_js_) -= 1;
      bridge.depth_for_watchdog_.store(bridge.depth());
      allowed_ = false;
      return;
    }
    if (outermost) bridge.outermost_js_ = into == Into::Python;
    python_was_innermost_ = bridge.python_innermost_.load(std::memory_order_relaxed);  // written on this thread only
    bridge.python_innermost_.store(into == Into::Python, std::memory_order_relaxed);
    // What V8's garbage collector let go since the last call (it may not run Python itself): at
    // every crossing, so that a Python program that only calls JavaScript releases them too.
    // Python calls JavaScript holding the GIL.
    if (into == Into::Python) gil_.emplace();
    if (bridge.keeps_enumerated_ && enumerated == Enumerated::Forget) bridge.forget_enumerated();
    if (!bridge.releases().empty()) bridge.releases().drain();
  }
  ~Crossing() {
    if (into_ == Into::Python) end_forked_child_before_javascript();  // back into V8, in a fork's child
    if (!allowed_) return;
    (into_ == Into::Python ? bridge_.into_python_ : bridge_.into_js_) -= 1;
    // An error kept for this call can no longer come out of it (the GIL is held here either way).
    ErrorsInFlight& kept = into_ == Into::JavaScript ? bridge_.errors_through_js_ : bridge_.errors_through_python_;
    if (!kept.empty()) kept.drop_above(into_ == Into::JavaScript ? bridge_.into_js_ : bridge_.into_python_);
    bridge_.python_innermost_.store(python_was_innermost_, std::memory_order_relaxed);
    const int depth = bridge_.depth();
    bridge_.depth_for_watchdog_.store(depth, std::memory_order_relaxed);
    if (depth == 0) bridge_.stopping_.store(false, std::memory_order_relaxed);  // the stop has unwound
  }
  Crossing(const Crossing&) = delete;
  Crossing& operator=(const Crossing&) = delete;

  // False when this call would go beyond Bridge::kMaxCrossings, or when the engines are being
  // stopped: raise RangeError / RecursionError (a stopping engine replaces it with its stop).
  bool allowed() const { return allowed_; }

 private:
  static bool stopped_before(Bridge& bridge, Into into);

  Bridge& bridge_;
  Into into_;
  bool allowed_ = false;
  bool python_was_innermost_ = false;
  std::optional<GilHold> gil_;
};

// The scope a call from Python into JavaScript needs. The bridge keeps V8's isolate and context
// entered for as long as it is attached (entering them on every call would cost more than the
// rest of the call: V8 looks the thread up in a locked table when the isolate is not entered).
class JsScopes {
 public:
  explicit JsScopes(Bridge& bridge) : handles_(bridge.isolate()), context_(bridge.context()) {}
  v8::Local<v8::Context> context() const { return context_; }

 private:
  v8::HandleScope handles_;
  v8::Local<v8::Context> context_;
};

// A JavaScript callback's call into Python, as one scope: the crossing (the GIL held) and the
// calling context. When the crossing is not allowed, entered() is false with RangeError thrown, and
// the callback returns. (No std::optional members: IntoJavaScript says why.)
class IntoPython {
 public:
  IntoPython(Bridge& bridge, v8::Isolate* isolate, Crossing::Enumerated enumerated = Crossing::Enumerated::Forget)
      : bridge_(bridge),
        isolate_(isolate),
        crossing_(bridge, Crossing::Into::Python, enumerated),
        context_(isolate->GetCurrentContext()) {
    if (!crossing_.allowed()) throw_depth_error_in_js(isolate);
  }
  bool entered() const { return crossing_.allowed(); }
  Bridge& bridge() const { return bridge_; }
  v8::Isolate* isolate() const { return isolate_; }
  v8::Local<v8::Context> context() const { return context_; }
  // Throws the pending Python exception in JavaScript.
  void fail() const { throw_python_error_in_js(bridge_, context_); }

 private:
  Bridge& bridge_;
  v8::Isolate* isolate_;
  Crossing crossing_;
  v8::Local<v8::Context> context_;
};

// A Python call into JavaScript, as one scope: the crossing, V8's scopes and a TryCatch. When the
// crossing is not allowed, entered() is false with RecursionError raised, and the caller returns
// its error value. (No std::optional members: they cost a call 2-5 ns.)
class IntoJavaScript {
 public:
  explicit IntoJavaScript(Bridge& bridge)
      : bridge_(bridge), crossing_(bridge, Crossing::Into::JavaScript), scopes_(bridge), try_catch_(bridge.isolate()) {
    if (!crossing_.allowed()) raise_depth_error_in_python();
  }
  bool entered() const { return crossing_.allowed(); }
  Bridge& bridge() const { return bridge_; }
  v8::Isolate* isolate() const { return bridge_.isolate(); }
  v8::Local<v8::Context> context() const { return scopes_.context(); }
  v8::TryCatch& try_catch() { return try_catch_; }
  // Raises what JavaScript threw as the pending Python exception; returns nullptr.
  PyObject* fail() { return raise_js_error_in_python(bridge_, scopes_.context(), try_catch_); }

 private:
  Bridge& bridge_;
  Crossing crossing_;
  JsScopes scopes_;
  v8::TryCatch try_catch_;
};

}  // namespace polyhost
