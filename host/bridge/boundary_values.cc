#include "host/bridge/boundary_values.h"

#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "host/bridge/boundary_errors.h"
#include "host/bridge/bridge.h"
#include "host/bridge/js_object_proxy.h"
#include "host/bridge/python_object_proxy.h"
#include "host/bridge/release_queue.h"
#include "host/v8/v8_platform.h"

namespace polyhost {
namespace {

constexpr double kMaxSafeInteger = 9007199254740992.0;  // 2^53: every integer up to it is exact
constexpr std::size_t kExternalStringMin = 1024;        // characters; below it, copying is cheaper
constexpr int kStackBuffer = 256;
// Bytes of Python strs lent to V8 and not yet given back. V8 counts them as external memory, but
// its collector runs on its own heap's growth: a loop that makes long strings and allocates little
// else can lend thousands before V8 collects any (2 GB for 3,000 strs of 1 MB, measured). Beyond
// this budget strings are copied into V8's heap, which V8 collects as it grows.
constexpr std::int64_t kLentStringBudget = std::int64_t{64} << 20;
std::atomic<std::int64_t> lent_string_bytes{0};

PyRef number_to_python(double d) {
  if (d >= -kMaxSafeInteger && d <= kMaxSafeInteger && d == std::trunc(d) && !(d == 0 && std::signbit(d))) {
    return PyRef::steal(PyLong_FromLongLong(static_cast<long long>(d)));
  }
  return PyRef::steal(PyFloat_FromDouble(d));
}

PyRef bigint_to_python(v8::Local<v8::BigInt> big) {
  bool lossless = false;
  const std::int64_t small = big->Int64Value(&lossless);
  if (lossless) return PyRef::steal(PyLong_FromLongLong(small));
  int sign = 0;
  int count = big->WordCount();
  std::vector<std::uint64_t> words(static_cast<std::size_t>(count));
  big->ToWordsArray(&sign, &count, words.data());
  // The magnitude as little-endian bytes, read by CPython in one linear pass (shifting the result
  // in word by word took quadratic time: 8 s for a 4-million-bit BigInt).
  std::vector<unsigned char> bytes(static_cast<std::size_t>(count) * 8);
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<unsigned char>(words[i / 8] >> (8 * (i % 8)));
  PyRef result = PyRef::steal(_PyLong_FromByteArray(bytes.data(), bytes.size(), /*little_endian=*/1, /*is_signed=*/0));
  if (result && sign) result = PyRef::steal(PyNumber_Negative(result.get()));
  return result;
}

// An int beyond 64 bits as a BigInt: the magnitude's bytes, little-endian, as BigInt words. Read
// from the int's own digits with the C API, so that a subclass's methods (abs, bit_length,
// to_bytes, <) run no Python code here: callers hold borrowed items that such code could free.
v8::MaybeLocal<v8::Value> wide_int_to_js(v8::Local<v8::Context> context, PyObject* number) {
  const int negative = Py_SIZE(number) < 0;
  const std::size_t bits = _PyLong_NumBits(number);
  if (bits == static_cast<std::size_t>(-1) && PyErr_Occurred()) return {};
  const std::size_t word_count = (bits + 63) / 64;
  if (word_count > (std::size_t{1} << 20)) {
    PyErr_SetString(PyExc_OverflowError, "int too large for a JavaScript BigInt");
    return {};
  }
  // Two's complement with a word to spare (-2^64 needs 65 bits), then the magnitude.
  std::vector<std::uint64_t> words(word_count + 1);
  if (_PyLong_AsByteArray(reinterpret_cast<PyLongObject*>(number), reinterpret_cast<unsigned char*>(words.data()),
                          (word_count + 1) * 8, /*little_endian=*/1, /*is_signed=*/1) < 0) {
    return {};
  }
  if (negative) {
    std::uint64_t carry = 1;
    for (std::uint64_t& w : words) {
      w = ~w + carry;
      carry = carry && w == 0;
    }
  }
  words.resize(word_count);
  v8::Local<v8::BigInt> big;
  if (!v8::BigInt::NewFromWords(context, negative,
                                static_cast<int>(word_count), words.data())
           .ToLocal(&big)) {
    PyErr_SetString(PyExc_OverflowError, "int too large for a JavaScript BigInt");
    return {};
  }
  return big;
}

v8::MaybeLocal<v8::Value> int_to_js(v8::Local<v8::Context> context, PyObject* number) {
  v8::Isolate* isolate = context->GetIsolate();
  int overflow = 0;
  const long long value = PyLong_AsLongLongAndOverflow(number, &overflow);
  if (!overflow) {
    if (value == -1 && PyErr_Occurred()) return {};
    if (value <= INT32_MAX && value >= INT32_MIN) return v8::Integer::New(isolate, static_cast<std::int32_t>(value));
    if (value <= 9007199254740992LL && value >= -9007199254740992LL) {
      return v8::Number::New(isolate, static_cast<double>(value));
    }
    return v8::BigInt::New(isolate, value);
  }
  return wide_int_to_js(context, number);
}

// A Python int as a BigInt, whatever its size.
v8::MaybeLocal<v8::Value> int_to_bigint(v8::Local<v8::Context> context, PyObject* number) {
  int overflow = 0;
  const long long value = PyLong_AsLongLongAndOverflow(number, &overflow);
  if (overflow) return wide_int_to_js(context, number);
  if (value == -1 && PyErr_Occurred()) return {};
  return v8::BigInt::New(context->GetIsolate(), value);
}

// A Python int as a number, rounded as JavaScript's Number(bigint) rounds (±Infinity beyond the
// largest double).
v8::Local<v8::Value> int_to_number(v8::Isolate* isolate, PyObject* number) {
  double value = PyLong_AsDouble(number);
  if (value == -1.0 && PyErr_Occurred()) {
    PyErr_Clear();  // OverflowError
    value = Py_SIZE(number) < 0 ? -HUGE_VAL : HUGE_VAL;
  }
  return v8::Number::New(isolate, value);
}

// A Python str lent to V8 as the characters of an external string. V8 disposes of it when the
// string is collected (on its own thread, inside the collector): the reference goes to the
// release queue, or is dropped unreleased when the bridge is gone. V8 is told how much memory the
// string holds, as Node does for its external strings: without that, a program that makes many
// long strings allocates almost nothing on V8's heap, V8 never collects, and every str stays alive.
template <typename Base, typename Char>
class LentString final : public Base {
 public:
  LentString(v8::Isolate* isolate, PyObject* text, const Char* data, std::size_t length, std::weak_ptr<ReleaseQueue> queue)
      : isolate_(isolate), text_(text), data_(data), length_(length), queue_(std::move(queue)) {}
  const Char* data() const override { return data_; }
  std::size_t length() const override { return length_; }
  void Dispose() override {
    lent_string_bytes.fetch_sub(bytes(), std::memory_order_relaxed);
    isolate_->AdjustAmountOfExternalAllocatedMemory(-bytes());  // an atomic update: any thread
    if (auto queue = queue_.lock()) queue->decref_later_any_thread(text_);
    Base::Dispose();  // deletes this, as V8's resources do
  }
  // V8 took it: from now on it holds the str, and V8 counts its memory.
  void adopted() {
    Py_INCREF(text_);
    lent_string_bytes.fetch_add(bytes(), std::memory_order_relaxed);
    isolate_->AdjustAmountOfExternalAllocatedMemory(bytes());
  }

