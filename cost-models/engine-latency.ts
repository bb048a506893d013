/**
 * Latency of the fitted engines (llama.cpp, ExecuTorch, MLC, QNN) on a SoC: the same roofline form as the
 * paper's mllm prior, but every rate comes from the SoC × engine profile, a share of a physical peak:
 *   prefill block = layer overhead + max(FLOPs / (peak × prefill efficiency), bytes / bandwidth)
 *   decode block  = layer overhead + max(FLOPs / (peak × decode efficiency),  bytes / bandwidth)
 * plus a fixed cost per model call (sampling, graph dispatch). Bytes are the precision's exact bits per
 * weight; peaks are the CPU cores' (threads fastest), the GPU's or the NPU's; bandwidth is a share of the
 * DRAM peak, capped on CPUs by what `threads` cores pull. NPU prompts run in fixed-size graphs.
 */
import { InputError } from '../base/errors.ts';
import { composeFromBlocks, type BlockCost, type ComposedLatency } from './compose.ts';
import type { DeviceSpec } from './devices.ts';
import { checkPrecision, getEngine, type EngineSpec } from './engines.ts';
import { getPrecision, type Arithmetic } from './precisions.ts';
import { kvElementBytes, sumMaxAffine } from './roofline.ts';
import { clusterPeakFlops, type EngineProfile, type SocSpec } from './socs.ts';
import type { Architecture, Dtype } from './types.ts';

/** Int8 dot products (SDOT) do 16 multiply-adds per 128-bit op where fp16 FMA does 8: twice the fp16 peak. */
const INT8_OVER_FP16 = 2;

/** Peak operations per second of the engine's processor for an arithmetic (CPU: the `threads` fastest cores). */
export function processorPeak(soc: SocSpec, engine: EngineSpec, arith: Arithmetic, threads: number): number {
  if (engine.processor === 'cpu') {
    if (arith === 'int8') return INT8_OVER_FP16 * clusterPeakFlops(soc.cpu.clusters, threads, 'fp16');
    return clusterPeakFlops(soc.cpu.clusters, threads, arith);
  }
  const acc = engine.processor === 'gpu' ? soc.gpu : soc.npu;
  if (!acc) throw new InputError(`SoC "${soc.id}"`, `has no ${engine.processor.toUpperCase()} for engine ${engine.id}`);
  return acc.peakGops * 1e9;
}

/** The SoC × engine profile, or a clear error naming what the SoC has. */
export function engineProfile(soc: SocSpec, engine: EngineSpec): EngineProfile {
  const p = soc.engines[engine.id] as EngineProfile | undefined;
  if (!p || engine.id === 'mllm') {
    const has = Object.keys(soc.engines).join(', ') || '(none)';
    throw new InputError(`engine "${engine.id}"`, `SoC "${soc.id}" has no profile for it; it has ${has}`);
  }
  return p;
}

function efficiency(shares: Record<string, number>, dtype: string, what: string, where: string): number {
  const e = shares[dtype];
  if (e === undefined) throw new InputError(where, `has no ${what} for precision "${dtype}"; it has ${Object.keys(shares).join(', ') || '(none)'}`);
  return e;
}

export interface EngineRates {
  prefillOps: number;
  decodeOps: number;
  bandwidth: number;
  bytesPerWeight: number;
  kvPerK: number;
  layerOverheadMs: number;
  tokenOverheadMs: number;
  graphTokens: number;
}

/** The rates one run uses: ops/s for prefill and decode, bytes/s, per-weight and per-KV-channel bytes. */
export function engineRates(arch: Architecture, soc: SocSpec, engine: EngineSpec, p: EngineProfile, dtype: Dtype, threads: number): EngineRates {
  const prec = getPrecision(dtype);
  const where = `${soc.id} engines.${engine.id}`;
  const peak = processorPeak(soc, engine, prec.arithmetic, threads);
  const dram = p.bandwidthShare * soc.dramPeakGBps * 1e9;
  const bandwidth = engine.usesThreads && p.perCoreGBps !== undefined ? Math.min(dram, p.perCoreGBps * 1e9 * threads) : dram;
  return {
    prefillOps: peak * efficiency(p.prefillEfficiency, dtype, 'prefillEfficiency', where),
    decodeOps: peak * efficiency(p.decodeEfficiency, dtype, 'decodeEfficiency', where),
    bandwidth,
    bytesPerWeight: prec.bitsPerWeight / 8,
    kvPerK: 2 * 1e3 * (arch.kvHeads / arch.heads) * kvElementBytes(dtype),
    layerOverheadMs: p.layerOverheadMs,
    tokenOverheadMs: p.tokenOverheadMs,
    graphTokens: engine.promptGraphTokens ?? 0,
  };
}

/** One block's cost under the rates (P: millions of weights, K: thousands of query channels). */
export function rateBlock(r: EngineRates): BlockCost {
  const prefillOnce = (P: number, K: number, T: number): number => {
    const compute = (2 * P * 1e6 * T + 4 * T * T * K * 1e3) / r.prefillOps;
    const memory = (P * 1e6 * r.bytesPerWeight + T * K * r.kvPerK) / r.bandwidth;
    return r.layerOverheadMs + 1e3 * Math.max(compute, memory);
  };
  const cA = (2 * 1e9) / r.decodeOps;
  const cB = (4 * 1e6) / r.decodeOps;
  const mA = (1e9 * r.bytesPerWeight) / r.bandwidth;
  const mB = (r.kvPerK * 1e3) / r.bandwidth;
  const G = r.graphTokens;
  return {
    // fixed-size prompt graphs: every call runs G tokens, padded
    prefillMs: G > 0 ? (P, K, T) => Math.ceil(T / G) * prefillOnce(P, K, G) : prefillOnce,
    decodeMs: (P, K, L) => r.layerOverheadMs + Math.max(cA * P + cB * K * L, mA * P + mB * K * L),
    decodeSumMs: (P, K, start, steps) => steps * r.layerOverheadMs + sumMaxAffine(cA * P, cB * K, mA * P, mB * K, start, steps),
  };
}

/** Whole-model latency of an engine on a device: the composed blocks plus the per-call fixed cost. */
export function engineLatency(arch: Architecture, device: DeviceSpec, engineId: string, dtype: Dtype, threads: number): { composed: ComposedLatency; rates: EngineRates; profile: EngineProfile } {
  const engine = getEngine(engineId);
  checkPrecision(engine, dtype);
  const soc = device.socSpec;
  if (!soc) throw new InputError(`device "${device.id}"`, `has no SoC, so engine ${engineId} cannot price it; use a calibrated profile or a table`);
  if (engine.usesThreads) {
    const cores = soc.cpu.clusters.reduce((n, c) => n + c.count, 0);
    if (!Number.isInteger(threads) || threads < 1 || threads > cores) throw new InputError(`threads ${threads}`, `must be an integer in 1..${cores} on ${device.id}`);
  }
  const profile = engineProfile(soc, engine);
  const rates = engineRates(arch, soc, engine, profile, dtype, threads);
  const c = composeFromBlocks(arch, rateBlock(rates));
  const t = rates.tokenOverheadMs;
  const composed: ComposedLatency = {
    prefillMs: (shape, n) => (n > 0 ? t + c.prefillMs(shape, n) : 0),
    decodeStepMs: (shape, ctx) => t + c.decodeStepMs(shape, ctx),
    decodeMs: (shape, start, steps) => (steps > 0 ? steps * t + c.decodeMs(shape, start, steps) : 0),
    tlmMs: c.tlmMs,
  };
  return { composed, rates, profile };
}
