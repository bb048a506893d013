/** Latency is monotone non-decreasing in level, prompt and context for every model, device and latency model. */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  MODEL_RATIOS, checkFitsDevice, createLatencyModel, elasticShape, getArchitecture, isElastic, listArchitectures,
  listDevices, type LatencyModel, type ExecShape,
} from '../../cost-models/index.ts';
import { InputError } from '../../base/errors.ts';
import { PLAUSIBLE, cumulative, profile, table, writeJson } from './helpers.ts';

const LLMS = listArchitectures().filter((a) => a.family !== 'mobilebert');
const PHONES = ['mi14', 'k60-champion', 'k70-pro'];
const levelsOf = (id: string): number[] => (isElastic(getArchitecture(id)) ? [...MODEL_RATIOS] : [1]);
const shapeAt = (id: string, r: number): ExecShape => elasticShape(getArchitecture(id), r, r < 1);

/** Checks monotonicity of one model over sorted pairs drawn by fast-check. */
function assertMonotone(m: LatencyModel, id: string, maxTokens: number): void {
  const levels = levelsOf(id);
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: levels.length - 1 }),
      fc.integer({ min: 0, max: levels.length - 1 }),
      fc.integer({ min: 1, max: maxTokens }),
      fc.integer({ min: 1, max: maxTokens }),
      fc.integer({ min: 1, max: 64 }),
      (i, j, t1, t2, steps) => {
        const lo = shapeAt(id, levels[Math.min(i, j)]!);
        const hi = shapeAt(id, levels[Math.max(i, j)]!);
        const [p, q] = t1 <= t2 ? [t1, t2] : [t2, t1];
        expect(m.prefillMs(lo, p)).toBeLessThanOrEqual(m.prefillMs(hi, p) * (1 + 1e-12));
        expect(m.prefillMs(lo, p)).toBeLessThanOrEqual(m.prefillMs(lo, q) * (1 + 1e-12));
        expect(m.decodeStepMs(lo, p)).toBeLessThanOrEqual(m.decodeStepMs(hi, p) * (1 + 1e-12));
        expect(m.decodeStepMs(lo, p)).toBeLessThanOrEqual(m.decodeStepMs(lo, q) * (1 + 1e-12));
        expect(m.decodeMs(lo, p, steps)).toBeLessThanOrEqual(m.decodeMs(lo, q, steps) * (1 + 1e-12));
        expect(m.tlmMs(p)).toBeLessThanOrEqual(m.tlmMs(q) * (1 + 1e-12));
      },
    ),
    { numRuns: 40, seed: 42 },
  );
}

