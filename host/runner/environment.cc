#include "host/runner/environment.h"

#include <sys/utsname.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <thread>

#include "host/build_commit.h"
#include "host/build_info.h"
#include "host/python/python_interpreter.h"
#include "host/v8/v8_platform.h"

namespace polyhost {
namespace {

// The first line that starts with KEY in FILE, the part after SEPARATOR, trimmed.
std::string field(const char* file, const std::string& key, char separator) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) != 0) continue;
    auto pos = line.find(separator);
    if (pos == std::string::npos) continue;
    std::string value = line.substr(pos + 1);
    value.erase(0, value.find_first_not_of(" \t\""));
    value.erase(value.find_last_not_of(" \t\"") + 1);
    return value;
  }
  return {};
}

std::string quote_arg(const std::string& arg) {
  if (!arg.empty() && arg.find_first_of(" \t\"'\\$`") == std::string::npos) return arg;
  std::string out = "'";
  for (char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

std::string command_line_text(const std::vector<std::string>& argv) {
  std::string text;
  for (const auto& arg : argv) text += (text.empty() ? "" : " ") + quote_arg(arg);
  return text;
}

Environment collect_environment(const std::vector<std::string>& command_line) {
  Environment env;
  env.polyhost_version = build_info::version;
  env.git_commit = build_info::git_commit;
  env.engines = {{"V8", V8Platform::version(), ""}, {"CPython", PythonInterpreter::version(), PythonInterpreter::executable()}};
  env.cpu_model = field("/proc/cpuinfo", "model name", ':');
  if (env.cpu_model.empty()) env.cpu_model = "unknown";
  // hardware_concurrency() is 0 when it cannot tell; the machine has at least one (0 in a file is a
  // merge of machines that differ).
  env.cpu_count = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  utsname uts{};
  ::uname(&uts);
  std::string distro = field("/etc/os-release", "PRETTY_NAME", '=');
  env.os = (distro.empty() ? std::string(uts.sysname) : distro) + ", " + uts.sysname + " " + uts.release + " " + uts.machine;
  env.command_line = command_line_text(command_line);
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  env.start_time = stamp;
  double load = 0;
  if (::getloadavg(&load, 1) == 1) env.load_average = load;
  return env;
}

}  // namespace polyhost
