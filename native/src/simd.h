// The per-path primitive kernels. Every path (scalar, AVX2/FMA/F16C, NEON, NEON fp16) fills one table of
// these; the elastic ops in elastic_linear.cc only ever call through the table, so every op exists on
// every path and a lower path can be forced for tests.
#pragma once
#include <cstddef>
#include <cstdint>

namespace et {

enum class Path : int { Scalar = 0, Neon = 1, NeonFp16 = 2, Avx2 = 3 };

const char* pathName(Path p);
bool parsePath(const char* name, Path* out);

// Micro-kernels. "rows" variants compute 4 dot products of 4 weight rows with one activation vector
// (GEMV); "tokens" variants compute 1 weight row against 4 activation vectors (GEMM); "gather" variants read
// the weight row at the column indices `cols` (x is compact: x[j] pairs with row[cols[j]]).
// fp16 weights are IEEE binary16 bit patterns; activations and accumulation are fp32 except on the
// NEON fp16 path, which multiplies in fp16 and widens short partial sums to fp32 (see kernels_neon_fp16.cc).
struct KernelTable {
  Path path;
  void (*dotRowsF32)(const float* const rows[4], const float* x, int n, float out[4]);
  void (*dotRowsF16)(const uint16_t* const rows[4], const float* x, int n, float out[4]);
  void (*dotTokensF32)(const float* row, const float* const xs[4], int n, float out[4]);
  void (*dotTokensF16)(const uint16_t* row, const float* const xs[4], int n, float out[4]);
  void (*dotGatherF32)(const float* const rows[4], const int32_t* cols, const float* x, int n, float out[4]);
  void (*dotGatherF16)(const uint16_t* const rows[4], const int32_t* cols, const float* x, int n, float out[4]);
  // y[i] += a * x[i]
  void (*axpyF32)(float a, const float* x, float* y, int n);
  // a[i] = x[i] + y[i] * z[i] style helpers are not needed by the ops; the triad lives here for the bench
  void (*triadF32)(float* a, const float* b, const float* c, float s, size_t n);
};

const KernelTable& scalarKernels();
#if defined(__x86_64__) || defined(_M_X64)
const KernelTable& avx2Kernels();
#endif
#if defined(__aarch64__)
const KernelTable& neonKernels();
const KernelTable& neonFp16Kernels();
#endif

// The best path this CPU supports (runtime check), the active one, and forcing a lower one.
Path bestPath();
Path activePath();
// Returns false (and changes nothing) if `p` is not available on this CPU.
bool setActivePath(Path p);
const KernelTable& kernels();
bool fp16Native();

}  // namespace et
