// Unit tests for how `polyhost overhead` turns each process's loops into a cell's figure
// (host/overhead/overhead_runner.cc) and how the overhead file keeps the processes apart
// (host/model/overhead.cc).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "host/model/overhead.h"
#include "host/overhead/overhead_runner.h"

using namespace polyhost;

namespace {

// A steady level with a little deterministic jitter: LOOPS loops around LEVEL ns.
std::vector<double> level(double ns, int loops) {
  std::vector<double> v;
  for (int i = 0; i < loops; ++i) v.push_back(ns * (1.0 + 0.002 * ((i * 7) % 5 - 2)));
  return v;
}

OverheadMatrix matrix_of(const OverheadCell& cell) {
  OverheadMatrix m;
  m.bindings.push_back({"py", "capi", "Python", "raw C-API", "", std::nullopt, false});
  m.cells.push_back(cell);
  return m;
}

}  // namespace

TEST_CASE("A process whose loops are too few to tell once an outlier is set aside is counted unsteady", "[overhead]") {
  // 10 loops, one far off (a preemption): the classifier is left with 9 (too short), so the
  // process cannot be called steady; all its loops are kept and the cell says so.
  std::vector<double> loops = level(100, 10);
  loops[5] = 400;
  OverheadCell cell;
  add_process_loops(cell, loops);
  CHECK(cell.unsteady_processes == 1);
  CHECK(cell.samples_ns.size() == 10);
  CHECK(cell.process_sample_counts == std::vector<std::size_t>{10});
}

TEST_CASE("A process that is steady throughout adds its loops as one group", "[overhead]") {
  OverheadCell cell;
  add_process_loops(cell, level(100, 12));
  add_process_loops(cell, level(100, 12));
  CHECK(cell.unsteady_processes == 0);
  CHECK(cell.process_sample_counts == std::vector<std::size_t>{12, 12});
  CHECK(cell.samples_by_process().size() == 2);
}

TEST_CASE("A cell's CI carries the difference between its processes, not only the loops' spread", "[overhead]") {
  // Two processes settled at 100 ns and 140 ns: pooling their loops as independent gave a CI inside
  // one process's level; the median's CI across processes must reach both.
  OverheadCell cell;
  add_process_loops(cell, level(100, 12));
  add_process_loops(cell, level(140, 12));
  add_process_loops(cell, level(100, 12));
  OverheadMatrix m = matrix_of(cell);
  compute_overhead_statistics(m);
  const auto& ci = m.cells[0].summary->ci95_median;
  CHECK(ci.low <= 101);
  CHECK(ci.high >= 139);
}

TEST_CASE("The overhead file keeps each process's share of the samples, and checks it", "[overhead]") {
  OverheadCell cell;
  cell.language = "py";
  cell.binding = "capi";
  cell.case_name = "noop";
  add_process_loops(cell, level(10, 11));
  add_process_loops(cell, level(12, 12));
  OverheadMatrix m = matrix_of(cell);
  m.settings.processes = 2;
  compute_overhead_statistics(m);
  std::ostringstream out;
  write_overhead_json(m, out);
  Json doc = Json::parse(out.str());
  const OverheadMatrix back = read_overhead_json(doc, "o.json");
  CHECK(back.cells[0].process_sample_counts == std::vector<std::size_t>{11, 12});

  doc["entries"][0]["process_sample_counts"] = {11, 11};
  CHECK_THROWS_WITH(read_overhead_json(doc, "o.json"),
                    "o.json: entries[0].process_sample_counts: adds up to 22 samples, but samples_ns has 23");
}

TEST_CASE("A cell's interval is called a 95% CI only from 6 processes on", "[overhead]") {
  OverheadCell cell;
  for (int p = 0; p < 6; ++p) add_process_loops(cell, level(100, 12));
  OverheadMatrix m = matrix_of(cell);
  m.settings.processes = 6;
  compute_overhead_statistics(m);
  CHECK(overhead_interval_name(m) == "95% CI");
  // A run interrupted after 3 of its 6 processes: those cells' intervals are not 95% CIs.
  OverheadCell short_cell;
  for (int p = 0; p < 3; ++p) add_process_loops(short_cell, level(100, 12));
  m.cells.push_back(short_cell);
  compute_overhead_statistics(m);
  CHECK(overhead_interval_name(m) == "interval (not a 95% CI: fewer than 6 processes)");
  m.settings.processes = 2;  // --quick
  m.cells.resize(1);
  CHECK(overhead_interval_name(m) == "interval (not a 95% CI: fewer than 6 processes)");
}