 private:
  std::int64_t bytes() const { return static_cast<std::int64_t>(length_ * sizeof(Char)); }

  v8::Isolate* isolate_;
  PyObject* text_;
  const Char* data_;
  std::size_t length_;
  std::weak_ptr<ReleaseQueue> queue_;
};

v8::MaybeLocal<v8::String> new_external(v8::Isolate* isolate, v8::String::ExternalOneByteStringResource* resource) {
  return v8::String::NewExternalOneByte(isolate, resource);
}
v8::MaybeLocal<v8::String> new_external(v8::Isolate* isolate, v8::String::ExternalStringResource* resource) {
  return v8::String::NewExternalTwoByte(isolate, resource);
}

// TEXT's characters as an external string of V8's, or empty (no exception) when V8 declines or
// the budget of lent strings is spent.
template <typename Base, typename Char>
v8::MaybeLocal<v8::String> lend_string(Bridge& bridge, v8::Isolate* isolate, PyObject* text, const Char* data, int length) {
  if (lent_string_bytes.load(std::memory_order_relaxed) > kLentStringBudget) return {};
  auto resource = std::make_unique<LentString<Base, Char>>(isolate, text, data, static_cast<std::size_t>(length),
                                                           bridge.releases_weak());
  v8::Local<v8::String> out;
  if (!new_external(isolate, resource.get()).ToLocal(&out)) return {};
  resource.release()->adopted();  // V8 owns it now and calls Dispose
  return out;
}

}  // namespace

PyRef python_string(v8::Isolate* isolate, v8::Local<v8::String> text) {
  const int length = text->Length();
  if (text->IsOneByte()) {  // Latin-1, which is what a Python str of kind 1 holds
    std::uint8_t small[kStackBuffer];
    std::vector<std::uint8_t> large;
    std::uint8_t* buffer = small;
    if (length > kStackBuffer) {
      large.resize(static_cast<std::size_t>(length));
      buffer = large.data();
    }
    text->WriteOneByte(isolate, buffer, 0, length, v8::String::NO_NULL_TERMINATION);
    return PyRef::steal(PyUnicode_FromKindAndData(PyUnicode_1BYTE_KIND, buffer, length));
  }
  std::uint16_t small[kStackBuffer];
  std::vector<std::uint16_t> large;
  std::uint16_t* buffer = small;
  if (length > kStackBuffer) {
    large.resize(static_cast<std::size_t>(length));
    buffer = large.data();
  }
  text->Write(isolate, buffer, 0, length, v8::String::NO_NULL_TERMINATION);
  int little_endian = -1;
  // surrogatepass: a lone surrogate (legal in a JavaScript string) stays a code point.
  return PyRef::steal(PyUnicode_DecodeUTF16(reinterpret_cast<const char*>(buffer), 2 * static_cast<Py_ssize_t>(length),
                                            "surrogatepass", &little_endian));
}

v8::MaybeLocal<v8::String> js_string(Bridge& bridge, v8::Isolate* isolate, PyObject* text) {
  const Py_ssize_t length = PyUnicode_GET_LENGTH(text);
  if (length > v8::String::kMaxLength) {
    PyErr_SetString(PyExc_ValueError, "str too long for a JavaScript string");
    return {};
  }
  const int n = static_cast<int>(length);
  const bool external = static_cast<std::size_t>(length) >= kExternalStringMin;
  switch (PyUnicode_KIND(text)) {
    case PyUnicode_1BYTE_KIND: {
      const auto* data = static_cast<const std::uint8_t*>(PyUnicode_DATA(text));
      v8::Local<v8::String> out;
      if (external && lend_string<v8::String::ExternalOneByteStringResource>(bridge, isolate, text,
                                                                             reinterpret_cast<const char*>(data), n)
                          .ToLocal(&out)) {
        return out;
      }
      return v8::String::NewFromOneByte(isolate, data, v8::NewStringType::kNormal, n);
    }
    case PyUnicode_2BYTE_KIND: {  // UCS-2: UTF-16 without pairs, so V8 reads it as it is
      const auto* data = static_cast<const std::uint16_t*>(PyUnicode_DATA(text));
      v8::Local<v8::String> out;
      if (external && lend_string<v8::String::ExternalStringResource>(bridge, isolate, text, data, n).ToLocal(&out)) {
        return out;
      }
      return v8::String::NewFromTwoByte(isolate, data, v8::NewStringType::kNormal, n);
    }
    default: {  // UCS-4: code points beyond U+FFFF become surrogate pairs
      const auto* data = static_cast<const Py_UCS4*>(PyUnicode_DATA(text));
      std::vector<std::uint16_t> units;
      units.reserve(static_cast<std::size_t>(length) + 16);
      for (Py_ssize_t i = 0; i < length; ++i) {
        const Py_UCS4 cp = data[i];
        if (cp >= 0x10000) {
          units.push_back(static_cast<std::uint16_t>(0xD800 + ((cp - 0x10000) >> 10)));
          units.push_back(static_cast<std::uint16_t>(0xDC00 + ((cp - 0x10000) & 0x3FF)));
        } else {
          units.push_back(static_cast<std::uint16_t>(cp));
        }
      }
      if (units.size() > static_cast<std::size_t>(v8::String::kMaxLength)) {
        PyErr_SetString(PyExc_ValueError, "str too long for a JavaScript string");
        return {};
      }
      return v8::String::NewFromTwoByte(isolate, units.data(), v8::NewStringType::kNormal, static_cast<int>(units.size()));
    }
  }
}

PyRef to_python(Bridge& bridge, v8::Local<v8::Context> context, v8::Local<v8::Value> value) {
  if (value->IsInt32()) return PyRef::steal(PyLong_FromLong(value.As<v8::Int32>()->Value()));
  if (value->IsNumber()) return number_to_python(value.As<v8::Number>()->Value());
  if (value->IsString()) return python_string(context->GetIsolate(), value.As<v8::String>());
  if (value->IsNullOrUndefined()) return PyRef::borrow(Py_None);
  if (value->IsBoolean()) return PyRef::borrow(value->IsTrue() ? Py_True : Py_False);
  if (value->IsBigInt()) return bigint_to_python(value.As<v8::BigInt>());
  if (PyObject* original = PythonObjectProxies::unwrap(value)) return PyRef::borrow(original);
  if (PythonObjectProxies::is_released_proxy(value)) {
    PyErr_SetString(PyExc_RuntimeError, "polyhost: a proxy of a Python object outlived its interpreter");
    return {};
  }
  return bridge.js_objects().wrap(context, value);
}

v8::MaybeLocal<v8::Value> to_js(Bridge& bridge, v8::Local<v8::Context> context, PyObject* object) {
  end_forked_child_before_javascript();  // a Python callee forked: its child cannot go back into V8
  v8::Isolate* isolate = context->GetIsolate();
  if (object == Py_None) return v8::Null(isolate);
  if (object == Py_True || object == Py_False) return v8::Boolean::New(isolate, object == Py_True);
  if (PyLong_CheckExact(object)) {
    // One 30-bit digit (the common case) without the general conversion.
    const Py_ssize_t size = Py_SIZE(object);
    if (size >= -1 && size <= 1) {
      const auto digit = static_cast<std::int32_t>(reinterpret_cast<PyLongObject*>(object)->ob_digit[0]);
      return v8::Integer::New(isolate, static_cast<std::int32_t>(size) * digit);
    }
  }
  if (PyLong_Check(object)) return int_to_js(context, object);
  if (PyFloat_Check(object)) return v8::Number::New(isolate, PyFloat_AS_DOUBLE(object));
  if (PyUnicode_Check(object)) {
    v8::Local<v8::String> text;
    if (!js_string(bridge, isolate, object).ToLocal(&text)) return {};
    return text;
  }
  JsObjectProxies& js_objects = bridge.js_objects();
  if (js_objects.is_proxy(object)) return js_objects.unwrap(object);  // sets the error if its engine is gone
  v8::Local<v8::Object> proxy;
  if (!bridge.python_objects().wrap(context, object).ToLocal(&proxy)) {
    PyErr_SetString(PyExc_RuntimeError, "polyhost: V8 could not make a proxy of a Python object");
    return {};
  }
  return proxy;
}

v8::MaybeLocal<v8::Value> int_to_typed_array_element(v8::Local<v8::Context> context, v8::Local<v8::TypedArray> array,
                                                     PyObject* number) {
  if (array->IsBigInt64Array() || array->IsBigUint64Array()) return int_to_bigint(context, number);
  return int_to_number(context->GetIsolate(), number);
}

}  // namespace polyhost
