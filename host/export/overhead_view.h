// The overhead matrix as table cells, shared by its terminal and Markdown writers: each cell's text,
// the relative-cost cells and their legend, and why cells were not measured.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "host/model/overhead.h"

namespace polyhost {

enum class CiStyle { Interval, ErrorBar };  // "12.0 ns [11.9–12.2]" or "12.0 ns ±0.2"

// Marks a figure whose loops did not settle in every process (it mixes states).
inline constexpr const char* kUnsteadyMark = "~";
// Marks a figure that says little (OverheadCell::noise: below zero, or an interval wider than it),
// and a ratio of or to one.
inline constexpr const char* kNoisyMark = "?";

// The cell's median with its CI in STYLE (after kNoisyMark when it is noisy and kUnsteadyMark when
// it is not a steady state), or the marker saying why there is none.
std::string overhead_cell_text(const OverheadCell* cell, CiStyle style);

// "×0.920 / ×12.2": the ratio to the same language's pure call and to the C++ floor, or markers.
std::string relative_cell_text(const OverheadMatrix& matrix, const OverheadCell* cell);

// The markers the two tables use (a cell without a figure in either, a ratio's absence or its
// kNoisyMark in the relative-cost table), with what they mean.
std::vector<std::pair<std::string, std::string>> relative_legend(const OverheadMatrix& matrix);

// What the relative-cost table's ratios are against, in two lines (the terminal prints them apart).
extern const char* const kPureBaselineNote[2];

std::vector<std::string> all_binding_names(const OverheadMatrix& matrix);
// The columns of one calling language (the C++ floor with each), in order: one grid per family
// keeps a wide matrix readable. A single group when the bindings record no family.
std::vector<std::vector<std::string>> bindings_by_family(const OverheadMatrix& matrix, const std::vector<std::string>& names);
// "node, node-api: Node.js v20.20.2 (V8 11.3...)": which engine the columns ran in, one line per engine.
std::vector<std::string> ran_in_lines(const OverheadMatrix& matrix);
// Bindings that call C++ from a language: not the pure baselines, not the floor.
std::vector<std::string> native_binding_names(const OverheadMatrix& matrix);

// A row per case (its name first), a cell per binding in BINDINGS from CELL_TEXT.
std::vector<std::vector<std::string>> matrix_rows(const OverheadMatrix& matrix, const std::vector<std::string>& bindings,
                                                  const std::function<std::string(const OverheadCell*)>& cell_text);

// "v8-fast-api (str_len, str_repeat): V8 10.2's fast API has no string parameter type", grouped by
// binding and reason; failures start with "ERROR: ".
std::vector<std::string> not_measured_lines(const OverheadMatrix& matrix);

// "v8-callback (noop, add_i32): 1 of 3 processes": the cells whose loops did not settle.
std::vector<std::string> unsteady_lines(const OverheadMatrix& matrix);

// "py (add_i32, noop): interval wider than the figure": the noisy cells, by binding and reasons.
std::vector<std::string> noisy_lines(const OverheadMatrix& matrix);
// What kNoisyMark means, for the heading over noisy_lines.
extern const char* const kNoisyMeaning;

}  // namespace polyhost
