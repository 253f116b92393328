// A Python str as UTF-8 and back, keeping what strict UTF-8 refuses: NULs, and lone surrogates
// (legal in Python and JavaScript strings), encoded as other code points are ("surrogatepass").
#pragma once

#include <Python.h>

#include <string>

#include "host/python/py_ref.h"

namespace polyhost {

// TEXT (a str) as UTF-8; "" when TEXT is not a str, "<unprintable>" when it cannot be encoded.
std::string utf8_of_python_text(PyObject* text);

// TEXT as Python's sys.stderr writes it (errors="backslashreplace"): a lone surrogate as "\ud800",
// for printing text that Python holds. "" when TEXT is not a str.
std::string printable_utf8_of_python_text(PyObject* text);

// UTF-8 from either engine (a lone surrogate encoded, NULs kept) as a str; nullptr with a Python
// exception when it is not even that.
PyRef python_text_of_utf8(const std::string& text);

}  // namespace polyhost
