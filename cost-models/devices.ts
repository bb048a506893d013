/**
 * The phones of the paper (Table 2) and the `host` machine. Each number carries its source in `sources`,
 * or is marked "prior (to be calibrated)": a documented starting point that a calibrated profile replaces.
 * The host has no priors at all: only a calibrated profile (or a measured table) can price it.
 */
import { totalmem } from 'node:os';
import { InputError } from '../base/errors.ts';
import type { Device, Dtype } from './types.ts';

const GiB = 2 ** 30;

/** A group of identical CPU cores; peak FLOPs per cycle per core by arithmetic type. */
export interface CoreCluster {
  core: string;
  count: number;
  ghz: number;
  /** NEON FMA pipes × lanes × 2: fp32 and fp16 arithmetic. */
  fp32FlopsPerCycle: number;
  fp16FlopsPerCycle: number;
}

/** What the roofline model needs about a device. */
export interface RooflineParams {
  /** Fastest cluster first; `threads` threads use the fastest cores. */
  clusters: CoreCluster[];
  /** Peak DRAM bandwidth (bus width × transfer rate). */
  dramPeakGBps: number;
  /** Share of the peak the CPU sustains when enough cores stream. */
  dramEfficiency: number;
  /** Bandwidth one big core sustains on its own (caps bandwidth at few threads). */
  perCoreGBps: number;
  /** Achieved share of peak FLOPs in prefill GEMMs and decode GEMVs, by weight dtype. */
  gemmEfficiency: Record<Dtype, number>;
  gemvEfficiency: Record<Dtype, number>;
  /** Per executed (sub-)layer fixed cost: norms, RoPE, thread fork/join. */
  layerOverheadMs: number;
}

/** Speeds the switching model needs (bytes moved ÷ speed). */
export interface SwitchSpeeds {
  /** Streaming copy / first touch of weights, one thread. */
  memcpyGBps: number;
  /** Strided gather into a new dense layout (structured pruning without reordering). */
  relayoutGBps: number;
  /** End-to-end model load from flash by the runtime (read + parse + allocate). */
  modelLoadGBps: number;
}

export interface DeviceSpec extends Device {
  /** Memory the LLM service may use: the printed RAM minus the OS reserve (see `sources.usableMemory`). */
  usableMemoryBytes: number;
  roofline: RooflineParams | null;
  speeds: SwitchSpeeds | null;
  /** Where the TLM runs and in which dtype (the artifact's demo: fp32 on the same CPU cores). */
  tlm: { placement: string; dtype: Dtype } | null;
}

const PRIOR = 'prior (to be calibrated)';
/** Android itself and background apps keep ~3 GiB (prior); the service gets the rest. */
const OS_RESERVE_BYTES = 3 * GiB;

const X_CORE = { fp32FlopsPerCycle: 32, fp16FlopsPerCycle: 64 }; // 4 × 128-bit FMA pipes
const A7XX_CORE = { fp32FlopsPerCycle: 16, fp16FlopsPerCycle: 32 }; // 2 × 128-bit FMA pipes
const A5XX_CORE = { fp32FlopsPerCycle: 8, fp16FlopsPerCycle: 16 }; // shared 2 × 64-bit pipes

/** mllm-like CPU kernels: fp16 GEMM at ~10 % of NEON peak; int formats dequantize into fp16 arithmetic. */
const GEMM_EFF: Record<Dtype, number> = { fp32: 0.2, fp16: 0.1, int8: 0.08, int4: 0.07 };
const GEMV_EFF: Record<Dtype, number> = { fp32: 0.3, fp16: 0.2, int8: 0.15, int4: 0.12 };

