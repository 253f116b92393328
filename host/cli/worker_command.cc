#include "host/cli/worker_command.h"

#include <memory>

#include "host/overhead/overhead_worker.h"
#include "host/runner/subprocess.h"
#include "host/runner/worker.h"

namespace polyhost {

Command add_worker_command(CLI::App& app) {
  auto request = std::make_shared<WorkerRequest>();
  auto fd = std::make_shared<int>(kMessageFd);
  auto* cmd = app.add_subcommand("worker", "");
  cmd->group("");
  cmd->add_option("--file", request->file);
  cmd->add_option("--config", request->config)->required();
  cmd->add_option("--size", request->size_name);
  auto warmup = std::make_shared<std::string>("1");
  cmd->add_option("--warmup", *warmup);  // a count, or "auto"
  cmd->add_option("--iterations", request->iterations);
  cmd->add_option("--min-measure-time", request->min_measure_seconds);
  cmd->add_option("--max-measured", request->max_measured);
  cmd->add_option("--result-fd", *fd);
  cmd->add_flag("--calibrate", request->calibrate);
  cmd->add_flag("--inspect", request->inspect);  // only load and check the file (for `list`)
  cmd->add_option("--timeout", request->timeout_seconds);
  cmd->add_option("--max-heap", request->max_heap_mb);
  return {cmd, [request, fd, warmup](const Invocation&) {
            request->auto_warmup = *warmup == "auto";
            if (!request->auto_warmup) request->warmup = std::stoi(*warmup);
            request->message_fd = keep_from_the_script(*fd);
            request->control_fd = keep_from_the_script(kControlFd);
            return worker_main(*request, request->message_fd);
          }};
}

Command add_overhead_worker_command(CLI::App& app) {
  struct Options {
    std::string binding;
    double target_ns = 2e6;
    int repeats = 5;
    int fd = kMessageFd;
  };
  auto options = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("overhead-worker", "");
  cmd->group("");
  cmd->add_option("--binding", options->binding)->required();
  cmd->add_option("--target-ns", options->target_ns);
  cmd->add_option("--repeats", options->repeats);
  cmd->add_option("--result-fd", options->fd);
  return {cmd, [options](const Invocation&) {
            return overhead_worker_main(options->binding, options->target_ns, options->repeats, options->fd);
          }};
}

}  // namespace polyhost
