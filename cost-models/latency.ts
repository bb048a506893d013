/**
 * createLatencyModel: one entry point for the three self-contained latency models (the HIL model is built
 * by hil/ on top of composeFromBlocks). Each assembles prefill/decode/TLM pricing with the switching model
 * and a provenance block that run summaries copy.
 */
import { InputError } from '../base/errors.ts';
import { blockV1, readDeviceProfile } from './calibrated.ts';
import { composeFromBlocks, type ComposedLatency } from './compose.ts';
import { getArchitecture } from './architectures.ts';
import { getDevice, type DeviceSpec, type SwitchSpeeds } from './devices.ts';
import { engineComposed, isPaperEngine, type EngineChoice } from './engine-model.ts';
import { rooflineBlock } from './roofline.ts';
import { createSwitchModel, RELAYOUT_TO_MEMCPY } from './switching.ts';
import { readLatencyTable, tableLatency } from './table.ts';
import type { Architecture, Dtype, ExecShape, LatencyModel, Provenance } from './types.ts';

export type LatencySpec =
  | { kind: 'roofline' }
  | { kind: 'calibrated'; profile: string }
  | { kind: 'table'; table: string; extrapolate?: boolean };

export interface LatencyContext {
  arch: Architecture;
  /** A device id, or the device itself (a device file's, see getDevice). */
  device: string | DeviceSpec;
  dtype: Dtype;
  threads: number;
  /** The engine (or one per phase); absent or "mllm": the paper's runtime and its roofline prior. */
  engine?: EngineChoice;
}

/** Switch speeds from a file's optional fields, else the device's priors, else none (switching then errors). */
function speedsFrom(device: DeviceSpec, memcpyGBps?: number, flashGBps?: number): SwitchSpeeds | null {
  const prior = device.speeds;
  if (memcpyGBps === undefined && flashGBps === undefined) return prior;
  const memcpy = memcpyGBps ?? prior?.memcpyGBps;
  const load = flashGBps ?? prior?.modelLoadGBps;
  if (memcpy === undefined || load === undefined) return null;
  // re-layout is a strided gather: the K60's measured ratio to a streaming copy (paper §2.2, §3.2)
  return { memcpyGBps: memcpy, relayoutGBps: memcpy * RELAYOUT_TO_MEMCPY, modelLoadGBps: load };
}

/**
 * Switch prices depend only on (kind, from, to), and a run switches among a handful of frozen shapes, so
 * answers are memoized by object identity (the simulator asks once per request and per feasibility check).
 */
function memoizeSwitch(switchMs: LatencyModel['switchMs']): LatencyModel['switchMs'] {
  const start = new Map<string, WeakMap<ExecShape, number>>();
  const between = new Map<string, WeakMap<ExecShape, WeakMap<ExecShape, number>>>();
  return (kind, from, to) => {
    if (from === null) {
      let m = start.get(kind);
      if (!m) start.set(kind, (m = new WeakMap()));
      let v = m.get(to);
      if (v === undefined) m.set(to, (v = switchMs(kind, null, to)));
      return v;
    }
    let byFrom = between.get(kind);
    if (!byFrom) between.set(kind, (byFrom = new WeakMap()));
    let byTo = byFrom.get(from);
    if (!byTo) byFrom.set(from, (byTo = new WeakMap()));
    let v = byTo.get(to);
    if (v === undefined) byTo.set(to, (v = switchMs(kind, from, to)));
    return v;
  };
}

function assemble(composed: ComposedLatency, provenance: Provenance, rawSwitchMs: LatencyModel['switchMs']): LatencyModel {
  const switchMs = memoizeSwitch(rawSwitchMs);
  return {
    provenance,
    prefillMs: composed.prefillMs,
    decodeStepMs: composed.decodeStepMs,
    decodeMs: composed.decodeMs,
    tlmMs: composed.tlmMs,
    switchMs,
  };
}

