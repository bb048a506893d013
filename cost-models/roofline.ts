/**
 * Roofline block cost: each (sub-)layer takes max(compute time, memory time) plus a fixed overhead.
 * Compute = 2 FLOPs per weight per token + attention's 4·T²·d (prefill) or 4·L·d (decode, anchors.md §4);
 * memory = weights streamed once per call + the KV cache written (prefill) or read (decode).
 * Throughput comes from the `threads` fastest cores at the dtype's efficiency; bandwidth is capped by both
 * the DRAM's sustained share and what `threads` cores can pull.
 */
import { InputError } from '../base/errors.ts';
import type { BlockCost } from './compose.ts';
import { coreCount, peakFlops, type DeviceSpec } from './devices.ts';
import { bytesPerParam } from './params.ts';
import type { Architecture, Dtype } from './types.ts';

/** Bytes per KV-cache element: fp32 runs keep an fp32 cache, every other dtype an fp16 one. */
export function kvElementBytes(dtype: Dtype): number {
  return dtype === 'fp32' ? 4 : 2;
}

function sumAffine(a: number, b: number, x0: number, n: number): number {
  return n * a + b * (n * x0 + (n * (n - 1)) / 2);
}

/** Σ over x in [from, to) of the larger line (the lines do not cross inside the range). */
function sumUpper(a1: number, b1: number, a2: number, b2: number, from: number, to: number): number {
  if (to <= from) return 0;
  const mid = (from + to - 1) / 2;
  return a1 + b1 * mid >= a2 + b2 * mid ? sumAffine(a1, b1, from, to - from) : sumAffine(a2, b2, from, to - from);
}

/** Σ_{x = x0}^{x0+n−1} max(a1 + b1·x, a2 + b2·x), exactly, by splitting the range where the lines cross. */
export function sumMaxAffine(a1: number, b1: number, a2: number, b2: number, x0: number, n: number): number {
  if (n <= 0) return 0;
  const end = x0 + n;
  let split = end;
  if (b1 !== b2) split = Math.min(end, Math.max(x0, Math.ceil((a2 - a1) / (b1 - b2))));
  return sumUpper(a1, b1, a2, b2, x0, split) + sumUpper(a1, b1, a2, b2, split, end);
}

export function rooflineBlock(arch: Architecture, device: DeviceSpec, dtype: Dtype, threads: number): BlockCost {
  const r = device.roofline;
  if (!r) {
    throw new InputError(
      `device "${device.id}"`,
      'has no prior numbers for the roofline model; price it with a calibrated profile (--latency calibrated:PATH) or a measured table',
    );
  }
  if (!Number.isInteger(threads) || threads < 1 || threads > coreCount(r)) {
    throw new InputError(`threads ${threads}`, `must be an integer in 1..${coreCount(r)} on ${device.id}`);
  }
  const arith = dtype === 'fp32' ? 'fp32' : 'fp16'; // int8/int4 weights are dequantized into fp16 arithmetic
  const gemmEff = r.gemmEfficiency[dtype];
  const gemvEff = r.gemvEfficiency[dtype];
  if (gemmEff === undefined || gemvEff === undefined) {
    throw new InputError(`dtype "${dtype}"`, `the mllm engine on ${device.id} has no ${dtype} profile; it has ${Object.keys(r.gemmEfficiency).join(', ')}`);
  }
  const gemm = peakFlops(r, threads, arith) * gemmEff;
  const gemv = peakFlops(r, threads, arith) * gemvEff;
  const bw = Math.min(r.dramPeakGBps * r.dramEfficiency, r.perCoreGBps * threads) * 1e9;
  const bpp = bytesPerParam(dtype);
  // KV bytes per token per thousand query channels (GQA keeps kvHeads/heads of them)
  const kvPerK = 2 * 1e3 * (arch.kvHeads / arch.heads) * kvElementBytes(dtype);
  const overhead = r.layerOverheadMs;

  // a decode step at context L is the larger of two lines in L (ms): compute a1 + b1·L and memory
  // a2 + b2·L. Their coefficients are per-(P, K) constants, computed inline (this runs per simulated request)
  const cA = (2 * 1e6 * 1e3) / gemv;
  const cB = (4 * 1e3 * 1e3) / gemv;
  const mA = (1e6 * bpp * 1e3) / bw;
  const mB = (kvPerK * 1e3) / bw;
  return {
    prefillMs(P, K, T) {
      const compute = (2 * P * 1e6 * T + 4 * T * T * K * 1e3) / gemm;
      const memory = (P * 1e6 * bpp + T * K * kvPerK) / bw;
      return overhead + 1e3 * Math.max(compute, memory);
    },
    decodeMs(P, K, L) {
      return overhead + Math.max(cA * P + cB * K * L, mA * P + mB * K * L);
    },
    decodeSumMs(P, K, start, steps) {
      return steps * overhead + sumMaxAffine(cA * P, cB * K, mA * P, mB * K, start, steps);
    },
  };
}
