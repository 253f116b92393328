# Finds V8 10.2 as shipped by Debian's libnode108/libnode-dev, unpacked by scripts/setup-deps.
# Provides the imported target polyhost::v8 and LIBNODE_V8_VERSION.
set(POLYHOST_LIBNODE_PREFIX "${CMAKE_SOURCE_DIR}/.deps/libnode/usr" CACHE PATH
    "Prefix where libnode108 and libnode-dev are unpacked (run scripts/setup-deps)")

set(_inc "${POLYHOST_LIBNODE_PREFIX}/include/node")
set(_fast_api_inc "${POLYHOST_LIBNODE_PREFIX}/include/nodejs/deps/v8/include")
find_library(LIBNODE_LIBRARY NAMES node.so.108 libnode.so.108 node
             PATHS "${POLYHOST_LIBNODE_PREFIX}/lib/x86_64-linux-gnu" "${POLYHOST_LIBNODE_PREFIX}/lib"
             NO_DEFAULT_PATH)
if(NOT EXISTS "${_inc}/v8-version.h" OR NOT LIBNODE_LIBRARY)
  message(FATAL_ERROR "V8 (libnode-dev) not found under ${POLYHOST_LIBNODE_PREFIX}.\n"
                      "Run scripts/setup-deps, or pass -DPOLYHOST_LIBNODE_PREFIX=<prefix>/usr.")
endif()

file(STRINGS "${_inc}/v8-version.h" _ver REGEX "#define V8_(MAJOR_VERSION|MINOR_VERSION|BUILD_NUMBER|PATCH_LEVEL) ")
foreach(_part MAJOR_VERSION MINOR_VERSION BUILD_NUMBER PATCH_LEVEL)
  string(REGEX MATCH "V8_${_part} ([0-9]+)" _m "${_ver}")
  set(_V8_${_part} "${CMAKE_MATCH_1}")
endforeach()
set(LIBNODE_V8_VERSION "${_V8_MAJOR_VERSION}.${_V8_MINOR_VERSION}.${_V8_BUILD_NUMBER}.${_V8_PATCH_LEVEL}")
if(NOT "${_V8_MAJOR_VERSION}.${_V8_MINOR_VERSION}" STREQUAL "10.2")
  message(FATAL_ERROR "V8 headers in ${_inc} are version ${LIBNODE_V8_VERSION}; polyhost needs 10.2 "
                      "(Debian's libnode-dev for Node 18). Headers from another Node (for example "
                      "NodeSource's /usr/include/node) do not match Debian's libnode.so.")
endif()

# The embedder must agree with the library on these layout settings, or objects are misread.
set(_defs "")
file(STRINGS "${_inc}/config.gypi" _gypi REGEX "v8_enable_(pointer_compression|31bit_smis_on_64bit_arch)")
if(_gypi MATCHES "'v8_enable_pointer_compression': 1")
  list(APPEND _defs V8_COMPRESS_POINTERS)
endif()
if(_gypi MATCHES "'v8_enable_31bit_smis_on_64bit_arch': 1")
  list(APPEND _defs V8_31BIT_SMIS_ON_64BIT_ARCH)
endif()

add_library(polyhost::v8 SHARED IMPORTED GLOBAL)
set_target_properties(polyhost::v8 PROPERTIES
  IMPORTED_LOCATION "${LIBNODE_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${_inc};${_fast_api_inc}"
  INTERFACE_COMPILE_DEFINITIONS "${_defs}")
get_filename_component(LIBNODE_LIBRARY_DIR "${LIBNODE_LIBRARY}" DIRECTORY)
message(STATUS "V8 ${LIBNODE_V8_VERSION} from ${LIBNODE_LIBRARY} (defines: ${_defs})")
