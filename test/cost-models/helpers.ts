/** Fixtures shared by the cost-model tests: valid profiles and monotone tables written to temp files. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MODEL_RATIOS, type Dtype } from '../../cost-models/index.ts';

export const tmp = mkdtempSync(path.join(tmpdir(), 'elastitwin-cost-'));
let serial = 0;

export function writeJson(name: string, data: unknown): string {
  const file = path.join(tmp, `${serial++}-${name}`);
  writeFileSync(file, JSON.stringify(data));
  return file;
}

export interface Coefficients {
  prefill: { fixedMs: number; perTokenMParamMs: number; perTokenSqKDimMs: number };
  decode: { fixedMs: number; perMParamMs: number; perContextKDimMs: number };
}

export function profile(c: Coefficients, device = 'host', dtype: Dtype = 'fp32', threads = 2, extra: Record<string, unknown> = {}) {
  return {
    schemaVersion: 1,
    device,
    dtype,
    threads,
    form: 'block-v1',
    coefficients: c,
    memcpyGBps: 10,
    flashGBps: 1,
    provenance: { source: 'manual', date: '2026-01-01', tool: 'elastitwin test' },
    ...extra,
  };
}

/** A plausible profile: ~1 µs per token per M params in prefill, ~50 µs per M params in decode. */
export const PLAUSIBLE: Coefficients = {
  prefill: { fixedMs: 0.05, perTokenMParamMs: 0.001, perTokenSqKDimMs: 1e-6 },
  decode: { fixedMs: 0.02, perMParamMs: 0.05, perContextKDimMs: 2e-4 },
};

/** ms[i][j] = a[i] + b[j] + c[i]·d[j] with non-decreasing, non-negative a, b, c, d: monotone in both axes. */
export function monotoneGrid(a: number[], b: number[], c: number[], d: number[]): number[][] {
  return a.map((ai, i) => b.map((bj, j) => ai + bj + c[i]! * d[j]!));
}

export function cumulative(steps: number[]): number[] {
  let s = 0;
  return steps.map((x) => (s += x));
}

export function table(models: string[], opts: { extrapolate?: boolean; device?: string; scale?: number } = {}) {
  const scale = opts.scale ?? 1;
  const tokens = [1, 16, 64, 256, 1024, 4096];
  const contexts = [0, 128, 512, 2048, 8192];
  const grid = (elastic: boolean) => {
    const levels = elastic ? [...MODEL_RATIOS] : [1];
    const a = levels.map((l) => 100 * l * scale);
    const c = levels.map((l) => l * scale);
    return {
      prefill: { levels, tokens, ms: monotoneGrid(a, tokens.map((t) => t * 0.5), c, tokens.map((t) => t * 10)) },
      decode: { levels, contexts, ms: monotoneGrid(a, contexts.map((x) => x * 0.01), c, contexts.map((x) => x * 0.001)) },
    };
  };
  return {
    schemaVersion: 1,
    device: opts.device ?? 'mi14',
    dtype: 'fp16',
    threads: 4,
    ...(opts.extrapolate === undefined ? {} : { extrapolate: opts.extrapolate }),
    models: Object.fromEntries(models.map((m) => [m, grid(!m.startsWith('opt'))])),
    tlm: { tokens: [1, 512, 4096], ms: [1, 40, 300] },
    provenance: { source: 'test grid', date: '2026-01-01' },
  };
}
