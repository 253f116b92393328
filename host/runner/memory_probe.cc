#include "host/runner/memory_probe.h"

#include <Python.h>
#include <fcntl.h>
#include <malloc.h>
#include <unistd.h>
#include <v8.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

#include "host/v8/v8_engine.h"

#if defined(__SANITIZE_ADDRESS__)
// AddressSanitizer's allocator interface (sanitizer/allocator_interface.h, which Debian's GCC does
// not install; libasan exports it).
extern "C" std::size_t __sanitizer_get_current_allocated_bytes();
#endif

// CPython 3.11 exports these but declares them only in its internal headers (Py_BUILD_CORE):
// sys.getallocatedblocks() and sys._debugmallocstats() are their Python faces; the latter prints to
// the C stderr, which this one lets us point at a memory stream instead.
extern "C" {
PyAPI_FUNC(Py_ssize_t) _Py_GetAllocatedBlocks(void);
PyAPI_FUNC(int) _PyObject_DebugMallocStats(FILE* out);
}

namespace polyhost {
namespace {

// The value of "KEY:   1234 kB" in /proc/self/status, in bytes.
std::uint64_t status_kib_field(const std::string& status, const char* key) {
  const std::string prefix = std::string("\n") + key + ":";
  const std::size_t at = status.find(prefix);
  if (at == std::string::npos) throw std::runtime_error(std::string("/proc/self/status has no ") + key);
  return std::strtoull(status.c_str() + at + prefix.size(), nullptr, 10) * 1024;
}

std::string read_proc_status() {
  const int fd = ::open("/proc/self/status", O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error(std::string("cannot read /proc/self/status: ") + std::strerror(errno));
  std::string text = "\n";  // so that the first line matches "\nKEY:" too
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n > 0) {
      text.append(buffer, static_cast<std::size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  ::close(fd);
  return text;
}

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

// "# bytes in allocated blocks        =            3,492,432" -> 3492432.
std::uint64_t allocated_blocks_bytes(const std::string& stats) {
  const char* key = "# bytes in allocated blocks";
  const std::size_t at = stats.find(key);
  const std::size_t equals = at == std::string::npos ? at : stats.find('=', at);
  if (equals == std::string::npos) {
    throw std::runtime_error("CPython's allocator statistics have no line \"" + std::string(key) + "\"");
  }
  std::uint64_t value = 0;
  bool digits = false;
  for (std::size_t i = equals + 1; i < stats.size() && stats[i] != '\n'; ++i) {
    if (stats[i] >= '0' && stats[i] <= '9') {
      value = value * 10 + static_cast<std::uint64_t>(stats[i] - '0');
      digits = true;
    }
  }
  if (!digits) throw std::runtime_error("CPython's allocator statistics give no number for \"" + std::string(key) + "\"");
  return value;
}

}  // namespace

ProcessMemory process_memory() {
  const std::string status = read_proc_status();
  return {status_kib_field(status, "VmRSS"), status_kib_field(status, "VmHWM")};
}

bool reset_peak_rss() {
  const int fd = ::open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool written = ::write(fd, "5", 1) == 1;
  ::close(fd);
  return written;
}

std::uint64_t malloc_in_use_bytes() {
#if defined(__SANITIZE_ADDRESS__)
  // Under AddressSanitizer malloc is the sanitizer's own allocator, which glibc's figures do not see.
  return __sanitizer_get_current_allocated_bytes();
#else
  const struct mallinfo2 info = ::mallinfo2();
  return info.uordblks + info.hblkhd;
#endif
}

V8HeapMemory v8_heap_memory(v8::Isolate* isolate) {
  v8::HeapStatistics s;
  isolate->GetHeapStatistics(&s);
  V8HeapMemory out;
  out.used_heap_bytes = s.used_heap_size();
  out.total_heap_bytes = s.total_heap_size();
  out.physical_heap_bytes = s.total_physical_size();
  out.external_bytes = s.external_memory();
  out.malloced_bytes = s.malloced_memory();
  out.peak_malloced_bytes = s.peak_malloced_memory();
  out.heap_limit_bytes = s.heap_size_limit();
  return out;
}

V8HeapMemory v8_heap_memory(V8Engine& engine) { return v8_heap_memory(engine.isolate()); }

PythonMemory python_memory() {
  PythonMemory out;
  out.allocated_blocks = static_cast<std::uint64_t>(_Py_GetAllocatedBlocks());
  // pymalloc only reports its arenas as text; an in-memory stream keeps it off stderr.
  char* text = nullptr;
  std::size_t size = 0;
  std::unique_ptr<std::FILE, FileCloser> stream(::open_memstream(&text, &size));
  if (!stream) throw std::runtime_error(std::string("open_memstream: ") + std::strerror(errno));
  out.pymalloc_in_use = _PyObject_DebugMallocStats(stream.get()) != 0;
  stream.reset();  // flushes TEXT and SIZE
  const std::unique_ptr<char, decltype(&std::free)> owned(text, &std::free);
  if (out.pymalloc_in_use) out.pymalloc_bytes = allocated_blocks_bytes(std::string(text, size));
  out.malloc_bytes = malloc_in_use_bytes();
  return out;
}

}  // namespace polyhost
