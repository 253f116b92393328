#pragma once

#include <cstddef>
#include <string>

namespace polyhost {

// Python has no heap limit of its own: cap this process's address space at what it uses now plus
// MAX_HEAP_MB for each of LANES (scale's threads sharing one process), so that a runaway allocation
// fails with MemoryError instead of exhausting the machine. (Not for V8, which reserves far more
// address space than it uses; it has its own limit.) The cap counts every new mapping, not only the
// heap: each thread's stack and malloc arena too.
void limit_address_space(std::size_t max_heap_mb, std::size_t lanes = 1);

// Takes that cap away again (for V8 starting later in the same process: the JavaScript/Python
// bridge). The cap is a soft limit so that this is possible without privileges.
void lift_address_space_limit();

// Where an error message comes from: a script's exception (its text is the script's to choose), or
// polyhost's own code (a std::system_error, std::bad_alloc, the prelude failing to load).
enum class ErrorFrom { Script, Polyhost };

// MESSAGE, and when a cap of limit_address_space is in force in this process and MESSAGE says that
// a thread could not start or memory could not be had (which the cap makes happen long before the
// heap is full), a note naming `--max-heap N MB` as the likely cause. A script's error qualifies only
// as CPython's own RuntimeError for a thread that cannot start (its EAGAIN or MemoryError may be
// anything: a non-blocking read, its own exception class).
std::string with_address_space_cap_note(const std::string& message, ErrorFrom from);

}  // namespace polyhost
