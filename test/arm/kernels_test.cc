// The arm64 leg of the kernel tests: a plain C++ program, cross-compiled and run under qemu-aarch64 by
// .ci/steps/arm64.sh (Vitest needs Node 20, which does not run there). It checks every kernel on every path
// this CPU offers against straightforward float64 references, on seeded random shapes and levels, with the
// same tolerances as test/native (TypeScript references on x86):
//   fp32 accumulation: |y - ref| <= (n + 2) * 2^-24 * sum|w x| + 1e-7
//   NEON fp16 arithmetic on fp16 weights: 4e-3 * sum|w x|
//   block outputs: 1e-4 * (1 + |ref|), NEON fp16 arithmetic: 3e-2 * (1 + |ref|)
// Usage: kernels_test [--expect-best PATH] [--cases N]
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "decoder_block.h"
#include "elastic_linear.h"
#include "simd.h"

using namespace et;

namespace {

int passed = 0, failed = 0;

void check(bool ok, const std::string& what) {
  if (ok) {
    ++passed;
  } else {
    ++failed;
    std::printf("FAIL %s\n", what.c_str());
  }
}

struct Rand {
  SplitMix64 g;
  explicit Rand(uint64_t seed) : g(seed) {}
  int upTo(int lo, int hi) { return lo + static_cast<int>(g.next() % static_cast<uint64_t>(hi - lo + 1)); }
  std::vector<int32_t> subset(int n, int keep) {
    std::vector<int32_t> all(n);
    for (int i = 0; i < n; ++i) all[i] = i;
    for (int i = n - 1; i > 0; --i) std::swap(all[i], all[upTo(0, i)]);
    all.resize(std::max(1, keep));
    return all;
  }
};

double linearTol(Path p, DType d, int n, double magnitude) {
  if (p == Path::NeonFp16 && d == DType::F16) return 4e-3 * magnitude + 1e-6;
  return (n + 2) * std::ldexp(1.0, -24) * magnitude + 1e-7;
}

// One random elastic linear call (reordered prefix or gathered rows / columns) against float64.
bool linearCase(Path path, uint64_t seed, std::string* detail) {
  Rand r(seed);
  const int rows = r.upTo(1, 70), cols = r.upTo(1, 160);
  const int tokens = r.upTo(0, 1) ? 1 : r.upTo(2, 37);
  const DType dtype = r.upTo(0, 1) ? DType::F32 : DType::F16;
  const int mode = r.upTo(0, 3);  // 0 reordered, 1 gathered rows, 2 gathered cols, 3 both
  Matrix w(rows, cols, dtype);
  w.fillRandom(seed * 7 + 1, 1.f);
  std::vector<int32_t> rowIdx, colIdx;
  LinearCall c;
  c.w = &w;
  c.tokens = tokens;
  c.threads = r.upTo(1, 3);
  c.activeOut = r.upTo(1, rows);
  c.activeIn = r.upTo(1, cols);
  if (mode == 1 || mode == 3) rowIdx = r.subset(rows, r.upTo(1, rows));
  if (mode == 2 || mode == 3) colIdx = r.subset(cols, r.upTo(1, cols));
  const int nOut = rowIdx.empty() ? c.activeOut : static_cast<int>(rowIdx.size());
  const int nIn = colIdx.empty() ? c.activeIn : static_cast<int>(colIdx.size());
  if (!rowIdx.empty()) c.rowIdx = rowIdx.data(), c.nRows = nOut;
  if (!colIdx.empty()) c.colIdx = colIdx.data(), c.nCols = nIn;
  std::vector<float> x(static_cast<size_t>(tokens) * nIn), y(static_cast<size_t>(tokens) * nOut);
  SplitMix64 xs(seed * 7 + 2);
  for (float& v : x) v = xs.uniform();
  c.x = x.data();
  c.ldx = nIn;
  c.y = y.data();
  c.ldy = nOut;
  elasticLinear(c);
  for (int t = 0; t < tokens; ++t)
    for (int i = 0; i < nOut; ++i) {
      const int row = rowIdx.empty() ? i : rowIdx[i];
      double ref = 0, mag = 0;
      for (int j = 0; j < nIn; ++j) {
        const int col = colIdx.empty() ? j : colIdx[j];
        const double p = static_cast<double>(w.get(static_cast<size_t>(row) * cols + col)) * x[static_cast<size_t>(t) * nIn + j];
        ref += p;
        mag += std::fabs(p);
      }
      const double err = std::fabs(y[static_cast<size_t>(t) * nOut + i] - ref);
      if (err > linearTol(path, dtype, nIn, mag)) {
        char buf[256];
        std::snprintf(buf, sizeof buf, "seed %llu mode %d %dx%d %s tokens %d: y[%d][%d] err %.3g (ref %.6g)",
                      static_cast<unsigned long long>(seed), mode, rows, cols, dtype == DType::F32 ? "fp32" : "fp16",
                      tokens, t, i, err, ref);
        *detail = buf;
        return false;
      }
    }
  return true;
}

// Float64 reference of DecoderBlock::forward for tokens at positions pos0.., from the block's own state.
std::vector<double> blockRef(DecoderBlock& b, const BlockLevel& l, int pos0, int tokens) {
  const BlockShape& s = b.shape();
  const int H = s.hidden, D = s.headDim, group = s.heads / s.kvHeads, aq = l.activeHeads, akv = aq / group;
  const int kvDim = s.kvHeads * D;
  auto proj = [&](Proj p, const std::vector<double>& x, int inDim, int outDim) {
    const Matrix& w = b.weight(p);
    std::vector<double> y(outDim, 0.0);
    for (int i = 0; i < outDim; ++i)
      for (int j = 0; j < inDim; ++j) y[i] += w.get(static_cast<size_t>(i) * w.cols() + j) * x[j];
    if (const Matrix* a = b.loraA(p)) {
      const Matrix* bm = b.loraB(p);
      std::vector<double> mid(s.loraRank, 0.0);
      for (int k = 0; k < s.loraRank; ++k)
        for (int j = 0; j < inDim; ++j) mid[k] += a->get(static_cast<size_t>(k) * a->cols() + j) * x[j];
      for (int i = 0; i < outDim; ++i)
        for (int k = 0; k < s.loraRank; ++k) y[i] += DecoderBlock::kLoraScale * bm->get(static_cast<size_t>(i) * s.loraRank + k) * mid[k];
    }
    return y;
  };
  auto rms = [&](const std::vector<double>& x, const Matrix& g) {
    double ss = 0;
    for (double v : x) ss += v * v;
    const double inv = 1 / std::sqrt(ss / H + DecoderBlock::kRmsEps);
    std::vector<double> out(H);
    for (int i = 0; i < H; ++i) out[i] = x[i] * inv * g.get(i);
    return out;
  };
  auto rope = [&](std::vector<double>& v, int pos, int heads) {
    for (int h = 0; h < heads; ++h)
      for (int i = 0; i < D / 2; ++i) {
        const double a = pos * std::pow(static_cast<double>(DecoderBlock::kRopeBase), -2.0 * i / D);
        const double x0 = v[h * D + i], x1 = v[h * D + i + D / 2];
        v[h * D + i] = x0 * std::cos(a) - x1 * std::sin(a);
        v[h * D + i + D / 2] = x0 * std::sin(a) + x1 * std::cos(a);
      }
  };
  std::vector<double> kc(b.keyCache().f32(), b.keyCache().f32() + static_cast<size_t>(s.maxContext) * kvDim);
  std::vector<double> vc(b.valueCache().f32(), b.valueCache().f32() + static_cast<size_t>(s.maxContext) * kvDim);
  std::vector<std::vector<double>> inputs, qs;
  for (int t = 0; t < tokens; ++t) {
    const float* x = b.input().f32() + static_cast<size_t>(pos0 + t) * H;
    inputs.emplace_back(x, x + H);
    const auto xn = rms(inputs.back(), b.attnNorm());
    auto q = proj(kQ, xn, H, aq * D), k = proj(kK, xn, H, akv * D), v = proj(kV, xn, H, akv * D);
    rope(q, pos0 + t, aq);
    rope(k, pos0 + t, akv);
    for (int i = 0; i < akv * D; ++i) kc[static_cast<size_t>(pos0 + t) * kvDim + i] = k[i], vc[static_cast<size_t>(pos0 + t) * kvDim + i] = v[i];
    qs.push_back(q);
  }
  std::vector<double> out;
  for (int t = 0; t < tokens; ++t) {
    const int len = pos0 + t + 1;
    std::vector<double> attn(static_cast<size_t>(aq) * D, 0.0);
    for (int h = 0; h < aq; ++h) {
      const int g = h / group;
      std::vector<double> sc(len);
      double mx = -1e300, sum = 0;
      for (int j = 0; j < len; ++j) {
        double dot = 0;
        for (int d = 0; d < D; ++d) dot += qs[t][h * D + d] * kc[static_cast<size_t>(j) * kvDim + g * D + d];
        mx = std::max(mx, sc[j] = dot / std::sqrt(static_cast<double>(D)));
      }
      for (double& v : sc) sum += (v = std::exp(v - mx));
      for (int j = 0; j < len; ++j)
        for (int d = 0; d < D; ++d) attn[h * D + d] += sc[j] / sum * vc[static_cast<size_t>(j) * kvDim + g * D + d];
    }
    const auto o = proj(kO, attn, aq * D, H);
    std::vector<double> resid(H);
    for (int i = 0; i < H; ++i) resid[i] = inputs[t][i] + o[i];
    const auto xn = rms(resid, b.ffnNorm());
    const auto gate = proj(kGate, xn, H, l.activeFfn);
    auto up = proj(kUp, xn, H, l.activeFfn);
    for (int i = 0; i < l.activeFfn; ++i) up[i] *= gate[i] / (1 + std::exp(-gate[i]));
    const auto down = proj(kDown, up, l.activeFfn, H);
    for (int i = 0; i < H; ++i) out.push_back(resid[i] + down[i]);
  }
  return out;
}

bool blockCase(Path path, uint64_t seed, std::string* detail) {
  Rand r(seed);
  BlockShape s;
  const int group = r.upTo(1, 3);
  s.kvHeads = r.upTo(1, 3);
  s.heads = s.kvHeads * group;
  const int dims[] = {4, 8, 16, 18};
  s.headDim = dims[r.upTo(0, 3)];
  s.hidden = r.upTo(8, 72);
  s.ffn = r.upTo(4, 100);
  s.dtype = r.upTo(0, 1) ? DType::F32 : DType::F16;
  s.maxContext = 16;
  s.loraRank = r.upTo(0, 1) * 8;
  s.seed = seed;
  DecoderBlock b(s);
  const BlockLevel l{group * r.upTo(1, s.kvHeads), r.upTo(1, s.ffn), r.upTo(1, 3)};
  const bool decode = r.upTo(0, 1);
  const int pos0 = decode ? r.upTo(0, 15) : 0, tokens = decode ? 1 : r.upTo(1, 9);
  const auto ref = blockRef(b, l, pos0, tokens);
  if (decode)
    b.decode(pos0, l);
  else
    b.prefill(tokens, l);
  const double tol = path == Path::NeonFp16 && s.dtype == DType::F16 ? 3e-2 : 1e-4;
  const float* out = b.output().f32() + static_cast<size_t>(pos0) * s.hidden;
  for (size_t i = 0; i < ref.size(); ++i)
    if (std::fabs(out[i] - ref[i]) > tol * (1 + std::fabs(ref[i]))) {
      char buf[200];
      std::snprintf(buf, sizeof buf, "seed %llu %s %s T=%d pos0=%d: out[%zu] = %.6g, ref %.6g",
                    static_cast<unsigned long long>(seed), decode ? "decode" : "prefill",
                    s.dtype == DType::F32 ? "fp32" : "fp16", tokens, pos0, i, out[i], ref[i]);
      *detail = buf;
      return false;
    }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  const char* expectBest = nullptr;
  int cases = 150;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--expect-best")) expectBest = argv[i + 1];
    if (!std::strcmp(argv[i], "--cases")) cases = std::atoi(argv[i + 1]);
  }
  std::printf("best path: %s\n", pathName(bestPath()));
  if (expectBest) check(!std::strcmp(pathName(bestPath()), expectBest), std::string("best path is ") + expectBest);

  std::vector<Path> paths = {Path::Scalar};
  for (Path p : {Path::Neon, Path::NeonFp16, Path::Avx2})
    if (setActivePath(p)) paths.push_back(p);
  for (Path p : paths) {
    setActivePath(p);
    int linearFails = 0, blockFails = 0;
    std::string detail;
    for (int c = 0; c < cases; ++c) {
      const bool ok = linearCase(p, 1000 + c, &detail);
      check(ok, std::string(pathName(p)) + " linear: " + detail);
      linearFails += !ok;
    }
    for (int c = 0; c < cases / 5; ++c) {
      const bool ok = blockCase(p, 5000 + c, &detail);
      check(ok, std::string(pathName(p)) + " block: " + detail);
      blockFails += !ok;
    }
    std::printf("%-9s linear %d/%d, block %d/%d cases match\n", pathName(p), cases - linearFails, cases,
                cases / 5 - blockFails, cases / 5);
  }
  std::printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
