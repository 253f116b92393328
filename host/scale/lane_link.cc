#include "host/scale/lane_link.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "host/runner/subprocess.h"
#include "host/runner/worker_client.h"
#include "host/text/format.h"
#include "host/value_compare.h"
#include "host/write_all.h"

namespace polyhost {
namespace {

// One line from FD (without its '\n'); what there is at the end of the input.
std::string read_line(int fd) {
  std::string line;
  char c;
  for (;;) {
    const ssize_t n = ::read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0 || c == '\n') return line;
    line += c;
  }
}

void send_line(const UniqueFd& fd, std::string line) {
  std::replace(line.begin(), line.end(), '\n', ' ');
  line += '\n';
  write_all(fd.get(), line.data(), line.size());  // a lane that is gone is noticed by its closed pipe
}

std::string lane_name(int thread, int threads) { return "thread " + std::to_string(thread) + " of " + std::to_string(threads); }

struct LaneState {
  std::string text;  // what the lane wrote after its ready line
  bool ready = false, told = false, ended = false;
  double warm_call_ns = 0;
  int end_order = 0;  // 1 for the first lane to end, 2 for the next...; 0 while it has not
};

int iterations_for(const std::vector<LaneState>& states, const CoordinatorSettings& settings) {
  double slowest = 0;
  for (const auto& s : states) slowest = std::max(slowest, s.warm_call_ns);
  if (!(slowest > 0) || !(settings.min_time_s > 0)) return settings.min_iterations;
  const double wanted = std::ceil(settings.min_time_s * 1e9 / slowest);
  return static_cast<int>(std::clamp(wanted, static_cast<double>(settings.min_iterations),
                                     static_cast<double>(std::max(settings.min_iterations, kMaxScaleIterations))));
}

// Reads what LANE has written; marks it ready at its ready line and ended at the end of its pipe
// (numbered by ENDED, the lanes that ended so far).
void take_input(LaneLink& link, LaneState& state, int& ended) {
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(link.from_lane.get(), buffer, sizeof buffer);
    if (n > 0) {
      state.text.append(buffer, static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) break;
    state.ended = true;
    state.end_order = ++ended;
    link.from_lane.reset();
    break;
  }
  if (!state.ready && state.text.rfind("ready ", 0) == 0) {
    const auto end = state.text.find('\n');
    if (end != std::string::npos) {
      state.warm_call_ns = std::strtod(state.text.c_str() + 6, nullptr);
      state.ready = true;
      state.text.erase(0, end + 1);
    }
  }
}

ScaleLaneReport report_of(LaneLink& link, const LaneState& state, const CoordinatorSettings& settings) {
  ScaleLaneReport report;
  if (!state.ended) {
    if (link.give_up) link.give_up();
    report.thread.status = RunStatus::Timeout;
    report.thread.message = "still running " + text::format_plain_number(settings.grace_seconds) +
                            " s after the --timeout of " + text::format_plain_number(settings.timeout_seconds) +
                            " s (it did not stop when asked), so it was given up on";
    return report;
  }
  if (state.text.empty()) {
    const LaneEnd end = link.how_it_ended ? link.how_it_ended() : LaneEnd{};
    if (end.exit_status) {
      // As in `run`: status 0 without a report is the workload's error, any other status a crash.
      report.thread.status = *end.exit_status == 0 ? RunStatus::Error : RunStatus::Crash;
      report.thread.message = settings.file + ": the workload ended its process (os._exit, or exit() from native code) with status " +
                              std::to_string(*end.exit_status);
      return report;
    }
    report.thread.status = RunStatus::Crash;
    report.thread.message = "ended without a report" + (end.text.empty() ? "" : ": " + end.text);
    return report;
  }
  try {
    return read_scale_lane_report(state.text);
  } catch (const FileFormatError& e) {
    report.thread.status = RunStatus::Crash;
    report.thread.message = std::string("sent a malformed report (") + e.what() + ")";
    return report;
  }
}

// Of the lanes for which WHICH(k) holds, the first to end; lanes that never ended (given up on)
// come last, by number.
template <typename Which>
std::optional<std::size_t> first_to_end(const std::vector<LaneState>& states, Which which) {
  std::optional<std::size_t> first;
  auto order = [&](std::size_t k) { return states[k].end_order > 0 ? states[k].end_order : std::numeric_limits<int>::max(); };
  for (std::size_t k = 0; k < states.size(); ++k) {
    if (which(k) && (!first || order(k) < order(*first))) first = k;
  }
  return first;
}

// The lane whose failure is the process's verdict: of the lanes that failed (stopped ones are
// skipped), the first to end.
std::optional<std::size_t> first_failure(const std::vector<ScaleLaneReport>& reports, const std::vector<LaneState>& states) {
  return first_to_end(states, [&](std::size_t k) {
    const RunStatus status = reports[k].thread.status;
    return status != RunStatus::Ok && status != RunStatus::Skipped;
  });
}

ScaleWorkerMessage combine(std::vector<ScaleLaneReport>& reports, const std::vector<LaneState>& states, int iterations,
                           const CoordinatorSettings& settings) {
  ScaleWorkerMessage m;
  if (const auto failed = first_failure(reports, states)) {
    m.status = reports[*failed].thread.status;
    m.message = lane_name(static_cast<int>(*failed + 1), settings.threads) + ": " + reports[*failed].thread.message;
  }
  m.iterations = iterations;
  m.verified = true;
  std::int64_t first_start = 0, last_end = 0;
  for (std::size_t k = 0; k < reports.size(); ++k) {
    ScaleLaneReport& r = reports[k];
    if (m.engine.empty()) m.engine = r.engine;
    if (m.sizes.empty()) m.sizes = r.sizes;
    if (!m.size) m.size = r.size;
    m.has_verify = m.has_verify || r.has_verify;
    m.verified = m.verified && r.verified;
    if (r.thread.status == RunStatus::Ok) {
      if (first_start == 0 || r.started_ns < first_start) first_start = r.started_ns;
      last_end = std::max(last_end, r.ended_ns);
    }
    m.threads.push_back(std::move(r.thread));
  }
  if (m.status == RunStatus::Ok) {
    for (std::size_t k = 1; k < reports.size(); ++k) {
      if (!reports[0].result || !reports[k].result) continue;
      if (auto diff = find_difference(*reports[k].result, *reports[0].result)) {  // as the sentence: K's, then 1's
        m.status = RunStatus::Mismatch;
        m.message = "thread " + std::to_string(k + 1) + "'s result differs from thread 1's: " + *diff;
        break;
      }
    }
  }
  if (m.status == RunStatus::Ok) {
    m.result = reports.empty() ? std::nullopt : reports[0].result;
    m.wall_ns = static_cast<double>(last_end - first_start);
  }
  if (m.status != RunStatus::Ok) m.verified = false;
  return m;
}

// What the coordinator's ANSWER tells a lane ("go N", "stop STATUS WHY", or nothing: it is gone).
LaneGo go_from(const std::string& answer) {
  LaneGo go;
  if (answer.rfind("go ", 0) == 0) {
    go.iterations = std::max(1, std::atoi(answer.c_str() + 3));
    return go;
  }
  if (answer.rfind("stop ", 0) == 0) {
    const auto space = answer.find(' ', 5);
    go.status = parse_status(answer.substr(5, space == std::string::npos ? std::string::npos : space - 5))
                    .value_or(RunStatus::Interrupted);
    go.message = space == std::string::npos ? "" : answer.substr(space + 1);
    return go;
  }
  go.status = RunStatus::Interrupted;
  go.message = "the coordinating process went away before the measured calls";
  return go;
}

// The lane that ended first without being ready (it failed before its measured calls), if any.
std::optional<std::size_t> failed_before_ready(const std::vector<LaneState>& states) {
  return first_to_end(states, [&](std::size_t k) { return states[k].ended && !states[k].ready; });
}

}  // namespace

