#include "host/bridge/peer_bridges.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>

#include "host/build_info.h"
#include "host/export/format_units.h"
#include "host/runner/subprocess.h"

namespace polyhost {
namespace {

using namespace report_text;

constexpr double kSetupTimeoutSeconds = 900;  // npm install and a node-gyp build on a slow machine
constexpr double kPeerTimeoutSeconds = 600;

std::string on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const std::string candidate = (dir.empty() ? "." : dir) + "/" + program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return {};
}

std::string last_line(const std::string& text) {
  std::string trimmed = text;
  while (!trimmed.empty() && (trimmed.back() == '\n' || trimmed.back() == ' ')) trimmed.pop_back();
  const std::size_t at = trimmed.rfind('\n');
  return at == std::string::npos ? trimmed : trimmed.substr(at + 1);
}

OverheadEntry& entry_for(OverheadReport& report, const BindingInfo& peer, const std::string& case_name) {
  for (auto& e : report.entries) {
    if (e.binding == peer.binding && e.case_name == case_name) return e;
  }
  OverheadEntry e;
  e.language = peer.language;
  e.binding = peer.binding;
  e.case_name = case_name;
  report.entries.push_back(std::move(e));
  return report.entries.back();
}

void skip_all(OverheadReport& report, const BindingInfo& peer, const std::string& reason) {
  for (const auto& c : overhead_cases()) {
    OverheadEntry& e = entry_for(report, peer, c);
    e.status = "unsupported";  // what the overhead JSON schema calls a cell that was not measured
    e.reason = "skipped: " + reason;
    e.samples_ns.clear();
  }
}

// Installs the peers; the reason they cannot be used, or "".
std::string set_up_peers() {
  const std::string script = std::string(build_info::source_dir) + "/scripts/setup-peers";
  ChildOutcome setup = run_child({script}, kSetupTimeoutSeconds);
  if (setup.exit_status == 0) return {};
  if (setup.timed_out) return "scripts/setup-peers took longer than " + format_plain_number(kSetupTimeoutSeconds) + " s";
  std::string why = last_line(setup.stderr_tail);
  const std::string prefix = "setup-peers: ";
  if (why.rfind(prefix, 0) == 0) why = why.substr(prefix.size());
  return why.empty() ? "scripts/setup-peers failed (status " + std::to_string(setup.exit_status) + ")" : why;
}

const OverheadEntry* find(const OverheadReport& report, const std::string& binding, const std::string& case_name) {
  for (const auto& e : report.entries) {
    if (e.binding == binding && e.case_name == case_name) return &e;
  }
  return nullptr;
}

// The columns of the comparison: the baseline, polyhost's bridge, the peers.
std::vector<std::string> comparison_columns() {
  std::vector<std::string> columns = {"py", "js->py"};
  for (const auto& p : peer_bindings()) columns.push_back(p.binding);
  return columns;
}

std::string cell_text(const OverheadEntry* e, bool markdown) {
  if (!e) return "-";
  if (e->status == "unsupported") return e->reason.rfind("skipped", 0) == 0 ? "skipped" : "n/a";
  if (e->status != "ok" || !e->summary) return "ERROR";
  const auto& s = *e->summary;
  return markdown ? format_duration_with_ci(s.median, s.ci95_median.low, s.ci95_median.high)
                  : format_duration_plus_minus(s.median, s.ci95_median.low, s.ci95_median.high);
}

std::string times_polyhost(const OverheadReport& report, const std::string& binding, const std::string& case_name) {
  const OverheadEntry* e = find(report, binding, case_name);
  const OverheadEntry* ours = find(report, "js->py", case_name);
  if (!e || !ours || !e->summary || !ours->summary || ours->summary->median <= 0) return "-";
  return "\u00d7" + format_ratio(e->summary->median / ours->summary->median);
}

std::vector<std::vector<std::string>> rows(const OverheadReport& report, bool markdown) {
  std::vector<std::vector<std::string>> out;
  for (const auto& c : overhead_cases()) {
    std::vector<std::string> row = {c};
    for (const auto& b : comparison_columns()) row.push_back(cell_text(find(report, b, c), markdown));
    for (const auto& p : peer_bindings()) row.push_back(times_polyhost(report, p.binding, c));
    out.push_back(row);
  }
  return out;
}

std::vector<std::string> header() {
  std::vector<std::string> h = {"case"};
  for (const auto& b : comparison_columns()) h.push_back(b);
  for (const auto& p : peer_bindings()) h.push_back(p.binding + " / js->py");
  return h;
}

std::vector<std::string> reasons(const OverheadReport& report) {
  std::vector<std::string> out;
  for (const auto& p : peer_bindings()) {
    std::vector<std::pair<std::string, std::string>> seen;  // (reason, cases)
    for (const auto& e : report.entries) {
      if (e.binding != p.binding || e.status == "ok") continue;
      auto it = std::find_if(seen.begin(), seen.end(), [&](const auto& s) { return s.first == e.reason; });
      if (it == seen.end()) seen.push_back({e.reason, e.case_name});
      else it->second += ", " + e.case_name;
    }
    for (const auto& [reason, cases] : seen) out.push_back(p.binding + " (" + cases + "): " + reason);
  }
  return out;
}

}  // namespace

