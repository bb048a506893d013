/** Invariants of the cost models: accuracy surfaces and latency models are monotone where the design says so. */
import fc from 'fast-check';
import {
  MODEL_RATIOS, createLatencyModel, elasticShape, getArchitecture, listDevices, type LatencyModel,
} from '../../../cost-models/index.ts';
import { ELASTIC_MODELS } from '../../../cost-models/accuracy/index.ts';
import type { AccuracySurface } from '../../../cost-models/accuracy/types.ts';
import { PLAUSIBLE, profile, table, writeJson } from '../../cost-models/helpers.ts';
import { defineInvariant } from '../invariant.ts';
import { realParts } from '../sim-case.ts';
import type { GridSurfaceSet } from '../../../cost-models/accuracy/grid-surface.ts';

export interface SurfaceKey {
  method: string;
  model: string;
  dataset: string;
  modelRatios: [number, number];
  promptRatios: [number, number];
}

export interface SurfaceParts {
  surface: AccuracySurface;
  keys: SurfaceKey[];
}

/** Every (method, model, dataset) of the shipped surfaces with the range its grid covers. */
export function shippedSurfaceParts(): SurfaceParts {
  const surface = realParts.accuracy() as GridSurfaceSet & AccuracySurface;
  const keys: SurfaceKey[] = [];
  for (const { record: r } of surface.entries()) {
    keys.push({
      method: r.method, model: r.model, dataset: r.dataset,
      modelRatios: [r.modelRatios[0]!, r.modelRatios[r.modelRatios.length - 1]!],
      promptRatios: [r.promptRatios[0]!, r.promptRatios[r.promptRatios.length - 1]!],
    });
  }
  return { surface, keys };
}

const unit = fc.double({ min: 0, max: 1, noNaN: true });
const lerp = ([lo, hi]: [number, number], t: number): number => lo + t * (hi - lo);

export const accuracySurfaceMonotone = defineInvariant({
  name: 'accuracy-surface-monotone',
  statement: 'Every accuracy surface is non-decreasing in model level and in prompt ratio, on and between its grid points.',
  area: 'cost models',
  runs: 2000,
  defaults: shippedSurfaceParts,
  property: ({ surface, keys }: SurfaceParts) =>
    fc.property(fc.constantFrom(...keys), unit, unit, unit, unit, (k, a, b, c, d) => {
      const [m1, m2] = a <= b ? [a, b] : [b, a];
      const [p1, p2] = c <= d ? [c, d] : [d, c];
      const q = (m: number, p: number) =>
        surface.quality({ method: k.method, model: k.model, dataset: k.dataset, modelRatio: lerp(k.modelRatios, m), promptRatio: lerp(k.promptRatios, p) });
      const lo = q(m1, p1);
      for (const [what, hi] of [['level', q(m2, p1)], ['prompt ratio', q(m1, p2)]] as const) {
        if (hi < lo - 1e-12) throw new Error(`${k.method}/${k.model}/${k.dataset}: quality drops from ${lo} to ${hi} as the ${what} grows`);
      }
    }),
});

export type LatencyKind = 'roofline' | 'calibrated' | 'table';
export interface LatencyParts {
  model(kind: LatencyKind, archId: string, device: string): LatencyModel;
}

const fixtureFiles = new Map<string, string>();
const modelCache = new Map<string, LatencyModel>();

/** The three self-contained latency models: roofline priors, a plausible calibrated profile, a monotone table. */
export const realLatencyParts: LatencyParts = {
  model(kind, archId, device) {
    const key = `${kind}|${archId}|${device}`;
    let m = modelCache.get(key);
    if (m) return m;
    const ctx = { arch: getArchitecture(archId), device, dtype: 'fp16' as const, threads: 4 };
    const file = (): string => {
      let f = fixtureFiles.get(`${kind}|${device}`);
      if (!f) {
        f = kind === 'calibrated'
          ? writeJson('profile.json', profile(PLAUSIBLE, device, 'fp16', 4))
          : writeJson('table.json', table([...ELASTIC_MODELS], { device, extrapolate: true }));
        fixtureFiles.set(`${kind}|${device}`, f);
      }
      return f;
    };
    m = kind === 'roofline'
      ? createLatencyModel({ kind }, ctx)
      : kind === 'calibrated'
        ? createLatencyModel({ kind, profile: file() }, ctx)
        : createLatencyModel({ kind, table: file() }, ctx);
    modelCache.set(key, m);
    return m;
  },
};

/** (latency kind, device) pairs that exist: roofline needs a device with roofline priors. */
const modelDevice = fc.constantFrom(
  ...listDevices().flatMap((d) => (['roofline', 'calibrated', 'table'] as const).filter((k) => k !== 'roofline' || d.roofline !== null).map((k) => [k, d.id] as const)),
);

export const latencyMonotone = defineInvariant({
  name: 'latency-monotone',
  statement: 'For every device and latency model (roofline, calibrated, table), prefill, decode-step, decode-sum and TLM times never decrease with model level, prompt length or context length.',
  area: 'cost models',
  runs: 300,
  defaults: (): LatencyParts => realLatencyParts,
  property: (parts: LatencyParts) =>
    fc.property(
      modelDevice, fc.constantFrom(...ELASTIC_MODELS),
      // a sorted chain of token counts: adjacent pairs probe the whole range, steps included
      fc.uniqueArray(fc.integer({ min: 1, max: 8000 }), { minLength: 2, maxLength: 16 }).map((xs) => xs.sort((a, b) => a - b)),
      fc.integer({ min: 1, max: 256 }),
      ([kind, device], archId, tokens, steps) => {
        const m = parts.model(kind, archId, device);
        const arch = getArchitecture(archId);
        const shapes = MODEL_RATIOS.map((r) => elasticShape(arch, r, r < 1));
        const where = (what: string, a: number, b: number, at: string) =>
          new Error(`${kind} on ${device}, ${archId}: ${what} decreases (${a} → ${b} ${at})`);
        const chain = (what: string, f: (level: number, t: number) => number) => {
          for (let l = 0; l < shapes.length; l++) {
            for (let k = 1; k < tokens.length; k++) {
              const a = f(l, tokens[k - 1]!);
              const b = f(l, tokens[k]!);
              if (!(a <= b * (1 + 1e-12))) throw where(`${what} vs tokens`, a, b, `from ${tokens[k - 1]} to ${tokens[k]} tokens at level ${MODEL_RATIOS[l]}`);
            }
            if (l === 0) continue;
            for (const t of tokens) {
              const a = f(l - 1, t);
              const b = f(l, t);
              if (!(a <= b * (1 + 1e-12))) throw where(`${what} vs level`, a, b, `from level ${MODEL_RATIOS[l - 1]} to ${MODEL_RATIOS[l]} at ${t} tokens`);
            }
          }
        };
        chain('prefill', (l, t) => m.prefillMs(shapes[l]!, t));
        chain('decode step', (l, t) => m.decodeStepMs(shapes[l]!, t));
        chain('decode sum', (l, t) => m.decodeMs(shapes[l]!, t, steps));
        chain('TLM', (_l, t) => m.tlmMs(t));
      },
    ),
});
