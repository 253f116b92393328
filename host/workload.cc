#include "host/workload.h"

#include <algorithm>
#include <fstream>
#include <set>

#include "host/build_info.h"

namespace polyhost {

std::string Workload::missing_file(Language language) const {
  std::error_code ec;
  if (std::filesystem::is_regular_file(file_for(language), ec)) return "";
  return "missing " + file_for(language).string() + " (a workload needs both files)";
}

namespace fs = std::filesystem;

namespace {

// DIR absolute and without "." or ".." or a trailing slash ("tiny/" and "." name their folder too).
fs::path folder(const fs::path& dir) {
  std::error_code ec;
  fs::path canonical = fs::weakly_canonical(fs::absolute(dir, ec), ec);
  if (ec) canonical = fs::absolute(dir).lexically_normal();
  if (canonical.filename().empty() && canonical.has_parent_path()) canonical = canonical.parent_path();
  return canonical;
}

bool is_workload_dir(const fs::path& dir) {
  const fs::path canonical = folder(dir);
  const std::string name = canonical.filename().string();
  std::error_code ec;
  return !name.empty() && (fs::is_regular_file(canonical / (name + ".js"), ec) ||
                           fs::is_regular_file(canonical / (name + ".py"), ec));
}

Workload workload_at(const fs::path& dir) {
  const fs::path canonical = folder(dir);
  const std::string name = canonical.filename().string();
  return {name, canonical, canonical / (name + ".js"), canonical / (name + ".py")};
}

void add_suite(const fs::path& suite, std::vector<Workload>& out) {
  for (const auto& entry : fs::directory_iterator(suite)) {
    if (entry.is_directory() && is_workload_dir(entry.path())) out.push_back(workload_at(entry.path()));
  }
}

}  // namespace

fs::path default_suite_dir() {
  std::error_code ec;
  if (fs::is_directory("workloads", ec)) return fs::absolute("workloads");
  return fs::path(build_info::source_dir) / "workloads";
}

namespace {

// Whether PATH begins as polyhost's JSON, CSV or Markdown outputs do.
bool written_by_polyhost(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  char head[256] = {};
  in.read(head, sizeof head - 1);
  const std::string text(head, static_cast<std::size_t>(in.gcount()));
  return text.rfind("workload,language,config,", 0) == 0 || text.rfind("# polyhost", 0) == 0 ||
         (text.rfind("{", 0) == 0 && text.find("\"schema\": \"polyhost.") != std::string::npos);
}

}  // namespace

std::vector<std::string> workload_files(const std::vector<Workload>& workloads) {
  std::vector<std::string> files;
  for (const auto& w : workloads) {
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(w.dir, ec); !ec && it != std::filesystem::recursive_directory_iterator();
         it.increment(ec)) {
      std::error_code type_ec;
      if (it->is_regular_file(type_ec) && !written_by_polyhost(it->path())) files.push_back(it->path().string());
    }
  }
  return files;
}

std::vector<Workload> find_workloads(const std::vector<std::string>& targets) {
  std::vector<Workload> out;
  std::error_code ec;
  if (targets.empty()) {
    fs::path suite = default_suite_dir();
    if (!fs::is_directory(suite, ec)) throw WorkloadError("no workload suite at " + suite.string());
    add_suite(suite, out);
  }
  for (const auto& target : targets) {
    fs::path path(target);
    if (fs::is_directory(path, ec)) {
      if (is_workload_dir(path)) {
        out.push_back(workload_at(path));
      } else {
        size_t before = out.size();
        add_suite(path, out);
        if (out.size() == before) {
          throw WorkloadError(target + ": folder holds no workload (expected <name>/<name>.js and <name>.py)");
        }
      }
    } else if (target.find('/') == std::string::npos && is_workload_dir(default_suite_dir() / target)) {
      out.push_back(workload_at(default_suite_dir() / target));
    } else if (fs::exists(path, ec)) {
      throw WorkloadError(target + ": is a file, not a workload; give the workload's folder (<name>/ holding <name>.js and "
                                   "<name>.py)");
    } else {
      throw WorkloadError(target + ": no such workload or folder (workloads are looked up in " +
                          default_suite_dir().string() + ")");
    }
  }
  std::sort(out.begin(), out.end(), [](const Workload& a, const Workload& b) {
    return a.name != b.name ? a.name < b.name : a.dir < b.dir;
  });
  auto same_folder = [](const fs::path& a, const fs::path& b) {
    std::error_code error;
    return fs::equivalent(a, b, error) || a == b;
  };
  std::vector<Workload> unique;  // the same folder named twice runs once
  for (auto& w : out) {
    if (std::none_of(unique.begin(), unique.end(), [&](const Workload& u) { return same_folder(u.dir, w.dir); })) {
      unique.push_back(std::move(w));
    }
  }
  // Results are keyed by name: two different folders of one name would be merged into one row.
  for (std::size_t i = 1; i < unique.size(); ++i) {
    if (unique[i].name == unique[i - 1].name) {
      throw WorkloadError("two workloads are named '" + unique[i].name + "' (" + unique[i - 1].dir.string() + " and " +
                          unique[i].dir.string() + "); results are matched by name, so rename one folder");
    }
  }
  out.swap(unique);
  return out;
}

