#include "host/startup/engine_instances.h"

#include <stdexcept>

namespace polyhost {

BareIsolate::BareIsolate() : allocator_(v8::ArrayBuffer::Allocator::NewDefaultAllocator()) {
  v8::Isolate::CreateParams params;
  params.array_buffer_allocator = allocator_.get();
  isolate_ = v8::Isolate::New(params);
}

BareIsolate::~BareIsolate() {
  context_.Reset();
  isolate_->Dispose();
}

void BareIsolate::create_context() {
  v8::Isolate::Scope isolate_scope(isolate_);
  v8::HandleScope handles(isolate_);
  context_.Reset(isolate_, v8::Context::New(isolate_));
}

void BareIsolate::run_empty_script() {
  v8::Isolate::Scope isolate_scope(isolate_);
  v8::HandleScope handles(isolate_);
  v8::Local<v8::Context> context = context_.Get(isolate_);
  v8::Context::Scope context_scope(context);
  v8::Local<v8::Script> script;
  if (!v8::Script::Compile(context, v8::String::Empty(isolate_)).ToLocal(&script) || script->Run(context).IsEmpty()) {
    throw std::runtime_error("V8 could not compile and run an empty script");
  }
}

SubInterpreter::SubInterpreter() {
  PyThreadState* main = PyThreadState_Get();
  state_ = Py_NewInterpreter();  // makes the new interpreter's thread state current
  PyThreadState_Swap(main);
  if (!state_) throw std::runtime_error("CPython could not create a sub-interpreter (Py_NewInterpreter)");
}

SubInterpreter::~SubInterpreter() {
  PyThreadState* main = PyThreadState_Swap(state_);
  Py_EndInterpreter(state_);  // leaves no thread state current
  PyThreadState_Swap(main);
}

}  // namespace polyhost
