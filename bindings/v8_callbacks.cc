#include "bindings/v8_callbacks.h"

#include <string>
#include <vector>

#include "bindings/native.h"

namespace polyhost::bindings {
namespace {

using Args = v8::FunctionCallbackInfo<v8::Value>;

void type_error(const Args& args, const std::string& message) {
  v8::Isolate* isolate = args.GetIsolate();
  isolate->ThrowException(v8::Exception::TypeError(
      v8::String::NewFromUtf8(isolate, message.c_str()).ToLocalChecked()));
}

bool expect_count(const Args& args, const char* name, int count) {
  if (args.Length() == count) return true;
  type_error(args, std::string(name) + "() takes " + std::to_string(count) + " argument" + (count == 1 ? "" : "s") +
                       " (" + std::to_string(args.Length()) + " given)");
  return false;
}

std::string utf8_of_js_value(v8::Isolate* isolate, v8::Local<v8::Value> value) {
  v8::String::Utf8Value text(isolate, value);
  return std::string(*text, text.length());
}

}  // namespace

namespace v8_callbacks {

void noop(const Args& args) {
  if (!expect_count(args, "noop", 0)) return;
  native::noop();
}

void add_i32(const Args& args) {
  if (!expect_count(args, "add_i32", 2)) return;
  if (!args[0]->IsInt32() || !args[1]->IsInt32()) return type_error(args, "add_i32(a, b) takes two 32-bit integers");
  args.GetReturnValue().Set(native::add_i32(args[0].As<v8::Int32>()->Value(), args[1].As<v8::Int32>()->Value()));
}

void add_f64(const Args& args) {
  if (!expect_count(args, "add_f64", 2)) return;
  if (!args[0]->IsNumber() || !args[1]->IsNumber()) return type_error(args, "add_f64(a, b) takes two numbers");
  args.GetReturnValue().Set(native::add_f64(args[0].As<v8::Number>()->Value(), args[1].As<v8::Number>()->Value()));
}

void str_len(const Args& args) {
  if (!expect_count(args, "str_len", 1)) return;
  if (!args[0]->IsString()) return type_error(args, "str_len(s) takes a string");
  args.GetReturnValue().Set(static_cast<double>(native::str_len(utf8_of_js_value(args.GetIsolate(), args[0]))));
}

void str_repeat(const Args& args) {
  if (!expect_count(args, "str_repeat", 2)) return;
  if (!args[0]->IsString() || !args[1]->IsInt32()) return type_error(args, "str_repeat(s, k) takes a string and an integer");
  std::string out = native::str_repeat(utf8_of_js_value(args.GetIsolate(), args[0]), args[1].As<v8::Int32>()->Value());
  v8::Local<v8::String> result;
  if (!v8::String::NewFromUtf8(args.GetIsolate(), out.data(), v8::NewStringType::kNormal, static_cast<int>(out.size()))
           .ToLocal(&result)) {
    return;  // too long: V8 has thrown a RangeError
  }
  args.GetReturnValue().Set(result);
}

void sum_f64(const Args& args) {
  if (!expect_count(args, "sum_f64", 1)) return;
  if (args[0]->IsFloat64Array()) {  // zero copy: read the typed array's own memory
    auto array = args[0].As<v8::Float64Array>();
    const auto* bytes = static_cast<const char*>(array->Buffer()->Data()) + array->ByteOffset();
    args.GetReturnValue().Set(native::sum_f64(reinterpret_cast<const double*>(bytes), array->Length()));
    return;
  }
  if (!args[0]->IsArray()) return type_error(args, "sum_f64(xs) takes an Array of numbers or a Float64Array");
  v8::Local<v8::Context> context = args.GetIsolate()->GetCurrentContext();
  auto array = args[0].As<v8::Array>();
  std::vector<double> values;
  values.reserve(array->Length());
  for (uint32_t i = 0; i < array->Length(); ++i) {  // converted element by element
    v8::Local<v8::Value> item;
    if (!array->Get(context, i).ToLocal(&item)) return;
    if (!item->IsNumber()) return type_error(args, "sum_f64(xs): element " + std::to_string(i) + " is not a number");
    values.push_back(item.As<v8::Number>()->Value());
  }
  args.GetReturnValue().Set(native::sum_f64(values.data(), values.size()));
}

void make_point(const Args& args) {
  if (!expect_count(args, "make_point", 2)) return;
  if (!args[0]->IsNumber() || !args[1]->IsNumber()) return type_error(args, "make_point(x, y) takes two numbers");
  native::Point p = native::make_point(args[0].As<v8::Number>()->Value(), args[1].As<v8::Number>()->Value());
  v8::Isolate* isolate = args.GetIsolate();
  v8::Local<v8::Name> names[] = {v8::String::NewFromUtf8Literal(isolate, "x"), v8::String::NewFromUtf8Literal(isolate, "y")};
  v8::Local<v8::Value> values[] = {v8::Number::New(isolate, p.x), v8::Number::New(isolate, p.y)};
  args.GetReturnValue().Set(v8::Object::New(isolate, v8::Object::New(isolate)->GetPrototype(), names, values, 2));
}

void call_back(const Args& args) {
  if (!expect_count(args, "call_back", 2)) return;
  if (!args[0]->IsFunction() || !args[1]->IsInt32()) return type_error(args, "call_back(fn, k) takes a function and an integer");
  v8::Isolate* isolate = args.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  auto fn = args[0].As<v8::Function>();
  bool failed = false;
  std::int64_t total = native::call_back(
      [&](std::int32_t i) -> std::int64_t {
        if (failed) return 0;
        v8::Local<v8::Value> arg = v8::Integer::New(isolate, i), result;
        if (!fn->Call(context, v8::Undefined(isolate), 1, &arg).ToLocal(&result)) {
          failed = true;  // the exception stays pending and reaches the caller
          return 0;
        }
        if (!result->IsNumber()) {
          failed = true;
          type_error(args, "call_back(fn, k): fn must return a number");
          return 0;
        }
        return static_cast<std::int64_t>(result.As<v8::Number>()->Value());
      },
      args[1].As<v8::Int32>()->Value());
  if (!failed) args.GetReturnValue().Set(static_cast<double>(total));
}

}  // namespace v8_callbacks

void install_v8_callbacks(v8::Local<v8::Context> context, v8::Local<v8::Object> target) {
  v8::Isolate* isolate = context->GetIsolate();
  auto add = [&](const char* name, v8::FunctionCallback callback) {
    auto fn = v8::FunctionTemplate::New(isolate, callback, {}, {}, 0, v8::ConstructorBehavior::kThrow)
                  ->GetFunction(context)
                  .ToLocalChecked();
    target->Set(context, v8::String::NewFromUtf8(isolate, name).ToLocalChecked(), fn).Check();
  };
  add("noop", v8_callbacks::noop);
  add("add_i32", v8_callbacks::add_i32);
  add("add_f64", v8_callbacks::add_f64);
  add("str_len", v8_callbacks::str_len);
  add("str_repeat", v8_callbacks::str_repeat);
  add("sum_f64", v8_callbacks::sum_f64);
  add("make_point", v8_callbacks::make_point);
  add("call_back", v8_callbacks::call_back);
}

}  // namespace polyhost::bindings