const std::vector<BindingInfo>& peer_bindings() {
  static const std::vector<BindingInfo> peers = {
      {"py", "node-calls-python", "node-calls-python 1.11.1 under Node.js: CPython embedded in the Node process (an add-on)"},
      {"py", "pythonia", "pythonia 1.2.6 under Node.js: Python in a child process, over pipes (every call awaited)"},
  };
  return peers;
}

void measure_peer_bridges(OverheadReport& report, const std::function<void(const std::string&)>& progress) {
  const std::string node = on_path("node");
  std::string reason = node.empty() ? "node is not installed" : "";
  if (reason.empty()) {
    if (progress) progress("peers | installing them (scripts/setup-peers)");
    reason = set_up_peers();
  }
  if (!reason.empty()) {
    for (const auto& p : peer_bindings()) {
      skip_all(report, p, reason);
      report.notes.emplace_back(p.binding, "skipped: " + reason);
    }
    return;
  }
  const std::string script = std::string(build_info::source_dir) + "/bindings/overhead/peers.js";
  const std::string peers_dir = std::string(build_info::source_dir) + "/.deps/peers";
  for (const auto& p : peer_bindings()) {
    for (const auto& c : overhead_cases()) entry_for(report, p, c);
    for (int process = 0; process < report.processes; ++process) {
      if (progress) progress(p.binding + " | process " + std::to_string(process + 1) + "/" + std::to_string(report.processes));
      ChildOutcome child = run_child({node, script, p.binding, peers_dir, std::to_string(report.target_ns),
                                      std::to_string(report.repeats)},
                                     kPeerTimeoutSeconds);
      nlohmann::json r;
      try {
        r = nlohmann::json::parse(child.report);
      } catch (const nlohmann::json::exception&) {
        r = {{"status", "error"},
             {"message", child.timed_out ? "it ran longer than " + format_plain_number(kPeerTimeoutSeconds) + " s"
                         : child.signal  ? "node died by " + describe_signal(child.signal)
                                         : "node exited with status " + std::to_string(child.exit_status) +
                                              " without a report: " + last_line(child.stderr_tail)}};
      }
      if (r.value("status", "error") != "ok") {
        skip_all(report, p, "it failed: " + first_line(r.value("message", std::string("no reason given")), 300));
        break;
      }
      if (r.contains("engine")) report.environment.config_engines[p.binding] = r["engine"];
      for (const auto& [name, why] : r["unsupported"].items()) {
        OverheadEntry& e = entry_for(report, p, name);
        e.status = "unsupported";
        e.reason = why.get<std::string>();
      }
      for (const auto& [name, measured] : r["cases"].items()) {
        OverheadEntry& e = entry_for(report, p, name);
        if (e.status != "ok") continue;
        for (const auto& ns : measured["ns"]) e.samples_ns.push_back(ns.get<double>());
      }
    }
  }
  for (const auto& p : peer_bindings()) report.notes.emplace_back(p.binding, p.description);
}

void write_peer_table(const OverheadReport& report, std::ostream& out) {
  const auto h = header();
  const auto body = rows(report, false);
  std::vector<std::size_t> widths(h.size());
  for (std::size_t i = 0; i < h.size(); ++i) {
    widths[i] = display_width(h[i]);
    for (const auto& r : body) widths[i] = std::max(widths[i], display_width(r[i]));
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string text;
    for (std::size_t i = 0; i < cells.size(); ++i) text += i == 0 ? pad_right(cells[i], widths[i]) : "  " + pad_left(cells[i], widths[i]);
    return text;
  };
  out << "\nJavaScript calling Python: polyhost's bridge (js->py) and the peers, ns per call; py is the same call\n"
         "within Python; the last columns are each peer's time over polyhost's\n";
  out << line(h) << '\n';
  std::string rule;
  for (std::size_t i = 0; i < widths.size(); ++i) {
    if (i) rule += "  ";
    for (std::size_t k = 0; k < widths[i]; ++k) rule += "\u2500";
  }
  out << rule << '\n';
  for (const auto& r : body) out << line(r) << '\n';
  for (const auto& reason : reasons(report)) out << "  not measured: " << reason << '\n';
}

void write_peer_markdown(const OverheadReport& report, std::ostream& out) {
  const auto h = header();
  out << "\n## Peers: JavaScript calling Python\n\n"
         "polyhost's bridge (`js->py`) against the bridges a Node.js user would pick, on the same cases: median "
         "ns per call [95% CI]; `py` is the same call within Python; the last columns are each peer's time over "
         "polyhost's.\n\n|";
  for (const auto& cell : h) out << ' ' << (cell == "case" ? cell : "`" + cell + "`") << " |";
  out << "\n|";
  for (std::size_t i = 0; i < h.size(); ++i) out << (i == 0 ? " :--- |" : " ---: |");
  out << '\n';
  for (const auto& r : rows(report, true)) {
    out << "| `" << r[0] << "` |";
    for (std::size_t i = 1; i < r.size(); ++i) out << ' ' << r[i] << " |";
    out << '\n';
  }
  const auto why = reasons(report);
  if (!why.empty()) out << '\n';
  for (const auto& reason : why) out << "- not measured: " << reason << '\n';
  for (const auto& p : peer_bindings()) out << "- `" << p.binding << "`: " << p.description << '\n';
}

void write_overhead_markdown_with_peers(const OverheadReport& report, std::ostream& out) {
  write_overhead_markdown(report, out);
  write_peer_markdown(report, out);
}

}  // namespace polyhost
