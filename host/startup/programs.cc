#include "host/startup/programs.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "host/python/python_interpreter.h"
#include "host/runner/subprocess.h"
#include "host/runner/worker_client.h"

namespace polyhost {
namespace {

namespace fs = std::filesystem;

// NAME as the shell would find it on PATH (the first executable file of that name), or "".
std::string find_on_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    if (dir.empty()) continue;
    const fs::path candidate = fs::path(dir) / name;
    std::error_code ec;
    if (fs::is_regular_file(candidate, ec) && ::access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return "";
}

// What PATH is: "/root/.pyenv/shims/python3, a script (#!/usr/bin/env bash): pyenv's shim, which
// finds the interpreter and starts it", "/usr/bin/pypy3 -> pypy3.9, an executable".
std::string describe_file(const std::string& path) {
  std::string text = path;
  std::error_code ec;
  if (fs::is_symlink(path, ec)) text += " -> " + fs::read_symlink(path, ec).string();
  std::ifstream in(path, std::ios::binary);
  std::string first_line;
  std::getline(in, first_line);
  if (first_line.rfind("#!", 0) == 0) {
    text += ", a script (" + first_line + ")";
    if (path.find("/.pyenv/shims/") != std::string::npos) text += ": pyenv's shim, which finds the interpreter and starts it";
  } else if (first_line.rfind("\x7f" "ELF", 0) == 0) {
    text += ", an executable";
  }
  return text;
}

ProgramToTime on_path(const std::string& name, const std::string& program, std::vector<std::string> args) {
  const std::string path = find_on_path(program);
  if (path.empty()) return {name, program + " on PATH", {}, program + " is not on PATH"};
  args.insert(args.begin(), path);
  return {name, program + " on PATH: " + describe_file(path), args, ""};
}

void write_file(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + file.string());
}

}  // namespace

std::vector<ProgramToTime> programs_to_time(const fs::path& scratch) {
  const std::string python = PythonInterpreter::executable();
  const std::string self = self_executable();
  const fs::path empty_js = scratch / "empty.js", empty_py = scratch / "empty.py";
  write_file(empty_js, "");
  write_file(empty_py, "");
  const std::string interpreter = "the interpreter itself (sys.executable): " + describe_file(python);
  std::vector<ProgramToTime> out;
  out.push_back(on_path("node -e 0", "node", {"-e", "0"}));
  out.push_back(on_path("python3 -c pass", "python3", {"-c", "pass"}));
  out.push_back({"python3 -c pass (direct)", interpreter, {python, "-c", "pass"}, ""});
  out.push_back({"python3 -S -c pass (direct)", interpreter + "; -S: no site module, no .pth files", {python, "-S", "-c", "pass"}, ""});
  out.push_back(on_path("pypy3 -c pass", "pypy3", {"-c", "pass"}));
  out.push_back({"polyhost --version", self + ": loads libnode and libpython, starts no engine", {self, "--version"}, ""});
  out.push_back({"polyhost exec empty.js", self + ": V8 and polyhost's JavaScript runtime, an empty file",
                 {self, "exec", empty_js.string()}, ""});
  out.push_back({"polyhost exec empty.py", self + ": CPython (PyConfig path, site) and polyhost's Python runtime, an empty file",
                 {self, "exec", empty_py.string()}, ""});
  return out;
}

std::vector<StartupDifference> differences_to_show(const std::vector<ProgramToTime>& programs) {
  std::string launcher = "python3 on PATH";
  for (const auto& p : programs) {
    if (p.name == "python3 -c pass" && p.description.find("pyenv's shim") != std::string::npos) launcher = "pyenv shim";
  }
  return {
      {launcher, "python3 -c pass through PATH minus the interpreter started directly: the launcher's own cost",
       "python3 -c pass", "python3 -c pass (direct)", std::nullopt},
      {"site", "the interpreter with and without -S: importing site and running the .pth files in site-packages",
       "python3 -c pass (direct)", "python3 -S -c pass (direct)", std::nullopt},
      {"V8 in polyhost exec", "polyhost exec empty.js minus polyhost --version: V8 and polyhost's JavaScript runtime",
       "polyhost exec empty.js", "polyhost --version", std::nullopt},
      {"CPython in polyhost exec", "polyhost exec empty.py minus polyhost --version: CPython and polyhost's Python runtime",
       "polyhost exec empty.py", "polyhost --version", std::nullopt},
  };
}

std::string spawn_helper() {
  const fs::path helper = fs::path(self_executable()).parent_path() / "polyhost-spawn";
  if (::access(helper.c_str(), X_OK) != 0) {
    throw std::runtime_error(helper.string() + " is missing: it is built with polyhost (scripts/build)");
  }
  return helper.string();
}

SpawnMeasurement time_program_once(const std::string& helper, const std::vector<std::string>& argv, double timeout_seconds) {
  std::vector<std::string> command{helper};
  command.insert(command.end(), argv.begin(), argv.end());
  const WorkerOutcome outcome = run_worker_process(
      command, timeout_seconds, "its time limit of " + std::to_string(static_cast<int>(timeout_seconds)) + " s");
  const std::string tail = outcome.stderr_lines(6);
  if (outcome.status != RunStatus::Ok) throw std::runtime_error(outcome.message + (tail.empty() ? "" : ": " + tail));
  const SpawnMeasurement m = read_spawn_measurement(outcome.text);
  if (!m.error.empty()) throw std::runtime_error(m.error);
  if (m.signal != 0) throw std::runtime_error("it died by " + describe_signal(m.signal) + (tail.empty() ? "" : ": " + tail));
  if (m.exit_status != 0) {
    throw std::runtime_error("it exited with status " + std::to_string(m.exit_status) + (tail.empty() ? "" : ": " + tail));
  }
  return m;
}

}  // namespace polyhost
