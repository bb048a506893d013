#include "elastic_linear.h"

#include <algorithm>

#include "simd.h"
#include "thread_pool.h"

namespace et {
namespace {

// Token tile of the GEMM: this many activation vectors stay in L2 while a slice of weight rows streams past.
constexpr int kTokenTile = 32;

inline void store(const LinearCall& c, int token, int i, float v) {
  float* dst = c.y + static_cast<size_t>(token) * c.ldy + i;
  *dst = c.accumulate ? *dst + c.alpha * v : c.alpha * v;
}

template <typename T>
const T* rowPtr(const Matrix& w, int row);
template <>
const float* rowPtr<float>(const Matrix& w, int row) {
  return w.f32() + static_cast<size_t>(row) * w.cols();
}
template <>
const uint16_t* rowPtr<uint16_t>(const Matrix& w, int row) {
  return w.f16() + static_cast<size_t>(row) * w.cols();
}

template <typename T>
void dotRows(const KernelTable& k, const T* const rows[4], const float* x, int n, float out[4]);
template <>
void dotRows<float>(const KernelTable& k, const float* const rows[4], const float* x, int n, float out[4]) {
  k.dotRowsF32(rows, x, n, out);
}
template <>
void dotRows<uint16_t>(const KernelTable& k, const uint16_t* const rows[4], const float* x, int n, float out[4]) {
  k.dotRowsF16(rows, x, n, out);
}

template <typename T>
void dotTokens(const KernelTable& k, const T* row, const float* const xs[4], int n, float out[4]);
template <>
void dotTokens<float>(const KernelTable& k, const float* row, const float* const xs[4], int n, float out[4]) {
  k.dotTokensF32(row, xs, n, out);
}
template <>
void dotTokens<uint16_t>(const KernelTable& k, const uint16_t* row, const float* const xs[4], int n, float out[4]) {
  k.dotTokensF16(row, xs, n, out);
}

template <typename T>
void dotGather(const KernelTable& k, const T* const rows[4], const int32_t* cols, const float* x, int n, float out[4]);
template <>
void dotGather<float>(const KernelTable& k, const float* const rows[4], const int32_t* cols, const float* x, int n,
                      float out[4]) {
  k.dotGatherF32(rows, cols, x, n, out);
}
template <>
void dotGather<uint16_t>(const KernelTable& k, const uint16_t* const rows[4], const int32_t* cols, const float* x,
                         int n, float out[4]) {
  k.dotGatherF16(rows, cols, x, n, out);
}

// The first bytes of the next rows, fetched while the current rows stream: a short active prefix (a small
// level's W_down / W_o rows) is otherwise mostly the hardware prefetcher's start-up misses. The SIMD
// kernels prefetch the rest of a row themselves.
constexpr int kRowStartBytes = 1024;

template <typename T, typename RowOf>
inline void prefetchRowStarts(const Matrix& w, const RowOf& physRow, int r0, int r1, int nIn) {
  const int bytes = std::min(kRowStartBytes, nIn * static_cast<int>(sizeof(T)));
  for (int r = r0; r < r1; ++r) {
    const char* p = reinterpret_cast<const char*>(rowPtr<T>(w, physRow(r)));
    for (int b = 0; b < bytes; b += 64) __builtin_prefetch(p + b, 0, 3);
  }
}

// Output rows [i0, i1): 4 rows at a time share each activation load (GEMV) or, with several tokens, one
// row is dotted with 4 tokens at a time inside a token tile (GEMM).
template <typename T>
void linearRange(const KernelTable& k, const LinearCall& c, int i0, int i1) {
  const int nIn = c.colIdx ? c.nCols : c.activeIn;
  auto physRow = [&](int i) { return c.rowIdx ? c.rowIdx[i] : i; };
  const bool gemm = c.tokens > 1 && !c.colIdx;
  if (!gemm) {
    for (int t = 0; t < c.tokens; ++t) {
      const float* x = c.x + static_cast<size_t>(t) * c.ldx;
      for (int i = i0; i < i1; i += 4) {
        const int n = std::min(4, i1 - i);
        const T* rows[4];
        for (int r = 0; r < 4; ++r) rows[r] = rowPtr<T>(*c.w, physRow(i + std::min(r, n - 1)));
        if (!c.colIdx && i + 4 < i1) prefetchRowStarts<T>(*c.w, physRow, i + 4, std::min(i + 8, i1), nIn);
        float out[4];
        if (c.colIdx)
          dotGather<T>(k, rows, c.colIdx, x, nIn, out);
        else
          dotRows<T>(k, rows, x, nIn, out);
        for (int r = 0; r < n; ++r) store(c, t, i + r, out[r]);
      }
    }
    return;
  }
  for (int t0 = 0; t0 < c.tokens; t0 += kTokenTile) {
    const int t1 = std::min(c.tokens, t0 + kTokenTile);
    for (int i = i0; i < i1; ++i) {
      const T* row = rowPtr<T>(*c.w, physRow(i));
      for (int t = t0; t < t1; t += 4) {
        const int n = std::min(4, t1 - t);
        const float* xs[4];
        for (int q = 0; q < 4; ++q) xs[q] = c.x + static_cast<size_t>(t + std::min(q, n - 1)) * c.ldx;
        float out[4];
        dotTokens<T>(k, row, xs, nIn, out);
        for (int q = 0; q < n; ++q) store(c, t + q, i, out[q]);
      }
    }
  }
}

}  // namespace

void elasticLinear(const LinearCall& c) {
  const KernelTable& k = kernels();
  const int nOut = c.rowIdx ? c.nRows : c.activeOut;
  const int threads = std::max(1, std::min(c.threads, (nOut + 3) / 4));
  ThreadPool::instance().run(threads, [&](int part, int parts) {
    int i0, i1;
    splitRange(nOut, part, parts, 4, &i0, &i1);
    if (i0 >= i1) return;
    if (c.w->dtype() == DType::F32)
      linearRange<float>(k, c, i0, i1);
    else
      linearRange<uint16_t>(k, c, i0, i1);
  });
}

void triad(float* a, const float* b, const float* c, float s, size_t n, int threads) {
  const KernelTable& k = kernels();
  ThreadPool::instance().run(std::max(1, threads), [&](int part, int parts) {
    const size_t i0 = n * part / parts, i1 = n * (part + 1) / parts;
    k.triadF32(a + i0, b + i0, c + i0, s, i1 - i0);
  });
}

}  // namespace et
