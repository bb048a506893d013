// Scalar fallback: plain C++ loops, no intrinsics, compiled for the baseline ISA. It is the path of last
// resort on unknown CPUs and the one every other path is checked against in the tests.
#include "half.h"
#include "simd.h"

namespace et {
namespace {

inline float widen(float w) { return w; }
inline float widen(uint16_t w) { return halfToFloat(w); }

template <typename W>
void dotRows(const W* const rows[4], const float* x, int n, float out[4]) {
  for (int r = 0; r < 4; ++r) {
    float acc = 0.f;
    for (int i = 0; i < n; ++i) acc += widen(rows[r][i]) * x[i];
    out[r] = acc;
  }
}

template <typename W>
void dotTokens(const W* row, const float* const xs[4], int n, float out[4]) {
  float acc[4] = {0.f, 0.f, 0.f, 0.f};
  for (int i = 0; i < n; ++i) {
    const float w = widen(row[i]);
    for (int t = 0; t < 4; ++t) acc[t] += w * xs[t][i];
  }
  for (int t = 0; t < 4; ++t) out[t] = acc[t];
}

template <typename W>
void dotGather(const W* const rows[4], const int32_t* cols, const float* x, int n, float out[4]) {
  for (int r = 0; r < 4; ++r) {
    float acc = 0.f;
    for (int i = 0; i < n; ++i) acc += widen(rows[r][cols[i]]) * x[i];
    out[r] = acc;
  }
}

void axpyF32(float a, const float* x, float* y, int n) {
  for (int i = 0; i < n; ++i) y[i] += a * x[i];
}

void triadF32(float* a, const float* b, const float* c, float s, size_t n) {
  for (size_t i = 0; i < n; ++i) a[i] = b[i] + s * c[i];
}

const KernelTable table = {Path::Scalar,
                           dotRows<float>,
                           dotRows<uint16_t>,
                           dotTokens<float>,
                           dotTokens<uint16_t>,
                           dotGather<float>,
                           dotGather<uint16_t>,
                           axpyF32,
                           triadF32};

}  // namespace

const KernelTable& scalarKernels() { return table; }

}  // namespace et
