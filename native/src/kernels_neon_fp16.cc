// arm64 NEON with FP16 arithmetic (ARMv8.2-A FEAT_FP16, e.g. Cortex-A55/A76/X1 and later). This TU alone is
// compiled with -march=armv8.2-a+fp16; dispatch.cc enters it only when getauxval(AT_HWCAP) has
// HWCAP_ASIMDHP, so cores without FP16 (Cortex-A53) never execute its instructions.
//
// fp16 weights are multiplied in fp16 (vfmaq_f16, 8 lanes: twice the fp32 rate) with the activations
// rounded to fp16. Each lane accumulates only CHUNK products in fp16 before the partial sum is widened into
// an fp32 accumulator, which bounds the fp16 rounding error to a few ulps of a short sum. Everything else
// (fp32 weights, gathers, axpy) is the plain NEON kernel.
#if defined(__aarch64__)
#include <arm_neon.h>

#include "simd.h"

namespace et {
namespace {

constexpr int kChunk = 32;  // elements per fp16 partial sum: 4 vfmaq_f16 per lane

inline float16x8_t toHalf8(const float* p) {
  return vcombine_f16(vcvt_f16_f32(vld1q_f32(p)), vcvt_f16_f32(vld1q_f32(p + 4)));
}

inline float16x8_t loadW(const uint16_t* p) { return vreinterpretq_f16_u16(vld1q_u16(p)); }

inline float32x4_t widenAdd(float32x4_t acc, float16x8_t h) {
  return vaddq_f32(vaddq_f32(acc, vcvt_f32_f16(vget_low_f16(h))), vcvt_high_f32_f16(h));
}

inline float halfAt(const uint16_t* p) {
  return vgetq_lane_f32(vcvt_f32_f16(vreinterpret_f16_u16(vdup_n_u16(*p))), 0);
}

void dotRowsF16(const uint16_t* const rows[4], const float* x, int n, float out[4]) {
  float32x4_t acc[4] = {vdupq_n_f32(0.f), vdupq_n_f32(0.f), vdupq_n_f32(0.f), vdupq_n_f32(0.f)};
  int i = 0;
  for (; i + kChunk <= n; i += kChunk) {
    const float16x8_t x0 = toHalf8(x + i), x1 = toHalf8(x + i + 8), x2 = toHalf8(x + i + 16),
                      x3 = toHalf8(x + i + 24);
    for (int r = 0; r < 4; ++r) {
      const uint16_t* w = rows[r] + i;
      float16x8_t h = vmulq_f16(loadW(w), x0);
      h = vfmaq_f16(h, loadW(w + 8), x1);
      h = vfmaq_f16(h, loadW(w + 16), x2);
      h = vfmaq_f16(h, loadW(w + 24), x3);
      acc[r] = widenAdd(acc[r], h);
    }
  }
  float s[4];
  for (int r = 0; r < 4; ++r) s[r] = vaddvq_f32(acc[r]);
  for (; i < n; ++i)
    for (int r = 0; r < 4; ++r) s[r] += halfAt(rows[r] + i) * x[i];
  for (int r = 0; r < 4; ++r) out[r] = s[r];
}

void dotTokensF16(const uint16_t* row, const float* const xs[4], int n, float out[4]) {
  float32x4_t acc[4] = {vdupq_n_f32(0.f), vdupq_n_f32(0.f), vdupq_n_f32(0.f), vdupq_n_f32(0.f)};
  int i = 0;
  for (; i + kChunk <= n; i += kChunk) {
    const float16x8_t w0 = loadW(row + i), w1 = loadW(row + i + 8), w2 = loadW(row + i + 16),
                      w3 = loadW(row + i + 24);
    for (int t = 0; t < 4; ++t) {
      const float* x = xs[t] + i;
      float16x8_t h = vmulq_f16(w0, toHalf8(x));
      h = vfmaq_f16(h, w1, toHalf8(x + 8));
      h = vfmaq_f16(h, w2, toHalf8(x + 16));
      h = vfmaq_f16(h, w3, toHalf8(x + 24));
      acc[t] = widenAdd(acc[t], h);
    }
  }
  float s[4];
  for (int t = 0; t < 4; ++t) s[t] = vaddvq_f32(acc[t]);
  for (; i < n; ++i)
    for (int t = 0; t < 4; ++t) s[t] += halfAt(row + i) * xs[t][i];
  for (int t = 0; t < 4; ++t) out[t] = s[t];
}

}  // namespace

const KernelTable& neonFp16Kernels() {
  static const KernelTable table = [] {
    KernelTable t = neonKernels();
    t.path = Path::NeonFp16;
    t.dotRowsF16 = dotRowsF16;
    t.dotTokensF16 = dotTokensF16;
    return t;
  }();
  return table;
}

}  // namespace et
#endif
