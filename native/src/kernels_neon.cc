// arm64 NEON fp32 path (baseline ARMv8-A, every arm64 CPU). fp16 weights are widened with FCVTL, which
// is part of the ARMv8.0 base, so this path also serves fp16 weights on cores without FP16 arithmetic
// (e.g. Cortex-A53) and is the fallback when HWCAP_ASIMDHP is absent.
#if defined(__aarch64__)
#include <arm_neon.h>

#include "simd.h"

namespace et {
namespace {

// Loads of 4 weights widened to fp32: one overload per storage type, so each kernel is written once.
inline float32x4_t load4(const float* p) { return vld1q_f32(p); }
inline float32x4_t load4(const uint16_t* p) { return vcvt_f32_f16(vreinterpret_f16_u16(vld1_u16(p))); }
inline float load1(const float* p) { return *p; }
inline float load1(const uint16_t* p) {
  return vgetq_lane_f32(vcvt_f32_f16(vreinterpret_f16_u16(vdup_n_u16(*p))), 0);
}

template <typename W>
void dotRows(const W* const rows[4], const float* x, int n, float out[4]) {
  float32x4_t a[4], b[4];
  for (int r = 0; r < 4; ++r) a[r] = b[r] = vdupq_n_f32(0.f);
  int i = 0;
  for (; i + 8 <= n; i += 8) {
    const float32x4_t x0 = vld1q_f32(x + i), x1 = vld1q_f32(x + i + 4);
    for (int r = 0; r < 4; ++r) {
      a[r] = vfmaq_f32(a[r], load4(rows[r] + i), x0);
      b[r] = vfmaq_f32(b[r], load4(rows[r] + i + 4), x1);
    }
  }
  for (int r = 0; r < 4; ++r) {
    float s = vaddvq_f32(vaddq_f32(a[r], b[r]));
    for (int j = i; j < n; ++j) s += load1(rows[r] + j) * x[j];
    out[r] = s;
  }
}

template <typename W>
void dotTokens(const W* row, const float* const xs[4], int n, float out[4]) {
  float32x4_t a[4];
  for (int t = 0; t < 4; ++t) a[t] = vdupq_n_f32(0.f);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    const float32x4_t w = load4(row + i);
    for (int t = 0; t < 4; ++t) a[t] = vfmaq_f32(a[t], w, vld1q_f32(xs[t] + i));
  }
  for (int t = 0; t < 4; ++t) {
    float s = vaddvq_f32(a[t]);
    for (int j = i; j < n; ++j) s += load1(row + j) * xs[t][j];
    out[t] = s;
  }
}

// NEON has no gather: each 4-lane vector is built from scalar loads (what a non-reordered engine must do).
template <typename W>
void dotGather(const W* const rows[4], const int32_t* cols, const float* x, int n, float out[4]) {
  float32x4_t a[4];
  for (int r = 0; r < 4; ++r) a[r] = vdupq_n_f32(0.f);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    const float32x4_t xv = vld1q_f32(x + i);
    for (int r = 0; r < 4; ++r) {
      const W* w = rows[r];
      const W g[4] = {w[cols[i]], w[cols[i + 1]], w[cols[i + 2]], w[cols[i + 3]]};
      a[r] = vfmaq_f32(a[r], load4(g), xv);
    }
  }
  for (int r = 0; r < 4; ++r) {
    float s = vaddvq_f32(a[r]);
    for (int j = i; j < n; ++j) s += load1(rows[r] + cols[j]) * x[j];
    out[r] = s;
  }
}

void axpyF32(float a, const float* x, float* y, int n) {
  int i = 0;
  for (; i + 4 <= n; i += 4) vst1q_f32(y + i, vfmaq_n_f32(vld1q_f32(y + i), vld1q_f32(x + i), a));
  for (; i < n; ++i) y[i] += a * x[i];
}

void triadF32(float* a, const float* b, const float* c, float s, size_t n) {
  size_t i = 0;
  for (; i + 4 <= n; i += 4) vst1q_f32(a + i, vfmaq_n_f32(vld1q_f32(b + i), vld1q_f32(c + i), s));
  for (; i < n; ++i) a[i] = b[i] + s * c[i];
}

const KernelTable table = {Path::Neon,
                           dotRows<float>,
                           dotRows<uint16_t>,
                           dotTokens<float>,
                           dotTokens<uint16_t>,
                           dotGather<float>,
                           dotGather<uint16_t>,
                           axpyF32,
                           triadF32};

}  // namespace

const KernelTable& neonKernels() { return table; }

}  // namespace et
#endif
