#include "host/v8/v8_es_modules.h"

#include <filesystem>
#include <string_view>

#include "host/read_file.h"
#include "host/v8/v8_strings.h"

namespace polyhost {
namespace {

void throw_module_error(v8::Isolate* isolate, const std::string& message, const char* code = nullptr,
                        const ImportSite& site = {}) {
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  auto error = v8::Exception::Error(v8_string(isolate, message)).As<v8::Object>();
  if (code) error->Set(context, v8_string(isolate, "code"), v8_string(isolate, code)).Check();
  if (!site.file.empty()) {  // read by describe_v8_exception, as the prelude's for a JSON file
    auto where = v8::Object::New(isolate);
    where->Set(context, v8_string(isolate, "file"), v8_string(isolate, site.file)).Check();
    where->Set(context, v8_string(isolate, "line"), v8::Integer::New(isolate, site.line)).Check();
    where->Set(context, v8_string(isolate, "column"), v8::Integer::New(isolate, site.column)).Check();
    error->DefineOwnProperty(context, v8_string(isolate, "polyhostLocation"), where, v8::DontEnum).Check();
  }
  isolate->ThrowException(error);
}

// Where REFERRER (read from FILE) imports SPECIFIER: V8 keeps each import's offset in the source.
ImportSite import_site(v8::Isolate* isolate, v8::Local<v8::Module> referrer, const std::string& file,
                       v8::Local<v8::String> specifier) {
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::Local<v8::FixedArray> requests = referrer->GetModuleRequests();
  for (int i = 0; i < requests->Length(); ++i) {
    auto request = requests->Get(context, i).As<v8::ModuleRequest>();
    if (!request->GetSpecifier()->StrictEquals(specifier)) continue;
    v8::Location at = referrer->SourceOffsetToLocation(request->GetSourceOffset());
    return {file, at.GetLineNumber() + 1, at.GetColumnNumber() + 1};
  }
  return {};
}

// PATH as a file: URL, as node's url.pathToFileURL writes it: a byte that a URL's path may not
// hold as it is (a control character, a space, non-ASCII, a backslash and " # % < > ? [ ] ^ ` { | } ~)
// percent-encoded.
std::string file_url_of(const std::string& path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  constexpr std::string_view kEncoded = " \"#%<>?[\\]^`{|}~";
  std::string url = "file://";
  for (const char c : path) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7F || kEncoded.find(c) != std::string_view::npos) {
      url += '%';
      url += kHex[byte >> 4];
      url += kHex[byte & 0xF];
    } else {
      url += c;
    }
  }
  return url;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The path a file: URL's path (after "file://") names: its percent-escapes decoded.
std::string path_of_file_url(std::string_view url_path) {
  std::string path;
  for (std::size_t i = 0; i < url_path.size(); ++i) {
    const int high = url_path[i] == '%' && i + 2 < url_path.size() ? hex_value(url_path[i + 1]) : -1;
    const int low = high >= 0 ? hex_value(url_path[i + 2]) : -1;
    if (low >= 0) {
      path += static_cast<char>(high * 16 + low);
      i += 2;
    } else {
      path += url_path[i];
    }
  }
  return path;
}

}  // namespace

EsModules::EsModules(v8::Isolate* isolate, PreludeCall call_prelude)
    : isolate_(isolate), call_prelude_(std::move(call_prelude)) {
  isolate_->SetData(kIsolateSlot, this);
  isolate_->SetHostImportModuleDynamicallyCallback(import_dynamic);
  isolate_->SetHostInitializeImportMetaObjectCallback(init_import_meta);
}

EsModules::~EsModules() { isolate_->SetData(kIsolateSlot, nullptr); }

EsModules& EsModules::from(v8::Isolate* isolate) { return *static_cast<EsModules*>(isolate->GetData(kIsolateSlot)); }

std::string EsModules::path_of(v8::Local<v8::Module> module) const {
  auto range = path_by_hash_.equal_range(module->GetIdentityHash());
  for (auto it = range.first; it != range.second; ++it) {
    auto found = by_path_.find(it->second);
    if (found != by_path_.end() && found->second.Get(isolate_) == module) return it->second;
  }
  return {};
}

// Node's rules for ES modules: relative or absolute specifiers naming the file exactly.
std::string EsModules::resolve(v8::Isolate* isolate, const std::string& specifier, const std::string& referrer,
                               const ImportSite& site) {
  namespace fs = std::filesystem;
  // A file: URL (one made from import.meta.url) names its path percent-encoded.
  std::string spec =
      specifier.rfind("file://", 0) == 0 ? path_of_file_url(std::string_view(specifier).substr(7)) : specifier;
  bool relative = spec.rfind("./", 0) == 0 || spec.rfind("../", 0) == 0;
  if (!relative && spec.rfind('/', 0) != 0) {
    throw_module_error(isolate, "Cannot find package '" + specifier + "' imported from " + referrer +
                                    "\n(polyhost resolves relative and absolute paths only: no built-in modules, no node_modules)",
                       "ERR_MODULE_NOT_FOUND", site);
    return {};
  }
  fs::path path = relative ? fs::path(referrer).parent_path() / spec : fs::path(spec);
  path = path.lexically_normal();
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    throw_module_error(isolate, "Cannot find module '" + specifier + "' imported from " + referrer, "ERR_MODULE_NOT_FOUND",
                       site);
    return {};
  }
  return path.string();
}