function checkMatches(file: string, what: string, got: { device: string; dtype: Dtype; threads: number }, ctx: LatencyContext & { device: DeviceSpec }): void {
  const asked = { device: ctx.device.id, dtype: ctx.dtype, threads: ctx.threads };
  for (const k of ['device', 'dtype', 'threads'] as const) {
    if (got[k] !== asked[k]) throw new InputError(file, `${what} was measured with ${k} ${JSON.stringify(got[k])} but the run asks for ${JSON.stringify(asked[k])}`);
  }
}

/** A calibrated profile or a table measured one runtime: another engine cannot be asked of it. */
function refuseEngine(ctx: LatencyContext, file: string): void {
  if (!isPaperEngine(ctx.engine)) throw new InputError(file, `a measured profile or table prices the runtime it was measured on; drop the engine (${JSON.stringify(ctx.engine)}) or use the roofline latency`);
}

export function createLatencyModel(spec: LatencySpec, ctx: LatencyContext): LatencyModel {
  const device = typeof ctx.device === 'string' ? getDevice(ctx.device) : ctx.device;
  switch (spec.kind) {
    case 'roofline': {
      if (!isPaperEngine(ctx.engine)) {
        const { composed, detail } = engineComposed(ctx.arch, device, ctx.engine!, ctx.dtype, ctx.threads);
        const provenance: Provenance = { kind: 'roofline', device: device.id, detail };
        return assemble(composed, provenance, createSwitchModel({ speeds: device.speeds, dtype: ctx.dtype, where: `device "${device.id}"` }));
      }
      const block = rooflineBlock(ctx.arch, device, ctx.dtype, ctx.threads);
      const tlmDtype = device.tlm?.dtype ?? 'fp32';
      const tlmBlock = rooflineBlock(getArchitecture('tlm-mobilebert'), device, tlmDtype, ctx.threads);
      const composed = composeFromBlocks(ctx.arch, block, { tlmBlock });
      const provenance: Provenance = {
        kind: 'roofline',
        device: device.id,
        detail: { dtype: ctx.dtype, threads: ctx.threads, tlmDtype, roofline: device.roofline, speeds: device.speeds, sources: device.sources },
      };
      return assemble(composed, provenance, createSwitchModel({ speeds: device.speeds, dtype: ctx.dtype, where: `device "${device.id}"` }));
    }
    case 'calibrated': {
      refuseEngine(ctx, spec.profile);
      const p = readDeviceProfile(spec.profile);
      checkMatches(spec.profile, 'the profile', p, { ...ctx, device });
      const composed = composeFromBlocks(ctx.arch, blockV1(p.coefficients));
      const provenance: Provenance = {
        kind: 'calibrated',
        device: p.device,
        detail: { profile: spec.profile, form: p.form, dtype: p.dtype, threads: p.threads, coefficients: p.coefficients, provenance: p.provenance },
      };
      const speeds = speedsFrom(device, p.memcpyGBps, p.flashGBps);
      return assemble(composed, provenance, createSwitchModel({ speeds, dtype: ctx.dtype, where: spec.profile }));
    }
    case 'table': {
      refuseEngine(ctx, spec.table);
      const t = readLatencyTable(spec.table);
      checkMatches(spec.table, 'the table', t, { ...ctx, device });
      const composed = tableLatency(spec.table, t, spec.extrapolate);
      const provenance: Provenance = {
        kind: 'table',
        device: t.device,
        detail: { table: spec.table, extrapolate: spec.extrapolate === true || t.extrapolate === true, models: Object.keys(t.models), provenance: t.provenance },
      };
      const speeds = speedsFrom(device, t.memcpyGBps, t.flashGBps);
      return assemble(composed, provenance, createSwitchModel({ speeds, dtype: ctx.dtype, where: spec.table }));
    }
    default:
      throw new InputError(`latency "${(spec as { kind: string }).kind}"`, 'unknown latency model; known: roofline, calibrated, table');
  }
}
