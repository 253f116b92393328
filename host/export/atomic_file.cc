// write_file_atomically: the content goes to "<file>.tmp.<pid>" next to the file, is flushed to
// disk, then renamed over it, so a reader sees either the old file or the whole new one.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <string>

#include "host/export/atomic_file.h"
#include "host/write_all.h"

namespace polyhost {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail(const std::string& path, int error) {
  throw FileWriteError(path, std::strerror(error));
}

// The directory holding PATH, for syncing the rename.
std::string directory_of(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

bool starts_with(const std::string& text, const char* prefix) { return text.rfind(prefix, 0) == 0; }

// PATH with its symbolic links followed as the kernel would (a link's relative target from its
// real folder), also a dangling last one (writing creates its target); "" for a loop.
std::string followed(const std::string& path) {
  std::error_code ec;
  fs::path current = fs::absolute(path, ec);
  if (ec) return path;
  int hops = 0;
  while (fs::is_symlink(fs::symlink_status(current, ec))) {
    if (++hops > 40) return "";
    const fs::path target = fs::read_symlink(current, ec);
    if (ec) break;
    current = target.is_absolute() ? target : fs::weakly_canonical(current.parent_path(), ec) / target;
  }
  const fs::path resolved = fs::weakly_canonical(current, ec);
  return (ec ? current.lexically_normal() : resolved).string();
}

// The descriptor PATH names (/dev/stdout 1, /dev/stderr 2, /dev/fd/N and /proc/self/fd/N N), or
// the one of our stdout and stderr that PATH reaches by any other spelling or link (the same file,
// pipe or terminal), or -1.
int own_descriptor(const std::string& path) {
  if (path == "/dev/stdout") return 1;
  if (path == "/dev/stderr") return 2;
  for (const char* prefix : {"/dev/fd/", "/proc/self/fd/"}) {
    if (!starts_with(path, prefix)) continue;
    const std::string number = path.substr(std::strlen(prefix));
    if (number.empty() || number.size() > 6 || number.find_first_not_of("0123456789") != std::string::npos) return -1;
    return std::stoi(number);
  }
  struct stat target {};
  if (::stat(path.c_str(), &target) != 0) return -1;
  for (const int fd : {1, 2}) {
    struct stat own {};
    if (::fstat(fd, &own) == 0 && own.st_dev == target.st_dev && own.st_ino == target.st_ino) return fd;
  }
  return -1;
}

// Our own descriptors (stdout may be sent to a file, which must not be replaced under the shell's
// redirection, nor written from its start over the table), and what is not a regular file: a
// device, a FIFO, a socket. Everything else, /dev/shm included, is a file to replace.
bool written_in_place(const std::string& path) {
  if (own_descriptor(path) >= 0) return true;
  const std::string target = followed(path);
  struct stat info {};
  return !target.empty() && ::stat(target.c_str(), &info) == 0 && !S_ISREG(info.st_mode) && !S_ISDIR(info.st_mode);
}

void write_in_place(const std::string& path, const std::string& content) {
  // Our own stdout goes through its descriptor, after what was printed to it.
  if (const int own = own_descriptor(path); own >= 0) {
    std::cout.flush();
    std::fflush(nullptr);
    if (const int error = write_all(own, content.data(), content.size()); error != 0) fail(path, error);
    return;
  }
  // A FIFO whose reader is gone must fail (ENXIO), not wait for ever: open without blocking, then
  // write blocking.
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) fail(path, errno);
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  int error = write_all(fd, content.data(), content.size());
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error != 0) fail(path, error);
}

}  // namespace

std::string replaced_file(const std::string& path) { return written_in_place(path) ? "" : followed(path); }

std::string unwritable_reason(const std::string& path) {
  if (written_in_place(path)) {
    if (const int own = own_descriptor(path); own >= 0) {
      if (::fcntl(own, F_GETFL) == -1 || (::fcntl(own, F_GETFL) & O_ACCMODE) == O_RDONLY) return "not open for writing";
      return "";
    }
    // Not opened here: opening and closing a FIFO would end its reader's input.
    return ::access(path.c_str(), W_OK) == 0 ? "" : std::strerror(errno);
  }
  const std::string file = followed(path);
  if (file.empty()) return std::strerror(ELOOP);
  const std::string directory = directory_of(file);
  struct stat info {};
  if (::stat(directory.c_str(), &info) != 0) return "directory " + directory + ": " + std::strerror(errno);
  if (!S_ISDIR(info.st_mode)) return directory + " is not a directory";
  if (::stat(file.c_str(), &info) == 0 && S_ISDIR(info.st_mode)) return "it is a directory";
  // The file is written next to its target and renamed over it: try creating that file (access()
  // says yes to root on a read-only file system).
  const std::string probe = file + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) return "cannot create a file in " + directory + ": " + std::strerror(errno);
  ::close(fd);
  ::unlink(probe.c_str());
  return "";
}

void write_file_atomically(const std::string& path, const std::string& content) {
  if (written_in_place(path)) return write_in_place(path, content);
  const std::string file = followed(path);  // a link stays a link
  if (file.empty()) fail(path, ELOOP);
  const std::string temp = file + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) fail(path, errno);

  int error = 0;
  // The file replaced keeps its permissions (a results file made read-only stays read-only).
  struct stat existing {};
  if (::stat(file.c_str(), &existing) == 0 && ::fchmod(fd, existing.st_mode & 07777) != 0) error = errno;
  if (error == 0) error = write_all(fd, content.data(), content.size());
  if (error == 0 && ::fsync(fd) != 0) error = errno;
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error == 0 && ::rename(temp.c_str(), file.c_str()) != 0) error = errno;
  if (error != 0) {
    ::unlink(temp.c_str());
    fail(path, error);
  }

  // Make the rename itself durable; the file is already in place, so this is best effort.
  const int dir = ::open(directory_of(file).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

}  // namespace polyhost
