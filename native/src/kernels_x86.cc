// x86-64 AVX2 + FMA path; fp16 weights are widened with F16C. Each function carries its own target
// attribute (no global -mavx2 / -march=native), and dispatch.cc only selects this table after
// __builtin_cpu_supports / CPUID confirm the features, so the addon still loads on older CPUs.
#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>

#include "simd.h"

#ifndef PFD
#define PFD 4096
#endif
#define ET_AVX2 __attribute__((target("avx2,fma,f16c")))

namespace et {
namespace {

ET_AVX2 inline float hsum(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

// Loads of 8 weights widened to fp32: one overload per storage type, so each kernel is written once.
ET_AVX2 inline __m256 load8(const float* p) { return _mm256_loadu_ps(p); }
ET_AVX2 inline __m256 load8(const uint16_t* p) {
  return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
}
ET_AVX2 inline float load1(const float* p) { return *p; }
ET_AVX2 inline float load1(const uint16_t* p) { return _cvtsh_ss(*p); }

ET_AVX2 inline __m256 gather8(const float* row, __m256i idx) { return _mm256_i32gather_ps(row, idx, 4); }
// 16-bit gather: a 32-bit gather at byte offset 2*col, then keep the low half of each lane. It reads 2
// bytes past the addressed element, which is why every matrix carries tail padding (matrix.h).
ET_AVX2 inline __m256 gather8(const uint16_t* row, __m256i idx) {
  const __m256i g = _mm256_i32gather_epi32(reinterpret_cast<const int*>(row), idx, 2);
  const __m256i lowHalves = _mm256_setr_epi8(0, 1, 4, 5, 8, 9, 12, 13, -1, -1, -1, -1, -1, -1, -1, -1,  //
                                             0, 1, 4, 5, 8, 9, 12, 13, -1, -1, -1, -1, -1, -1, -1, -1);
  const __m256i packed = _mm256_permute4x64_epi64(_mm256_shuffle_epi8(g, lowHalves), 0x08);
  return _mm256_cvtph_ps(_mm256_castsi256_si128(packed));
}

// Two accumulators per row keep 8 FMA chains in flight. Each iteration consumes one cache line of each of
// the 4 rows (16 fp32 or 32 fp16 elements) and prefetches the line kPrefetchBytes ahead: with 4 streams the
// hardware prefetcher alone left the fp16 GEMV ~10 % short of the fp32 one's DRAM bandwidth.
constexpr int kPrefetchBytes = 1024;

template <typename W>
ET_AVX2 void dotRows(const W* const rows[4], const float* x, int n, float out[4]) {
  constexpr int kStep = 64 / sizeof(W);  // 16 fp32 or 32 fp16 elements
  constexpr int kAhead = kPrefetchBytes / sizeof(W);
  __m256 a[4], b[4];
  for (int r = 0; r < 4; ++r) a[r] = b[r] = _mm256_setzero_ps();
  int i = 0;
  for (; i + kStep <= n; i += kStep) {
    if (i + kAhead < n)  // never past the active prefix: those bytes are exactly what a level saves
      for (int r = 0; r < 4; ++r) _mm_prefetch(reinterpret_cast<const char*>(rows[r] + i + kAhead), _MM_HINT_T0);
    for (int u = 0; u < kStep; u += 16) {
      const __m256 x0 = _mm256_loadu_ps(x + i + u), x1 = _mm256_loadu_ps(x + i + u + 8);
      for (int r = 0; r < 4; ++r) {
        a[r] = _mm256_fmadd_ps(load8(rows[r] + i + u), x0, a[r]);
        b[r] = _mm256_fmadd_ps(load8(rows[r] + i + u + 8), x1, b[r]);
      }
    }
  }
  for (int r = 0; r < 4; ++r) {
    float s = hsum(_mm256_add_ps(a[r], b[r]));
    for (int j = i; j < n; ++j) s += load1(rows[r] + j) * x[j];
    out[r] = s;
  }
}

template <typename W>
ET_AVX2 void dotTokens(const W* row, const float* const xs[4], int n, float out[4]) {
  __m256 a[4];
  for (int t = 0; t < 4; ++t) a[t] = _mm256_setzero_ps();
  int i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m256 w = load8(row + i);
    for (int t = 0; t < 4; ++t) a[t] = _mm256_fmadd_ps(w, _mm256_loadu_ps(xs[t] + i), a[t]);
  }
  for (int t = 0; t < 4; ++t) {
    float s = hsum(a[t]);
    for (int j = i; j < n; ++j) s += load1(row + j) * xs[t][j];
    out[t] = s;
  }
}

template <typename W>
ET_AVX2 void dotGather(const W* const rows[4], const int32_t* cols, const float* x, int n, float out[4]) {
  __m256 a[4];
  for (int r = 0; r < 4; ++r) a[r] = _mm256_setzero_ps();
  int i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m256i idx = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(cols + i));
    const __m256 xv = _mm256_loadu_ps(x + i);
    for (int r = 0; r < 4; ++r) a[r] = _mm256_fmadd_ps(gather8(rows[r], idx), xv, a[r]);
  }
  for (int r = 0; r < 4; ++r) {
    float s = hsum(a[r]);
    for (int j = i; j < n; ++j) s += load1(rows[r] + cols[j]) * x[j];
    out[r] = s;
  }
}

ET_AVX2 void axpyF32(float a, const float* x, float* y, int n) {
  const __m256 av = _mm256_set1_ps(a);
  int i = 0;
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, _mm256_fmadd_ps(av, _mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i)));
  for (; i < n; ++i) y[i] += a * x[i];
}

ET_AVX2 void triadF32(float* a, const float* b, const float* c, float s, size_t n) {
  const __m256 sv = _mm256_set1_ps(s);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) _mm256_storeu_ps(a + i, _mm256_fmadd_ps(sv, _mm256_loadu_ps(c + i), _mm256_loadu_ps(b + i)));
  for (; i < n; ++i) a[i] = b[i] + s * c[i];
}

const KernelTable table = {Path::Avx2,
                           dotRows<float>,
                           dotRows<uint16_t>,
                           dotTokens<float>,
                           dotTokens<uint16_t>,
                           dotGather<float>,
                           dotGather<uint16_t>,
                           axpyF32,
                           triadF32};

}  // namespace

const KernelTable& avx2Kernels() { return table; }

}  // namespace et
#endif
