// One elastic LLaMA-style decoder block with seeded random weights, in the reordered layout: a level keeps a
// prefix of the query heads (whole KV groups under GQA) and a prefix of the FFN neurons, so every projection
// is an elasticLinear call over a prefix. Weights and the KV cache are allocated once per shape.
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "matrix.h"

namespace et {

struct BlockShape {
  int hidden = 0, heads = 0, kvHeads = 0, headDim = 0, ffn = 0;
  DType dtype = DType::F32;
  int maxContext = 0;
  int loraRank = 0;
  uint64_t seed = 0;
};

struct BlockLevel {
  int activeHeads = 0, activeFfn = 0, threads = 1;
};

enum Proj { kQ = 0, kK, kV, kO, kGate, kUp, kDown, kProjCount };

class DecoderBlock {
 public:
  static constexpr float kRmsEps = 1e-5f;
  static constexpr float kRopeBase = 10000.f;
  static constexpr float kLoraScale = 2.f;  // lora_alpha 16 / r 8, as in the paper's code

  explicit DecoderBlock(const BlockShape& shape);
  // Throws std::invalid_argument naming the bad field.
  static void validate(const BlockShape& shape);
  void validateLevel(const BlockLevel& level) const;

  // Prefill of `tokens` tokens (input rows 0..tokens-1, positions 0..tokens-1); fills the KV cache there.
  // Returns elapsed nanoseconds.
  int64_t prefill(int tokens, const BlockLevel& level);
  // One decode step for the token at position `context` (input row `context`) attending to the cached
  // positions 0..context-1 and itself.
  int64_t decode(int context, const BlockLevel& level);

  const BlockShape& shape() const { return shape_; }
  const Matrix& weight(Proj p) const { return *weights_[p]; }
  const Matrix* loraA(Proj p) const { return loraA_[p].get(); }
  const Matrix* loraB(Proj p) const { return loraB_[p].get(); }
  const Matrix& attnNorm() const { return attnNorm_; }
  const Matrix& ffnNorm() const { return ffnNorm_; }
  Matrix& input() { return input_; }
  const Matrix& output() const { return output_; }
  Matrix& keyCache() { return kCache_; }
  Matrix& valueCache() { return vCache_; }

 private:
  void forward(int pos0, int tokens, const BlockLevel& level);
  void project(Proj p, const float* x, size_t ldx, int tokens, float* y, size_t ldy, int activeIn, int activeOut,
               bool accumulate, int threads);
  void rope(float* v, size_t ld, int tokens, int pos0, int heads);
  void attention(int pos0, int tokens, int activeHeads, int threads);
  void ensureWorkspace(int tokens);

  BlockShape shape_;
  std::array<std::unique_ptr<Matrix>, kProjCount> weights_;
  std::array<std::unique_ptr<Matrix>, kProjCount> loraA_, loraB_;
  Matrix attnNorm_, ffnNorm_;
  Matrix input_, output_, kCache_, vCache_;
  // workspace, grown to the largest token count seen
  int wsTokens_ = 0;
  std::vector<float> xn_, q_, attn_, resid_, up_, gate_, loraTmp_, ropeCos_, ropeSin_;
};

}  // namespace et
