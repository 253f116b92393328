// ES modules for V8Engine: loading, linking (static import), dynamic import(), import.meta,
// and CommonJS files imported from ES modules (as synthetic modules).
#pragma once

#include <v8.h>

#include <functional>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace polyhost {

// Where a static import is written: a module's file, and the 1-based line and column of its
// specifier (an empty file when not known).
struct ImportSite {
  std::string file;
  int line = 0;
  int column = 0;
};

class EsModules {
 public:
  // Calls a function of the prelude's API object (require, isEsm, ...).
  using PreludeCall = std::function<v8::MaybeLocal<v8::Value>(const char* name, std::vector<v8::Local<v8::Value>> args)>;

  // Registers itself in ISOLATE (data slot kIsolateSlot) for V8's module callbacks to find.
  EsModules(v8::Isolate* isolate, PreludeCall call_prelude);
  ~EsModules();
  EsModules(const EsModules&) = delete;
  EsModules& operator=(const EsModules&) = delete;

  // Loads, links and starts evaluating the module at PATH (absolute). Returns the module and the
  // Promise its evaluation returned, or empty with an exception pending.
  v8::MaybeLocal<v8::Module> load_and_link(v8::Local<v8::Context> context, const std::string& path);

 private:
  v8::MaybeLocal<v8::Module> load(v8::Local<v8::Context> context, const std::string& path);
  v8::MaybeLocal<v8::Module> load_commonjs(v8::Local<v8::Context> context, const std::string& path);
  std::string path_of(v8::Local<v8::Module> module) const;
  // The file SPECIFIER, imported from REFERRER at SITE (for the error's location), names; or "" with
  // an error thrown.
  static std::string resolve(v8::Isolate* isolate, const std::string& specifier, const std::string& referrer,
                             const ImportSite& site = {});

  static v8::MaybeLocal<v8::Module> resolve_static(v8::Local<v8::Context> context, v8::Local<v8::String> specifier,
                                                   v8::Local<v8::FixedArray> assertions, v8::Local<v8::Module> referrer);
  static v8::MaybeLocal<v8::Value> evaluate_synthetic(v8::Local<v8::Context> context, v8::Local<v8::Module> module);
  static v8::MaybeLocal<v8::Promise> import_dynamic(v8::Local<v8::Context> context, v8::Local<v8::Data> options,
                                                    v8::Local<v8::Value> resource_name, v8::Local<v8::String> specifier,
                                                    v8::Local<v8::FixedArray> assertions);
  static void init_import_meta(v8::Local<v8::Context> context, v8::Local<v8::Module> module, v8::Local<v8::Object> meta);

  static constexpr uint32_t kIsolateSlot = 1;  // slot 0 is the engine's
  static EsModules& from(v8::Isolate* isolate);

  v8::Isolate* isolate_;
  PreludeCall call_prelude_;
  std::map<std::string, v8::Global<v8::Module>> by_path_;
  std::unordered_multimap<int, std::string> path_by_hash_;
  std::map<std::string, v8::Global<v8::Value>> commonjs_exports_;  // for synthetic modules, by path
};

}  // namespace polyhost
