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

}  // namespace polyhost
