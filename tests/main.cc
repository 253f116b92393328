// The test runner's main: V8 and CPython are process-wide, so they are started once here, before
// any test, and shut down after the last one (as the polyhost binary does).
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "tests/engines_fixture.h"

int main(int argc, char* argv[]) {
  polyhost::testing::ProcessRuntimes runtimes;
  return Catch::Session().run(argc, argv);
}
