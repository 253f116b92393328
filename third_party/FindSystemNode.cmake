# Finds what a Node.js addon for the system's `node` is compiled against: node's own headers
# (/usr/include/node: node_api.h, node.h and its V8's headers, NodeSource's V8 11.3 here) and the
# header-only node-addon-api that scripts/setup-deps unpacks into .deps/node-addon-api. Optional:
# what is missing leaves a reason instead of a target, and polyhost reports those columns of
# `polyhost overhead` as not built, with that reason.
#
# Provides, when found: polyhost::node_headers (include directory and the V8 layout defines of
# that node's build) and polyhost::node_addon_api (napi.h). Always sets POLYHOST_NODE_HEADERS_MISSING
# and POLYHOST_NODE_ADDON_API_MISSING: empty when found, else why not.
set(POLYHOST_NODE_INCLUDE_DIR "/usr/include/node" CACHE PATH "Headers of the system's node, for its addons")
set(POLYHOST_NODE_ADDON_API_DIR "${CMAKE_SOURCE_DIR}/.deps/node-addon-api/usr/share/nodejs/node-addon-api" CACHE PATH
    "node-addon-api's headers (napi.h), unpacked by scripts/setup-deps")

set(POLYHOST_NODE_HEADERS_MISSING "")
set(POLYHOST_NODE_ADDON_API_MISSING "")
foreach(_header node_api.h node.h v8-version.h node_version.h config.gypi)
  if(NOT EXISTS "${POLYHOST_NODE_INCLUDE_DIR}/${_header}")
    set(POLYHOST_NODE_HEADERS_MISSING "node's headers are not installed (${POLYHOST_NODE_INCLUDE_DIR}/${_header} is missing)")
    break()
  endif()
endforeach()

if(NOT POLYHOST_NODE_HEADERS_MISSING)
  file(STRINGS "${POLYHOST_NODE_INCLUDE_DIR}/node_version.h" _ver REGEX "#define NODE_(MAJOR|MINOR|PATCH)_VERSION ")
  foreach(_part MAJOR MINOR PATCH)
    string(REGEX MATCH "NODE_${_part}_VERSION ([0-9]+)" _m "${_ver}")
    set(_NODE_${_part} "${CMAKE_MATCH_1}")
  endforeach()
  set(POLYHOST_NODE_HEADERS_VERSION "${_NODE_MAJOR}.${_NODE_MINOR}.${_NODE_PATCH}")
  # The layout settings of that node's V8, as node-gyp's common.gypi turns them into defines: a raw
  # V8 addon that disagrees with node on these misreads every object.
  set(_defs BUILDING_NODE_EXTENSION)
  file(STRINGS "${POLYHOST_NODE_INCLUDE_DIR}/config.gypi" _gypi
       REGEX "v8_enable_(pointer_compression|pointer_compression_shared_cage|31bit_smis_on_64bit_arch|sandbox)'")
  if(_gypi MATCHES "'v8_enable_pointer_compression': 1")
    list(APPEND _defs V8_COMPRESS_POINTERS)
    if(_gypi MATCHES "'v8_enable_pointer_compression_shared_cage': 1")
      list(APPEND _defs V8_COMPRESS_POINTERS_IN_SHARED_CAGE)
    else()
      list(APPEND _defs V8_COMPRESS_POINTERS_IN_ISOLATE_CAGE)
    endif()
  endif()
  if(_gypi MATCHES "'v8_enable_31bit_smis_on_64bit_arch': 1")
    list(APPEND _defs V8_31BIT_SMIS_ON_64BIT_ARCH)
  endif()
  if(_gypi MATCHES "'v8_enable_sandbox': 1")
    list(APPEND _defs V8_ENABLE_SANDBOX)
  endif()
  add_library(polyhost::node_headers INTERFACE IMPORTED GLOBAL)
  set_target_properties(polyhost::node_headers PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${POLYHOST_NODE_INCLUDE_DIR}"
    INTERFACE_COMPILE_DEFINITIONS "${_defs}")
  message(STATUS "Node.js addons: headers of node ${POLYHOST_NODE_HEADERS_VERSION} in ${POLYHOST_NODE_INCLUDE_DIR} (defines: ${_defs})")

  if(EXISTS "${POLYHOST_NODE_ADDON_API_DIR}/napi.h")
    add_library(polyhost::node_addon_api INTERFACE IMPORTED GLOBAL)
    set_target_properties(polyhost::node_addon_api PROPERTIES
      INTERFACE_INCLUDE_DIRECTORIES "${POLYHOST_NODE_ADDON_API_DIR}"
      INTERFACE_COMPILE_DEFINITIONS "NAPI_CPP_EXCEPTIONS")
  else()
    set(POLYHOST_NODE_ADDON_API_MISSING
        "node-addon-api's headers were not found when polyhost was built (${POLYHOST_NODE_ADDON_API_DIR}/napi.h; scripts/setup-deps unpacks them)")
  endif()
else()
  set(POLYHOST_NODE_ADDON_API_MISSING "${POLYHOST_NODE_HEADERS_MISSING}")
endif()
foreach(_missing POLYHOST_NODE_HEADERS_MISSING POLYHOST_NODE_ADDON_API_MISSING)
  if(${_missing})
    message(WARNING "${${_missing}}: that column of polyhost overhead will say so")
  endif()
endforeach()
