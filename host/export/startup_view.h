// The start-up figures as table rows, shared by the terminal and Markdown writers (and the numbers
// of the HTML report): one table per kind of measurement, each cell a median with its 95% CI (or,
// from fewer processes than a CI needs, their range, labelled so).
#pragma once

#include <string>
#include <vector>

#include "host/model/startup.h"
#include "host/text/grid.h"

namespace polyhost {

// The header of a table's last column when it says which rows are not ok (kept only when one is not).
inline constexpr const char* kStartupStatusHeader = "status";

struct StartupTable {
  std::string title;
  std::vector<std::string> header;
  std::vector<text::Align> align;
  std::vector<std::vector<std::string>> rows;  // plain text
  std::vector<bool> failed;                     // per row: not ok
};

StartupTable startup_phases_table(const StartupReport& report);     // in one process, step by step
StartupTable startup_instances_table(const StartupReport& report);  // the 2nd..Nth instance
StartupTable startup_processes_table(const StartupReport& report);  // whole programs
StartupTable startup_differences_table(const StartupReport& report);  // costs shown apart
// EVERY_CI: each step with its CI (for Markdown); otherwise only the total and memory have one.
StartupTable startup_first_results_table(const StartupReport& report, bool every_ci);

// "1.23 ms [1.20–1.30]", "34.0 MiB [33.8–34.3]", or an em dash when there are no samples; from
// fewer samples than a 95% CI needs, "1.23 ms [range 1.20–1.30]".
std::string startup_time_text(const StartupFigure& figure);
std::string startup_bytes_text(const StartupFigure& figure);
// "+61.2 ms [58.1–63.0]": a difference of medians, signed ("[interval ..." when it is no 95% CI).
std::string startup_difference_text(const StartupDifference& difference);

// A phase's short name for tables: "platform initialization", "first import (json)".
std::string startup_phase_label(const StartupPhase& phase);

// What the figures' brackets are: "95% CI", or also the range of fewer processes than a CI needs.
std::string startup_interval_legend(const StartupReport& report);

// The line under the tables saying how the figures were measured.
std::string startup_settings_line(const StartupReport& report);

}  // namespace polyhost
