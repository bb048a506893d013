/**
 * Devices (phones) as data: cost-models/devices/<id>.json, validated by schemas/device.schema.json, each
 * naming a SoC (cost-models/socs/) whose hardware, switch speeds and engine profiles it inherits and may
 * override. A user's device file works the same way (`--device FILE`, a scenario's `device` as a path).
 * The `host` machine is built in: it has no priors at all, only a calibrated profile or a table prices it.
 */
import { readdirSync } from 'node:fs';
import { totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../base/errors.ts';
import { readValidatedJson } from '../base/json-file.ts';
import { clusterPeakFlops, getSoc, looksLikePath, validateSoc, type CoreCluster, type SocSpec, type SwitchSpeedsJson } from './socs.ts';
import type { Device, Dtype } from './types.ts';

export type { CoreCluster } from './socs.ts';

const GiB = 2 ** 30;
export const DEVICE_SCHEMA = new URL('./schemas/device.schema.json', import.meta.url);
export const DEVICE_DIR = fileURLToPath(new URL('./devices/', import.meta.url));

/** What the mllm roofline model needs about a device (the SoC's hardware + its mllm profile). */
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
  gemmEfficiency: Partial<Record<Dtype, number>>;
  gemvEfficiency: Partial<Record<Dtype, number>>;
  /** Per executed (sub-)layer fixed cost: norms, RoPE, thread fork/join. */
  layerOverheadMs: number;
}

/** Speeds the switching model needs (bytes moved ÷ speed). */
export type SwitchSpeeds = SwitchSpeedsJson;

export interface DeviceSpec extends Device {
  /** Memory the LLM service may use: the printed RAM minus the OS reserve (see `sources.usableMemory`). */
  usableMemoryBytes: number;
  /** The mllm engine's roofline prior (null: the SoC has none, or the host). */
  roofline: RooflineParams | null;
  speeds: SwitchSpeeds | null;
  /** Where the TLM runs and in which dtype (the artifact's demo: fp32 on the same CPU cores). */
  tlm: { placement: string; dtype: Dtype } | null;
  /** The SoC with this device's overrides applied (null for the host). */
  socSpec: SocSpec | null;
}

interface DeviceFile {
  schemaVersion: 1;
  id: string;
  name: string;
  soc: string;
  memoryGiB: number;
  osReserveGiB: number;
  dramPeakGBps?: number;
  switchSpeeds?: Partial<SwitchSpeedsJson>;
  tlm?: { placement: string; dtype: Dtype };
  engines?: Record<string, Record<string, unknown>>;
  sources?: Record<string, string>;
}

const DEFAULT_TLM = { placement: 'cpu (same big cores, run before the LLM)', dtype: 'fp32' as Dtype };

/** The device's own sources first (memory), then the SoC's, then the rest of the device's (tlm, overrides). */
function mergeSources(dev: Record<string, string>, soc: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ['memory', 'usableMemory']) if (dev[k] !== undefined) out[k] = dev[k];
  for (const [k, v] of Object.entries(soc)) out[k] = dev[k] ?? v;
  for (const [k, v] of Object.entries(dev)) if (!(k in out)) out[k] = v;
  return out;
}

/** The SoC with the device file's overrides: engine profiles member by member, DRAM peak, switch speeds. */
function overriddenSoc(soc: SocSpec, d: DeviceFile, file: string): SocSpec {
  if (!d.engines && d.dramPeakGBps === undefined && !d.switchSpeeds) return soc;
  const engines: Record<string, unknown> = { ...soc.engines };
  for (const [k, v] of Object.entries(d.engines ?? {})) engines[k] = { ...(soc.engines[k] ?? {}), ...v };
  const merged = {
    ...soc,
    dramPeakGBps: d.dramPeakGBps ?? soc.dramPeakGBps,
    switchSpeeds: d.switchSpeeds ? { ...soc.switchSpeeds, ...d.switchSpeeds } : soc.switchSpeeds,
    engines,
  };
  // the merged profiles must still be whole and within physical bounds; errors name the device file
  return validateSoc(JSON.parse(JSON.stringify(merged)), `${file} (device "${d.id}" over SoC "${soc.id}")`);
}

function deviceFromFile(file: string): DeviceSpec {
  const d = readValidatedJson<DeviceFile>(file, DEVICE_SCHEMA, 'device');
  const soc = overriddenSoc(getSoc(d.soc, path.dirname(file), `${file}: /soc`), d, file);
  const m = soc.engines.mllm;
  const roofline: RooflineParams | null = m
    ? {
        clusters: soc.cpu.clusters,
        dramPeakGBps: soc.dramPeakGBps,
        dramEfficiency: m.dramEfficiency,
        perCoreGBps: m.perCoreGBps,
        gemmEfficiency: m.gemmEfficiency,
        gemvEfficiency: m.gemvEfficiency,
        layerOverheadMs: m.layerOverheadMs,
      }
    : null;
  const ownSources = { ...(d.sources ?? {}) };
  ownSources.memory ??= `${file}: memoryGiB ${d.memoryGiB}`;
  ownSources.usableMemory ??= `printed memory minus a ${d.osReserveGiB} GiB OS reserve${d.osReserveGiB === 3 ? ': prior (to be calibrated)' : ''}`;
  ownSources.tlm ??= 'fp32 TLM on the CPU (artifact demo file names, elastilm.md §1.1)';
  return {
    id: d.id,
    name: d.name,
    soc: soc.name,
    memoryBytes: d.memoryGiB * GiB,
    usableMemoryBytes: d.memoryGiB * GiB - d.osReserveGiB * GiB,
    roofline,
    speeds: soc.switchSpeeds ?? null,
    tlm: d.tlm ?? DEFAULT_TLM,
    sources: mergeSources(ownSources, soc.sources),
    socSpec: soc,
  };
}

const HOST: DeviceSpec = {
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
  socSpec: null,
};

let shipped: DeviceSpec[] | null = null;

function shippedDevices(): DeviceSpec[] {
  if (!shipped) {
    shipped = readdirSync(DEVICE_DIR)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => deviceFromFile(path.join(DEVICE_DIR, f)));
    shipped.push(HOST);
  }
  return shipped;
}

/** Forget cached devices (after `engines fit` rewrote the SoC files they inherit from). */
export function reloadDevices(): void {
  shipped = null;
  byFile.clear();
}

export function listDevices(): DeviceSpec[] {
  return [...shippedDevices()];
}

const byFile = new Map<string, DeviceSpec>();

/** A shipped device by id, or a device file by path (relative to `baseDir`, e.g. the scenario's folder). */
export function getDevice(idOrPath: string, baseDir = process.cwd()): DeviceSpec {
  if (looksLikePath(idOrPath)) {
    const file = path.resolve(baseDir, idOrPath);
    let d = byFile.get(file);
    if (!d) byFile.set(file, (d = deviceFromFile(file)));
    return d;
  }
  const d = shippedDevices().find((x) => x.id === idOrPath);
  if (!d) throw new InputError(`device "${idOrPath}"`, `unknown device; known: ${shippedDevices().map((x) => x.id).join(', ')} (or a device file path)`);
  return d;
}

/** Peak FLOP/s of the `threads` fastest cores for an arithmetic type. */
export function peakFlops(r: { clusters: CoreCluster[] }, threads: number, arith: 'fp32' | 'fp16'): number {
  return clusterPeakFlops(r.clusters, threads, arith);
}

export function coreCount(r: { clusters: CoreCluster[] }): number {
  return r.clusters.reduce((n, c) => n + c.count, 0);
}
