// Bare engine instances for `polyhost startup`, made with the engines' own APIs and nothing of
// polyhost's runtime on top (no prelude, no console), so that their cost is the engine's: a V8
// isolate (with the allocator V8Engine gives it) and its context. (A bare CPython sub-interpreter
// is python/python_threads.h's SubInterpreter.)
#pragma once

#include <v8.h>

#include <memory>

namespace polyhost {

// One V8 isolate; the process's V8Platform must exist first and outlive it.
class BareIsolate {
 public:
  BareIsolate();
  ~BareIsolate();
  BareIsolate(const BareIsolate&) = delete;
  BareIsolate& operator=(const BareIsolate&) = delete;

  v8::Isolate* get() const { return isolate_; }
  // Creates the isolate's one context (v8::Context::New).
  void create_context();
  // Compiles and runs an empty script in the context. Throws std::runtime_error if V8 fails.
  void run_empty_script();

 private:
  std::unique_ptr<v8::ArrayBuffer::Allocator> allocator_;
  v8::Isolate* isolate_ = nullptr;  // disposed in the destructor, after the context
  v8::Global<v8::Context> context_;
};

}  // namespace polyhost
