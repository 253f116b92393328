# Run at every build (cmake -P): writes OUT, a header naming the git commit the sources were built
# from ("-dirty" when tracked files differ from it). Sources without .git (a `git archive`, as
# scripts/cluster/Dockerfile builds) take the environment's POLYHOST_GIT_COMMIT, else "unknown". The
# file is rewritten only when its text changes, so a new commit recompiles the one file using it.
execute_process(COMMAND git -C "${SOURCE_DIR}" rev-parse HEAD
                OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE failed)
if(failed OR commit STREQUAL "")
  set(commit "unknown")
  if(NOT "$ENV{POLYHOST_GIT_COMMIT}" STREQUAL "")
    set(commit "$ENV{POLYHOST_GIT_COMMIT}")
  endif()
else()
  execute_process(COMMAND git -C "${SOURCE_DIR}" status --porcelain --untracked-files=no
                  OUTPUT_VARIABLE changes ERROR_QUIET)
  if(NOT changes STREQUAL "")
    string(APPEND commit "-dirty")
  endif()
endif()
set(text "// Generated at build time by cmake/build_commit.cmake.\n#pragma once\n\nnamespace polyhost::build_info {\ninline constexpr const char* git_commit = \"${commit}\";\n}  // namespace polyhost::build_info\n")
set(old "")
if(EXISTS "${OUT}")
  file(READ "${OUT}" old)
endif()
if(NOT old STREQUAL text)
  file(WRITE "${OUT}" "${text}")
endif()
