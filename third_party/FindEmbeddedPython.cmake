# Finds the CPython 3.11 to embed: the one whose `python3` is first on PATH unless
# POLYHOST_PYTHON names an interpreter. Uses that interpreter's own python3.11-config --embed so
# the embedded library and the standalone executable are the same build.
# Provides polyhost::python, POLYHOST_PYTHON_EXECUTABLE and POLYHOST_PYTHON_VERSION.
if(NOT POLYHOST_PYTHON)
  find_program(_python3 python3 REQUIRED)
  set(POLYHOST_PYTHON "${_python3}")
endif()
# Resolve shims (pyenv) to the real interpreter and its config script.
execute_process(COMMAND "${POLYHOST_PYTHON}" -c
  "import sys, sysconfig, os; print(os.path.realpath(sys.executable)); print(sysconfig.get_config_var('BINDIR')); print('%d.%d.%d' % sys.version_info[:3]); print(sysconfig.get_config_var('LDVERSION'))"
  OUTPUT_VARIABLE _out RESULT_VARIABLE _rc OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "Could not run ${POLYHOST_PYTHON} to find the Python to embed")
endif()
string(REPLACE "\n" ";" _out "${_out}")
list(GET _out 0 POLYHOST_PYTHON_EXECUTABLE)
list(GET _out 1 _bindir)
list(GET _out 2 POLYHOST_PYTHON_VERSION)
list(GET _out 3 _ldversion)
if(NOT POLYHOST_PYTHON_VERSION MATCHES "^3\\.11\\.")
  message(FATAL_ERROR "polyhost embeds CPython 3.11; ${POLYHOST_PYTHON_EXECUTABLE} is ${POLYHOST_PYTHON_VERSION}")
endif()
set(_config "${_bindir}/python${_ldversion}-config")
if(NOT EXISTS "${_config}")
  message(FATAL_ERROR "${_config} is missing: the embedding headers of ${POLYHOST_PYTHON_EXECUTABLE} "
                      "are not installed (for Debian's Python: apt-get install python3-dev)")
endif()
execute_process(COMMAND "${_config}" --includes OUTPUT_VARIABLE _includes OUTPUT_STRIP_TRAILING_WHITESPACE)
execute_process(COMMAND "${_config}" --embed --ldflags OUTPUT_VARIABLE _ldflags OUTPUT_STRIP_TRAILING_WHITESPACE)
string(REPLACE "-I" "" _includes "${_includes}")
separate_arguments(_includes UNIX_COMMAND "${_includes}")
separate_arguments(_ldflags UNIX_COMMAND "${_ldflags}")
add_library(polyhost::python INTERFACE IMPORTED GLOBAL)
set_target_properties(polyhost::python PROPERTIES
  INTERFACE_INCLUDE_DIRECTORIES "${_includes}"
  INTERFACE_LINK_LIBRARIES "${_ldflags}")
message(STATUS "Embedding CPython ${POLYHOST_PYTHON_VERSION} of ${POLYHOST_PYTHON_EXECUTABLE}")
