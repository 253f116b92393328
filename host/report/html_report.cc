#include "host/report/html_report.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "host/export/format_units.h"
#include "host/report/svg_charts.h"

namespace polyhost {
namespace {

using nlohmann::json;
using svg::escape;

constexpr const char* kStyle = R"(
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 1340px; color: #222; padding: 0 16px; }
h1 { margin-bottom: 0; } h2 { margin-top: 36px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.subtitle { color: #666; margin-top: 4px; }
table { border-collapse: collapse; margin: 8px 0 16px; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.verdicts { border: 2px solid #c62828; background: #fdecea; padding: 8px 16px; border-radius: 6px; }
.verdicts h2 { color: #c62828; border: none; margin-top: 8px; }
.all-ok { border: 2px solid #2e7d32; background: #edf7ed; padding: 8px 16px; border-radius: 6px; }
.status-bad { color: #c62828; font-weight: bold; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; }
.chart-box { border: 1px solid #eee; border-radius: 6px; padding: 4px; }
.chart-box .note { color: #c62828; font-size: 12px; margin: 0 8px 6px; }
svg text { font: 12px system-ui, sans-serif; fill: #333; }
svg .chart-title { font-weight: bold; font-size: 13px; }
svg .grid { stroke: #eee; } svg .axis { stroke: #999; }
svg .whisker { stroke: #222; stroke-width: 1.5; }
svg .steady { stroke-dasharray: 4 3; stroke-width: 1.2; }
svg .tick, svg .legend { font-size: 11px; fill: #555; }
.heat td.num { min-width: 70px; }
code { background: #f4f4f4; padding: 0 3px; border-radius: 3px; }
)";

std::string td(const std::string& text, bool numeric = false) {
  return std::string(numeric ? "<td class=\"num\">" : "<td>") + escape(text) + "</td>";
}

std::string short_name(const std::string& path) { return std::filesystem::path(path).filename().string(); }

std::string number_text(const json& v) {
  if (!v.is_number()) return "";
  return report_text::format_duration_ns(v.get<double>());
}

void environment_section(const LoadedResults& r, std::ostream& out) {
  const json& env = r.document.value("environment", json::object());
  const json& settings = r.document.value("settings", json::object());
  auto get = [&](const char* key) {
    const json& v = env.value(key, json());
    return v.is_string() ? v.get<std::string>() : v.dump();
  };
  out << "<h2>Environment: " << escape(short_name(r.path)) << "</h2><table>";
  out << "<tr><th>CPU</th>" << td(get("cpu_model") + ", " + get("cpu_count") + " cores") << "</tr>";
  out << "<tr><th>OS</th>" << td(get("os")) << "</tr>";
  out << "<tr><th>polyhost</th>" << td(get("polyhost_version") + " at " + get("git_commit")) << "</tr>";
  out << "<tr><th>V8</th>" << td(get("v8_version")) << "</tr>";
  out << "<tr><th>CPython</th>" << td(get("python_version") + " (" + get("python_executable") + ")") << "</tr>";
  out << "<tr><th>started</th>" << td(get("start_time")) << "</tr>";
  out << "<tr><th>command</th><td><code>" << escape(get("command_line")) << "</code></td></tr>";
  out << "<tr><th>settings</th>"
      << td(settings.value("size", std::string("?")) + " sizes, " + std::to_string(settings.value("processes", 0)) +
            " processes x (" + std::to_string(settings.value("warmup", 0)) + " warm-up + " +
            std::to_string(settings.value("iterations", 0)) + " measured iterations)")
      << "</tr></table>";
  const json& configs = env.value("configs", json::object());
  const json& empty = env.value("empty_call_ns", json::object());
  out << "<table><tr><th>configuration</th><th>engine</th><th>flags</th><th>empty <code>run()</code> (host cost)</th></tr>";
  for (const auto& [name, c] : configs.items()) {
    std::string flags;
    for (const auto& f : c.value("flags", json::array())) flags += (flags.empty() ? "" : " ") + f.get<std::string>();
    out << "<tr>" << td(name) << td(c.value("engine", std::string())) << "<td><code>" << escape(flags) << "</code></td>"
        << td(number_text(empty.value(name, json())), true) << "</tr>";
  }
  out << "</table>";
}

void verdicts_section(const std::vector<LoadedResults>& all, std::ostream& out) {
  std::vector<std::string> problems;
  std::size_t total = 0;
  for (const auto& r : all) {
    for (const auto& run : r.runs) {
      ++total;
      if (run.status == "ok") continue;
      std::string first_line = run.message.substr(0, run.message.find('\n'));
      problems.push_back("<li><b>" + escape(run.workload) + "</b> [" + escape(run.config) + "] <span class=\"status-bad\">" +
                         escape(report_text::to_upper(run.status)) + "</span> — " + escape(first_line) +
                         (all.size() > 1 ? " <i>(" + escape(short_name(r.path)) + ")</i>" : "") + "</li>");
    }
  }
  if (problems.empty()) {
    out << "<p class=\"all-ok\">All " << total << " runs are <b>ok</b>: measured, verified and in agreement across languages.</p>";
    return;
  }
  out << "<section class=\"verdicts\"><h2>" << problems.size() << " of " << total
      << " runs are not ok (never ranked)</h2><ul>";
  for (const auto& p : problems) out << p;
  out << "</ul></section>";
}

void summary_section(const LoadedResults& r, std::ostream& out) {
  const json& doc = r.document;
  const json& means = doc.value("geometric_mean_ratio", json::object());
  const auto baseline = doc.value("settings", json::object()).value("configs", json::array());
  out << "<h2>Summary: " << escape(short_name(r.path)) << "</h2>";
  if (!means.empty()) {
    out << "<p>Geometric mean over the workloads of each configuration's median divided by <code>"
        << escape(baseline.empty() ? std::string("v8-jit") : baseline[0].get<std::string>())
        << "</code>'s (lower is faster):</p><table><tr><th>configuration</th><th>geometric mean ratio</th></tr>";
    for (const auto& [config, value] : means.items()) {
      out << "<tr>" << td(config) << td("\u00d7" + report_text::format_ratio(value.get<double>()), true) << "</tr>";
    }
    out << "</table>";
  }
  const json& tiers = doc.value("tier_ratios", json::array());
  if (!tiers.empty()) {
    out << "<p>What the tiers say (geometric mean over workloads, 95% bootstrap CI):</p>"
           "<table><tr><th>question</th><th>ratio</th><th>geometric mean [95% CI]</th><th>workloads</th></tr>";
    for (const auto& t : tiers) {
      stats::RatioEstimate estimate{t.value("geometric_mean", 0.0),
                                    {t["ci95"][0].get<double>(), t["ci95"][1].get<double>()}};
      out << "<tr>" << td(t.value("question", std::string())) << "<td><code>"
          << escape(t.value("numerator", std::string()) + " / " + t.value("denominator", std::string())) << "</code></td>"
          << td(report_text::format_ratio_with_ci(estimate), true) << td(std::to_string(t.value("workloads", 0)), true)
          << "</tr>";
    }
    out << "</table>";
  }
}

// The values of FIELD (workload or config) in order of first appearance over all files.
std::vector<std::string> first_appearance(const std::vector<LoadedResults>& all, std::string LoadedRun::*field) {
  std::vector<std::string> out;
  for (const auto& r : all) {
    for (const auto& run : r.runs) {
      if (std::find(out.begin(), out.end(), run.*field) == out.end()) out.push_back(run.*field);
    }
  }
  return out;
}
std::vector<std::string> workload_order(const std::vector<LoadedResults>& all) {
  return first_appearance(all, &LoadedRun::workload);
}
std::vector<std::string> config_order(const std::vector<LoadedResults>& all) {
  return first_appearance(all, &LoadedRun::config);
}

void charts_section(const std::vector<LoadedResults>& all, std::ostream& out) {
  const auto configs = config_order(all);
  auto color = [&](const std::string& config) {
    return svg::color_for(static_cast<std::size_t>(std::find(configs.begin(), configs.end(), config) - configs.begin()));
  };
  out << "<h2>Time per iteration, by workload</h2><p>Median of every measured iteration with its 95% confidence "
         "interval (whiskers), on a logarithmic axis.</p><div class=\"charts\">";
  for (const auto& workload : workload_order(all)) {
    std::vector<svg::Bar> bars;
    std::vector<std::string> notes;
    for (const auto& r : all) {
      for (const auto& run : r.runs) {
        if (run.workload != workload) continue;
        std::string label = run.config + (all.size() > 1 ? " \u00b7 " + short_name(r.path) : "");
        if (run.status != "ok" || !run.stats.is_object()) {
          notes.push_back(label + ": " + report_text::to_upper(run.status));
          continue;
        }
        bars.push_back({label, run.stats.value("median_ns", 0.0), run.stats["ci95_ns"][0].get<double>(),
                        run.stats["ci95_ns"][1].get<double>(), color(run.config)});
      }
    }
    out << "<div class=\"chart-box\">" << svg::bar_chart(workload, bars);
    for (const auto& n : notes) out << "<p class=\"note\">" << escape(n) << "</p>";
    out << "</div>";
  }
  out << "</div>";
}

void warmup_section(const LoadedResults& r, std::ostream& out) {
  const auto configs = config_order({r});
  out << "<h2>Warm-up: " << escape(short_name(r.path)) << "</h2><p>Every iteration of the first worker process of each "
         "configuration, warm-up included; a dashed line marks where the steady state starts when the classification "
         "(Barrett et al.) found one.</p><div class=\"charts\">";
  for (const auto& workload : workload_order({r})) {
    std::vector<svg::Series> series;
    for (const auto& run : r.runs) {
      if (run.workload != workload || run.process_series.empty()) continue;
      svg::Series s;
      s.label = run.config;
      s.ys_ns = run.process_series[0];
      s.color = svg::color_for(static_cast<std::size_t>(std::find(configs.begin(), configs.end(), run.config) - configs.begin()));
      const json& processes = run.warmup.is_object() ? run.warmup.value("processes", json::array()) : json::array();
      if (!processes.empty() && processes[0].value("steady_iteration", json()).is_number() &&
          processes[0].value("classification", std::string()) != "flat") {
        s.steady_iteration = processes[0]["steady_iteration"].get<std::size_t>();
      }
      series.push_back(std::move(s));
    }
    if (series.empty()) continue;
    out << "<div class=\"chart-box\">" << svg::line_chart(workload, series) << "</div>";
  }
  out << "</div>";
}

void overhead_section(const json& doc, const std::string& path, std::ostream& out) {
  const json& entries = doc.value("entries", json::array());
  std::vector<std::string> cases, bindings;
  std::map<std::pair<std::string, std::string>, json> cells;
  for (const auto& e : entries) {
    std::string c = e.value("case", std::string()), b = e.value("binding", std::string());
    if (std::find(cases.begin(), cases.end(), c) == cases.end()) cases.push_back(c);
    if (std::find(bindings.begin(), bindings.end(), b) == bindings.end()) bindings.push_back(b);
    cells[{c, b}] = e;
  }
  double lo = INFINITY, hi = 0;
  for (const auto& [key, e] : cells) {
    if (e.value("ns_per_call", json()).is_number() && e["ns_per_call"].get<double>() > 0.1) {
      lo = std::min(lo, e["ns_per_call"].get<double>());
      hi = std::max(hi, e["ns_per_call"].get<double>());
    }
  }
  auto shade = [&](double ns) {  // white (cheap) to red (costly), on a log scale
    if (!(hi > lo) || !(ns > 0.1)) return std::string("#ffffff");
    double t = std::clamp((std::log10(ns) - std::log10(lo)) / (std::log10(hi) - std::log10(lo)), 0.0, 1.0);
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "#%02x%02x%02x", 255, static_cast<int>(255 - 170 * t), static_cast<int>(255 - 200 * t));
    return std::string(buffer);
  };
  out << "<h2>Extension-call overhead: " << escape(short_name(path)) << "</h2><p>Nanoseconds per call (median; 95% CI "
         "on hover), from white (cheapest) to red (costliest) on a log scale. <code>cpp</code> is the direct C++ call, "
         "the floor; <code>js</code> and <code>py</code> are the same function in the pure language.</p>"
         "<table class=\"heat\"><tr><th>case</th>";
  for (const auto& b : bindings) out << "<th>" << escape(b) << "</th>";
  out << "</tr>";
  for (const auto& c : cases) {
    out << "<tr><th>" << escape(c) << "</th>";
    for (const auto& b : bindings) {
      const json& e = cells[{c, b}];
      if (e.value("ns_per_call", json()).is_number()) {
        double ns = e["ns_per_call"].get<double>();
        std::string ci = e.value("ci95", json()).is_array()
                             ? report_text::format_duration_with_ci(ns, e["ci95"][0].get<double>(), e["ci95"][1].get<double>())
                             : "";
        char value[32];
        std::snprintf(value, sizeof value, std::fabs(ns) < 10 ? "%.2f ns" : "%.0f ns", ns);
        out << "<td class=\"num\" style=\"background:" << shade(ns) << "\" title=\"" << escape(ci) << "\">" << value << "</td>";
      } else {
        out << "<td title=\"" << escape(e.value("reason", std::string())) << "\">n/a</td>";
      }
    }
    out << "</tr>";
  }
  out << "</table><p>Cells marked n/a: hover for why (for example, V8 10.2's fast API has no string parameters).</p>";
}

void text_tables_section(const std::vector<LoadedResults>& all, std::ostream& out) {
  out << "<h2>The numbers, as text</h2>";
  for (const auto& r : all) {
    std::map<std::pair<std::string, std::string>, json> ratios;
    for (const auto& c : r.document.value("comparisons", json::array())) {
      ratios[{c.value("workload", std::string()), c.value("config", std::string())}] = c;
    }
    out << "<h3>" << escape(short_name(r.path)) << "</h3><table><tr><th>workload</th><th>config</th><th>status</th>"
           "<th>median</th><th>95% CI</th><th>ratio to baseline [95% CI]</th><th>warm-up</th><th>samples</th></tr>";
    for (const auto& run : r.runs) {
      std::string median, ci, ratio, warm;
      if (run.stats.is_object()) {
        median = number_text(run.stats["median_ns"]);
        ci = number_text(run.stats["ci95_ns"][0]) + " \u2013 " + number_text(run.stats["ci95_ns"][1]);
      }
      if (auto it = ratios.find({run.workload, run.config}); it != ratios.end() && run.status == "ok") {
        ratio = report_text::format_ratio_with_ci(stats::RatioEstimate{
            it->second.value("ratio", 0.0), {it->second["ci95"][0].get<double>(), it->second["ci95"][1].get<double>()}});
      }
      if (run.warmup.is_object()) warm = run.warmup.value("classification", std::string());
      out << "<tr>" << td(run.workload) << td(run.config)
          << (run.status == "ok" ? td("ok") : "<td class=\"status-bad\">" + escape(run.status) + "</td>") << td(median, true)
          << td(ci, true) << td(ratio, true) << td(warm) << td(std::to_string(run.samples_ns.size()), true) << "</tr>";
    }
    out << "</table>";
  }
}

}  // namespace

std::string render_html_report(const ReportInputs& inputs) {
  std::ostringstream out;
  std::string sources;
  for (const auto& r : inputs.results) sources += (sources.empty() ? "" : ", ") + short_name(r.path);
  if (inputs.overhead) sources += (sources.empty() ? "" : ", ") + short_name(inputs.overhead_path);
  out << "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
         "content=\"width=device-width, initial-scale=1\"><title>polyhost report</title><style>"
      << kStyle << "</style></head><body><h1>polyhost report</h1><p class=\"subtitle\">JavaScript (V8) and Python "
      << "(CPython) running the same workloads, from " << escape(sources) << "</p>";
  if (!inputs.results.empty()) {
    verdicts_section(inputs.results, out);
    for (const auto& r : inputs.results) summary_section(r, out);
    charts_section(inputs.results, out);
    for (const auto& r : inputs.results) warmup_section(r, out);
  }
  if (inputs.overhead) overhead_section(*inputs.overhead, inputs.overhead_path, out);
  if (!inputs.results.empty()) text_tables_section(inputs.results, out);
  for (const auto& r : inputs.results) environment_section(r, out);
  if (inputs.overhead) {
    const json& env = inputs.overhead->value("environment", json::object());
    out << "<h2>Environment: " << escape(short_name(inputs.overhead_path)) << "</h2><p>" << escape(env.value("cpu_model", std::string()))
        << ", " << env.value("cpu_count", 0) << " cores; " << escape(env.value("os", std::string())) << "; V8 "
        << escape(env.value("v8_version", std::string())) << ", CPython " << escape(env.value("python_version", std::string()))
        << "; " << escape(env.value("start_time", std::string())) << "</p>";
  }
  out << "</body></html>\n";
  return out.str();
}

}  // namespace polyhost
