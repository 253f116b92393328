// What a report calls its input files: base names, and path endings only where base names collide.
#include <catch2/catch.hpp>

#include "host/report/file_labels.h"

using polyhost::file_labels;
using Labels = std::map<std::string, std::string>;

TEST_CASE("Files with different names are called by their names", "[report]") {
  CHECK(file_labels({"runs/a.json", "/tmp/overhead.json"}) == Labels{{"runs/a.json", "a.json"}, {"/tmp/overhead.json", "overhead.json"}});
}

TEST_CASE("Files with one name in different folders get the shortest path ending that tells them apart", "[report]") {
  CHECK(file_labels({"base/results.json", "new/results.json"}) ==
        Labels{{"base/results.json", "base/results.json"}, {"new/results.json", "new/results.json"}});
  CHECK(file_labels({"/ci/x/nightly/r.json", "/ci/y/nightly/r.json", "/ci/x/o.json"}) ==
        Labels{{"/ci/x/nightly/r.json", "x/nightly/r.json"}, {"/ci/y/nightly/r.json", "y/nightly/r.json"}, {"/ci/x/o.json", "o.json"}});
  CHECK(file_labels({"r.json", "sub/r.json"}) == Labels{{"r.json", "r.json"}, {"sub/r.json", "sub/r.json"}});
}

TEST_CASE("One file given twice, however spelled, keeps its name", "[report]") {
  CHECK(file_labels({"a/r.json", "./a/r.json"}) == Labels{{"a/r.json", "r.json"}, {"./a/r.json", "r.json"}});
}
