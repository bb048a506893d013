/**
 * bench:accuracy — cost of one AccuracySurface.quality() call on the shipped surfaces (the simulator asks
 * once per request), against a reference measured in the same run: the bare bilinear interpolation of one
 * 9 × 10 Float64Array grid at the same points. The ratio is the machine-independent figure: what the key
 * lookup, the axis search and the range checks add. Heap growth over the timed loop shows whether a call
 * allocates (run with --expose-gc for a clean figure).
 * Usage: npm run bench:accuracy [-- --json] [-- --calls N]
 */
import { loadAccuracySurfaces, DATASETS, ELASTIC_MODELS } from '../cost-models/accuracy/index.ts';
import type { AccuracyQuery } from '../cost-models/accuracy/types.ts';
import { MODEL_RATIOS, PROMPT_RATIOS } from '../cost-models/types.ts';

const args = process.argv.slice(2);
const json = args.includes('--json');
const nArg = args.indexOf('--calls');
const N = nArg >= 0 ? Number(args[nArg + 1]) : 5_000_000;
const gc = (globalThis as { gc?: () => void }).gc;

const surfaces = loadAccuracySurfaces();
// a fixed spread of queries, half of them between grid points, built before timing
const methods = ['elastilm', 'llm-pruner', 'layer-reduction', 'lingua2-cs'];
const queries: AccuracyQuery[] = [];
for (let k = 0; k < 1024; k++) {
  const m = MODEL_RATIOS[k % 9]! - (k % 2 ? 0 : 0.05 * ((k >> 1) % 2));
  const p = PROMPT_RATIOS[(k >> 3) % 10]! - (k % 3 ? 0 : 0.03);
  queries.push({ method: methods[k % 4]!, model: ELASTIC_MODELS[k % 5]!, dataset: DATASETS[k % 6]!, modelRatio: Math.max(0.2, m), promptRatio: Math.max(0.1, p) });
}
// the policies' pattern: one request's frontier scan asks one key at several ratios
const sameKey: AccuracyQuery[] = queries.map((q) => ({ ...q, method: 'elastilm', model: 'llama-7b', dataset: 'ARC_E' }));
const grid = new Float64Array(90).map((_, i) => 0.3 + i / 200);

function reference(q: AccuracyQuery): number {
  const x = (q.modelRatio - 0.2) * 10;
  const y = (q.promptRatio - 0.1) * 10;
  const i = Math.min(7, Math.floor(x));
  const j = Math.min(8, Math.floor(y));
  const tx = x - i;
  const ty = y - j;
  const a = grid[i * 10 + j]! * (1 - ty) + grid[i * 10 + j + 1]! * ty;
  const b = grid[(i + 1) * 10 + j]! * (1 - ty) + grid[(i + 1) * 10 + j + 1]! * ty;
  return a * (1 - tx) + b * tx;
}

function time(f: (q: AccuracyQuery) => number, qs = queries): { nsPerCall: number; heapGrowth: number; sum: number } {
  let sum = 0;
  for (let k = 0; k < 200_000; k++) sum += f(qs[k & 1023]!); // warm-up
  gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = process.hrtime.bigint();
  for (let k = 0; k < N; k++) sum += f(qs[k & 1023]!);
  const ns = Number(process.hrtime.bigint() - t0);
  const heapGrowth = process.memoryUsage().heapUsed - heap0;
  return { nsPerCall: ns / N, heapGrowth, sum };
}

const ref = time(reference);
const real = time((q) => surfaces.quality(q));
const repeated = time((q) => surfaces.quality(q), sameKey);
const result = {
  calls: N,
  qualityNsPerCall: Math.round(real.nsPerCall * 10) / 10,
  referenceNsPerCall: Math.round(ref.nsPerCall * 10) / 10,
  ratioToReference: Math.round((real.nsPerCall / ref.nsPerCall) * 100) / 100,
  sameKeyNsPerCall: Math.round(repeated.nsPerCall * 10) / 10,
  sameKeyRatioToReference: Math.round((repeated.nsPerCall / ref.nsPerCall) * 100) / 100,
  heapGrowthBytes: real.heapGrowth,
  gcExposed: gc !== undefined,
};
if (json) process.stdout.write(JSON.stringify(result) + '\n');
else {
  process.stdout.write(`accuracy quality(): ${N} calls over 1024 distinct queries\n`);
  process.stdout.write(`  quality()            ${result.qualityNsPerCall} ns/call\n`);
  process.stdout.write(`  quality(), same key  ${result.sameKeyNsPerCall} ns/call (${result.sameKeyRatioToReference}×)\n`);
  process.stdout.write(`  bare bilinear (ref)  ${result.referenceNsPerCall} ns/call\n`);
  process.stdout.write(`  ratio                ${result.ratioToReference}×\n`);
  process.stdout.write(`  heap growth          ${result.heapGrowthBytes} bytes${gc ? '' : ' (run with --expose-gc for a clean figure)'}\n`);
}
