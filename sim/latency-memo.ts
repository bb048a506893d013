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
  /** Position among the scanned shapes (row and column of the switch tables), −1 beyond them. */
  id: number;
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
  const cacheOf = (s: ExecShape): ShapeCache => {
    for (let k = 0; k < recent.length; k++) if (recent[k]!.shape === s) return recent[k]!;
    let c = caches.get(s);
    if (c === undefined) {
      caches.set(s, (c = { shape: s, id: -1, prefill: EMPTY, step: EMPTY, decode: new IntFloatMap() }));
      if (recent.length < SCANNED_SHAPES) {
        c.id = recent.length;
        recent.push(c);
      }
    }
    return c;
  };
  const tlm = new IntFloatMap();
  // switch prices by (kind, from, to) among the scanned shapes, row 0 being "nothing resident": the service
  // prices a switch for most requests, and the model's own memo is a Map and two WeakMaps deep
  const switchTables = new Map<string, Float64Array>();
  let lastKind = '';
  let lastTable: Float64Array = EMPTY;
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
    switchMs(kind, from, to) {
      const fromId = from === null ? -1 : cacheOf(from).id;
      const t = cacheOf(to).id;
      if ((from !== null && fromId < 0) || t < 0) return model.switchMs(kind, from, to);
      const f = fromId + 1;
      if (kind !== lastKind) {
        let table = switchTables.get(kind);
        if (table === undefined) switchTables.set(kind, (table = new Float64Array((SCANNED_SHAPES + 1) * SCANNED_SHAPES).fill(NaN)));
        lastKind = kind;
        lastTable = table;
      }
      const at = f * SCANNED_SHAPES + t;
      let v = lastTable[at]!;
      if (v !== v) {
        v = model.switchMs(kind, from, to);
        if (v === v) lastTable[at] = v;
      }
      return v;
    },
  };
}
