/**
 * Memoizes a latency model for one run. A trace has few distinct (shape, prompt length, output length)
 * combinations but a million requests, and policies price dozens of candidate configs per request, so the
 * simulator asks the same questions over and over. Keys are numbers (shape id × lengths) to keep lookups
 * cheap; shapes get ids by object identity (they are frozen). Answers are identical to the wrapped model's.
 */
import type { ExecShape, LatencyModel } from '../cost-models/types.ts';
import { IntFloatMap } from './int-hash.ts';

const MAX_ENTRIES = 1 << 20; // a run that exceeds this starts afresh rather than growing without bound

/**
 * Per-shape caches. Prefill and decode-step prices are dense arrays indexed by the length (NaN = not priced
 * yet); decode sums, keyed by (start, steps) packed into one integer, use a typed-array hash table.
 */
interface ShapeCache {
  shape: ExecShape;
  prefill: Float64Array;
  step: Float64Array;
  decode: IntFloatMap;
}

/** Shapes a run prices are few (a policy's levels and the full model): found by a scan before the WeakMap. */
const SCANNED_SHAPES = 16;

const DENSE_LIMIT = 1 << 20;
const EMPTY = new Float64Array(0);

/** Returns `row` grown (NaN-filled) so that index n fits. */
function fit(row: Float64Array, n: number): Float64Array {
  if (n < row.length) return row;
  const grown = new Float64Array(Math.max(n + 1, 2 * row.length, 1024)).fill(NaN);
  grown.set(row);
  return grown;
}

export function memoizeLatency(model: LatencyModel): LatencyModel {
  const caches = new WeakMap<ExecShape, ShapeCache>();
  const recent: ShapeCache[] = [];
  // the service prices one shape's prefill and then its decode: the second lookup is the last one's (the
  // first `last` is a sentinel no shape matches)
  let last: ShapeCache = { shape: Object.freeze({}) as ExecShape, prefill: EMPTY, step: EMPTY, decode: new IntFloatMap(16) };
  const cacheOf = (s: ExecShape): ShapeCache => {
    if (last.shape === s) return last;
    for (let k = 0; k < recent.length; k++) if (recent[k]!.shape === s) return (last = recent[k]!);
    let c = caches.get(s);
    if (c === undefined) {
      caches.set(s, (c = { shape: s, prefill: EMPTY, step: EMPTY, decode: new IntFloatMap() }));
      if (recent.length < SCANNED_SHAPES) recent.push(c);
    }
    return (last = c);
  };
  const tlm = new IntFloatMap();
  return {
    provenance: model.provenance,
    prefillMs(shape, tokens) {
      if (!(tokens >= 0 && tokens < DENSE_LIMIT && Number.isInteger(tokens))) return model.prefillMs(shape, tokens);
      const c = cacheOf(shape);
      if (tokens >= c.prefill.length) c.prefill = fit(c.prefill, tokens);
      let v = c.prefill[tokens]!;
      if (v !== v) c.prefill[tokens] = v = model.prefillMs(shape, tokens);
      return v;
    },
    decodeStepMs(shape, context) {
      if (!(context >= 0 && context < DENSE_LIMIT && Number.isInteger(context))) return model.decodeStepMs(shape, context);
      const c = cacheOf(shape);
      if (context >= c.step.length) c.step = fit(c.step, context);
      let v = c.step[context]!;
      if (v !== v) c.step[context] = v = model.decodeStepMs(shape, context);
      return v;
    },
    decodeMs(shape, start, steps) {
      // start < 2^18 and steps < 2^12 pack into one Smi
      if (!(start >= 0 && start < 1 << 18 && steps >= 0 && steps < 1 << 12 && Number.isInteger(start) && Number.isInteger(steps))) {
        return model.decodeMs(shape, start, steps);
      }
      const key = (start << 12) | steps;
      const m = cacheOf(shape).decode;
      let v = m.get(key);
      if (v !== v) {
        v = model.decodeMs(shape, start, steps);
        if (m.size >= MAX_ENTRIES) m.clear();
        if (v === v) m.set(key, v);
      }
      return v;
    },
    tlmMs(tokens) {
      if (!(tokens >= 0 && tokens < DENSE_LIMIT && Number.isInteger(tokens))) return model.tlmMs(tokens);
      let v = tlm.get(tokens);
      if (v !== v) {
        v = model.tlmMs(tokens);
        if (tlm.size >= MAX_ENTRIES) tlm.clear();
        if (v === v) tlm.set(tokens, v);
      }
      return v;
    },
    // the model memoizes switch prices itself (cost-models/latency.ts)
    switchMs: (kind, from, to) => model.switchMs(kind, from, to),
  };
}
