/**
 * The live 'hil' latency model: the device itself prices the blocks. Up front it measures, on the agent, one
 * decoder block of the model at every level and at the bucket edges around each prompt and context length the
 * run will need (buckets below), caches the medians, and answers the simulator synchronously from that cache;
 * composeFromBlocks turns per-block times into whole-model latency.
 *
 * Between bucket edges a block time is interpolated linearly; outside the measured edges it is extended with
 * the block-v1 formula fitted to the same live measurements. Blocks the plan did not run as such — the LM
 * head, MLP-only sub-layers of layer-dropping methods, the TLM — are priced by that fitted formula; LoRA
 * branches scale the measured level's time by the formula's ratio. Measured tables are made monotone
 * (running max over lengths, then over levels) so noise cannot make a longer prompt look cheaper.
 */
import { isElastic } from '../cost-models/architectures.ts';
import { blockV1 } from '../cost-models/calibrated.ts';
import { composeFromBlocks, type BlockCost } from '../cost-models/compose.ts';
import { getDevice } from '../cost-models/devices.ts';
import { createSwitchModel } from '../cost-models/switching.ts';
import { MODEL_RATIOS, type Architecture, type Dtype, type LatencyModel } from '../cost-models/types.ts';
import { blockShapeOf } from './block-shape.ts';
import { gridJobs } from './calibration-plan.ts';
import { jobPK, levelDimsFor } from './calibrate.ts';
import { HilController } from './controller.ts';
import { fitBlockCoefficients } from './fit.ts';
import type { Job } from './protocol.ts';
import { summarizeJob } from './samples.ts';

/** Prompt-length bucket edges (tokens): powers of two, so at most a factor 2 is interpolated. */
export const PROMPT_BUCKETS = [16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192];
/** Context-length bucket edges (tokens). */
export const CONTEXT_BUCKETS = [64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384];

export interface HilLatencyOptions {
  url: string;
  token: string;
  arch: Architecture;
  dtype: Dtype;
  threads: number;
  device: string;
  needs: { promptTokens: number[]; contextTokens: number[] };
  /** Timed repetitions per measurement (default 5, after 2 warm-ups). */
  repetitions?: number;
}

/** The bucket edges that bracket every needed length (a length on an edge needs only that edge). */
export function bucketEdges(needs: number[], buckets: number[]): number[] {
  const edges = new Set<number>();
  for (const n of needs) {
    const lo = [...buckets].reverse().find((b) => b <= n) ?? buckets[0]!;
    const hi = buckets.find((b) => b >= n) ?? buckets[buckets.length - 1]!;
    edges.add(lo);
    edges.add(hi);
  }
  return [...edges].sort((a, b) => a - b);
}

/** Measured medians of one op at one level, over ascending edges. */
interface Row { P: number; K: number; edges: number[]; ms: number[] }

function interpolate(row: Row, t: number, formula: (P: number, K: number, t: number) => number): number {
  const { edges, ms } = row;
  const last = edges.length - 1;
  if (t <= edges[0]!) return ms[0]! * (formula(row.P, row.K, t) / formula(row.P, row.K, edges[0]!));
  if (t >= edges[last]!) return ms[last]! * (formula(row.P, row.K, t) / formula(row.P, row.K, edges[last]!));
  let i = 0;
  while (edges[i + 1]! < t) i++;
  const f = (t - edges[i]!) / (edges[i + 1]! - edges[i]!);
  return ms[i]! + f * (ms[i + 1]! - ms[i]!);
}

function monotone(rows: Row[]): void {
  for (const r of rows) for (let i = 1; i < r.ms.length; i++) r.ms[i] = Math.max(r.ms[i]!, r.ms[i - 1]!);
  rows.sort((a, b) => a.P - b.P);
  for (let l = 1; l < rows.length; l++) {
    rows[l]!.ms = rows[l]!.ms.map((m, i) => Math.max(m, rows[l - 1]!.ms[i]!));
  }
}

