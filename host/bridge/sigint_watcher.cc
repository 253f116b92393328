#include "host/bridge/sigint_watcher.h"

#include <Python.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>

#include "host/bridge/boundary_errors.h"
#include "host/bridge/bridge.h"
#include "host/helper_thread_signals.h"
#include "host/python/py_ref.h"

namespace polyhost {
namespace {

// The bridge whose JavaScript Ctrl-C interrupts. V8 cannot take back an interrupt it was asked
// for, which may run after the watcher is gone: the interrupt looks here instead of at the watcher.
std::atomic<Bridge*> watched_bridge{nullptr};

// signal.set_wakeup_fd(FD): the descriptor it replaces (-1 for none), or -2 when Python refused.
int set_wakeup_fd(int fd) {
  PyRef signal = PyRef::steal(PyImport_ImportModule("signal"));
  PyRef previous = signal ? PyRef::steal(PyObject_CallMethod(signal.get(), "set_wakeup_fd", "i", fd)) : PyRef();
  const long out = previous && PyLong_Check(previous.get()) ? PyLong_AsLong(previous.get()) : -2;
  PyErr_Clear();
  return static_cast<int>(out);
}

}  // namespace

SigintWatcher::SigintWatcher(Bridge& bridge) : isolate_(bridge.isolate()) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return;  // no watcher: Ctrl-C reaches Python only
  read_fd_ = fds[0];
  write_fd_ = fds[1];
  // Python's signal handler must never block on it.
  ::fcntl(write_fd_, F_SETFL, ::fcntl(write_fd_, F_GETFL) | O_NONBLOCK);
  const int previous = set_wakeup_fd(write_fd_);
  if (previous != -1) {  // the script has a wakeup descriptor of its own: leave it be
    if (previous >= 0) set_wakeup_fd(previous);
    ::close(read_fd_);
    ::close(write_fd_);
    read_fd_ = write_fd_ = -1;
    return;
  }
  watched_bridge.store(&bridge);
  HelperThreadSignals helper;
  thread_ = std::thread([this] { watch(); });
}

SigintWatcher::~SigintWatcher() {
  if (write_fd_ < 0) return;
  watched_bridge.store(nullptr);
  const int current = set_wakeup_fd(-1);
  if (current >= 0 && current != write_fd_) set_wakeup_fd(current);  // the script's own, set since
  ::close(write_fd_);  // the thread reads the end of the pipe and returns
  thread_.join();
  ::close(read_fd_);
}

void SigintWatcher::watch() {
  unsigned char signals[64];
  for (;;) {
    const ssize_t n = ::read(read_fd_, signals, sizeof signals);
    if (n == 0) return;
    if (n < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (std::find(signals, signals + n, SIGINT) != signals + n) isolate_->RequestInterrupt(on_interrupt, nullptr);
  }
}

void SigintWatcher::on_interrupt(v8::Isolate* isolate, void*) {
  Bridge* bridge = watched_bridge.load();
  if (!bridge || bridge->isolate() != isolate || !bridge->has_python()) return;
  v8::HandleScope handles(isolate);
  run_python_signal_handlers_in_js(*bridge, isolate->GetCurrentContext());
}

}  // namespace polyhost
