// Python references that V8 let go of where Python must not run: inside its garbage collector
// (a proxy of a Python object was collected) or on one of its background threads (an ArrayBuffer
// over Python memory was freed). They are released at the next call into Python, on the engines'
// thread, with the GIL held.
#pragma once

#include <Python.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

namespace polyhost {

class ReleaseQueue;

// A Python buffer (PyObject_GetBuffer) lent to JavaScript as an ArrayBuffer's memory. V8 frees it
// from any thread, possibly after the bridge is gone: then it is dropped without being released
// (no interpreter to release it with; the memory goes with the process).
struct LentBuffer {
  Py_buffer view{};
  std::weak_ptr<ReleaseQueue> queue;
};

class ReleaseQueue {
 public:
  ReleaseQueue() = default;
  ~ReleaseQueue() = default;  // drain() first: what is still queued then is dropped unreleased
  ReleaseQueue(const ReleaseQueue&) = delete;
  ReleaseQueue& operator=(const ReleaseQueue&) = delete;

  // The engines' thread only (V8 calls weak callbacks there); runs no Python and no V8.
  void decref_later(PyObject* object) { objects_.push_back(object); }
  // Any thread.
  void release_later(std::unique_ptr<LentBuffer> buffer);
  void decref_later_any_thread(PyObject* object);

  bool empty() const { return objects_.empty() && !has_buffers_.load(std::memory_order_acquire); }
  std::size_t size();
  // With the GIL, on the engines' thread. Releasing may run Python code (__del__) that queues more.
  void drain();

 private:
  std::vector<PyObject*> objects_;
  std::mutex buffers_mutex_;
  std::vector<std::unique_ptr<LentBuffer>> buffers_;  // and the two below: under buffers_mutex_
  std::vector<PyObject*> objects_any_thread_;
  std::atomic<bool> has_buffers_{false};
};

}  // namespace polyhost