/** Block cost answered from measured rows, with the fitted formula for what was not measured. */
function liveBlock(prefill: Row[], decode: Row[], fitted: BlockCost): BlockCost {
  const lookup = (rows: Row[], P: number, K: number): Row | null => {
    if (K <= 0) return null;
    const same = rows.filter((r) => Math.abs(r.K - K) < 1e-9);
    if (same.length === 0) return null;
    return same.reduce((best, r) => (Math.abs(r.P - P) < Math.abs(best.P - P) ? r : best));
  };
  const answer = (rows: Row[], formula: (P: number, K: number, t: number) => number) => (P: number, K: number, t: number): number => {
    const row = lookup(rows, P, K);
    if (row === null) return formula(P, K, t);
    const measured = interpolate(row, t, formula);
    // a LoRA-augmented block of the same level: the measured time, scaled by the formula for the extra weights
    return Math.abs(row.P - P) < 1e-9 ? measured : measured * (formula(P, K, t) / formula(row.P, K, t));
  };
  const decodeMs = answer(decode, fitted.decodeMs);
  return {
    prefillMs: answer(prefill, fitted.prefillMs),
    decodeMs,
    // piecewise linear in the context, so the trapezoid rule is not exact across edges: sum the steps
    decodeSumMs(P, K, start, steps) {
      let ms = 0;
      for (let j = 0; j < steps; j++) ms += decodeMs(P, K, start + j);
      return ms;
    },
  };
}

export async function createHilLatencyModel(opts: HilLatencyOptions): Promise<LatencyModel & { close(): Promise<void> }> {
  const arch = opts.arch;
  const levels = isElastic(arch) ? [...MODEL_RATIOS] : [1];
  const promptEdges = bucketEdges(opts.needs.promptTokens, PROMPT_BUCKETS);
  const contextEdges = bucketEdges(opts.needs.contextTokens, CONTEXT_BUCKETS);
  if (promptEdges.length === 0 || contextEdges.length === 0) throw new RangeError('needs must name at least one prompt and one context length');
  const maxContext = Math.max(...promptEdges, ...contextEdges) + 1;
  const ctl = await HilController.connect({ url: opts.url, token: opts.token });
  try {
    const jobs: Job[] = gridJobs('hil:', { levels, promptTokens: promptEdges, contextTokens: contextEdges }, {
      block: blockShapeOf(arch, maxContext), dtype: opts.dtype as Job['dtype'], threads: opts.threads,
      dims: levelDimsFor(arch), warmup: 2, repetitions: opts.repetitions ?? 5, cooldownMs: 0,
    });
    const { results, failures } = await ctl.runPlan(`hil-${arch.id}-${jobs.length}`, jobs);
    if (failures.length > 0) throw new Error(`the agent could not measure ${failures.map((f) => `${f.jobId} (${f.message})`).join(', ')}`);
    const summaries = new Map(jobs.map((j) => [j.id, summarizeJob(results.get(j.id)!)]));
    const { coefficients, residuals } = fitBlockCoefficients(jobs.map((j) => ({ op: j.op, ...jobPK(j, arch), tokens: j.tokens, ms: summaries.get(j.id)!.ms })));
    const rowsOf = (op: Job['op'], edges: number[]): Row[] => {
      const rows = levels.map((level) => {
        const mine = jobs.filter((j) => j.op === op && j.level === level);
        return { ...jobPK(mine[0]!, arch), edges, ms: edges.map((t) => summaries.get(mine.find((j) => j.tokens === t)!.id)!.ms) };
      });
      monotone(rows);
      return rows;
    };
    const block = liveBlock(rowsOf('block-prefill', promptEdges), rowsOf('block-decode', contextEdges), blockV1(coefficients));
    const composed = composeFromBlocks(arch, block);
    const caps = ctl.capabilities;
    const speeds = (() => {
      try {
        return getDevice(opts.device).speeds;
      } catch {
        return null;
      }
    })();
    return {
      provenance: {
        kind: 'hil',
        device: opts.device,
        detail: {
          agent: opts.url,
          capabilities: { agentVersion: caps.agentVersion, platform: caps.platform, cores: caps.cores, addon: caps.addon },
          arch: arch.id, dtype: opts.dtype, threads: opts.threads,
          buckets: { promptTokens: promptEdges, contextTokens: contextEdges, levels },
          measurements: jobs.length,
          samples: jobs.reduce((n, j) => n + summaries.get(j.id)!.repetitions, 0),
          fallbackFit: { coefficients, residuals },
        },
      },
      prefillMs: composed.prefillMs,
      decodeStepMs: composed.decodeStepMs,
      decodeMs: composed.decodeMs,
      tlmMs: composed.tlmMs,
      switchMs: createSwitchModel({ speeds, dtype: opts.dtype, where: `device "${opts.device}"` }),
      close: () => ctl.close(),
    };
  } catch (e) {
    await ctl.close();
    throw e;
  }
}
