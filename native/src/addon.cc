// N-API surface (node-addon-api). Thin: argument checking and conversion only; the work is in
// elastic_linear.cc and decoder_block.cc. Every size and index from JavaScript is validated here, since a
// bad one would otherwise read outside the weights.
#include <napi.h>

#include <ctime>
#include <memory>
#include <string>

#include "decoder_block.h"
#include "elastic_linear.h"
#include "simd.h"
#include "thread_pool.h"

#ifndef ELASTITWIN_VERSION
#define ELASTITWIN_VERSION "0.0.0"
#endif

namespace {

using et::DType;
using et::Matrix;

[[noreturn]] void fail(Napi::Env env, const std::string& msg) { throw Napi::TypeError::New(env, msg); }

// Wall time by default; `clock: 'cpu'` reads the calling thread's CPU time instead, which excludes time the
// thread was preempted: on a shared machine that keeps single-thread benchmark ratios meaningful.
class Stopwatch {
 public:
  explicit Stopwatch(bool cpu) : cpu_(cpu), start_(now()) {}
  double elapsedNs() const { return static_cast<double>(now() - start_); }

 private:
  int64_t now() const {
    timespec ts;
    clock_gettime(cpu_ ? CLOCK_THREAD_CPUTIME_ID : CLOCK_MONOTONIC, &ts);
    return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
  }
  bool cpu_;
  int64_t start_;
};

bool cpuClockArg(const Napi::Value& v, int threads) {
  if (v.IsUndefined()) return false;
  const std::string s = v.IsString() ? v.As<Napi::String>().Utf8Value() : "";
  if (s != "wall" && s != "cpu") fail(v.Env(), "clock must be 'wall' or 'cpu'");
  if (s == "cpu" && threads > 1) fail(v.Env(), "clock 'cpu' measures the calling thread only: use it with threads = 1");
  return s == "cpu";
}

int intArg(const Napi::Value& v, const char* name, int lo, int hi) {
  if (!v.IsNumber()) fail(v.Env(), std::string(name) + " must be a number");
  const double d = v.As<Napi::Number>().DoubleValue();
  if (d != static_cast<double>(static_cast<long long>(d)) || d < lo || d > hi)
    fail(v.Env(), std::string(name) + " must be an integer in " + std::to_string(lo) + ".." + std::to_string(hi) +
                      " (got " + std::to_string(d) + ")");
  return static_cast<int>(d);
}

DType dtypeArg(const Napi::Value& v) {
  const std::string s = v.IsString() ? v.As<Napi::String>().Utf8Value() : "";
  if (s == "fp32") return DType::F32;
  if (s == "fp16") return DType::F16;
  fail(v.Env(), "dtype must be 'fp32' or 'fp16'");
}

Napi::Float32Array toJs(Napi::Env env, const Matrix& m, size_t from, size_t count) {
  auto out = Napi::Float32Array::New(env, count);
  for (size_t i = 0; i < count; ++i) out[i] = m.get(from + i);
  return out;
}

Napi::Value info(const Napi::CallbackInfo& cb) {
  Napi::Env env = cb.Env();
  auto o = Napi::Object::New(env);
  o.Set("version", std::string(ELASTITWIN_VERSION) + "+" + et::pathName(et::bestPath()));
#if defined(__aarch64__)
  o.Set("arch", "arm64");
#elif defined(__x86_64__)
  o.Set("arch", "x64");
#else
  o.Set("arch", "unknown");
#endif
  o.Set("simd", et::pathName(et::activePath()));
  o.Set("bestSimd", et::pathName(et::bestPath()));
  o.Set("fp16Native", et::fp16Native());
  o.Set("maxThreads", et::ThreadPool::maxThreads());
  return o;
}

Napi::Value setPath(const Napi::CallbackInfo& cb) {
  et::Path p;
  const std::string name = cb[0].IsString() ? cb[0].As<Napi::String>().Utf8Value() : "";
  if (!et::parsePath(name.c_str(), &p)) fail(cb.Env(), "unknown SIMD path '" + name + "'");
  if (!et::setActivePath(p))
    fail(cb.Env(), "SIMD path '" + name + "' is not available on this CPU (best: " + et::pathName(et::bestPath()) + ")");
  return cb.Env().Undefined();
}

class MatrixObject : public Napi::ObjectWrap<MatrixObject> {
 public:
  static Napi::Function define(Napi::Env env) {
    return DefineClass(env, "NativeMatrix",
                       {InstanceMethod("read", &MatrixObject::read), InstanceMethod("free", &MatrixObject::free),
                        InstanceAccessor("rows", &MatrixObject::rows, nullptr),
                        InstanceAccessor("cols", &MatrixObject::cols, nullptr),
                        InstanceAccessor("bytes", &MatrixObject::bytes, nullptr)});
  }
  // new NativeMatrix(rows, cols, dtype, seedOrData, scale)
  explicit MatrixObject(const Napi::CallbackInfo& cb) : Napi::ObjectWrap<MatrixObject>(cb) {
    const int rows = intArg(cb[0], "rows", 1, 1 << 30), cols = intArg(cb[1], "cols", 1, 1 << 30);
    m_ = std::make_unique<Matrix>(rows, cols, dtypeArg(cb[2]));
    if (cb[3].IsTypedArray()) {
      auto data = cb[3].As<Napi::Float32Array>();
      if (data.ElementLength() != static_cast<size_t>(rows) * cols) fail(cb.Env(), "data length must be rows*cols");
      for (size_t i = 0; i < data.ElementLength(); ++i) m_->set(i, data[i]);
    } else {
      const double scale = cb[4].IsNumber() ? cb[4].As<Napi::Number>().DoubleValue() : 1.0;
      m_->fillRandom(static_cast<uint64_t>(intArg(cb[3], "seed", 0, 0x7fffffff)), static_cast<float>(scale));
    }
  }
  Matrix& get(Napi::Env env) {
    if (!m_) fail(env, "matrix was freed");
    return *m_;
  }

