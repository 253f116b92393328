#include "host/runner/workload_verdict.h"

#include <algorithm>

#include "host/runner/memory_limit.h"
#include "host/script_error.h"
#include "host/text/format.h"
#include "host/workload.h"

namespace polyhost {
namespace {

// Unbounded recursion, as each engine reports it.
bool is_stack_overflow(const ScriptErrorInfo& info) {
  return info.type == "RecursionError" ||
         (info.type == "RangeError" && info.message.find("Maximum call stack size exceeded") != std::string::npos);
}

// "FILE:LINE:COLUMN: the workload ended the process (sys.exit) with status 1: MESSAGE"; the
// location is WORKLOAD_FILE's when the call's is not known.
std::string exit_headline(const std::string& workload_file, const ExitRequest& exit) {
  const std::string where = ScriptError::location(exit.site);
  return (where.empty() ? workload_file : where) + ": the workload ended the process (" +
         (exit.call.empty() ? "process.exit / sys.exit" : exit.call) + ") with status " + std::to_string(exit.status) +
         (exit.message ? ": " + *exit.message : "");
}

}  // namespace

WorkloadVerdict workload_verdict(const std::string& file, double timeout_seconds, std::size_t max_heap_mb,
                                 const std::string& during) {
  // The headline, the text's first line, says when it happened: a message of several lines would
  // push it out of sight on the terminal. A stack, if any, follows on its own lines.
  const auto headline = [&](const std::string& text) {
    if (during.empty()) return text;
    const std::size_t end = std::min(text.find('\n'), text.size());
    return text.substr(0, end) + " (" + during + ")" + text.substr(end);
  };
  const auto below = [](const std::string& stack) { return stack.empty() ? std::string() : "\n" + stack; };
  try {
    throw;
  } catch (const EngineStop& e) {
    const bool timeout = e.reason == EngineStop::Reason::Timeout;
    return {timeout ? RunStatus::Timeout : RunStatus::OutOfMemory,
            headline(file + ": " + e.message +
                     (timeout ? " (--timeout " + text::format_plain_number(timeout_seconds) + " s)"
                              : " (--max-heap " + std::to_string(max_heap_mb) + " MB)"))};
  } catch (const ScriptError& e) {
    if (is_not_a_function_error(e.info())) {  // e.g. run = Symbol(): not data, so inspection let it through
      return {RunStatus::Invalid, headline(file + ": " + e.info().message + "; the contract needs it to be a function")};
    }
    return {is_stack_overflow(e.info()) ? RunStatus::StackOverflow : RunStatus::Error,
            headline(with_address_space_cap_note((e.info().file.empty() ? file + ": " : std::string()) + e.what(),
                                                 ErrorFrom::Script)) +
                below(e.info().stack)};
  } catch (const ConversionError& e) {
    return {RunStatus::Invalid, headline(file + ": not JSON-like: " + e.what())};
  } catch (const WorkloadError& e) {
    return {RunStatus::Invalid, headline(file + ": " + e.what())};
  } catch (const ExitRequest& e) {
    return {RunStatus::Error, headline(exit_headline(file, e)) + below(e.site.stack)};
  }
}

}  // namespace polyhost
