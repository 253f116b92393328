#pragma once

#include <cstddef>

namespace polyhost {

// Python has no heap limit of its own: cap this process's address space at what it uses now plus
// MAX_HEAP_MB, so that a runaway allocation fails with MemoryError instead of exhausting the
// machine. (Not for V8, which reserves far more address space than it uses; it has its own limit.)
void limit_address_space(std::size_t max_heap_mb);

// Takes that cap away again (for V8 starting later in the same process: the JavaScript/Python
// bridge). The cap is a soft limit so that this is possible without privileges.
void lift_address_space_limit();

}  // namespace polyhost
