// Writing a whole buffer to a file descriptor: short writes and EINTR are retried.
#pragma once

#include <cstddef>

namespace polyhost {

// 0 when all SIZE bytes of DATA were written to FD, else the errno of the failure.
int write_all(int fd, const char* data, std::size_t size);

}  // namespace polyhost
