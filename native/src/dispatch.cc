// Chooses the kernel path once at load time from what the CPU reports, and lets tests force a lower one
// (setActivePath or the ELASTITWIN_SIMD environment variable read at load).
#include <atomic>
#include <cstdlib>
#include <cstring>

#include "simd.h"

#if defined(__x86_64__) || defined(_M_X64)
#include <cpuid.h>
#endif
#if defined(__aarch64__) && (defined(__linux__) || defined(__ANDROID__))
#include <sys/auxv.h>
#ifndef HWCAP_ASIMDHP
#define HWCAP_ASIMDHP (1 << 10)
#endif
#endif

namespace et {
namespace {

#if defined(__x86_64__) || defined(_M_X64)
bool cpuHasF16c() {
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return false;
  return (c & bit_F16C) != 0;
}
#endif

Path detectBest() {
#if defined(__x86_64__) || defined(_M_X64)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && cpuHasF16c()) return Path::Avx2;
  return Path::Scalar;
#elif defined(__aarch64__)
#if defined(__linux__) || defined(__ANDROID__)
  if (getauxval(AT_HWCAP) & HWCAP_ASIMDHP) return Path::NeonFp16;
#endif
  return Path::Neon;
#else
  return Path::Scalar;
#endif
}

// A path is usable if it is the best one or a lower one of the same architecture.
bool available(Path p, Path best) {
  if (p == Path::Scalar) return true;
  if (best == Path::Avx2) return p == Path::Avx2;
  if (best == Path::NeonFp16) return p == Path::Neon || p == Path::NeonFp16;
  if (best == Path::Neon) return p == Path::Neon;
  return false;
}

const KernelTable& tableFor(Path p) {
  switch (p) {
#if defined(__x86_64__) || defined(_M_X64)
    case Path::Avx2:
      return avx2Kernels();
#endif
#if defined(__aarch64__)
    case Path::Neon:
      return neonKernels();
    case Path::NeonFp16:
      return neonFp16Kernels();
#endif
    default:
      return scalarKernels();
  }
}

const Path kBest = detectBest();

Path initialPath() {
  Path p = kBest;
  const char* forced = std::getenv("ELASTITWIN_SIMD");
  Path wanted;
  if (forced && parsePath(forced, &wanted) && available(wanted, kBest)) p = wanted;
  return p;
}

std::atomic<const KernelTable*> gActive{&tableFor(initialPath())};

}  // namespace

const char* pathName(Path p) {
  switch (p) {
    case Path::Avx2:
      return "avx2";
    case Path::Neon:
      return "neon";
    case Path::NeonFp16:
      return "neon-fp16";
    default:
      return "scalar";
  }
}

bool parsePath(const char* name, Path* out) {
  const Path all[] = {Path::Scalar, Path::Neon, Path::NeonFp16, Path::Avx2};
  for (Path p : all)
    if (std::strcmp(name, pathName(p)) == 0) {
      *out = p;
      return true;
    }
  return false;
}

Path bestPath() { return kBest; }
Path activePath() { return gActive.load()->path; }
const KernelTable& kernels() { return *gActive.load(); }
bool fp16Native() { return activePath() == Path::NeonFp16; }

bool setActivePath(Path p) {
  if (!available(p, kBest)) return false;
  gActive.store(&tableFor(p));
  return true;
}

}  // namespace et
