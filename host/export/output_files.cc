#include "host/export/output_files.h"

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <sstream>

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host/export/atomic_file.h"
#include "host/text/layout.h"
#include "host/write_all.h"

namespace polyhost {
namespace {

// An existing program file: a workload may load modules from anywhere (the suite's common/ beside
// it), so no output replaces a JavaScript or Python source, wherever it is.
bool is_program_source(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return false;
  std::string ext = std::filesystem::path(path).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));  // MOD.PY loads too
  for (const char* source : {".js", ".mjs", ".cjs", ".py", ".pyw"}) {
    if (ext == source) return true;
  }
  return false;
}

// Keeps CONTENT, which PATH could not take, in a new file of the temporary directory named after
// PATH; returns that file's name, or "" when it cannot be written either.
std::string keep_elsewhere(const std::string& path, const std::string& content) {
  const std::filesystem::path name(path);
  const std::string extension = name.extension().string();
  const char* tmpdir = std::getenv("TMPDIR");
  int fd = -1;
  std::string kept;
  // $TMPDIR, and /tmp when that is unset or cannot take the file.
  for (const std::string& folder : {std::string(tmpdir && *tmpdir ? tmpdir : "/tmp"), std::string("/tmp")}) {
    kept = folder + "/polyhost-" + name.stem().string() + "-XXXXXX" + extension;
    fd = ::mkstemps(kept.data(), static_cast<int>(extension.size()));
    if (fd >= 0) break;
  }
  if (fd < 0) return "";
  const bool written = write_all(fd, content.data(), content.size()) == 0;
  if (::close(fd) != 0 || !written) {
    ::unlink(kept.c_str());
    return "";
  }
  return kept;
}

}  // namespace

std::string repeated_input(const std::vector<std::string>& inputs) {
  // One file by its device and inode: a symbolic or hard link, /dev/fd/N or /dev/stdin is the file.
  std::vector<std::pair<dev_t, ino_t>> files;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    struct stat info{};
    if (::stat(inputs[i].c_str(), &info) != 0) {
      files.emplace_back(0, 0);  // not there: the reader says so
      continue;
    }
    files.emplace_back(info.st_dev, info.st_ino);
    for (std::size_t j = 0; j < i; ++j) {
      if (files[j] != files[i] || files[j] == std::pair<dev_t, ino_t>(0, 0)) continue;
      return inputs[i] == inputs[j] ? inputs[i] + " is given twice"
                                    : inputs[j] + " and " + inputs[i] + " are the same file, given twice";
    }
  }
  return "";
}

std::string unwritable_output(const std::vector<OutputFile>& outputs, const std::vector<std::string>& inputs) {
  std::vector<std::pair<std::string, const OutputFile*>> files;  // replaced file, output
  for (const auto& output : outputs) {
    if (output.path.empty()) continue;
    if (const std::string reason = unwritable_reason(output.path); !reason.empty()) {
      return "cannot write " + output.flag + " " + output.path + ": " + reason;
    }
    const std::string file = replaced_file(output.path);
    if (file.empty()) continue;  // a device or pipe, written in place: two outputs may share it
    if (is_program_source(file)) {
      return "cannot write " + output.flag + " " + output.path + ": it is a program's source file, which no output replaces";
    }
    for (const auto& [other_file, other] : files) {
      if (other_file == file) {
        return "cannot write " + output.flag + " " + output.path + ": " + other->flag + " " + other->path +
               " is the same file (one would replace the other)";
      }
    }
    for (const auto& input : inputs) {
      if (!input.empty() && replaced_file(input) == file) {
        return "cannot write " + output.flag + " " + output.path + ": it is the input " + input +
               " (give the output another name)";
      }
    }
    files.emplace_back(file, &output);
  }
  return "";
}

bool printed_to_stdout(const std::string& command, const std::string& what) {
  std::cout.flush();
  if (std::cout) return true;
  std::fprintf(stderr, "%s: could not print %s (standard output: %s)\n", command.c_str(), what.c_str(), std::strerror(errno));
  return false;
}

bool write_outputs(const std::vector<OutputFile>& outputs, const std::string& command) {
  bool all = true;
  for (const auto& output : outputs) {
    if (output.path.empty()) continue;
    std::ostringstream text;
    try {
      output.write(text);
      write_file_atomically(output.path, text.str());
      std::fprintf(stderr, "wrote %s\n", text::escape_controls(output.path).c_str());
    } catch (const FileWriteError& e) {
      // Nothing measured is lost with the file: its content goes to the temporary directory.
      const std::string kept = keep_elsewhere(output.path, text.str());
      const std::string where = kept.empty() ? "; its content could not be kept either (no temporary folder took it)"
                                             : "; its content is in " + text::escape_controls(kept) + " instead";
      std::fprintf(stderr, "%s: cannot write %s %s: %s%s\n", command.c_str(), output.flag.c_str(),
                   text::escape_controls(output.path).c_str(), e.reason.c_str(), where.c_str());
      all = false;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "%s: %s\n", command.c_str(), text::escape_controls(e.what()).c_str());
      all = false;
    }
  }
  return all;
}

}  // namespace polyhost