const SD8G3 = [
  { core: 'Cortex-X4', count: 1, ghz: 3.3, ...X_CORE },
  { core: 'Cortex-A720', count: 3, ghz: 3.2, ...A7XX_CORE },
  { core: 'Cortex-A720', count: 2, ghz: 3.0, ...A7XX_CORE },
  { core: 'Cortex-A520', count: 2, ghz: 2.3, ...A5XX_CORE },
];
const SD8G2 = [
  { core: 'Cortex-X3', count: 1, ghz: 3.2, ...X_CORE },
  { core: 'Cortex-A715', count: 2, ghz: 2.8, ...A7XX_CORE },
  { core: 'Cortex-A710', count: 2, ghz: 2.8, ...A7XX_CORE },
  { core: 'Cortex-A510', count: 3, ghz: 2.0, ...A5XX_CORE },
];

/** K60 switching speeds derived from the paper's own K60 measurements (elastilm.md §2.2, §5.2). */
const K60_SPEEDS: SwitchSpeeds = {
  // moving W_Q (4096², fp16 = 33.55 MB) into place by pointer takes 2 ms: 16.8 GB/s of first touch
  memcpyGBps: 33.554432e6 / 2e-3 / 1e9,
  // re-laying one 4096² fp16 matrix out takes 139-140 ms: 0.24 GB/s strided gather
  relayoutGBps: 33.554432e6 / 139.5e-3 / 1e9,
  // the PFS swap costs up to 8.3 s, the load of its largest model (OPT-2.7B, 5.30 GB fp16): 0.64 GB/s
  modelLoadGBps: 5.3033e9 / 8.3 / 1e9,
};

const K60_SOURCES: Record<string, string> = {
  memory: 'Table 2 of the paper prints 19 GB (elastilm.md §1.1), read as GiB',
  usableMemory: `printed memory minus a 3 GiB OS reserve: ${PRIOR}`,
  clusters: 'Snapdragon 8 Gen 2 product brief: 1× X3 3.2 GHz, 2× A715 + 2× A710 2.8 GHz, 3× A510 2.0 GHz; FMA pipes per core from Arm core docs',
  dramPeakGBps: 'LPDDR5X 4200 MHz × 64-bit bus = 67.2 GB/s (Snapdragon 8 Gen 2 product brief; derived)',
  dramEfficiency: `0.45 of peak for CPU streaming: ${PRIOR}; gives LLaMA-7B fp16 TPOT ≈ 0.45 s ("hundreds of ms", paper §2.2)`,
  perCoreGBps: `12 GB/s per big core: ${PRIOR}`,
  gemmEfficiency: `fp16 10 % of NEON peak: ${PRIOR}; chosen so the α=0 trace's mean TTFT exceeds 31 s (paper §5.2, derived)`,
  gemvEfficiency: PRIOR,
  layerOverheadMs: PRIOR,
  memcpyGBps: 'derived: 2 ms pointer move of a 4096² fp16 W_Q on the K60 (paper §3.2)',
  relayoutGBps: 'derived: 139-140 ms re-layout of a 4096² fp16 matrix on the K60 (paper §2.2, §3.2)',
  modelLoadGBps: 'derived: PFS swap up to 8.3 s on the K60 = loading OPT-2.7B fp16 (paper §5.2)',
  tlm: 'fp32 TLM on the CPU (artifact demo file names, elastilm.md §1.1)',
};