 private:
  Napi::Value read(const Napi::CallbackInfo& cb) {
    Matrix& m = get(cb.Env());
    return toJs(cb.Env(), m, 0, static_cast<size_t>(m.rows()) * m.cols());
  }
  Napi::Value free(const Napi::CallbackInfo& cb) {
    m_.reset();
    return cb.Env().Undefined();
  }
  Napi::Value rows(const Napi::CallbackInfo& cb) { return Napi::Number::New(cb.Env(), get(cb.Env()).rows()); }
  Napi::Value cols(const Napi::CallbackInfo& cb) { return Napi::Number::New(cb.Env(), get(cb.Env()).cols()); }
  Napi::Value bytes(const Napi::CallbackInfo& cb) {
    return Napi::Number::New(cb.Env(), static_cast<double>(get(cb.Env()).bytes()));
  }
  std::unique_ptr<Matrix> m_;
};

// The constructor, kept so arguments can be checked with instanceof before unwrapping.
struct AddonData {
  Napi::FunctionReference matrixClass;
};

Matrix& matrixArg(const Napi::Value& v) {
  auto* data = v.Env().GetInstanceData<AddonData>();
  if (!v.IsObject() || !v.As<Napi::Object>().InstanceOf(data->matrixClass.Value()))
    fail(v.Env(), "expected a NativeMatrix");
  return Napi::ObjectWrap<MatrixObject>::Unwrap(v.As<Napi::Object>())->get(v.Env());
}

const int32_t* indexArg(const Napi::Object& opts, const char* key, int limit, int* count) {
  const Napi::Value v = opts.Get(key);
  if (v.IsUndefined() || v.IsNull()) return nullptr;
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_int32_array)
    fail(v.Env(), std::string(key) + " must be an Int32Array");
  auto idx = v.As<Napi::Int32Array>();
  for (size_t i = 0; i < idx.ElementLength(); ++i)
    if (idx[i] < 0 || idx[i] >= limit)
      fail(v.Env(), std::string(key) + "[" + std::to_string(i) + "] = " + std::to_string(idx[i]) + " is outside 0.." +
                        std::to_string(limit - 1));
  *count = static_cast<int>(idx.ElementLength());
  return idx.Data();
}

