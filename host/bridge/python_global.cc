#include "host/bridge/python_global.h"

#include <stdexcept>
#include <string>

#include "host/bridge/boundary_copies.h"
#include "host/bridge/boundary_errors.h"
#include "host/bridge/boundary_values.h"
#include "host/bridge/bridge.h"
#include "host/bridge/crossing.h"
#include "host/bridge/python_object_proxy.h"
#include "host/v8/v8_strings.h"

namespace polyhost {
namespace {

using Args = v8::FunctionCallbackInfo<v8::Value>;

void throw_js_error(v8::Isolate* isolate, const std::string& message, bool type_error = false) {
  v8::Local<v8::String> text = v8_string(isolate, message);
  isolate->ThrowException(type_error ? v8::Exception::TypeError(text) : v8::Exception::Error(text));
}

// The bridge, with CPython started; nullptr after throwing when it cannot be had.
Bridge* bridge_for(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  auto* bridge = static_cast<Bridge*>(args.Data().As<v8::Object>()->GetAlignedPointerFromInternalField(0));
  if (!bridge) {
    throw_js_error(isolate, "polyhost: the bridge to Python is gone");
    return nullptr;
  }
  try {
    bridge->python();
  } catch (const std::exception& e) {
    throw_js_error(isolate, std::string("polyhost: Python could not be started: ") + e.what());
    return nullptr;
  }
  return bridge;
}

// The folder of the JavaScript file that called, for python.import.
std::string caller_directory(v8::Isolate* isolate) {
  v8::Local<v8::StackTrace> trace = v8::StackTrace::CurrentStackTrace(isolate, 1, v8::StackTrace::kScriptName);
  if (trace->GetFrameCount() == 0) return {};
  v8::Local<v8::String> script = trace->GetFrame(isolate, 0)->GetScriptName();
  if (script.IsEmpty()) return {};
  std::string path = v8_to_utf8(isolate, script);
  if (path.rfind("file://", 0) == 0) path = path.substr(7);
  if (path.empty() || path[0] != '/') return {};
  return path.substr(0, path.rfind('/'));
}

// VARS of python.eval / python.exec: an object's own properties as a dict, or None.
PyRef names_dict(Bridge& bridge, v8::Local<v8::Context> context, const Args& args, int index) {
  if (args.Length() <= index || args[index]->IsNullOrUndefined()) return PyRef::borrow(Py_None);
  if (!args[index]->IsObject()) {
    PyErr_SetString(PyExc_TypeError, "the names must be given as an object ({name: value, ...})");
    return {};
  }
  v8::Local<v8::Object> object = args[index].As<v8::Object>();
  v8::Local<v8::Array> keys;
  PyRef dict = PyRef::steal(PyDict_New());
  if (!dict || !object->GetOwnPropertyNames(context).ToLocal(&keys)) return {};
  for (std::uint32_t i = 0; i < keys->Length(); ++i) {
    v8::Local<v8::Value> key, value;
    if (!keys->Get(context, i).ToLocal(&key) || !object->Get(context, key).ToLocal(&value)) return {};
    PyRef py_key = to_python(bridge, context, key);
    PyRef py_value = py_key ? to_python(bridge, context, value) : PyRef();
    if (!py_value || PyDict_SetItem(dict.get(), py_key.get(), py_value.get()) < 0) return {};
  }
  return dict;
}

// Calls the bridge helper NAME with ARGS; the result crosses to JavaScript.
void call_helper(Bridge& bridge, const Args& args, const char* name, std::initializer_list<PyObject*> py_args) {
  v8::Local<v8::Context> context = args.GetIsolate()->GetCurrentContext();
  PyRef tuple = PyRef::steal(PyTuple_New(static_cast<Py_ssize_t>(py_args.size())));
  if (!tuple) return throw_python_error_in_js(bridge, context);
  Py_ssize_t i = 0;
  for (PyObject* arg : py_args) PyTuple_SET_ITEM(tuple.get(), i++, Py_NewRef(arg));
  PyRef result = PyRef::steal(PyObject_Call(bridge.helper(name), tuple.get(), nullptr));
  v8::Local<v8::Value> out;
  if (!result || !to_js(bridge, context, result.get()).ToLocal(&out)) return throw_python_error_in_js(bridge, context);
  args.GetReturnValue().Set(out);
}

bool string_argument(const Args& args, const char* usage) {
  if (args.Length() >= 1 && args[0]->IsString()) return true;
  throw_js_error(args.GetIsolate(), usage, true);
  return false;
}

void import_module(const Args& args) {
  Bridge* bridge = bridge_for(args);
  if (!bridge || !string_argument(args, "python.import(name): the module name must be a string")) return;
  IntoPython in(*bridge, args.GetIsolate());
  if (!in.entered()) return;
  PyRef name = python_string(in.isolate(), args[0].As<v8::String>());
  PyRef directory = PyRef::steal(PyUnicode_FromString(caller_directory(in.isolate()).c_str()));
  if (!name || !directory) return in.fail();
  call_helper(*bridge, args, "_import_for_js", {name.get(), directory.get()});
}

void run_source(const Args& args, const char* helper, const char* usage) {
  Bridge* bridge = bridge_for(args);
  if (!bridge || !string_argument(args, usage)) return;
  IntoPython in(*bridge, args.GetIsolate());
  if (!in.entered()) return;
  PyRef source = python_string(in.isolate(), args[0].As<v8::String>());
  PyRef names = source ? names_dict(*bridge, in.context(), args, 1) : PyRef();
  if (!names) {
    if (PyErr_Occurred()) return in.fail();
    return;  // a JavaScript getter threw
  }
  call_helper(*bridge, args, helper, {source.get(), names.get()});
}

void eval_expression(const Args& args) {
  run_source(args, "_eval_for_js", "python.eval(expression, names): the expression must be a string");
}

void exec_statements(const Args& args) {
  run_source(args, "_exec_for_js", "python.exec(code, names): the code must be a string");
}

// Only own enumerable string keys are keyword names: an enumerable Symbol key would be dropped
// without a word, so it is a TypeError naming it. False once thrown.
bool refuse_symbol_keys(v8::Isolate* isolate, v8::Local<v8::Object> names) {
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::Local<v8::Array> symbols;
  if (!names->GetOwnPropertyNames(context, static_cast<v8::PropertyFilter>(v8::ONLY_ENUMERABLE | v8::SKIP_STRINGS),
                                  v8::KeyConversionMode::kKeepNumbers)
           .ToLocal(&symbols)) {
    return false;  // a getter or trap threw
  }
  if (symbols->Length() == 0) return true;
  v8::Local<v8::Value> symbol;
  if (!symbols->Get(context, 0).ToLocal(&symbol) || !symbol->IsSymbol()) return false;
  v8::Local<v8::Value> description = symbol.As<v8::Symbol>()->Description(isolate);
  const std::string name = "Symbol(" + (description->IsString() ? v8_to_utf8(isolate, description) : std::string()) + ")";
  throw_js_error(isolate,
                 "python.kw(names): the key " + name +
                     " is a Symbol, and a keyword's name is a string (only own enumerable string keys are passed)",
                 true);
  return false;
}

void keywords(const Args& args) {
  Bridge* bridge = bridge_for(args);
  if (!bridge) return;
  // A plain object, or a proxy of a Python dict: a Map, Date, Promise, Proxy, class instance or
  // other Python object would lose its entries, since only own enumerable string keys are read.
  PyObject* python = args.Length() < 1 ? nullptr : PythonObjectProxies::unwrap(args[0]);
  if (args.Length() < 1 || !args[0]->IsObject() || args[0]->IsFunction() || args[0]->IsArray() || args[0]->IsProxy() ||
      (python ? !PyDict_Check(python)
              : v8_to_utf8(args.GetIsolate(), args[0].As<v8::Object>()->GetConstructorName()) != "Object")) {
    return throw_js_error(args.GetIsolate(), "python.kw(names): give the keyword arguments as a plain object", true);
  }
  if (!python && !refuse_symbol_keys(args.GetIsolate(), args[0].As<v8::Object>())) return;
  v8::Local<v8::Object> marker;
  if (bridge->python_objects().keywords(args.GetIsolate()->GetCurrentContext(), args[0].As<v8::Object>()).ToLocal(&marker)) {
    args.GetReturnValue().Set(marker);
  }
}

void python_copy(const Args& args) {
  Bridge* bridge = bridge_for(args);
  if (!bridge) return;
  if (args.Length() < 1) return args.GetReturnValue().SetUndefined();
  PyObject* object = PythonObjectProxies::unwrap(args[0]);
  if (!object) return args.GetReturnValue().Set(args[0]);  // not a Python object: already JavaScript
  IntoPython in(*bridge, args.GetIsolate());
  if (!in.entered()) return;
  v8::Local<v8::Value> out;
  if (!copy_to_js(*bridge, in.context(), object).ToLocal(&out)) return in.fail();
  args.GetReturnValue().Set(out);
}

void python_view(const Args& args) {
  Bridge* bridge = bridge_for(args);
  if (!bridge) return;
  PyObject* object = args.Length() > 0 ? PythonObjectProxies::unwrap(args[0]) : nullptr;
  if (!object) return throw_js_error(args.GetIsolate(), "python.view(buffer): give it a Python object such as a bytearray", true);
  IntoPython in(*bridge, args.GetIsolate());
  if (!in.entered()) return;
  v8::Local<v8::Value> out;
  if (!view_in_js(*bridge, in.context(), object).ToLocal(&out)) return in.fail();
  args.GetReturnValue().Set(out);
}

}  // namespace

v8::Local<v8::Object> make_python_global(Bridge& bridge, v8::Local<v8::Context> context, v8::Local<v8::Object>& link) {
  v8::Isolate* isolate = context->GetIsolate();
  v8::Local<v8::ObjectTemplate> link_template = v8::ObjectTemplate::New(isolate);
  link_template->SetInternalFieldCount(1);
  v8::Local<v8::Object> data = link_template->NewInstance(context).ToLocalChecked();
  data->SetAlignedPointerInInternalField(0, &bridge);
  v8::Local<v8::Object> python = v8::Object::New(isolate);
  auto add = [&](const char* name, v8::FunctionCallback callback, int length) {
    v8::Local<v8::Function> fn =
        v8::Function::New(context, callback, data, length, v8::ConstructorBehavior::kThrow).ToLocalChecked();
    fn->SetName(v8_string(isolate, name));
    python->Set(context, v8_string(isolate, name), fn).Check();
  };
  add("import", import_module, 1);
  add("eval", eval_expression, 1);
  add("exec", exec_statements, 1);
  add("kw", keywords, 1);
  add("copy", python_copy, 1);
  add("view", python_view, 1);
  link = data;
  return python;
}

}  // namespace polyhost
