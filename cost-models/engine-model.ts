/**
 * The roofline latency model when a run names an engine other than the paper's mllm, or splits prefill and
 * decode across engines (prefill on the NPU, decode on the CPU, as mllm-NPU and the paper's Fig 21
 * what-if do). The two phases run one after the other for a request, so each has the DRAM to itself.
 */
import { InputError } from '../base/errors.ts';
import { getArchitecture } from './architectures.ts';
import { composeFromBlocks, type ComposedLatency } from './compose.ts';
import type { DeviceSpec } from './devices.ts';
import { engineLatency } from './engine-latency.ts';
import { DEFAULT_ENGINE, checkPrecision, getEngine } from './engines.ts';
import { rooflineBlock } from './roofline.ts';
import type { Architecture, Dtype } from './types.ts';

/** An engine for both phases, or one per phase. */
export type EngineChoice = string | { prefill: string; decode: string };

export function phaseEngines(choice: EngineChoice | undefined): { prefill: string; decode: string } {
  if (choice === undefined) return { prefill: DEFAULT_ENGINE, decode: DEFAULT_ENGINE };
  return typeof choice === 'string' ? { prefill: choice, decode: choice } : choice;
}

/** Whether a run prices with the paper's mllm prior alone (then nothing about the paper scenarios changes). */
export function isPaperEngine(choice: EngineChoice | undefined): boolean {
  const p = phaseEngines(choice);
  return p.prefill === DEFAULT_ENGINE && p.decode === DEFAULT_ENGINE;
}

/**
 * The precision a phase runs: the run's dtype; in a split, a phase whose engine lacks it runs that engine's
 * default precision (an NPU prefill in w4a16 beside a q4_0 CPU decode). A single engine must run the dtype.
 */
export function phaseDtype(engineId: string, dtype: Dtype, split: boolean, where: string): Dtype {
  const e = getEngine(engineId, where);
  if (split && !e.precisions.includes(dtype)) return e.precisions[0]!;
  checkPrecision(e, dtype, where);
  return dtype;
}

interface Phase {
  engine: string;
  dtype: Dtype;
  composed: ComposedLatency;
  detail: Record<string, unknown>;
}

function phase(arch: Architecture, device: DeviceSpec, engine: string, dtype: Dtype, threads: number): Phase {
  if (engine === DEFAULT_ENGINE) {
    const composed = composeFromBlocks(arch, rooflineBlock(arch, device, dtype, threads));
    return { engine, dtype, composed, detail: { engine, dtype, roofline: device.roofline } };
  }
  const { composed, rates, profile } = engineLatency(arch, device, engine, dtype, threads);
  return { engine, dtype, composed, detail: { engine, dtype, rates, profile } };
}

/** Prefill from one engine, decode from another (or the same), the TLM on the CPU as in the paper. */
export function engineComposed(arch: Architecture, device: DeviceSpec, choice: EngineChoice, dtype: Dtype, threads: number, where = 'dtype'): { composed: ComposedLatency; detail: Record<string, unknown> } {
  const p = phaseEngines(choice);
  const split = p.prefill !== p.decode;
  const pre = phase(arch, device, p.prefill, phaseDtype(p.prefill, dtype, split, where), threads);
  const dec = split ? phase(arch, device, p.decode, phaseDtype(p.decode, dtype, split, where), threads) : pre;
  let tlmMs = dec.composed.tlmMs;
  let tlmDtype: Dtype | null = null;
  if (device.roofline && device.tlm) {
    // the TLM is the paper's fp32 MobileBERT on the CPU cores whatever engine the LLM uses
    tlmDtype = device.tlm.dtype;
    tlmMs = composeFromBlocks(arch, rooflineBlock(getArchitecture('tlm-mobilebert'), device, tlmDtype, threads)).tlmMs;
  } else if (!device.socSpec) {
    throw new InputError(`device "${device.id}"`, 'has no SoC to price an engine on');
  }
  const composed: ComposedLatency = {
    prefillMs: pre.composed.prefillMs,
    decodeStepMs: dec.composed.decodeStepMs,
    decodeMs: dec.composed.decodeMs,
    tlmMs,
  };
  const detail = {
    engine: p,
    dtype,
    threads,
    tlmDtype,
    prefill: pre.detail,
    decode: dec.detail,
    speeds: device.speeds,
    sources: device.sources,
  };
  return { composed, detail };
}