function sd8g3Phone(id: string, name: string, printedGB: number, memorySource: string): DeviceSpec {
  // The 8 Gen 3 is priced with the same efficiencies as the K60 (prior) and its own bus; switching speeds
  // scale with the DRAM bus from the K60's paper-derived ones (prior).
  const busRatio = 76.8 / 67.2;
  return {
    id,
    name,
    soc: 'Snapdragon 8 Gen 3',
    memoryBytes: printedGB * GiB,
    usableMemoryBytes: printedGB * GiB - OS_RESERVE_BYTES,
    roofline: {
      clusters: SD8G3,
      dramPeakGBps: 76.8,
      dramEfficiency: 0.45,
      perCoreGBps: 12,
      gemmEfficiency: GEMM_EFF,
      gemvEfficiency: GEMV_EFF,
      layerOverheadMs: 0.05,
    },
    speeds: {
      memcpyGBps: K60_SPEEDS.memcpyGBps * busRatio,
      relayoutGBps: K60_SPEEDS.relayoutGBps * busRatio,
      modelLoadGBps: K60_SPEEDS.modelLoadGBps,
    },
    tlm: { placement: 'cpu (same big cores, run before the LLM)', dtype: 'fp32' },
    sources: {
      ...K60_SOURCES,
      memory: memorySource,
      clusters: 'Snapdragon 8 Gen 3: 1× X4 3.3 GHz, 3× A720 3.2 GHz, 2× A720 3.0 GHz, 2× A520 2.3 GHz (anchors.md §4)',
      dramPeakGBps: 'LPDDR5X 4800 MHz × 64-bit = 76.8 GB/s (anchors.md §4, derived)',
      memcpyGBps: `K60 value × 76.8/67.2 bus ratio: ${PRIOR}`,
      relayoutGBps: `K60 value × 76.8/67.2 bus ratio: ${PRIOR}`,
      modelLoadGBps: `K60 value (same UFS 4.0 class storage): ${PRIOR}`,
    },
  };
}

const DEVICES: readonly DeviceSpec[] = [
  sd8g3Phone('mi14', 'Xiaomi Mi 14', 22, 'Table 2 prints 22 GB (probably incl. memory extension: the demo phone shows 15 GiB in `free -h`), read as GiB'),
  {
    id: 'k60-champion',
    name: 'Redmi K60 Champion Edition',
    soc: 'Snapdragon 8 Gen 2',
    memoryBytes: 19 * GiB,
    usableMemoryBytes: 19 * GiB - OS_RESERVE_BYTES,
    roofline: {
      clusters: SD8G2,
      dramPeakGBps: 67.2,
      dramEfficiency: 0.45,
      perCoreGBps: 12,
      gemmEfficiency: GEMM_EFF,
      gemvEfficiency: GEMV_EFF,
      layerOverheadMs: 0.05,
    },
    speeds: K60_SPEEDS,
    tlm: { placement: 'cpu (same big cores, run before the LLM)', dtype: 'fp32' },
    sources: K60_SOURCES,
  },
  sd8g3Phone('k70-pro', 'Redmi K70 Pro', 24, 'Table 2 of the paper prints 24 GB (elastilm.md §1.1), read as GiB'),
  {
    id: 'host',
    name: 'This machine (calibrate it)',
    soc: 'unknown until calibrated',
    memoryBytes: totalmem(),
    usableMemoryBytes: totalmem(),
    roofline: null,
    speeds: null,
    tlm: null,
    sources: {
      all: 'no prior numbers: only a calibrated profile (elastitwin calibrate) or a measured table can price the host',
      memory: 'os.totalmem() of the machine running the twin',
    },
  },
];

const BY_ID = new Map(DEVICES.map((d) => [d.id, d]));

export function listDevices(): DeviceSpec[] {
  return [...DEVICES];
}

export function getDevice(id: string): DeviceSpec {
  const d = BY_ID.get(id);
  if (!d) throw new InputError(`device "${id}"`, `unknown device; known: ${DEVICES.map((x) => x.id).join(', ')}`);
  return d;
}

/** Peak FLOP/s of the `threads` fastest cores for an arithmetic type. */
export function peakFlops(r: RooflineParams, threads: number, arith: 'fp32' | 'fp16'): number {
  let left = threads;
  let flops = 0;
  for (const c of r.clusters) {
    const n = Math.min(left, c.count);
    flops += n * c.ghz * 1e9 * (arith === 'fp32' ? c.fp32FlopsPerCycle : c.fp16FlopsPerCycle);
    left -= n;
    if (left === 0) break;
  }
  return flops;
}

export function coreCount(r: RooflineParams): number {
  return r.clusters.reduce((n, c) => n + c.count, 0);
}
