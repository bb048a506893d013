// N-API wrapper of DecoderBlock: the contract's createBlock/prefillNs/decodeNs/free, plus read-only views of
// the weights, the KV cache and the outputs so tests can recompute the block in TypeScript.
#include <napi.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "decoder_block.h"

namespace {

using et::BlockLevel;
using et::BlockShape;
using et::DecoderBlock;
using et::Matrix;

[[noreturn]] void fail(Napi::Env env, const std::string& msg) { throw Napi::TypeError::New(env, msg); }

int field(const Napi::Object& o, const char* where, const char* key) {
  const Napi::Value v = o.Get(key);
  if (!v.IsNumber()) fail(o.Env(), std::string(where) + "." + key + " must be a number");
  const double d = v.As<Napi::Number>().DoubleValue();
  if (d != static_cast<double>(static_cast<long long>(d)) || d < 0 || d > 1e9)
    fail(o.Env(), std::string(where) + "." + key + " must be a non-negative integer");
  return static_cast<int>(d);
}

Napi::Float32Array copyOut(Napi::Env env, const Matrix& m, size_t from, size_t count) {
  auto out = Napi::Float32Array::New(env, count);
  for (size_t i = 0; i < count; ++i) out[i] = m.get(from + i);
  return out;
}

const char* const kProjNames[et::kProjCount] = {"q", "k", "v", "o", "gate", "up", "down"};

class BlockObject : public Napi::ObjectWrap<BlockObject> {
 public:
  static Napi::Function define(Napi::Env env) {
    return DefineClass(env, "NativeBlock",
                       {InstanceMethod("prefillNs", &BlockObject::prefillNs),
                        InstanceMethod("decodeNs", &BlockObject::decodeNs), InstanceMethod("free", &BlockObject::free),
                        InstanceMethod("weight", &BlockObject::weight), InstanceMethod("lora", &BlockObject::lora),
                        InstanceMethod("norms", &BlockObject::norms), InstanceMethod("input", &BlockObject::input),
                        InstanceMethod("output", &BlockObject::output),
                        InstanceMethod("kvCache", &BlockObject::kvCache)});
  }

  explicit BlockObject(const Napi::CallbackInfo& cb) : Napi::ObjectWrap<BlockObject>(cb) {
    if (!cb[0].IsObject()) fail(cb.Env(), "createBlock(spec): spec must be an object");
    const Napi::Object o = cb[0].As<Napi::Object>();
    BlockShape s;
    s.hidden = field(o, "spec", "hidden");
    s.heads = field(o, "spec", "heads");
    s.kvHeads = field(o, "spec", "kvHeads");
    s.headDim = field(o, "spec", "headDim");
    s.ffn = field(o, "spec", "ffn");
    s.maxContext = field(o, "spec", "maxContext");
    s.loraRank = field(o, "spec", "loraRank");
    s.seed = static_cast<uint64_t>(field(o, "spec", "seed"));
    const std::string dtype = o.Get("dtype").IsString() ? o.Get("dtype").As<Napi::String>().Utf8Value() : "";
    if (dtype != "fp32" && dtype != "fp16") fail(cb.Env(), "spec.dtype must be 'fp32' or 'fp16'");
    s.dtype = dtype == "fp32" ? et::DType::F32 : et::DType::F16;
    try {
      block_ = std::make_unique<DecoderBlock>(s);
    } catch (const std::invalid_argument& e) {
      fail(cb.Env(), e.what());
    }
  }

