// How much memory a process and its engines hold, read between measurements (never while timing).
// Three views: the kernel's (resident memory of the whole process), V8's (its heap statistics) and
// CPython's (pymalloc's allocated blocks plus the C allocator's bytes in use). None installs a hook
// or changes how the engines allocate, so taking no reading costs nothing, and a reading (taken
// between timed calls, never inside one) costs 0.2 µs (V8), 5 µs (RSS) and for Python from 15 µs
// (an idle interpreter) to about 1.4 ms (8 million live objects): it walks pymalloc's arenas.
#pragma once

#include <cstdint>

namespace v8 {
class Isolate;
}

namespace polyhost {

class V8Engine;

struct ProcessMemory {
  std::uint64_t rss_bytes = 0;       // resident now (VmRSS)
  std::uint64_t peak_rss_bytes = 0;  // the most resident since exec or the last reset_peak_rss() (VmHWM)
};

// From /proc/self/status. Peak is VmHWM, not getrusage's ru_maxrss: a process started with
// posix_spawn/vfork (every polyhost worker) inherits in ru_maxrss the peak of the process that
// started it (the kernel records the old address space's peak at exec), so a 9 MB python3
// started by a 300 MB parent reports 300 MB there; VmHWM belongs to the new address space only.
// Throws std::runtime_error when /proc/self/status cannot be read.
ProcessMemory process_memory();

// Makes the peak start again from the current resident size (writes 5 to /proc/self/clear_refs),
// so that a later peak_rss_bytes covers only what ran in between. False when the kernel refuses.
bool reset_peak_rss();

// The C allocator's (glibc malloc) bytes in use in the whole process: mallinfo2's uordblks +
// hblkhd (in a build with AddressSanitizer, its allocator's count). Freed memory does not count,
// whether or not it went back to the system.
std::uint64_t malloc_in_use_bytes();

// V8's own view of one isolate (v8::HeapStatistics). used_heap_bytes counts objects not yet
// collected as well as live ones, and the backing stores of ArrayBuffers and typed arrays live
// outside the JavaScript heap: they are external_bytes.
struct V8HeapMemory {
  std::uint64_t used_heap_bytes = 0;
  std::uint64_t total_heap_bytes = 0;     // reserved by the heap's spaces
  std::uint64_t physical_heap_bytes = 0;  // of which committed to physical memory
  std::uint64_t external_bytes = 0;       // ArrayBuffer backing stores and other external memory
  std::uint64_t malloced_bytes = 0;       // V8's own malloc use (compiler, tables)
  std::uint64_t peak_malloced_bytes = 0;
  std::uint64_t heap_limit_bytes = 0;
  // What the script holds: used heap + external memory.
  std::uint64_t script_bytes() const { return used_heap_bytes + external_bytes; }
};

// Call on the thread that uses the isolate (no scope needs to be entered).
V8HeapMemory v8_heap_memory(v8::Isolate* isolate);
V8HeapMemory v8_heap_memory(V8Engine& engine);

// CPython's allocated memory without tracemalloc (which hooks every allocation and slows Python
// down several times): pymalloc's bytes in allocated blocks (objects of up to 512 bytes, read from
// its arena statistics, _PyObject_DebugMallocStats) plus the C allocator's bytes in use (larger
// objects and buffers, which CPython takes from malloc). The malloc part is process-wide: in a
// worker running only Python it is Python's, plus a little of polyhost's own.
struct PythonMemory {
  std::uint64_t pymalloc_bytes = 0;    // 0 when pymalloc is not in use (PYTHONMALLOC=malloc)
  std::uint64_t malloc_bytes = 0;
  std::uint64_t allocated_blocks = 0;  // sys.getallocatedblocks(): live pymalloc and raw blocks
  bool pymalloc_in_use = false;
  std::uint64_t allocated_bytes() const { return pymalloc_bytes + malloc_bytes; }
};

// Call with the GIL held (the thread that runs the PythonEngine holds it). Measured against
// tracemalloc on a million small tuples, a 64 MiB bytearray and 100k 1 KiB bytes objects it agrees
// within 0-9% (malloc's own rounding), where RSS deltas saw 0-88% of it (freed pages are reused,
// untouched calloc pages are not resident); tracemalloc itself slowed suite workloads 3-14 times.
// Throws std::runtime_error when the statistics cannot be read.
PythonMemory python_memory();

}  // namespace polyhost
