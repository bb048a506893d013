/**
 * SoCs as data: cost-models/socs/<id>.json, validated by schemas/soc.schema.json. A SoC holds the hardware
 * (CPU clusters, GPU / NPU peaks, DRAM peak), switch speeds and, per inference engine, the profile its
 * latency model uses (the mllm prior of the paper scenarios and the profiles `engines fit` writes).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../base/errors.ts';
import { describeAjvErrors, readJsonFile, schemaValidator } from '../base/json-file.ts';

export const SOC_SCHEMA = new URL('./schemas/soc.schema.json', import.meta.url);
export const SOC_DIR = fileURLToPath(new URL('./socs/', import.meta.url));

/** A group of identical CPU cores; peak FLOPs per cycle per core by arithmetic type. */
export interface CoreCluster {
  core: string;
  count: number;
  ghz: number;
  /** NEON FMA pipes × lanes × 2: fp32 and fp16 arithmetic. */
  fp32FlopsPerCycle: number;
  fp16FlopsPerCycle: number;
}

export interface Accelerator {
  name: string;
  /** Peak GOP/s in the arithmetic its engines use (GPU: fp16, NPU: int8). */
  peakGops: number;
  source: string;
}

/** The paper's runtime (mllm): the roofline prior, as the paper scenarios were calibrated. */
export interface MllmProfile {
  dramEfficiency: number;
  perCoreGBps: number;
  gemmEfficiency: Record<string, number>;
  gemvEfficiency: Record<string, number>;
  layerOverheadMs: number;
}

/** A SoC × engine profile: shares of peaks (≤ 1) and fixed costs; fitted by `engines fit` or a prior. */
export interface EngineProfile {
  bandwidthShare: number;
  /** CPU engines: bandwidth one core pulls on its own (caps bandwidth at few threads). */
  perCoreGBps?: number;
  prefillEfficiency: Record<string, number>;
  decodeEfficiency: Record<string, number>;
  /** Fixed cost per executed (sub-)layer: norms, RoPE, kernel launch, thread fork/join. */
  layerOverheadMs: number;
  /** Fixed cost per model call (a decode step, a prefill): sampling, graph dispatch. */
  tokenOverheadMs: number;
  provenance: Record<string, unknown>;
}

export interface SwitchSpeedsJson {
  memcpyGBps: number;
  relayoutGBps: number;
  modelLoadGBps: number;
}

export interface SocSpec {
  schemaVersion: 1;
  id: string;
  name: string;
  cpu: { clusters: CoreCluster[] };
  gpu?: Accelerator;
  npu?: Accelerator;
  dramPeakGBps: number;
  switchSpeeds?: SwitchSpeedsJson;
  engines: { mllm?: MllmProfile } & Record<string, EngineProfile | MllmProfile | undefined>;
  sources: Record<string, string>;
  notes?: string[];
}

/** Validates a SoC object (a file's, or one merged with a device's overrides); `where` names its origin. */
export function validateSoc(data: unknown, where: string): SocSpec {
  const validate = schemaValidator(SOC_SCHEMA);
  if (!validate(data)) throw new InputError(where, `invalid SoC: ${describeAjvErrors(validate.errors)}`);
  return data as SocSpec;
}

export function readSocFile(file: string): SocSpec {
  return validateSoc(readJsonFile(file, 'SoC'), file);
}

let shipped: Map<string, SocSpec> | null = null;

/** The shipped SoCs by id (read once). */
export function shippedSocs(): Map<string, SocSpec> {
  if (!shipped) {
    shipped = new Map();
    for (const f of readdirSync(SOC_DIR).filter((x) => x.endsWith('.json')).sort()) {
      const file = path.join(SOC_DIR, f);
      const soc = readSocFile(file);
      if (`${soc.id}.json` !== f) throw new InputError(file, `/id "${soc.id}" must match the file name`);
      shipped.set(soc.id, soc);
    }
  }
  return shipped;
}

export function socFile(id: string): string {
  return path.join(SOC_DIR, `${id}.json`);
}

/** Forget the cached SoCs (after `engines fit` rewrote them). */
export function reloadSocs(): void {
  shipped = null;
}

/** A shipped SoC by id, or a SoC file by path (relative to `baseDir`). */
export function getSoc(idOrPath: string, baseDir = process.cwd(), where = `soc "${idOrPath}"`): SocSpec {
  if (looksLikePath(idOrPath)) return readSocFile(path.resolve(baseDir, idOrPath));
  const soc = shippedSocs().get(idOrPath);
  if (!soc) throw new InputError(where, `unknown SoC "${idOrPath}"; shipped: ${[...shippedSocs().keys()].join(', ')}`);
  return soc;
}

/** Whether a device / SoC / model name is a file path rather than an id. */
export function looksLikePath(s: string): boolean {
  return s.endsWith('.json') || s.includes('/') || s.includes(path.sep);
}

/** Peak FLOP/s of the `threads` fastest cores for an arithmetic type. */
export function clusterPeakFlops(clusters: CoreCluster[], threads: number, arith: 'fp32' | 'fp16'): number {
  let left = threads;
  let flops = 0;
  for (const c of clusters) {
    const n = Math.min(left, c.count);
    flops += n * c.ghz * 1e9 * (arith === 'fp32' ? c.fp32FlopsPerCycle : c.fp16FlopsPerCycle);
    left -= n;
    if (left === 0) break;
  }
  return flops;
}