v8::MaybeLocal<v8::Module> EsModules::load(v8::Local<v8::Context> context, const std::string& path) {
  v8::Isolate* isolate = isolate_;
  v8::EscapableHandleScope scope(isolate);
  if (auto found = by_path_.find(path); found != by_path_.end()) return scope.Escape(found->second.Get(isolate));

  v8::Local<v8::Value> is_esm;
  if (!call_prelude_("isEsm", {v8_string(isolate, path)}).ToLocal(&is_esm)) return {};
  if (!is_esm->BooleanValue(isolate)) {
    v8::Local<v8::Module> module;
    if (!load_commonjs(context, path).ToLocal(&module)) return {};
    return scope.Escape(module);
  }

  std::optional<std::string> text = read_file(path);
  if (!text) {
    throw_module_error(isolate, "Cannot read module " + path, "ENOENT");
    return {};
  }
  v8::ScriptOrigin origin(isolate, v8_string(isolate, path), 0, 0, false, -1, v8::Local<v8::Value>(), false, false,
                          /*is_module=*/true);
  v8::ScriptCompiler::Source source(v8_string(isolate, *text), origin);
  v8::Local<v8::Module> module;
  if (!v8::ScriptCompiler::CompileModule(isolate, &source).ToLocal(&module)) return {};
  by_path_.emplace(path, v8::Global<v8::Module>(isolate, module));
  path_by_hash_.emplace(module->GetIdentityHash(), path);
  return scope.Escape(module);
}

// A CommonJS file imported from an ES module runs at link time (as require() would) and is seen
// as a module whose default export is module.exports, with its own keys as named exports.
v8::MaybeLocal<v8::Module> EsModules::load_commonjs(v8::Local<v8::Context> context, const std::string& path) {
  v8::Isolate* isolate = isolate_;
  v8::EscapableHandleScope scope(isolate);
  v8::Local<v8::Value> exports;
  if (!call_prelude_("require", {v8_string(isolate, path)}).ToLocal(&exports)) return {};
  std::vector<v8::Local<v8::String>> names{v8_string(isolate, "default")};
  if (exports->IsObject() && !exports->IsFunction()) {
    v8::Local<v8::Array> keys;
    if (exports.As<v8::Object>()->GetOwnPropertyNames(context).ToLocal(&keys)) {
      for (uint32_t i = 0; i < keys->Length(); ++i) {
        v8::Local<v8::Value> key = keys->Get(context, i).ToLocalChecked();
        if (key->IsString() && v8_to_utf8(isolate, key) != "default") names.push_back(key.As<v8::String>());
      }
    }
  }
  auto module = v8::Module::CreateSyntheticModule(isolate, v8_string(isolate, path), names, evaluate_synthetic);
  commonjs_exports_.emplace(path, v8::Global<v8::Value>(isolate, exports));
  by_path_.emplace(path, v8::Global<v8::Module>(isolate, module));
  path_by_hash_.emplace(module->GetIdentityHash(), path);
  return scope.Escape(module);
}

v8::MaybeLocal<v8::Value> EsModules::evaluate_synthetic(v8::Local<v8::Context> context, v8::Local<v8::Module> module) {
  v8::Isolate* isolate = context->GetIsolate();
  EsModules& self = from(isolate);
  std::string path = self.path_of(module);
  v8::Local<v8::Value> exports = self.commonjs_exports_.at(path).Get(isolate);
  if (module->SetSyntheticModuleExport(isolate, v8_string(isolate, "default"), exports).IsNothing()) return {};
  if (exports->IsObject() && !exports->IsFunction()) {
    v8::Local<v8::Array> keys;
    if (exports.As<v8::Object>()->GetOwnPropertyNames(context).ToLocal(&keys)) {
      for (uint32_t i = 0; i < keys->Length(); ++i) {
        v8::Local<v8::Value> key = keys->Get(context, i).ToLocalChecked();
        if (!key->IsString() || v8_to_utf8(isolate, key) == "default") continue;
        v8::Local<v8::Value> value;
        if (!exports.As<v8::Object>()->Get(context, key).ToLocal(&value)) return {};
        // Keys added after the import was linked are not exports; ignore them.
        v8::TryCatch ignore(isolate);
        module->SetSyntheticModuleExport(isolate, key.As<v8::String>(), value).IsJust();
      }
    }
  }
  auto resolver = v8::Promise::Resolver::New(context).ToLocalChecked();
  resolver->Resolve(context, v8::Undefined(isolate)).Check();
  return resolver->GetPromise();
}

