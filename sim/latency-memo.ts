/**
 * Memoizes a latency model for one run. A trace has few distinct (shape, prompt length, output length)
 * combinations but a million requests, and policies price dozens of candidate configs per request, so the
 * simulator asks the same questions over and over. Keys are numbers (shape id × lengths) to keep lookups
 * cheap; shapes get ids by object identity (they are frozen). Answers are identical to the wrapped model's.
 */
import type { ExecShape, LatencyModel } from '../cost-models/types.ts';

const MAX_ENTRIES = 1 << 20; // a run that exceeds this starts afresh rather than growing without bound

/** Per-shape caches; keys are small integers (V8 Smis) so lookups hash fast. */
interface ShapeCache {
  prefill: Map<number, number>;
  step: Map<number, number>;
  decode: Map<number, number>;
}

export function memoizeLatency(model: LatencyModel): LatencyModel {
  const caches = new WeakMap<ExecShape, ShapeCache>();
  const cacheOf = (s: ExecShape): ShapeCache => {
    let c = caches.get(s);
    if (c === undefined) caches.set(s, (c = { prefill: new Map(), step: new Map(), decode: new Map() }));
    return c;
  };
  const tlm = new Map<number, number>();
  const remember = (m: Map<number, number>, key: number, value: number): number => {
    if (m.size >= MAX_ENTRIES) m.clear();
    m.set(key, value);
    return value;
  };
  return {
    provenance: model.provenance,
    prefillMs(shape, tokens) {
      if (!(tokens >= 0 && tokens < 1 << 30)) return model.prefillMs(shape, tokens);
      const m = cacheOf(shape).prefill;
      const v = m.get(tokens);
      return v !== undefined ? v : remember(m, tokens, model.prefillMs(shape, tokens));
    },
    decodeStepMs(shape, context) {
      if (!(context >= 0 && context < 1 << 30)) return model.decodeStepMs(shape, context);
      const m = cacheOf(shape).step;
      const v = m.get(context);
      return v !== undefined ? v : remember(m, context, model.decodeStepMs(shape, context));
    },
    decodeMs(shape, start, steps) {
      // start < 2^18 and steps < 2^12 pack into one Smi
      if (!(start >= 0 && start < 1 << 18 && steps >= 0 && steps < 1 << 12)) return model.decodeMs(shape, start, steps);
      const key = (start << 12) | steps;
      const m = cacheOf(shape).decode;
      const v = m.get(key);
      return v !== undefined ? v : remember(m, key, model.decodeMs(shape, start, steps));
    },
    tlmMs(tokens) {
      const v = tlm.get(tokens);
      return v !== undefined ? v : remember(tlm, tokens, model.tlmMs(tokens));
    },
    switchMs: (kind, from, to) => model.switchMs(kind, from, to),
  };
}
