// Weight storage: a row-major [rows][cols] matrix of fp32 or fp16, 64-byte aligned with tail padding (the
// AVX2 fp16 gather reads 2 bytes past an element). Rows are stored in reordered order (most important
// unit first), so a sub-model is the prefix of rows and/or the prefix of each row.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>

#include "half.h"

namespace et {

enum class DType { F32, F16 };

struct AlignedFree {
  void operator()(void* p) const { std::free(p); }
};

class Buffer {
 public:
  Buffer() = default;
  explicit Buffer(size_t bytes) {
    const size_t padded = ((bytes + 64 + 63) / 64) * 64;
    void* p = nullptr;
    // posix_memalign, not aligned_alloc: Android's bionic has the latter only from API 28 (Termux builds for 24)
    if (posix_memalign(&p, 64, padded) != 0) throw std::bad_alloc();
    data_.reset(p);
    std::memset(data_.get(), 0, padded);
    bytes_ = bytes;
  }
  void* data() const { return data_.get(); }
  size_t bytes() const { return bytes_; }

 private:
  std::unique_ptr<void, AlignedFree> data_;
  size_t bytes_ = 0;
};

// SplitMix64: a tiny, well-mixed seeded generator for weights (reproducible across machines and paths).
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  // Uniform in [-1, 1).
  float uniform() { return static_cast<float>(static_cast<double>(next() >> 40) / 8388608.0 - 1.0); }

 private:
  uint64_t state_;
};

class Matrix {
 public:
  Matrix(int rows, int cols, DType dtype)
      : rows_(rows), cols_(cols), dtype_(dtype), buf_(static_cast<size_t>(rows) * cols * elemBytes(dtype)) {}
  static size_t elemBytes(DType d) { return d == DType::F32 ? 4 : 2; }
  int rows() const { return rows_; }
  int cols() const { return cols_; }
  DType dtype() const { return dtype_; }
  size_t bytes() const { return buf_.bytes(); }
  const float* f32() const { return static_cast<const float*>(buf_.data()); }
  const uint16_t* f16() const { return static_cast<const uint16_t*>(buf_.data()); }
  float* f32() { return static_cast<float*>(buf_.data()); }
  uint16_t* f16() { return static_cast<uint16_t*>(buf_.data()); }

  // Uniform(-scale, scale) weights from a seed.
  void fillRandom(uint64_t seed, float scale) {
    SplitMix64 rng(seed);
    const size_t n = static_cast<size_t>(rows_) * cols_;
    for (size_t i = 0; i < n; ++i) set(i, rng.uniform() * scale);
  }
  void set(size_t i, float v) {
    if (dtype_ == DType::F32)
      f32()[i] = v;
    else
      f16()[i] = floatToHalf(v);
  }
  float get(size_t i) const { return dtype_ == DType::F32 ? f32()[i] : halfToFloat(f16()[i]); }

 private:
  int rows_, cols_;
  DType dtype_;
  Buffer buf_;
};

}  // namespace et