namespace {

// "the number 5", "the str 'yes'", "None": a data value as its own language would name it.
std::string describe_data(const Value& value, Language language) {
  const bool js = language == Language::JavaScript;
  if (value.is_null()) return js ? "null" : "None";
  if (value.is_bool()) return js ? (value.as_bool() ? "true" : "false") : (value.as_bool() ? "True" : "False");
  std::string type = value.is_number() ? (js ? "number" : value.is_int() ? "int" : "float")
                     : value.is_string() ? (js ? "string" : "str")
                     : value.is_array()  ? (js ? "array" : "list")
                                         : (js ? "object" : "dict");
  std::string text = value.to_json();
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return "the " + type + " " + text;
}

// Throws WorkloadError when the loaded module's NAME is plain data (a number, string, boolean,
// null, array or object of such) rather than a function. The Engine interface has no "is it
// callable" question, so this asks the one it has: a value that converts to a Value is data, and
// data is never callable. A value that does not convert (a function, a class, a callable object,
// but also a Symbol or a Set) is left to the call, where the engine's own check applies
// (is_not_a_function_error).
void require_function(Engine& engine, const std::string& name) {
  std::optional<Value> data;
  try {
    data = engine.get_export(name);
  } catch (const ConversionError&) {
    return;  // not JSON-like: a function, most likely
  }
  throw WorkloadError(name + " is not a function (it is " + describe_data(*data, engine.language()) +
                      "); the contract needs " + name + (name == "verify" ? "(result, n)" : "(n)") + " to be a function");
}

}  // namespace

bool is_not_a_function_error(const ScriptErrorInfo& info) {
  if (!info.file.empty() || info.line != 0 || !info.stack.empty() || info.type != "TypeError") return false;
  for (const char* name : {"run", "setup", "verify"}) {
    if (info.message.rfind(std::string(name) + " is not a function", 0) == 0) return true;
  }
  return false;
}

WorkloadShape inspect_loaded_workload(Engine& engine) {
  WorkloadShape shape;
  if (!engine.has_export("run")) throw WorkloadError("the workload defines no run() function");
  require_function(engine, "run");
  const char* sizes_name = engine.language() == Language::JavaScript ? "sizes" : "SIZES";
  if (!engine.has_export(sizes_name)) {
    throw WorkloadError(std::string("the workload defines no ") + sizes_name + " = {quick: N, default: N}");
  }
  Value sizes = engine.get_export(sizes_name);
  for (const char* key : {"quick", "default"}) {
    if (!sizes.is_map() || !sizes.as_map().count(key) || !sizes.as_map().at(key).is_int() ||
        sizes.as_map().at(key).as_int() <= 0) {
      throw WorkloadError(std::string(sizes_name) + " must map \"quick\" and \"default\" to positive integers; it is " +
                          sizes.to_json());
    }
    shape.sizes[key] = sizes.as_map().at(key).as_int();
  }
  shape.has_setup = engine.has_export("setup");
  shape.has_verify = engine.has_export("verify");
  if (shape.has_setup) require_function(engine, "setup");
  if (shape.has_verify) require_function(engine, "verify");
  return shape;
}

namespace {

std::string sizes_text(const std::map<std::string, std::int64_t>& sizes) {
  std::string text = "{";
  for (const auto& [name, n] : sizes) text += (text.size() > 1 ? "," : "") + ("\"" + name + "\":" + std::to_string(n));
  return text + "}";
}

}  // namespace

std::optional<std::string> sizes_disagreement(const std::vector<DeclaredSizes>& declared) {
  for (const auto& other : declared) {
    const DeclaredSizes& first = declared.front();
    if (other.sizes != first.sizes) {
      return "sizes differ between the files: " + first.language + " " + sizes_text(first.sizes) + " vs " +
             other.language + " " + sizes_text(other.sizes);
    }
  }
  return std::nullopt;
}

}  // namespace polyhost
