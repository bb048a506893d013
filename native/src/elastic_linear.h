// Elastic linear layer y = W x over a reordered weight matrix: only the first `activeOut` rows and the first
// `activeIn` columns are touched, so a smaller sub-model reads a contiguous prefix of every row and stops
// early. The gathered variant instead takes index lists of kept rows and/or kept columns (the
// non-reordered alternative); gathering columns is what W_down / W_o need without reordering.
#pragma once
#include <cstddef>
#include <cstdint>

#include "matrix.h"

namespace et {

struct LinearCall {
  const Matrix* w = nullptr;
  // Activations: `tokens` vectors with stride ldx; element j pairs with column j (or with colIdx[j]).
  const float* x = nullptr;
  size_t ldx = 0;
  int tokens = 1;
  // Output: `tokens` vectors with stride ldy; element i is output row i (or row rowIdx[i]).
  float* y = nullptr;
  size_t ldy = 0;
  int activeIn = 0;   // used when colIdx is null
  int activeOut = 0;  // used when rowIdx is null
  const int32_t* rowIdx = nullptr;
  int nRows = 0;
  const int32_t* colIdx = nullptr;
  int nCols = 0;
  // y = alpha * W x, or y += alpha * W x when accumulate (LoRA side branches, residuals).
  float alpha = 1.f;
  bool accumulate = false;
  int threads = 1;
};

void elasticLinear(const LinearCall& call);

// STREAM triad a = b + s*c over n floats, split across threads.
void triad(float* a, const float* b, const float* c, float s, size_t n, int threads);

}  // namespace et
