// What the Cython module (python_cython.pyx) hands to native::call_back, a template that calls
// any C++ callable: Cython cannot write a lambda, so it passes a C function and its context.
#pragma once

#include <cstdint>

namespace polyhost::bindings {

struct ContextCallback {
  ContextCallback() = default;
  ContextCallback(std::int64_t (*f)(void*, std::int32_t), void* c) : function(f), context(c) {}
  std::int64_t (*function)(void* context, std::int32_t i) = nullptr;
  void* context = nullptr;
  std::int64_t operator()(std::int32_t i) const { return function(context, i); }
};

}  // namespace polyhost::bindings
