#include "host/bridge/release_queue.h"

namespace polyhost {

void ReleaseQueue::release_later(std::unique_ptr<LentBuffer> buffer) {
  std::lock_guard<std::mutex> lock(buffers_mutex_);
  buffers_.push_back(std::move(buffer));
  has_buffers_.store(true, std::memory_order_release);
}

void ReleaseQueue::decref_later_any_thread(PyObject* object) {
  std::lock_guard<std::mutex> lock(buffers_mutex_);
  objects_any_thread_.push_back(object);
  has_buffers_.store(true, std::memory_order_release);
}

std::size_t ReleaseQueue::size() {
  std::lock_guard<std::mutex> lock(buffers_mutex_);
  return objects_.size() + buffers_.size() + objects_any_thread_.size();
}

void ReleaseQueue::drain() {
  while (!empty()) {
    std::vector<PyObject*> objects;
    objects.swap(objects_);
    std::vector<std::unique_ptr<LentBuffer>> buffers;
    {
      std::lock_guard<std::mutex> lock(buffers_mutex_);
      buffers.swap(buffers_);
      objects.insert(objects.end(), objects_any_thread_.begin(), objects_any_thread_.end());
      objects_any_thread_.clear();
      has_buffers_.store(false, std::memory_order_release);
    }
    for (PyObject* object : objects) Py_DECREF(object);
    for (auto& buffer : buffers) PyBuffer_Release(&buffer->view);
  }
}

}  // namespace polyhost
