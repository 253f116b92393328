# The extension technologies other runtimes load, over the same native.h (bindings/README.md):
# Node.js addons (Node-API, node-addon-api, raw V8) for the system's node, and the Cython module,
# a built-in module of the embedded CPython like polyhost_capi and polyhost_pybind11. Each is
# optional: what cannot be built here is recorded, with the reason, in the generated
# bindings/extensions_built.h, and `polyhost overhead` reports that column as not built.
# Included by the top-level CMakeLists.txt after polyhost_bindings and polyhost_cabi.

find_package(SystemNode MODULE)

# An addon is a shared library named NAME.node next to the polyhost binary. node runs without
# the sanitizers' runtimes, so an addon is never instrumented, whatever CMAKE_CXX_FLAGS say.
function(polyhost_node_addon NAME)
  add_library(${NAME} MODULE ${ARGN} "${CMAKE_SOURCE_DIR}/bindings/native.cc")
  set_target_properties(${NAME} PROPERTIES PREFIX "" SUFFIX ".node" LIBRARY_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}"
                                           CXX_VISIBILITY_PRESET hidden)
  target_include_directories(${NAME} PRIVATE "${CMAKE_SOURCE_DIR}")
  target_compile_definitions(${NAME} PRIVATE NODE_GYP_MODULE_NAME=${NAME})
  target_compile_options(${NAME} PRIVATE -Wall -Wextra -Wno-unused-parameter -fno-sanitize=all)
  target_link_options(${NAME} PRIVATE -fno-sanitize=all)
  # node itself provides the Node-API and V8 symbols when it loads the addon.
  target_link_libraries(${NAME} PRIVATE polyhost::node_headers)
  add_dependencies(polyhost ${NAME})
endfunction()

set(POLYHOST_NODE_API_MISSING "${POLYHOST_NODE_HEADERS_MISSING}")
set(POLYHOST_NODE_V8_MISSING "${POLYHOST_NODE_HEADERS_MISSING}")
if(NOT POLYHOST_NODE_HEADERS_MISSING)
  polyhost_node_addon(polyhost_node_api bindings/node_api_addon.cc)
  polyhost_node_addon(polyhost_node_v8 bindings/node_v8_addon.cc bindings/v8_callbacks.cc)
endif()
if(NOT POLYHOST_NODE_ADDON_API_MISSING)
  polyhost_node_addon(polyhost_node_addon_api bindings/node_addon_api_addon.cc)
  target_link_libraries(polyhost_node_addon_api PRIVATE polyhost::node_addon_api)
endif()

# Cython: bindings/python_cython.pyx -> C++ (cython3 --cplus) -> compiled into polyhost_bindings
# and registered as the built-in module polyhost_cython (bindings/python_modules.h).
find_program(POLYHOST_CYTHON cython3)
set(POLYHOST_CYTHON_MISSING "")
set(POLYHOST_HAVE_CYTHON OFF)
if(POLYHOST_CYTHON)
  set(POLYHOST_HAVE_CYTHON ON)
  set(_pyx "${CMAKE_SOURCE_DIR}/bindings/python_cython.pyx")
  set(_generated "${CMAKE_BINARY_DIR}/generated/bindings/python_cython.cpp")
  add_custom_command(OUTPUT "${_generated}"
                     COMMAND "${POLYHOST_CYTHON}" -3 --cplus --module-name polyhost_cython -I "${CMAKE_SOURCE_DIR}"
                             -o "${_generated}" "${_pyx}"
                     DEPENDS "${_pyx}" "${CMAKE_SOURCE_DIR}/bindings/python_cython_callback.h"
                     COMMENT "Cython: bindings/python_cython.pyx")
  target_sources(polyhost_bindings PRIVATE "${_generated}")
  # Generated code: its warnings are Cython's, not ours.
  # Never in a unity group: Cython's code wants Python.h first and defines macros of its own.
  set_source_files_properties("${_generated}" PROPERTIES COMPILE_OPTIONS "-w" SKIP_UNITY_BUILD_INCLUSION ON)
  execute_process(COMMAND "${POLYHOST_CYTHON}" --version ERROR_VARIABLE _cython_version OUTPUT_VARIABLE _cython_out
                  ERROR_STRIP_TRAILING_WHITESPACE)
  message(STATUS "Cython: ${_cython_version}${_cython_out} (${POLYHOST_CYTHON})")
else()
  set(POLYHOST_CYTHON_MISSING "cython3 was not installed when polyhost was built (scripts/setup-deps installs it)")
  message(WARNING "${POLYHOST_CYTHON_MISSING}: the cython column of polyhost overhead will say so")
endif()

configure_file("${CMAKE_SOURCE_DIR}/bindings/extensions_built.h.in" "${CMAKE_BINARY_DIR}/generated/bindings/extensions_built.h" @ONLY)
target_include_directories(polyhost_bindings PUBLIC "${CMAKE_BINARY_DIR}/generated")

# pypy3 loads libpolyhost_cabi.so through cffi, and pypy3 runs without the sanitizers' runtimes:
# like the addons, that library is never instrumented (the instrumented polyhost loads it as well).
target_compile_options(polyhost_cabi PRIVATE -fno-sanitize=all)
target_link_options(polyhost_cabi PRIVATE -fno-sanitize=all)