describe('monotone latency (fast-check)', () => {
  it('roofline, every model × phone', () => {
    for (const a of LLMS) for (const device of PHONES) {
      assertMonotone(createLatencyModel({ kind: 'roofline' }, { arch: a, device, dtype: 'fp16', threads: 4 }), a.id, 8192);
    }
  });

  it('calibrated, every model × device, with generated valid profiles', () => {
    const coef = fc.double({ min: 0, max: 1, noNaN: true });
    fc.assert(
      fc.property(fc.tuple(coef, coef, coef, coef, coef, coef), fc.constantFrom(...listDevices().map((d) => d.id)), ([a, b, c, d, e, f], device) => {
        const file = writeJson('profile.json', profile(
          { prefill: { fixedMs: a, perTokenMParamMs: b, perTokenSqKDimMs: c }, decode: { fixedMs: d, perMParamMs: e, perContextKDimMs: f } },
          device, 'fp16', 4,
        ));
        for (const arch of LLMS) {
          assertMonotone(createLatencyModel({ kind: 'calibrated', profile: file }, { arch, device, dtype: 'fp16', threads: 4 }), arch.id, 8192);
        }
      }),
      { numRuns: 8, seed: 7 },
    );
  });

  it('table, every model × phone, with generated monotone grids (in range, and extrapolated)', () => {
    const ids = LLMS.map((a) => a.id);
    for (const device of PHONES) {
      const file = writeJson('table.json', table(ids, { device, extrapolate: true }));
      for (const arch of LLMS) {
        assertMonotone(createLatencyModel({ kind: 'table', table: file }, { arch, device, dtype: 'fp16', threads: 4 }), arch.id, 8000);
      }
    }
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 50, noNaN: true }), { minLength: 5, maxLength: 5 }), (incs) => {
        const t = table(['llama-7b'], { extrapolate: true });
        const base = cumulative(incs);
        t.models['llama-7b']!.decode.ms = t.models['llama-7b']!.decode.ms.map((row) => row.map((v, j) => v + base[j]!));
        const file = writeJson('table.json', t);
        assertMonotone(createLatencyModel({ kind: 'table', table: file }, { arch: getArchitecture('llama-7b'), device: 'mi14', dtype: 'fp16', threads: 4 }), 'llama-7b', 9000);
      }),
      { numRuns: 10, seed: 3 },
    );
  });

  it('more executed layers never cost less (layer-dropping shapes, dense or sparse)', () => {
    const arch = getArchitecture('llama-7b');
    const models = [
      createLatencyModel({ kind: 'roofline' }, { arch, device: 'k60-champion', dtype: 'fp16', threads: 4 }),
      createLatencyModel({ kind: 'calibrated', profile: writeJson('p.json', profile(PLAUSIBLE)) }, { arch, device: 'host', dtype: 'fp32', threads: 2 }),
    ];
    const layers = fc.integer({ min: 0, max: 32 });
    fc.assert(
      fc.property(layers, layers, layers, fc.double({ min: 0.05, max: 1, noNaN: true }), fc.integer({ min: 1, max: 2048 }), (a, b, extra, density, t) => {
        const small: ExecShape = { ...elasticShape(arch, 1, false), attnLayers: a, mlpLayers: b, ffnDensity: density };
        const big: ExecShape = { ...small, attnLayers: Math.min(32, a + extra), mlpLayers: Math.min(32, b + extra) };
        for (const m of models) {
          expect(m.prefillMs(small, t)).toBeLessThanOrEqual(m.prefillMs(big, t) * (1 + 1e-12));
          expect(m.decodeStepMs(small, t)).toBeLessThanOrEqual(m.decodeStepMs(big, t) * (1 + 1e-12));
        }
      }),
      { numRuns: 100, seed: 13 },
    );
  });

  it('decodeMs equals the sum of its decode steps (closed forms are exact)', () => {
    const arch = getArchitecture('llama3-8b');
    const models = [
      createLatencyModel({ kind: 'roofline' }, { arch, device: 'mi14', dtype: 'fp16', threads: 2 }),
      createLatencyModel({ kind: 'table', table: writeJson('t.json', table(['llama3-8b'], { extrapolate: true })) }, { arch, device: 'mi14', dtype: 'fp16', threads: 4 }),
      createLatencyModel({ kind: 'calibrated', profile: writeJson('p.json', profile(PLAUSIBLE)) }, { arch, device: 'host', dtype: 'fp32', threads: 2 }),
    ];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9000 }), fc.integer({ min: 1, max: 300 }), fc.constantFrom(...MODEL_RATIOS), (start, steps, r) => {
        for (const m of models) {
          const s = shapeAt('llama3-8b', r);
          let sum = 0;
          for (let k = 0; k < steps; k++) sum += m.decodeStepMs(s, start + k);
          expect(m.decodeMs(s, start, steps)).toBeCloseTo(sum, 6);
        }
      }),
      { numRuns: 60, seed: 11 },
    );
  });
});

describe('memory is never exceeded silently', () => {
  it('checkFitsDevice throws exactly when the bytes exceed the usable memory, with both numbers', () => {
    fc.assert(
      fc.property(fc.constantFrom(...listDevices()), fc.double({ min: 0, max: 64e9, noNaN: true }), (device, bytes) => {
        if (bytes > device.usableMemoryBytes) {
          expect(() => checkFitsDevice(bytes, device)).toThrow(InputError);
          expect(() => checkFitsDevice(bytes, device)).toThrow(/needs \d+\.\d\d GB but only \d+\.\d\d GB is usable/);
        } else {
          expect(() => checkFitsDevice(bytes, device.id)).not.toThrow();
        }
      }),
      { numRuns: 200, seed: 5 },
    );
  });
});
