#include "host/cli/merge_command.h"

#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>
#include <set>

#include "host/cli/problem_line.h"
#include "host/cli/validators.h"
#include "host/export/output_files.h"
#include "host/merge/merge.h"
#include "host/runner/environment.h"
#include "host/text/layout.h"

namespace polyhost {

int merge_command(const MergeCommandOptions& options) {
  ::signal(SIGPIPE, SIG_IGN);  // a closed stdout is an error to report, not the end of the process
  Results merged;
  const std::vector<OutputFile> outputs = {{"-o", options.output, [&](std::ostream& out) { write_results_json(merged, out); }}};
  for (const std::string& problem : {repeated_input(options.inputs), unwritable_output(outputs, options.inputs)}) {
    if (problem.empty()) continue;
    print_problem("polyhost merge", problem);
    return 2;
  }
  std::vector<MergeInput> inputs;
  bool unreadable = false;
  for (const auto& path : options.inputs) {
    try {
      inputs.push_back({path, read_results_file(path)});
    } catch (const FileFormatError& e) {
      print_problem("polyhost merge", e.what());
      unreadable = true;
    }
  }
  if (unreadable) return 2;
  try {
    merged = merge_results(inputs, {options.allow_mixed_machines, command_line_text(options.command_line)});
  } catch (const MergeError& e) {
    // Once each: a problem two runs share (both runs of a duplicated row) is one problem.
    std::set<std::string> said;
    for (const auto& problem : e.problems()) {
      if (said.insert(problem).second) print_problem("polyhost merge", problem);
    }
    std::fprintf(stderr, "polyhost merge: nothing written\n");
    return 2;
  }
  // The file first: a closed stdout (`| head`) costs only the summary.
  if (!write_outputs(outputs, "polyhost merge")) return 2;
  for (const std::string& line : merge_summary(inputs, merged)) std::cout << text::escape_controls(line) << "\n";
  if (!printed_to_stdout("polyhost merge", "the summary")) return 1;
  return has_failed_runs(merged) ? 1 : 0;  // as `run` would exit had it run the whole plan at once
}

Command add_merge_command(CLI::App& app) {
  auto options = std::make_shared<MergeCommandOptions>();
  auto* cmd = app.add_subcommand("merge", "Put results files of one plan (the shards of run --shard K/N) together as one");
  cmd->add_option("files", options->inputs, "Results files (polyhost run --json)")->required();
  cmd->add_option("-o,--output", options->output, "The merged results file to write")->required()->check(validators::not_empty());
  cmd->add_flag("--allow-mixed-machines", options->allow_mixed_machines,
                "Merge results from different machines or builds: each run keeps its machine, and no ratio between "
                "runs of different machines is computed");
  cmd->footer(
      "Refused (exit status 2, naming the files and rows): a damaged file, a (workload, configuration) row in two\n"
      "files, different settings (sizes, processes, warm-up, iterations, configurations) or sizes of a workload, different\n"
      "machines or builds (CPU model, core count, OS and kernel, engine versions and executables, polyhost version\n"
      "and commit) unless --allow-mixed-machines, and a missing shard. Statistics, ratios, tier ratios and geometric\n"
      "means are recomputed from the merged runs; report and compare read the result like any results file.\n"
      "Exit status: 0 merged; 1 merged and written, but some merged run is not ok (skipped aside), as run would\n"
      "exit: the summary counts them by verdict and file; 2 refused, nothing written.");
  return {cmd, [options](const Invocation& invocation) {
            options->command_line = invocation.command_line;
            return merge_command(*options);
          }};
}

}  // namespace polyhost
