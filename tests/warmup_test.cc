// The warm-up classifier on synthetic series of each kind.
#include <catch2/catch.hpp>

#include <random>

#include "host/stats/warmup.h"

using namespace polyhost::warmup;

namespace {

// LEVELS[i] for COUNTS[i] iterations each, with 1% gaussian noise.
std::vector<double> series(std::vector<double> levels, std::vector<int> counts, unsigned seed = 7) {
  std::mt19937 random(seed);
  std::normal_distribution<double> noise(0.0, 0.01);
  std::vector<double> out;
  for (size_t i = 0; i < levels.size(); ++i) {
    for (int k = 0; k < counts[i]; ++k) out.push_back(levels[i] * (1.0 + noise(random)));
  }
  return out;
}

}  // namespace

TEST_CASE("A series with one level throughout is flat from its first iteration", "[warmup]") {
  auto a = classify(series({1e6}, {100}));
  CHECK(a.kind == Kind::Flat);
  CHECK(a.steady_iteration == 1u);
  CHECK(*a.steady_ns == Approx(1e6).epsilon(0.01));
  CHECK(a.segments.size() == 1);
}

TEST_CASE("Slow first iterations, then a faster steady state, is warm-up", "[warmup]") {
  auto a = classify(series({5e6, 2e6, 1e6}, {3, 5, 92}));
  CHECK(a.kind == Kind::Warmup);
  REQUIRE(a.steady_iteration);
  CHECK(*a.steady_iteration == 9);  // 3 + 5 slow iterations come first
  CHECK(*a.steady_ns == Approx(1e6).epsilon(0.01));
  CHECK(a.outliers.empty());  // a leading slow stretch is warm-up, not outliers
}

TEST_CASE("Fast first iterations, then a slower steady state, is a slowdown", "[warmup]") {
  auto a = classify(series({1e6, 1.5e6}, {30, 70}));
  CHECK(a.kind == Kind::Slowdown);
  REQUIRE(a.steady_iteration);
  CHECK(*a.steady_iteration == 31);
  CHECK(*a.steady_ns == Approx(1.5e6).epsilon(0.01));
}

TEST_CASE("A change near the end leaves no steady state", "[warmup]") {
  auto a = classify(series({1e6, 3e6}, {90, 10}));
  CHECK(a.kind == Kind::NoSteadyState);
  CHECK_FALSE(a.steady_iteration);
}

TEST_CASE("A series that keeps changing has no steady state", "[warmup]") {
  auto a = classify(series({1e6, 2e6, 1e6, 2e6, 1e6, 2e6}, {20, 20, 20, 20, 20, 20}));
  CHECK(a.kind == Kind::NoSteadyState);
}

TEST_CASE("Isolated spikes are outliers, not changepoints", "[warmup]") {
  auto xs = series({1e6}, {100});
  xs[40] = 9e6;
  xs[70] = 8e6;
  auto a = classify(xs);
  CHECK(a.outliers == std::vector<std::size_t>{40, 70});
  CHECK(a.kind == Kind::Flat);
}

TEST_CASE("Fewer than ten iterations are too short to classify", "[warmup]") {
  auto a = classify(series({1e6}, {9}));
  CHECK(a.kind == Kind::TooShort);
  CHECK(std::string(kind_name(a.kind)) == "too short");
}

TEST_CASE("PELT finds the changes in mean and in variance", "[warmup]") {
  auto mean_shift = series({1.0, 2.0}, {50, 50});
  CHECK(changepoints(mean_shift, 15 * std::log(100.0)) == std::vector<std::size_t>{50, 100});
  // The same mean with ten times the spread after iteration 60.
  std::mt19937 random(3);
  std::normal_distribution<double> calm(1.0, 0.01), wild(1.0, 0.2);
  std::vector<double> xs;
  for (int i = 0; i < 60; ++i) xs.push_back(calm(random));
  for (int i = 0; i < 60; ++i) xs.push_back(wild(random));
  auto ends = changepoints(xs, 15 * std::log(120.0));
  REQUIRE(ends.size() == 2);
  CHECK(ends[0] >= 57);
  CHECK(ends[0] <= 63);
  CHECK(changepoints(series({1.0}, {80}), 15 * std::log(80.0)) == std::vector<std::size_t>{80});
}

TEST_CASE("Processes are summarized by their common kind or as inconsistent", "[warmup]") {
  Analysis warm;
  warm.kind = Kind::Warmup;
  warm.steady_iteration = 5;
  warm.steady_ns = 100;
  Analysis flat;
  flat.kind = Kind::Flat;
  flat.steady_iteration = 1;
  flat.steady_ns = 120;
  auto same = summarize({warm, warm, warm});
  CHECK(same.classification == "warmup");
  CHECK(same.detail == "3 warmup");
  CHECK(*same.steady_iteration == 5);
  auto mixed = summarize({warm, warm, flat});
  CHECK(mixed.classification == "inconsistent");
  CHECK(mixed.detail == "1 flat, 2 warmup");
  CHECK(*mixed.steady_ns == 100);
}
