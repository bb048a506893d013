/**
 * bench:cost-models — how cheap one latency call is. The simulator calls prefillMs / decodeMs up to millions
 * of times, so a call must be O(1): a cached per-shape plan and a handful of block evaluations.
 * Measured in the same run (machine-independent ratios):
 *  - reference: the cheapest possible pricing, the block-v1 closed form evaluated inline for one block;
 *  - naive: a per-layer loop that re-derives each layer's dims and prices it (what the cache avoids);
 *  - ours: LatencyModel.prefillMs / decodeMs / decodeMs(steps) on roofline and calibrated models.
 * Target (issue 3): every call ≥ 5× faster than the naive per-layer loop (it does ~7 block evaluations instead
 * of 32 layer derivations); the ratio to the one-block reference shows what the remaining cost is.
 * Usage: npm run bench:cost-models [-- --json] [-- --calls N]
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  MODEL_RATIOS, createLatencyModel, elasticShape, getArchitecture, layerParams, subModelDims, type LatencyModel,
} from '../cost-models/index.ts';

const args = process.argv.slice(2);
const json = args.includes('--json');
const nArg = args.indexOf('--calls');
const N = nArg >= 0 ? Number(args[nArg + 1]) : 1_000_000;

const arch = getArchitecture('llama-7b');
const shapes = MODEL_RATIOS.map((r) => elasticShape(arch, r, r < 1));
const coefficients = {
  prefill: { fixedMs: 0.05, perTokenMParamMs: 0.001, perTokenSqKDimMs: 1e-6 },
  decode: { fixedMs: 0.02, perMParamMs: 0.05, perContextKDimMs: 2e-4 },
};
const dir = mkdtempSync(path.join(tmpdir(), 'elastitwin-bench-'));
const profileFile = path.join(dir, 'profile.json');
writeFileSync(profileFile, JSON.stringify({
  schemaVersion: 1, device: 'mi14', dtype: 'fp16', threads: 4, form: 'block-v1', coefficients,
  provenance: { source: 'manual', date: '2026-01-01', tool: 'bench' },
}));
const ctx = { arch, device: 'mi14', dtype: 'fp16' as const, threads: 4 };
const models: Record<string, LatencyModel> = {
  roofline: createLatencyModel({ kind: 'roofline' }, ctx),
  calibrated: createLatencyModel({ kind: 'calibrated', profile: profileFile }, ctx),
  // a fitted engine (issue 16): the same composed blocks plus a per-call overhead
  'llama.cpp': createLatencyModel({ kind: 'roofline' }, { ...ctx, dtype: 'q4_0', engine: 'llama.cpp' }),
};

let sink = 0;
/** Calls per second, best of 3 rounds after a warm-up (the machines here are shared and noisy). */
function rate(fn: (i: number) => number): number {
  for (let i = 0; i < 50_000; i++) sink += fn(i);
  let best = 0;
  for (let round = 0; round < 3; round++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < N; i++) sink += fn(i);
    best = Math.max(best, N / (Number(process.hrtime.bigint() - t0) / 1e9));
  }
  return best;
}

const c = coefficients.prefill;
const P = 200;
const reference = rate((i) => c.fixedMs + c.perTokenMParamMs * (i & 1023) * P + c.perTokenSqKDimMs * (i & 1023) * (i & 1023) * 4.096);
const naive = rate((i) => {
  const r = MODEL_RATIOS[i % 9]!;
  let ms = 0;
  for (let l = 0; l < arch.layers; l++) {
    const d = subModelDims(arch, arch.anchorLayers.includes(l) ? 1 : r);
    const p = layerParams(arch, d);
    const T = i & 1023;
    ms += c.fixedMs + c.perTokenMParamMs * T * ((p.attn + p.mlp) / 1e6) + c.perTokenSqKDimMs * T * T * (d.attnDim / 1e3);
  }
  return ms;
});
const rows: Array<{ call: string; callsPerSecond: number; vsReference: number; vsNaive: number }> = [];
for (const [name, m] of Object.entries(models)) {
  const calls: Record<string, (i: number) => number> = {
    [`${name}.prefillMs`]: (i) => m.prefillMs(shapes[i % 9]!, 1 + (i & 1023)),
    [`${name}.decodeStepMs`]: (i) => m.decodeStepMs(shapes[i % 9]!, i & 4095),
    [`${name}.decodeMs(64 steps)`]: (i) => m.decodeMs(shapes[i % 9]!, i & 4095, 64),
  };
  for (const [call, fn] of Object.entries(calls)) {
    const r = rate(fn);
    rows.push({ call, callsPerSecond: r, vsReference: reference / r, vsNaive: naive / r });
  }
}
const result = { calls: N, referenceCallsPerSecond: reference, naiveCallsPerSecond: naive, rows, sink: sink > 0 };
if (json) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  const lines = [
    `${N} calls each; reference (one closed-form block) ${(reference / 1e6).toFixed(1)} M calls/s, naive per-layer loop ${(naive / 1e6).toFixed(2)} M calls/s`,
    'call                          M calls/s   × slower than reference   × faster than naive',
  ];
  for (const r of rows) {
    lines.push(`${r.call.padEnd(29)} ${(r.callsPerSecond / 1e6).toFixed(2).padStart(9)}   ${r.vsReference.toFixed(1).padStart(23)}   ${(1 / r.vsNaive).toFixed(1).padStart(19)}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