// linear(matrix, x, y, {tokens, activeIn, activeOut, rows, cols, threads, alpha, accumulate}) -> ns
Napi::Value linear(const Napi::CallbackInfo& cb) {
  Napi::Env env = cb.Env();
  Matrix& w = matrixArg(cb[0]);
  if (!cb[1].IsTypedArray() || !cb[2].IsTypedArray() || !cb[3].IsObject()) fail(env, "linear(matrix, x, y, options)");
  auto x = cb[1].As<Napi::Float32Array>();
  auto y = cb[2].As<Napi::Float32Array>();
  const Napi::Object o = cb[3].As<Napi::Object>();
  et::LinearCall c;
  c.w = &w;
  c.tokens = o.Has("tokens") ? intArg(o.Get("tokens"), "tokens", 1, 1 << 20) : 1;
  c.threads = o.Has("threads") ? intArg(o.Get("threads"), "threads", 1, 256) : 1;
  c.rowIdx = indexArg(o, "rows", w.rows(), &c.nRows);
  c.colIdx = indexArg(o, "cols", w.cols(), &c.nCols);
  if (!c.rowIdx) c.activeOut = o.Has("activeOut") ? intArg(o.Get("activeOut"), "activeOut", 1, w.rows()) : w.rows();
  if (!c.colIdx) c.activeIn = o.Has("activeIn") ? intArg(o.Get("activeIn"), "activeIn", 1, w.cols()) : w.cols();
  if (o.Has("alpha")) c.alpha = static_cast<float>(o.Get("alpha").As<Napi::Number>().DoubleValue());
  c.accumulate = o.Has("accumulate") && o.Get("accumulate").ToBoolean();
  const int nIn = c.colIdx ? c.nCols : c.activeIn, nOut = c.rowIdx ? c.nRows : c.activeOut;
  if (nIn < 1 || nOut < 1) fail(env, "rows/cols index lists must not be empty");
  if (x.ElementLength() < static_cast<size_t>(c.tokens) * nIn)
    fail(env, "x has " + std::to_string(x.ElementLength()) + " elements, needs tokens*inputs = " +
                  std::to_string(static_cast<size_t>(c.tokens) * nIn));
  if (y.ElementLength() < static_cast<size_t>(c.tokens) * nOut)
    fail(env, "y has " + std::to_string(y.ElementLength()) + " elements, needs tokens*outputs = " +
                  std::to_string(static_cast<size_t>(c.tokens) * nOut));
  c.x = x.Data();
  c.ldx = nIn;
  c.y = y.Data();
  c.ldy = nOut;
  const Stopwatch watch(cpuClockArg(o.Get("clock"), c.threads));
  et::elasticLinear(c);
  return Napi::Number::New(env, watch.elapsedNs());
}

// triad(a, b, c, scalar, threads, clock?) over three 1×n fp32 matrices -> ns
Napi::Value triad(const Napi::CallbackInfo& cb) {
  Matrix &a = matrixArg(cb[0]), &b = matrixArg(cb[1]), &c = matrixArg(cb[2]);
  const size_t n = a.bytes() / 4;
  if (a.dtype() != DType::F32 || b.bytes() != a.bytes() || c.bytes() != a.bytes() || b.dtype() != DType::F32 ||
      c.dtype() != DType::F32)
    fail(cb.Env(), "triad needs three fp32 matrices of the same size");
  const float s = static_cast<float>(cb[3].As<Napi::Number>().DoubleValue());
  const int threads = intArg(cb[4], "threads", 1, 256);
  const Stopwatch watch(cpuClockArg(cb[5], threads));
  et::triad(a.f32(), b.f32(), c.f32(), s, n, threads);
  return Napi::Number::New(cb.Env(), watch.elapsedNs());
}

}  // namespace

Napi::Object registerBlock(Napi::Env env, Napi::Object exports);

Napi::Object init(Napi::Env env, Napi::Object exports) {
  exports.Set("info", Napi::Function::New(env, info));
  exports.Set("setPath", Napi::Function::New(env, setPath));
  exports.Set("linear", Napi::Function::New(env, linear));
  exports.Set("triad", Napi::Function::New(env, triad));
  auto* data = new AddonData();
  Napi::Function matrixClass = MatrixObject::define(env);
  data->matrixClass = Napi::Persistent(matrixClass);
  env.SetInstanceData(data);
  exports.Set("NativeMatrix", matrixClass);
  return registerBlock(env, exports);
}

NODE_API_MODULE(elastitwin_kernels, init)
