// Starting a worker process that cannot be started: an outcome naming the system's reason, never an
// exception, so a command's other workers still run and its results are still written.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "host/runner/worker_client.h"

using namespace polyhost;

namespace {

namespace fs = std::filesystem;

WorkerOutcome start(const std::string& program) {
  return run_worker_process({program, "--version"}, 10, "its time limit of 10 s");
}

// While alive, this process may open no more file descriptors (a soft RLIMIT_NOFILE at the
// lowest free number), as under a small `ulimit -n`; root is held to it too.
class NoFreeDescriptors {
 public:
  NoFreeDescriptors() {
    ::getrlimit(RLIMIT_NOFILE, &saved_);
    const int lowest_free = ::fcntl(0, F_DUPFD, 0);
    ::close(lowest_free);
    rlimit lowered = saved_;
    lowered.rlim_cur = static_cast<rlim_t>(lowest_free);
    ::setrlimit(RLIMIT_NOFILE, &lowered);
  }
  ~NoFreeDescriptors() { ::setrlimit(RLIMIT_NOFILE, &saved_); }
  NoFreeDescriptors(const NoFreeDescriptors&) = delete;
  NoFreeDescriptors& operator=(const NoFreeDescriptors&) = delete;

 private:
  rlimit saved_{};
};

}  // namespace

TEST_CASE("A worker program that does not exist is its outcome: an error naming the reason", "[worker]") {
  const WorkerOutcome outcome = start("/nonexistent/polyhost-worker");
  CHECK(outcome.status == RunStatus::Error);
  CHECK(outcome.message == "could not start the worker process: No such file or directory");
  CHECK(outcome.text.empty());
}

TEST_CASE("A worker program without execute permission is refused by the system, as for root too", "[worker]") {
  const fs::path file = fs::temp_directory_path() / ("polyhost-not-executable-" + std::to_string(::getpid()));
  std::ofstream(file) << "#!/bin/sh\necho never\n";
  fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write);
  const WorkerOutcome outcome = start(file.string());
  fs::remove(file);
  CHECK(outcome.status == RunStatus::Error);
  CHECK(outcome.message == "could not start the worker process: Permission denied");
}

TEST_CASE("No file descriptor left for the worker's pipes is its outcome too", "[worker]") {
  WorkerOutcome outcome;
  {
    NoFreeDescriptors limit;
    outcome = start("/bin/true");
  }
  CHECK(outcome.status == RunStatus::Error);
  CHECK_FALSE(outcome.started);
  CHECK(outcome.message == "could not start the worker process: Too many open files");
  // And the next worker, with descriptors again, starts (a missing report is its own verdict: an
  // exit of the workload's own).
  const WorkerOutcome next = start("/bin/true");
  CHECK(next.started);
  CHECK(next.status == RunStatus::Error);
  CHECK_THAT(next.message, Catch::StartsWith("the worker exited with status 0 without a report"));
}
