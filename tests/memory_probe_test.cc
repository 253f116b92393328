// The memory probes: every field is there and plausible (positive, consistent with the others),
// and a large allocation makes the figure that should see it grow. How big the figures are is
// the machine's business, so it is not checked.
#include <catch2/catch.hpp>

#include <sys/mman.h>

#include <cstring>
#include <stdexcept>
#include <vector>

#include "host/runner/memory_limit.h"
#include "host/runner/memory_probe.h"
#include "tests/engines_fixture.h"

using namespace polyhost;
using polyhost::testing::TempDir;

namespace {

constexpr std::uint64_t kMiB = 1024 * 1024;
constexpr std::size_t kLarge = 64 * kMiB;

// KLARGE bytes, every page written, so they are resident.
std::vector<char> touched_block() {
  std::vector<char> block(kLarge);
  std::memset(block.data(), 1, block.size());
  return block;
}

// KLARGE bytes mapped straight from the system and written, so they are resident; unmapping gives
// them back at once, whatever the allocator does with freed blocks (AddressSanitizer keeps them).
class TouchedMapping {
 public:
  TouchedMapping() : data_(::mmap(nullptr, kLarge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)) {
    if (data_ == MAP_FAILED) throw std::runtime_error("mmap failed");
    std::memset(data_, 1, kLarge);
  }
  ~TouchedMapping() { ::munmap(data_, kLarge); }
  TouchedMapping(const TouchedMapping&) = delete;
  TouchedMapping& operator=(const TouchedMapping&) = delete;

 private:
  void* data_;
};

}  // namespace

TEST_CASE("process_memory: resident and peak are positive, and a large block makes both grow", "[memory]") {
  const ProcessMemory before = process_memory();
  CHECK(before.rss_bytes > 0);
  CHECK(before.peak_rss_bytes >= before.rss_bytes);
  const std::vector<char> block = touched_block();
  const ProcessMemory after = process_memory();
  CHECK(block[kLarge - 1] == 1);
  CHECK(after.rss_bytes >= before.rss_bytes + kLarge / 2);
  CHECK(after.peak_rss_bytes >= after.rss_bytes);
}

TEST_CASE("reset_peak_rss: a block freed before the reset no longer counts in the peak", "[memory]") {
  { const TouchedMapping block; }
  const ProcessMemory high = process_memory();
  REQUIRE(high.peak_rss_bytes >= high.rss_bytes + kLarge / 2);
  REQUIRE(reset_peak_rss());
  const ProcessMemory reset = process_memory();
  CHECK(reset.peak_rss_bytes < high.peak_rss_bytes - kLarge / 2);
  CHECK(reset.peak_rss_bytes >= reset.rss_bytes);
  const TouchedMapping again;
  CHECK(process_memory().peak_rss_bytes >= reset.peak_rss_bytes + kLarge / 2);
}

TEST_CASE("malloc_in_use_bytes counts a malloc'd block until it is freed", "[memory]") {
  const std::uint64_t before = malloc_in_use_bytes();
  CHECK(before > 0);
  {
    const std::vector<char> block(kLarge);
    CHECK(malloc_in_use_bytes() >= before + kLarge);
  }
  CHECK(malloc_in_use_bytes() < before + kLarge);
}

TEST_CASE("v8_heap_memory: heap figures are positive, objects grow the used heap and a typed array the external memory",
          "[memory][js]") {
  TempDir dir;
  const auto file = dir.write("grow.js", R"(
    exports.objects = () => { globalThis.keptObjects = Array.from({length: 1000000}, (_, i) => ({i})); return null; };
    exports.buffer = () => { globalThis.keptBuffer = new Float64Array(8 * 1024 * 1024); return null; };
  )");
  V8Engine engine(polyhost::testing::v8_platform());
  engine.load_module(file);
  const V8HeapMemory before = v8_heap_memory(engine);
  CHECK(before.used_heap_bytes > 0);
  CHECK(before.total_heap_bytes >= before.used_heap_bytes);
  CHECK(before.physical_heap_bytes > 0);
  CHECK(before.malloced_bytes > 0);
  CHECK(before.peak_malloced_bytes >= before.malloced_bytes);
  CHECK(before.heap_limit_bytes > before.total_heap_bytes);
  CHECK(before.script_bytes() == before.used_heap_bytes + before.external_bytes);

  engine.call("objects", {});
  const V8HeapMemory objects = v8_heap_memory(engine);
  CHECK(objects.used_heap_bytes >= before.used_heap_bytes + 16 * kMiB);  // a million objects of 3+ words
  CHECK(objects.total_heap_bytes >= objects.used_heap_bytes);

  engine.call("buffer", {});
  const V8HeapMemory buffer = v8_heap_memory(engine);
  CHECK(buffer.external_bytes >= objects.external_bytes + kLarge);
  CHECK(buffer.script_bytes() >= objects.script_bytes() + kLarge / 2);
}

