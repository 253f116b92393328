#include "host/cli/report_command.h"

#include <cstdio>
#include <set>

#include "host/export/exporters.h"
#include "host/read_file.h"
#include "host/report/checked_json.h"
#include "host/report/html_report.h"

namespace polyhost {
namespace {

using checked_json::Node;
using checked_json::ReportInputError;

// A polyhost.overhead/1 document, checked: every entry names its language, binding and case, has a
// known status, and an ok entry has its ns per call and CI; a non-ok entry has its reason.
OverheadFile read_overhead(const nlohmann::json& doc, const std::string& path) {
  const Node root(doc, path);
  OverheadFile out;
  out.path = path;
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& e : root.at("entries").elements()) {
    OverheadCell cell;
    cell.language = e.at("language").string();
    cell.binding = e.at("binding").string();
    cell.case_name = e.at("case").string();
    const Node status = e.at("status");
    cell.status = status.string();
    if (cell.status == "ok") {
      cell.ns_per_call = e.at("ns_per_call").number();
      std::tie(cell.ci_low_ns, cell.ci_high_ns) = e.at("ci95").interval();
    } else if (cell.status == "unsupported" || cell.status == "error") {
      cell.reason = e.at("reason").string();
    } else {
      status.fail("expected \"ok\", \"unsupported\" or \"error\", found " + status.json().dump());
    }
    if (!seen.insert({cell.case_name, cell.binding}).second) {
      e.fail("a second entry for case \"" + cell.case_name + "\" and binding \"" + cell.binding + "\"");
    }
    out.entries.push_back(std::move(cell));
  }
  if (auto notes = root.find_non_null("notes")) {
    for (const auto& n : notes->elements()) out.notes.emplace_back(n.at("binding").string(), n.at("note").string());
  }
  const auto env = root.find_non_null("environment");
  auto get = [&](const char* key) {
    const auto value = env ? env->find_non_null(key) : std::nullopt;
    return value ? value->text() : std::string("not recorded");
  };
  out.environment = {{"CPU", get("cpu_model") + ", " + get("cpu_count") + " cores"},
                     {"OS", get("os")},
                     {"polyhost", get("polyhost_version") + " at " + get("git_commit")},
                     {"V8", get("v8_version")},
                     {"CPython", get("python_version") + " (" + get("python_executable") + ")"},
                     {"started", get("start_time")},
                     {"command", get("command_line")}};
  return out;
}

}  // namespace

int report_command(const std::vector<std::string>& inputs, const std::string& output) {
  ReportInputs report;
  std::string html;
  try {
    for (const auto& path : inputs) {
      // An overhead file is recognised by its schema; everything else must be a results file.
      std::optional<std::string> text = read_file(path);
      nlohmann::json doc = text ? nlohmann::json::parse(*text, nullptr, false) : nlohmann::json();
      const auto schema = doc.is_object() ? doc.find("schema") : doc.end();
      if (doc.is_object() && schema != doc.end() && *schema == "polyhost.overhead/1") {
        if (report.overhead) throw ResultsFileError(path + ": only one overhead file per report");
        report.overhead = read_overhead(doc, path);
      } else {
        report.results.push_back(load_results(path));
        // compare can leave a damaged run out of one row; a report would silently drop its chart.
        for (const auto& run : report.results.back().runs) {
          if (!run.problem.empty()) throw ResultsFileError(run.problem);
        }
      }
    }
    html = render_html_report(report);
  } catch (const ResultsFileError& e) {
    std::fprintf(stderr, "polyhost report: %s\n", e.what());
    return 2;
  } catch (const ReportInputError& e) {
    std::fprintf(stderr, "polyhost report: %s\n", e.what());
    return 2;
  }
  try {
    write_file_atomically(output, html);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "polyhost report: %s\n", e.what());
    return 2;
  }
  std::fprintf(stderr, "wrote %s\n", output.c_str());
  return 0;
}

}  // namespace polyhost
