#include "decoder_block.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <string>

#include "elastic_linear.h"
#include "simd.h"
#include "thread_pool.h"

namespace et {
namespace {

uint64_t tensorSeed(uint64_t seed, int index) {
  SplitMix64 mix(seed * 0x100000001b3ull + static_cast<uint64_t>(index) + 1);
  return mix.next();
}

std::unique_ptr<Matrix> randomMatrix(int rows, int cols, DType dtype, uint64_t seed) {
  auto m = std::make_unique<Matrix>(rows, cols, dtype);
  m->fillRandom(seed, 1.f / std::sqrt(static_cast<float>(cols)));
  return m;
}

void rmsNorm(const float* x, const float* gain, float* out, int n) {
  double ss = 0;
  for (int i = 0; i < n; ++i) ss += static_cast<double>(x[i]) * x[i];
  const float inv = 1.f / std::sqrt(static_cast<float>(ss / n) + DecoderBlock::kRmsEps);
  for (int i = 0; i < n; ++i) out[i] = x[i] * inv * gain[i];
}

int64_t elapsedNs(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

void DecoderBlock::validate(const BlockShape& s) {
  auto need = [](bool ok, const char* what) {
    if (!ok) throw std::invalid_argument(std::string("invalid block spec: ") + what);
  };
  need(s.hidden > 0, "hidden must be > 0");
  need(s.heads > 0, "heads must be > 0");
  need(s.kvHeads > 0 && s.heads % s.kvHeads == 0, "kvHeads must divide heads");
  need(s.headDim > 0 && s.headDim % 2 == 0, "headDim must be even and > 0");
  need(s.ffn > 0, "ffn must be > 0");
  need(s.maxContext > 0, "maxContext must be > 0");
  need(s.loraRank >= 0, "loraRank must be >= 0");
}

void DecoderBlock::validateLevel(const BlockLevel& l) const {
  const int group = shape_.heads / shape_.kvHeads;
  auto need = [](bool ok, const std::string& what) {
    if (!ok) throw std::invalid_argument("invalid block run: " + what);
  };
  need(l.activeHeads > 0 && l.activeHeads <= shape_.heads && l.activeHeads % group == 0,
       "activeHeads must be in 1..heads and a multiple of heads/kvHeads (" + std::to_string(group) + ")");
  need(l.activeFfn > 0 && l.activeFfn <= shape_.ffn, "activeFfn must be in 1..ffn");
  need(l.threads >= 1, "threads must be >= 1");
}

DecoderBlock::DecoderBlock(const BlockShape& s)
    : shape_((validate(s), s)),
      attnNorm_(1, s.hidden, DType::F32),
      ffnNorm_(1, s.hidden, DType::F32),
      input_(s.maxContext, s.hidden, DType::F32),
      output_(s.maxContext, s.hidden, DType::F32),
      kCache_(s.maxContext, s.kvHeads * s.headDim, DType::F32),
      vCache_(s.maxContext, s.kvHeads * s.headDim, DType::F32) {
  const int qDim = s.heads * s.headDim, kvDim = s.kvHeads * s.headDim;
  const int outDims[kProjCount] = {qDim, kvDim, kvDim, s.hidden, s.ffn, s.ffn, s.hidden};
  const int inDims[kProjCount] = {s.hidden, s.hidden, s.hidden, qDim, s.hidden, s.hidden, s.ffn};
  for (int p = 0; p < kProjCount; ++p) {
    weights_[p] = randomMatrix(outDims[p], inDims[p], s.dtype, tensorSeed(s.seed, p));
    if (s.loraRank > 0) {
      loraA_[p] = randomMatrix(s.loraRank, inDims[p], DType::F32, tensorSeed(s.seed, 100 + p));
      loraB_[p] = randomMatrix(outDims[p], s.loraRank, DType::F32, tensorSeed(s.seed, 200 + p));
    }
  }
  SplitMix64 gains(tensorSeed(s.seed, 300));
  for (int i = 0; i < s.hidden; ++i) {
    attnNorm_.set(i, 1.f + 0.1f * gains.uniform());
    ffnNorm_.set(i, 1.f + 0.1f * gains.uniform());
  }
  input_.fillRandom(tensorSeed(s.seed, 301), 1.f);
  kCache_.fillRandom(tensorSeed(s.seed, 302), 1.f);
  vCache_.fillRandom(tensorSeed(s.seed, 303), 1.f);
}

void DecoderBlock::ensureWorkspace(int tokens) {
  if (tokens <= wsTokens_) return;
  const size_t t = static_cast<size_t>(tokens);
  const size_t qDim = static_cast<size_t>(shape_.heads) * shape_.headDim;
  xn_.assign(t * shape_.hidden, 0.f);
  q_.assign(t * qDim, 0.f);
  attn_.assign(t * qDim, 0.f);
  resid_.assign(t * shape_.hidden, 0.f);
  up_.assign(t * shape_.ffn, 0.f);
  gate_.assign(t * shape_.ffn, 0.f);
  loraTmp_.assign(t * std::max(1, shape_.loraRank), 0.f);
  ropeCos_.assign(t * shape_.headDim / 2, 0.f);
  ropeSin_.assign(t * shape_.headDim / 2, 0.f);
  wsTokens_ = tokens;
}

// W x (+ the un-merged LoRA side branch scale * B (A x)) over the active prefix.
void DecoderBlock::project(Proj p, const float* x, size_t ldx, int tokens, float* y, size_t ldy, int activeIn,
                           int activeOut, bool accumulate, int threads) {
  LinearCall c;
  c.w = weights_[p].get();
  c.x = x;
  c.ldx = ldx;
  c.tokens = tokens;
  c.y = y;
  c.ldy = ldy;
  c.activeIn = activeIn;
  c.activeOut = activeOut;
  c.accumulate = accumulate;
  c.threads = threads;
  elasticLinear(c);
  if (!loraA_[p]) return;
  const int rank = shape_.loraRank;
  LinearCall a = c;
  a.w = loraA_[p].get();
  a.y = loraTmp_.data();
  a.ldy = rank;
  a.activeOut = rank;
  a.accumulate = false;
  elasticLinear(a);
  LinearCall b = c;
  b.w = loraB_[p].get();
  b.x = loraTmp_.data();
  b.ldx = rank;
  b.activeIn = rank;
  b.alpha = kLoraScale;
  b.accumulate = true;
  elasticLinear(b);
}

// Rotary embedding (rotate-half pairing i, i + headDim/2) of `heads` heads for positions pos0.. .
void DecoderBlock::rope(float* v, size_t ld, int tokens, int pos0, int heads) {
  const int half = shape_.headDim / 2;
  for (int t = 0; t < tokens; ++t) {
    float* c = ropeCos_.data() + static_cast<size_t>(t) * half;
    float* s = ropeSin_.data() + static_cast<size_t>(t) * half;
    for (int i = 0; i < half; ++i) {
      const double angle = (pos0 + t) * std::pow(static_cast<double>(kRopeBase), -2.0 * i / shape_.headDim);
      c[i] = static_cast<float>(std::cos(angle));
      s[i] = static_cast<float>(std::sin(angle));
    }
    for (int h = 0; h < heads; ++h) {
      float* x = v + static_cast<size_t>(t) * ld + static_cast<size_t>(h) * shape_.headDim;
      for (int i = 0; i < half; ++i) {
        const float a = x[i], b = x[i + half];
        x[i] = a * c[i] - b * s[i];
        x[i + half] = a * s[i] + b * c[i];
      }
    }
  }
}

// Causal attention of the new tokens over the cache, one (token, head) pair per work item.
void DecoderBlock::attention(int pos0, int tokens, int activeHeads, int threads) {
  const int d = shape_.headDim, group = shape_.heads / shape_.kvHeads;
  const size_t qDim = static_cast<size_t>(shape_.heads) * d, kvDim = static_cast<size_t>(shape_.kvHeads) * d;
  const float scale = 1.f / std::sqrt(static_cast<float>(d));
  const KernelTable& k = kernels();
  const int items = tokens * activeHeads;
  ThreadPool::instance().run(std::max(1, std::min(threads, items)), [&](int part, int parts) {
    int i0, i1;
    splitRange(items, part, parts, 1, &i0, &i1);
    std::vector<float> scores(static_cast<size_t>(pos0 + tokens));
    for (int item = i0; item < i1; ++item) {
      const int t = item / activeHeads, h = item % activeHeads, g = h / group, len = pos0 + t + 1;
      const float* q = q_.data() + t * qDim + static_cast<size_t>(h) * d;
      const float* kBase = kCache_.f32() + static_cast<size_t>(g) * d;
      const float* vBase = vCache_.f32() + static_cast<size_t>(g) * d;
      for (int j = 0; j < len; j += 4) {
        const float* rows[4];
        for (int r = 0; r < 4; ++r) rows[r] = kBase + static_cast<size_t>(std::min(j + r, len - 1)) * kvDim;
        float out[4];
        k.dotRowsF32(rows, q, d, out);
        for (int r = 0; r < 4 && j + r < len; ++r) scores[j + r] = out[r] * scale;
      }
      const float mx = *std::max_element(scores.begin(), scores.begin() + len);
      float sum = 0.f;
      for (int j = 0; j < len; ++j) sum += (scores[j] = std::exp(scores[j] - mx));
      float* o = attn_.data() + t * qDim + static_cast<size_t>(h) * d;
      std::fill(o, o + d, 0.f);
      for (int j = 0; j < len; ++j) k.axpyF32(scores[j] / sum, vBase + static_cast<size_t>(j) * kvDim, o, d);
    }
  });
}

void DecoderBlock::forward(int pos0, int tokens, const BlockLevel& level) {
  const int H = shape_.hidden, d = shape_.headDim, group = shape_.heads / shape_.kvHeads;
  const int aq = level.activeHeads, akv = aq / group, aF = level.activeFfn, th = level.threads;
  const size_t qDim = static_cast<size_t>(shape_.heads) * d, kvDim = static_cast<size_t>(shape_.kvHeads) * d;
  const float* x = input_.f32() + static_cast<size_t>(pos0) * H;
  float* out = output_.f32() + static_cast<size_t>(pos0) * H;

  for (int t = 0; t < tokens; ++t) rmsNorm(x + t * H, attnNorm_.f32(), xn_.data() + t * H, H);
  project(kQ, xn_.data(), H, tokens, q_.data(), qDim, H, aq * d, false, th);
  float* kNew = kCache_.f32() + static_cast<size_t>(pos0) * kvDim;
  float* vNew = vCache_.f32() + static_cast<size_t>(pos0) * kvDim;
  project(kK, xn_.data(), H, tokens, kNew, kvDim, H, akv * d, false, th);
  project(kV, xn_.data(), H, tokens, vNew, kvDim, H, akv * d, false, th);
  rope(q_.data(), qDim, tokens, pos0, aq);
  rope(kNew, kvDim, tokens, pos0, akv);
  attention(pos0, tokens, aq, th);

  std::copy(x, x + static_cast<size_t>(tokens) * H, resid_.begin());
  project(kO, attn_.data(), qDim, tokens, resid_.data(), H, aq * d, H, true, th);

  for (int t = 0; t < tokens; ++t) rmsNorm(resid_.data() + t * H, ffnNorm_.f32(), xn_.data() + t * H, H);
  const int F = shape_.ffn;
  project(kGate, xn_.data(), H, tokens, gate_.data(), F, H, aF, false, th);
  project(kUp, xn_.data(), H, tokens, up_.data(), F, H, aF, false, th);
  for (int t = 0; t < tokens; ++t)
    for (int i = 0; i < aF; ++i) {
      const float g = gate_[static_cast<size_t>(t) * F + i];
      up_[static_cast<size_t>(t) * F + i] *= g / (1.f + std::exp(-g));
    }
  std::copy(resid_.begin(), resid_.begin() + static_cast<size_t>(tokens) * H, out);
  project(kDown, up_.data(), F, tokens, out, H, aF, H, true, th);
}

int64_t DecoderBlock::prefill(int tokens, const BlockLevel& level) {
  validateLevel(level);
  if (tokens < 1 || tokens > shape_.maxContext)
    throw std::invalid_argument("invalid prefill: tokens must be in 1..maxContext (" +
                                std::to_string(shape_.maxContext) + ")");
  ensureWorkspace(tokens);  // allocation stays outside the timed region
  const auto t0 = std::chrono::steady_clock::now();
  forward(0, tokens, level);
  return elapsedNs(t0);
}

int64_t DecoderBlock::decode(int context, const BlockLevel& level) {
  validateLevel(level);
  if (context < 0 || context >= shape_.maxContext)
    throw std::invalid_argument("invalid decode: context must be in 0..maxContext-1 (" +
                                std::to_string(shape_.maxContext - 1) + ")");
  ensureWorkspace(1);
  const auto t0 = std::chrono::steady_clock::now();
  forward(context, 1, level);
  return elapsedNs(t0);
}

}  // namespace et
