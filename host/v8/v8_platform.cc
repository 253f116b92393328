#include "host/v8/v8_platform.h"

#include <libplatform/libplatform.h>
#include <v8-initialization.h>
#include <v8-version.h>

#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <mutex>
#include <sstream>
#include <stdexcept>

#include "host/helper_thread_signals.h"

namespace polyhost {
namespace {

// Headers and library must be the same V8: a mismatch (say, V8 11 headers from another Node)
// compiles and links but corrupts objects at run time.
void check_library_matches_headers() {
  const std::string expected = std::to_string(V8_MAJOR_VERSION) + "." + std::to_string(V8_MINOR_VERSION) + ".";
  const std::string actual = v8::V8::GetVersion();
  if (actual.rfind(expected, 0) != 0) {
    throw std::runtime_error("V8 library is " + actual + " but polyhost was compiled against V8 " + expected +
                             "x headers; rebuild against the headers of the libnode that is loaded");
  }
}

// Sets FLAGS the way d8 does, through the command-line parser with remove_flags: what V8 leaves
// behind is a flag it does not know, which would otherwise only print a warning and be ignored.
void set_flags(const std::vector<std::string>& flags) {
  std::vector<std::string> words{"polyhost"};
  for (const auto& flag : flags) {
    std::istringstream in(flag);
    for (std::string word; in >> word;) {
      // V8 takes -flag and --flag, with - or _ between words.
      std::string name = word.substr(0, word.find('='));
      name.erase(0, name.find_first_not_of('-'));
      std::replace(name.begin(), name.end(), '_', '-');
      if (name == "max-old-space-size" || name == "max-heap-size") {
        // polyhost sets the heap's limit itself (--max-heap) and names it when the heap is full.
        throw BadV8Flag(word + ": the JavaScript heap's limit is polyhost's --max-heap (MB), not a V8 flag");
      }
      words.push_back(word);
    }
  }
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  int argc = static_cast<int>(words.size());
  v8::V8::SetFlagsFromCommandLine(&argc, argv.data(), /*remove_flags=*/true);
  if (argc > 1) throw BadV8Flag(std::string("V8 does not know the flag ") + argv[1] + " (or refuses its value)");
}

std::atomic<bool> v8_initialized{false};

void note_fork_in_child() {
  if (v8_initialized.load(std::memory_order_relaxed)) detail::v8_lost_by_fork.store(true, std::memory_order_relaxed);
}

}  // namespace

namespace detail {
std::atomic<bool> v8_lost_by_fork{false};
}  // namespace detail

V8Platform::V8Platform(const std::vector<std::string>& flags, int worker_threads) : flags_(flags) {
  check_library_matches_headers();
  set_flags(flags_);
  {
    HelperThreadSignals helpers;  // V8's worker threads start here
    platform_ = v8::platform::NewDefaultPlatform(worker_threads);
  }
  v8::V8::InitializePlatform(platform_.get());
  if (!v8::V8::Initialize()) throw std::runtime_error("V8 failed to initialize");
  static std::once_flag at_fork;
  std::call_once(at_fork, [] { ::pthread_atfork(nullptr, nullptr, note_fork_in_child); });
  v8_initialized.store(true, std::memory_order_relaxed);
}

V8Platform::~V8Platform() {
  if (v8_lost_by_fork()) {
    (void)platform_.release();  // the parent's: its threads are not in this process
    return;
  }
  v8_initialized.store(false, std::memory_order_relaxed);
  v8::V8::Dispose();
  v8::V8::DisposePlatform();
}

std::string V8Platform::version() { return v8::V8::GetVersion(); }

}  // namespace polyhost
