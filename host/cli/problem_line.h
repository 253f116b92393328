// What a command says on stderr about what it was given. A usage error or a file's problem echoes
// a path, a name, a value typed on the command line or text from a file, which must not act on the
// terminal (an ESC that paints, a newline that fakes a line), so it is shown escaped.
#pragma once

#include <string>

namespace polyhost {

// "COMMAND: MESSAGE" and a newline on stderr, MESSAGE through text::escape_controls and written
// whole (a NUL in it would end printf's %s).
void print_problem(const std::string& command, const std::string& message);

}  // namespace polyhost