TEST_CASE("python_memory: allocated figures are positive, small objects grow pymalloc's bytes and a large buffer malloc's",
          "[memory][py]") {
  TempDir dir;
  const auto file = dir.write("grow.py", R"(
def objects():
    global kept_objects
    kept_objects = [(i,) for i in range(1_000_000)]

def buffer():
    global kept_buffer
    kept_buffer = bytearray(64 * 1024 * 1024)

def release():
    global kept_objects, kept_buffer
    del kept_objects, kept_buffer
)");
  PythonEngine engine(polyhost::testing::python_interpreter());
  engine.load_module(file);
  const PythonMemory before = python_memory();
  REQUIRE(before.pymalloc_in_use);
  CHECK(before.pymalloc_bytes > 0);
  CHECK(before.malloc_bytes > 0);
  CHECK(before.allocated_blocks > 0);
  CHECK(before.allocated_bytes() == before.pymalloc_bytes + before.malloc_bytes);

  engine.call("objects", {});
  const PythonMemory objects = python_memory();
  // A million 1-tuples and a million ints: at least 40 bytes each in pymalloc's blocks.
  CHECK(objects.pymalloc_bytes >= before.pymalloc_bytes + 40 * kMiB);
  CHECK(objects.allocated_blocks >= before.allocated_blocks + 1000000);

  engine.call("buffer", {});
  const PythonMemory buffer = python_memory();
  CHECK(buffer.malloc_bytes >= objects.malloc_bytes + kLarge);
  CHECK(buffer.allocated_bytes() >= before.allocated_bytes() + kLarge + 40 * kMiB);

  engine.call("release", {});
  const PythonMemory released = python_memory();
  CHECK(released.allocated_bytes() < buffer.allocated_bytes() - kLarge);
  CHECK(released.allocated_blocks < objects.allocated_blocks - 500000);
}

TEST_CASE("a failure to start a thread names the --max-heap cap, only while one is in force", "[memory]") {
  const std::string thread = "w.py:3:1: RuntimeError: can't start new thread";
  const std::string std_thread = "polyhost scale worker failed: Resource temporarily unavailable";
  CHECK(with_address_space_cap_note(thread, ErrorFrom::Script) == thread);
  {
    // A cap far above anything this test maps (1 TiB more), taken away again at once.
    struct Lifted {
      ~Lifted() { lift_address_space_limit(); }
    } lifted;
    limit_address_space(1024 * 1024);
    CHECK_THAT(with_address_space_cap_note(thread, ErrorFrom::Script),
               Catch::StartsWith(thread + " (likely the --max-heap 1048576 MB cap: for Python it caps the worker's "
                                          "address space, which every thread's stack"));
    CHECK_THAT(with_address_space_cap_note(std_thread, ErrorFrom::Polyhost), Catch::Contains("likely the --max-heap 1048576 MB cap"));
    CHECK_THAT(with_address_space_cap_note("polyhost's Python prelude failed to load: MemoryError", ErrorFrom::Polyhost),
               Catch::Contains("likely the --max-heap 1048576 MB cap"));
    // A script's own errors that only share the words: not the cap.
    for (const std::string own : {"w.py:3:1: ValueError: bad", "w.py:5:5: CacheMemoryError: the cache is full",
                                  "w.py:2:1: BlockingIOError: [Errno 11] Resource temporarily unavailable",
                                  "w.py:4:1: ValueError: a MemoryError was expected",
                                  "w.py:4:1: ValueError: can't start new thread, said the test"}) {
      CHECK(with_address_space_cap_note(own, ErrorFrom::Script) == own);
    }
  }
  CHECK(with_address_space_cap_note(thread, ErrorFrom::Script) == thread);
}