 private:
  DecoderBlock& get(Napi::Env env) {
    if (!block_) fail(env, "block was freed");
    return *block_;
  }
  BlockLevel level(const Napi::Value& v) {
    if (!v.IsObject()) fail(v.Env(), "run must be an object {activeHeads, activeFfn, threads}");
    const Napi::Object o = v.As<Napi::Object>();
    return BlockLevel{field(o, "run", "activeHeads"), field(o, "run", "activeFfn"), field(o, "run", "threads")};
  }
  template <typename F>
  Napi::Value timed(const Napi::CallbackInfo& cb, F&& f) {
    try {
      return Napi::Number::New(cb.Env(), static_cast<double>(f()));
    } catch (const std::invalid_argument& e) {
      fail(cb.Env(), e.what());
    }
  }
  Napi::Value prefillNs(const Napi::CallbackInfo& cb) {
    DecoderBlock& b = get(cb.Env());
    const int tokens = cb[0].IsNumber() ? cb[0].As<Napi::Number>().Int32Value() : -1;
    const BlockLevel l = level(cb[1]);
    return timed(cb, [&] { return b.prefill(tokens, l); });
  }
  Napi::Value decodeNs(const Napi::CallbackInfo& cb) {
    DecoderBlock& b = get(cb.Env());
    const int context = cb[0].IsNumber() ? cb[0].As<Napi::Number>().Int32Value() : -1;
    const BlockLevel l = level(cb[1]);
    return timed(cb, [&] { return b.decode(context, l); });
  }
  Napi::Value free(const Napi::CallbackInfo& cb) {
    block_.reset();
    return cb.Env().Undefined();
  }
  int projArg(const Napi::Value& v) {
    const std::string name = v.IsString() ? v.As<Napi::String>().Utf8Value() : "";
    for (int p = 0; p < et::kProjCount; ++p)
      if (name == kProjNames[p]) return p;
    fail(v.Env(), "unknown projection '" + name + "' (q, k, v, o, gate, up, down)");
  }
  static Napi::Float32Array all(Napi::Env env, const Matrix& m) {
    return copyOut(env, m, 0, static_cast<size_t>(m.rows()) * m.cols());
  }
  // weight(name) -> fp32 copy of the stored (possibly fp16) weights, row-major [out][in]
  Napi::Value weight(const Napi::CallbackInfo& cb) {
    return all(cb.Env(), get(cb.Env()).weight(static_cast<et::Proj>(projArg(cb[0]))));
  }
  // lora(name) -> {a: [rank][in], b: [out][rank]} or null without LoRA
  Napi::Value lora(const Napi::CallbackInfo& cb) {
    DecoderBlock& b = get(cb.Env());
    const auto p = static_cast<et::Proj>(projArg(cb[0]));
    if (!b.loraA(p)) return cb.Env().Null();
    auto o = Napi::Object::New(cb.Env());
    o.Set("a", all(cb.Env(), *b.loraA(p)));
    o.Set("b", all(cb.Env(), *b.loraB(p)));
    return o;
  }
  Napi::Value norms(const Napi::CallbackInfo& cb) {
    DecoderBlock& b = get(cb.Env());
    auto o = Napi::Object::New(cb.Env());
    o.Set("attn", all(cb.Env(), b.attnNorm()));
    o.Set("ffn", all(cb.Env(), b.ffnNorm()));
    return o;
  }
  // input(row0, rows) / output(row0, rows): token rows of the block's input and output buffers
  Napi::Value rowsOf(const Napi::CallbackInfo& cb, const Matrix& m) {
    const int row0 = cb[0].As<Napi::Number>().Int32Value(), rows = cb[1].As<Napi::Number>().Int32Value();
    if (row0 < 0 || rows < 1 || row0 + rows > m.rows()) fail(cb.Env(), "row range outside 0..maxContext");
    return copyOut(cb.Env(), m, static_cast<size_t>(row0) * m.cols(), static_cast<size_t>(rows) * m.cols());
  }
  Napi::Value input(const Napi::CallbackInfo& cb) { return rowsOf(cb, get(cb.Env()).input()); }
  Napi::Value output(const Napi::CallbackInfo& cb) { return rowsOf(cb, get(cb.Env()).output()); }
  // kvCache() -> {k, v}: [maxContext][kvHeads*headDim] each
  Napi::Value kvCache(const Napi::CallbackInfo& cb) {
    DecoderBlock& b = get(cb.Env());
    auto o = Napi::Object::New(cb.Env());
    o.Set("k", all(cb.Env(), b.keyCache()));
    o.Set("v", all(cb.Env(), b.valueCache()));
    return o;
  }

  std::unique_ptr<DecoderBlock> block_;
};

}  // namespace

Napi::Object registerBlock(Napi::Env env, Napi::Object exports) {
  exports.Set("NativeBlock", BlockObject::define(env));
  return exports;
}
