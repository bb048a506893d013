/**
 * Straightforward TypeScript references of the native kernels, in float64, written for clarity, not speed:
 * the elastic / gathered linear layer, IEEE fp16 rounding, and the elastic decoder block; and the
 * tolerances the native results must meet. Used by test/native (vitest, x86) and test/arm (node:test under
 * qemu-aarch64).
 */

/**
 * Allowed |y − ref| of one dot product of n terms with magnitude Σ|w·x|:
 * - fp32 accumulation (fp32 weights, and fp16 weights widened to fp32: avx2, neon, scalar): the rigorous
 *   bound of recursive summation, (n + 2)·2⁻²⁴·Σ|w·x| (+1e-7);
 * - NEON fp16 arithmetic on fp16 weights (neon-fp16): 4e-3·Σ|w·x| — activations rounded to fp16, products
 *   and 32-element partial sums in fp16 (kernels_neon_fp16.cc).
 * A wrong row, column, prefix or index is off by O(Σ|w·x|), far outside either bound.
 */
export function linearTolerance(path: string, dtype: 'fp32' | 'fp16', n: number, magnitude: number): number {
  if (path === 'neon-fp16' && dtype === 'fp16') return 4e-3 * magnitude + 1e-6;
  return (n + 2) * 2 ** -24 * magnitude + 1e-7;
}

/**
 * Allowed |out − ref| / (1 + |ref|) of a block output (outputs are O(1); ~10 chained reductions through
 * RMSNorm and softmax): 1e-4 with fp32 accumulation, 3e-2 with NEON fp16 arithmetic.
 */
export function blockTolerance(path: string, dtype: 'fp32' | 'fp16'): number {
  return path === 'neon-fp16' && dtype === 'fp16' ? 3e-2 : 1e-4;
}

/** Rounds to the nearest IEEE binary16 value (ties to even), returned as a number. */
export function fp16Round(v: number): number {
  if (!Number.isFinite(v) || v === 0) return v;
  const a = Math.abs(v);
  if (a >= 65520) return Math.sign(v) * Infinity;
  let exp = Math.floor(Math.log2(a));
  // Math.log2 can be off by one ulp next to powers of two
  if (2 ** exp > a) exp--;
  if (2 ** (exp + 1) <= a) exp++;
  const step = 2 ** (Math.max(exp, -14) - 10); // subnormals share the step of exponent -14
  let q = a / step;
  const floorQ = Math.floor(q);
  const frac = q - floorQ;
  q = frac > 0.5 || (frac === 0.5 && floorQ % 2 === 1) ? floorQ + 1 : floorQ;
  return Math.sign(v) * q * step;
}

export interface LinearRefArgs {
  /** Row-major [rows][cols] weights as stored (already widened to fp32). */
  w: Float32Array;
  cols: number;
  x: Float32Array;
  tokens: number;
  activeIn?: number;
  activeOut?: number;
  rowIdx?: Int32Array;
  colIdx?: Int32Array;
}

/** y[t][i] and the magnitude Σ|w·x| of each dot product (the scale of its rounding error). */
export function linearRef(a: LinearRefArgs): { y: Float64Array; magnitude: Float64Array } {
  const outRows = a.rowIdx ? Array.from(a.rowIdx) : range(a.activeOut ?? a.w.length / a.cols);
  const inCols = a.colIdx ? Array.from(a.colIdx) : range(a.activeIn ?? a.cols);
  const y = new Float64Array(a.tokens * outRows.length);
  const magnitude = new Float64Array(y.length);
  for (let t = 0; t < a.tokens; t++)
    outRows.forEach((row, i) => {
      let s = 0;
      let m = 0;
      inCols.forEach((col, j) => {
        const p = (a.w[row * a.cols + col] as number) * (a.x[t * inCols.length + j] as number);
        s += p;
        m += Math.abs(p);
      });
      y[t * outRows.length + i] = s;
      magnitude[t * outRows.length + i] = m;
    });
  return { y, magnitude };
}

export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

export interface BlockRefInput {
  hidden: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  ffn: number;
  activeHeads: number;
  activeFfn: number;
  weights: Record<'q' | 'k' | 'v' | 'o' | 'gate' | 'up' | 'down', Float32Array>;
  lora: Partial<Record<'q' | 'k' | 'v' | 'o' | 'gate' | 'up' | 'down', { a: Float32Array; b: Float32Array }>>;
  loraRank: number;
  norms: { attn: Float32Array; ffn: Float32Array };
  /** Token rows of the input, starting at position pos0. */
  input: Float32Array;
  pos0: number;
  tokens: number;
  /** The KV cache before the call, [maxContext][kvHeads·headDim]. */
  kCache: Float32Array;
  vCache: Float32Array;
}