v8::MaybeLocal<v8::Module> EsModules::resolve_static(v8::Local<v8::Context> context, v8::Local<v8::String> specifier,
                                                     v8::Local<v8::FixedArray>, v8::Local<v8::Module> referrer) {
  v8::Isolate* isolate = context->GetIsolate();
  v8::EscapableHandleScope scope(isolate);
  EsModules& self = from(isolate);
  // V8 10.2 aborts (Check failed: has_pending_exception) when a module that fails to compile or
  // load is returned as empty with its error still inside the nested calls; catching the error
  // here and throwing it again from the callback itself makes it the pending exception V8 wants.
  v8::Local<v8::Value> error;
  {
    v8::TryCatch try_catch(isolate);
    const std::string referrer_path = self.path_of(referrer);
    std::string path = resolve(isolate, v8_to_utf8(isolate, specifier), referrer_path,
                               import_site(isolate, referrer, referrer_path, specifier));
    v8::Local<v8::Module> module;
    if (!path.empty() && self.load(context, path).ToLocal(&module)) return scope.Escape(module);
    if (try_catch.HasTerminated()) {
      try_catch.ReThrow();
      return {};
    }
    if (try_catch.HasCaught()) error = try_catch.Exception();
  }
  if (error.IsEmpty()) error = v8::Exception::Error(v8_string(isolate, "cannot load the module imported by " + self.path_of(referrer)));
  isolate->ThrowException(error);
  return {};
}

v8::MaybeLocal<v8::Module> EsModules::load_and_link(v8::Local<v8::Context> context, const std::string& path) {
  v8::EscapableHandleScope scope(isolate_);
  v8::Local<v8::Module> module;
  if (!load(context, path).ToLocal(&module)) return {};
  if (module->GetStatus() == v8::Module::kUninstantiated &&
      module->InstantiateModule(context, resolve_static).IsNothing()) {
    return {};
  }
  return scope.Escape(module);
}

v8::MaybeLocal<v8::Promise> EsModules::import_dynamic(v8::Local<v8::Context> context, v8::Local<v8::Data>,
                                                      v8::Local<v8::Value> resource_name,
                                                      v8::Local<v8::String> specifier, v8::Local<v8::FixedArray>) {
  v8::Isolate* isolate = context->GetIsolate();
  v8::EscapableHandleScope scope(isolate);
  EsModules& self = from(isolate);
  auto resolver = v8::Promise::Resolver::New(context).ToLocalChecked();
  v8::TryCatch try_catch(isolate);
  std::string referrer = resource_name->IsString() ? v8_to_utf8(isolate, resource_name)
                                                   : std::filesystem::current_path().string() + "/[eval]";
  std::string path = resolve(isolate, v8_to_utf8(isolate, specifier), referrer);
  v8::Local<v8::Module> module;
  v8::Local<v8::Value> evaluation;
  if (!path.empty() && self.load_and_link(context, path).ToLocal(&module) &&
      module->Evaluate(context).ToLocal(&evaluation)) {
    // Resolve with the namespace once evaluation (which may await) has finished.
    auto then = v8::Function::New(context, [](const v8::FunctionCallbackInfo<v8::Value>& info) {
                  info.GetReturnValue().Set(info.Data());
                }, module->GetModuleNamespace()).ToLocalChecked();
    v8::Local<v8::Promise> chained;
    if (evaluation.As<v8::Promise>()->Then(context, then).ToLocal(&chained)) {
      resolver->Resolve(context, chained).Check();
      return scope.Escape(resolver->GetPromise());
    }
  }
  if (try_catch.HasCaught() && !try_catch.HasTerminated()) {
    resolver->Reject(context, try_catch.Exception()).Check();
  } else if (try_catch.HasTerminated()) {
    try_catch.ReThrow();
    return {};
  }
  return scope.Escape(resolver->GetPromise());
}

void EsModules::init_import_meta(v8::Local<v8::Context> context, v8::Local<v8::Module> module,
                                 v8::Local<v8::Object> meta) {
  v8::Isolate* isolate = context->GetIsolate();
  EsModules& self = from(isolate);
  std::string path = self.path_of(module);
  meta->Set(context, v8_string(isolate, "url"), v8_string(isolate, file_url_of(path))).Check();
  meta->Set(context, v8_string(isolate, "filename"), v8_string(isolate, path)).Check();
  meta->Set(context, v8_string(isolate, "dirname"),
            v8_string(isolate, std::filesystem::path(path).parent_path().string())).Check();
}

}  // namespace polyhost
