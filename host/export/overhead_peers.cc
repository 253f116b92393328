#include "host/export/overhead_peers.h"

#include <algorithm>

#include "host/export/overhead_view.h"
#include "host/text/format.h"
#include "host/text/grid.h"
#include "host/text/markdown.h"

namespace polyhost {
namespace {

constexpr const char* kOurs = "js->py";
constexpr const char* kWithinPython = "py";

std::vector<std::string> peer_names(const OverheadMatrix& matrix) {
  std::vector<std::string> names;
  for (const auto& b : matrix.bindings) {
    if (b.peer) names.push_back(b.binding);
  }
  return names;
}

// The baseline, polyhost's bridge, the peers.
std::vector<std::string> columns(const OverheadMatrix& matrix) {
  std::vector<std::string> out = {kWithinPython, kOurs};
  for (const auto& p : peer_names(matrix)) out.push_back(p);
  return out;
}

// A peer's time over polyhost's on one case.
std::string times_ours(const OverheadMatrix& matrix, const std::string& peer, const std::string& case_name) {
  const OverheadCell* theirs = matrix.find(peer, case_name);
  const OverheadCell* ours = matrix.find(kOurs, case_name);
  if (!theirs || !ours || !theirs->summary || !ours->summary || ours->summary->median <= 0) return text::kNoValue;
  return "\u00d7" + text::format_ratio(theirs->summary->median / ours->summary->median);
}

std::vector<std::string> header(const OverheadMatrix& matrix) {
  std::vector<std::string> h = {"case"};
  for (const auto& c : columns(matrix)) h.push_back(c);
  for (const auto& p : peer_names(matrix)) h.push_back(p + " / " + kOurs);
  return h;
}

std::vector<std::vector<std::string>> rows(const OverheadMatrix& matrix, CiStyle style) {
  std::vector<std::vector<std::string>> out;
  for (const auto& c : matrix.case_names()) {
    std::vector<std::string> row = {c};
    for (const auto& b : columns(matrix)) row.push_back(overhead_cell_text(matrix.find(b, c), style));
    for (const auto& p : peer_names(matrix)) row.push_back(times_ours(matrix, p, c));
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace

bool has_peers(const OverheadMatrix& matrix) { return !peer_names(matrix).empty(); }

void write_peer_table(const OverheadMatrix& matrix, std::ostream& out) {
  out << "\nJavaScript calling Python: polyhost's bridge (js->py) and the peers, ns per call; py is the same call\n"
         "within Python; the last columns are each peer's time over polyhost's\n";
  text::Grid grid;
  grid.header = header(matrix);
  grid.align.assign(grid.header.size(), text::Align::Right);
  grid.align[0] = text::Align::Left;
  for (auto& row : rows(matrix, CiStyle::ErrorBar)) grid.add_row(std::move(row));
  text::write_grid(grid, out, false);
}

void write_peer_markdown(const OverheadMatrix& matrix, std::ostream& out) {
  using text::markdown::code;
  out << "\n## Peers: JavaScript calling Python\n\npolyhost's bridge (`js->py`) against the bridges a Node.js user would "
         "pick, on the same cases: median ns per call ["
      << overhead_interval_name(matrix)
      << "]; `py` is the same call within Python; the last columns are each peer's time over polyhost's.\n\n";
  std::vector<std::string> h = header(matrix);
  for (std::size_t i = 1; i < h.size(); ++i) h[i] = code(h[i]);
  std::vector<text::Align> align(h.size(), text::Align::Right);
  align[0] = text::Align::Left;
  auto body = rows(matrix, CiStyle::Interval);
  for (auto& row : body) row[0] = code(row[0]);
  text::markdown::write_table(out, h, align, body);
  out << '\n';  // a list right under a table would be read as more of its rows
  for (const auto& b : matrix.bindings) {
    if (b.peer) out << "- " << code(b.binding) << ": " << text::markdown::escape(b.description) << '\n';
  }
}

}  // namespace polyhost