const RMS_EPS = 1e-5;
const ROPE_BASE = 10000;
const LORA_SCALE = 2;

/** One elastic LLaMA decoder block for tokens at positions pos0.., as the native block defines it. */
export function blockRef(b: BlockRefInput): Float64Array {
  const { hidden: H, headDim: D, tokens: T } = b;
  const group = b.heads / b.kvHeads;
  const aq = b.activeHeads;
  const akv = aq / group;
  const kvDim = b.kvHeads * D;
  const out = new Float64Array(T * H);
  // projections of one vector at the active prefix, with the un-merged LoRA branch
  const proj = (name: keyof BlockRefInput['weights'], x: ArrayLike<number>, inDim: number, outDim: number, fullIn: number) => {
    const w = b.weights[name];
    const y = new Float64Array(outDim);
    for (let i = 0; i < outDim; i++) for (let j = 0; j < inDim; j++) y[i]! += (w[i * fullIn + j] as number) * (x[j] as number);
    const l = b.lora[name];
    if (l) {
      const r = b.loraRank;
      const mid = new Float64Array(r);
      for (let k = 0; k < r; k++) for (let j = 0; j < inDim; j++) mid[k]! += (l.a[k * fullIn + j] as number) * (x[j] as number);
      for (let i = 0; i < outDim; i++) for (let k = 0; k < r; k++) y[i]! += LORA_SCALE * (l.b[i * r + k] as number) * mid[k]!;
    }
    return y;
  };
  const rms = (x: ArrayLike<number>, g: Float32Array) => {
    let ss = 0;
    for (let i = 0; i < H; i++) ss += (x[i] as number) ** 2;
    const inv = 1 / Math.sqrt(ss / H + RMS_EPS);
    return Float64Array.from({ length: H }, (_, i) => (x[i] as number) * inv * (g[i] as number));
  };
  const rope = (v: Float64Array, pos: number, heads: number) => {
    const half = D / 2;
    for (let h = 0; h < heads; h++)
      for (let i = 0; i < half; i++) {
        const angle = pos * ROPE_BASE ** ((-2 * i) / D);
        const [c, s] = [Math.cos(angle), Math.sin(angle)];
        const [x0, x1] = [v[h * D + i]!, v[h * D + i + half]!];
        v[h * D + i] = x0 * c - x1 * s;
        v[h * D + i + half] = x0 * s + x1 * c;
      }
  };
  const kCache = Float64Array.from(b.kCache);
  const vCache = Float64Array.from(b.vCache);
  const qs: Float64Array[] = [];
  for (let t = 0; t < T; t++) {
    const x = b.input.subarray(t * H, (t + 1) * H);
    const xn = rms(x, b.norms.attn);
    const q = proj('q', xn, H, aq * D, H);
    const k = proj('k', xn, H, akv * D, H);
    const v = proj('v', xn, H, akv * D, H);
    rope(q, b.pos0 + t, aq);
    rope(k, b.pos0 + t, akv);
    kCache.set(k, (b.pos0 + t) * kvDim);
    vCache.set(v, (b.pos0 + t) * kvDim);
    qs.push(q);
  }
  for (let t = 0; t < T; t++) {
    const pos = b.pos0 + t;
    const attn = new Float64Array(aq * D);
    for (let h = 0; h < aq; h++) {
      const g = Math.floor(h / group);
      const scores = range(pos + 1).map((j) => {
        let s = 0;
        for (let d = 0; d < D; d++) s += qs[t]![h * D + d]! * kCache[j * kvDim + g * D + d]!;
        return s / Math.sqrt(D);
      });
      const mx = Math.max(...scores);
      const e = scores.map((s) => Math.exp(s - mx));
      const sum = e.reduce((p, c) => p + c, 0);
      for (let j = 0; j <= pos; j++) for (let d = 0; d < D; d++) attn[h * D + d]! += (e[j]! / sum) * vCache[j * kvDim + g * D + d]!;
    }
    const x = b.input.subarray(t * H, (t + 1) * H);
    const o = proj('o', attn, aq * D, H, b.heads * D);
    const resid = Float64Array.from({ length: H }, (_, i) => (x[i] as number) + o[i]!);
    const xn = rms(resid, b.norms.ffn);
    const gate = proj('gate', xn, H, b.activeFfn, H);
    const up = proj('up', xn, H, b.activeFfn, H);
    const act = up.map((u, i) => u * (gate[i]! / (1 + Math.exp(-gate[i]!))));
    const down = proj('down', act, b.activeFfn, H, b.ffn);
    for (let i = 0; i < H; i++) out[t * H + i] = resid[i]! + down[i]!;
  }
  return out;
}