void UniqueFd::reset(int fd) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

LaneGo LaneChannel::ready(double warm_call_ns) {
  std::ostringstream line;
  line.precision(17);
  line << "ready " << warm_call_ns;
  send_line(to_coordinator_, line.str());
  return go_from(read_line(from_coordinator_.get()));
}

std::optional<LaneGo> LaneChannel::stopped_early() {
  pollfd fd{from_coordinator_.get(), POLLIN, 0};
  int ready;
  do {
    ready = ::poll(&fd, 1, 0);
  } while (ready < 0 && errno == EINTR);
  if (ready <= 0) return std::nullopt;
  // The coordinator writes its line at once, and says nothing but "stop" to a lane not yet ready.
  return go_from(read_line(from_coordinator_.get()));
}

void LaneChannel::finish(const ScaleLaneReport& report) {
  write_message(to_coordinator_.release(), write_scale_lane_report(report));
}

std::pair<LaneChannel, LaneLink> make_lane_pipes() {
  int up[2], down[2];
  if (::pipe2(up, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  if (::pipe2(down, O_CLOEXEC) != 0) {
    ::close(up[0]);
    ::close(up[1]);
    throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  }
  ::fcntl(up[0], F_SETFL, O_NONBLOCK);
  // Out of the way of the workload that runs in the lanes (os.closerange(3, 10) closed them).
  LaneLink link;
  link.from_lane = UniqueFd(keep_from_the_script(up[0]));
  link.to_lane = UniqueFd(keep_from_the_script(down[1]));
  return {LaneChannel(UniqueFd(keep_from_the_script(up[1])), UniqueFd(keep_from_the_script(down[0]))), std::move(link)};
}

ScaleWorkerMessage coordinate_lanes(std::vector<LaneLink>& lanes, const CoordinatorSettings& settings) {
  using Clock = std::chrono::steady_clock;
  std::vector<LaneState> states(lanes.size());
  const auto give_up_at = settings.deadline + std::chrono::duration_cast<Clock::duration>(
                                                  std::chrono::duration<double>(settings.grace_seconds));
  bool past_deadline = false, decided = false;
  // Whether the stop goes to lanes still warming up too (a lane failed), or only to ready ones (the
  // time ran out: the others are stopped by the timeout, whose verdict is theirs).
  bool stop_warming_lanes = false;
  int iterations = 0, ended = 0;
  std::string stop_line;  // for lanes that become ready once the decision is "do not measure"
  auto all = [&](auto predicate) { return std::all_of(states.begin(), states.end(), predicate); };
  for (;;) {
    const auto now = Clock::now();
    if (!past_deadline && now >= settings.deadline) {
      past_deadline = true;
      if (!decided) {
        decided = true;
        stop_line = std::string("stop ") + status_name(RunStatus::Skipped) +
                    " not measured: the time ran out (--timeout " + text::format_plain_number(settings.timeout_seconds) +
                    " s) while waiting for the other threads";
      }
    }
    if (!decided) {
      if (const auto failed = failed_before_ready(states)) {
        decided = true;
        stop_warming_lanes = true;
        stop_line = std::string("stop ") + status_name(RunStatus::Skipped) + " not measured: stopped because " +
                    lane_name(static_cast<int>(*failed + 1), settings.threads) + " failed before its measured calls";
      } else if (all([](const LaneState& s) { return s.ready; })) {
        decided = true;
        iterations = iterations_for(states, settings);
      }
    }
    if (decided) {
      for (std::size_t k = 0; k < states.size(); ++k) {
        if (states[k].told || states[k].ended || !(states[k].ready || stop_warming_lanes)) continue;
        send_line(lanes[k].to_lane, stop_line.empty() ? "go " + std::to_string(iterations) : stop_line);
        states[k].told = true;
      }
    }
    if (all([](const LaneState& s) { return s.ended; }) || now >= give_up_at) break;
    std::vector<pollfd> fds;
    std::vector<std::size_t> which;
    for (std::size_t k = 0; k < lanes.size(); ++k) {
      if (states[k].ended) continue;
      fds.push_back({lanes[k].from_lane.get(), POLLIN, 0});
      which.push_back(k);
    }
    const auto until = past_deadline ? give_up_at : settings.deadline;
    const auto wait_ms = std::chrono::duration_cast<std::chrono::milliseconds>(until - now).count() + 1;
    const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(std::clamp<long long>(wait_ms, 1, 1000)));
    if (ready <= 0) continue;
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) take_input(lanes[which[i]], states[which[i]], ended);
    }
  }
  std::vector<ScaleLaneReport> reports;
  for (std::size_t k = 0; k < lanes.size(); ++k) {
    reports.push_back(report_of(lanes[k], states[k], settings));
  }
  return combine(reports, states, iterations, settings);
}

}  // namespace polyhost
