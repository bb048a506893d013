/** Calibrated profiles and measured tables: validation, provenance, composition and range rules. */
import { describe, it, expect } from 'vitest';
import {
  composeFromBlocks, createLatencyModel, elasticShape, fullShape, getArchitecture, layerParams, loraParams, subModelDims,
  shapeFlopsPerToken,
} from '../../cost-models/index.ts';
import { PLAUSIBLE, profile, table, writeJson } from './helpers.ts';

const llama = getArchitecture('llama-7b');
const hostCtx = { arch: llama, device: 'host', dtype: 'fp32' as const, threads: 2 };

describe('calibrated profiles', () => {
  it('compose the block-v1 closed forms over the executed layers exactly', () => {
    const m = createLatencyModel({ kind: 'calibrated', profile: writeJson('p.json', profile(PLAUSIBLE)) }, hostCtx);
    const shape = elasticShape(llama, 0.5, true);
    const T = 100;
    const block = (dims: ReturnType<typeof subModelDims>) => {
      const p = layerParams(llama, dims);
      const l = loraParams(llama, dims);
      return { P: (p.attn + p.mlp + l.attn + l.mlp) / 1e6, K: dims.attnDim / 1e3 };
    };
    const { prefill: c } = PLAUSIBLE;
    const cost = ({ P, K }: { P: number; K: number }, t: number) => c.fixedMs + c.perTokenMParamMs * t * P + c.perTokenSqKDimMs * t * t * K;
    const anchor = block(subModelDims(llama, 1));
    const other = block(subModelDims(llama, 0.5));
    const head = { P: (32000 * 4096) / 1e6, K: 0 };
    const expected = 6 * cost(anchor, T) + 26 * cost(other, T) + cost(head, 1);
    expect(m.prefillMs(shape, T)).toBeCloseTo(expected, 9);
    expect(m.provenance).toMatchObject({ kind: 'calibrated', device: 'host', detail: { provenance: { source: 'manual' } } });
  });

  it('reports a bad profile with its file and JSON path', () => {
    const bad = profile({ ...PLAUSIBLE, decode: { ...PLAUSIBLE.decode, perMParamMs: -1 } });
    const file = writeJson('bad.json', bad);
    expect(() => createLatencyModel({ kind: 'calibrated', profile: file }, hostCtx)).toThrow(new RegExp(`${file}.*/coefficients/decode/perMParamMs`));
    const noForm = writeJson('noform.json', { ...profile(PLAUSIBLE), form: 'other' });
    expect(() => createLatencyModel({ kind: 'calibrated', profile: noForm }, hostCtx)).toThrow(/\/form/);
    expect(() => createLatencyModel({ kind: 'calibrated', profile: '/nonexistent/p.json' }, hostCtx)).toThrow(/cannot read device profile/);
  });

  it('refuses a profile measured on another device, dtype or thread count', () => {
    const file = writeJson('p.json', profile(PLAUSIBLE, 'host', 'fp32', 2));
    expect(() => createLatencyModel({ kind: 'calibrated', profile: file }, { ...hostCtx, threads: 4 })).toThrow(/threads 2.*asks for 4/);
    expect(() => createLatencyModel({ kind: 'calibrated', profile: file }, { ...hostCtx, device: 'mi14' })).toThrow(/device "host"/);
  });

  it('prices switching from the profile’s speeds, and says so when they are missing', () => {
    const file = writeJson('p.json', profile(PLAUSIBLE));
    const m = createLatencyModel({ kind: 'calibrated', profile: file }, hostCtx);
    expect(m.switchMs('pointer', elasticShape(llama, 0.2, true), elasticShape(llama, 0.9, true))).toBeGreaterThan(0);
    const bare = profile(PLAUSIBLE) as Record<string, unknown>;
    delete bare.memcpyGBps;
    delete bare.flashGBps;
    const m2 = createLatencyModel({ kind: 'calibrated', profile: writeJson('bare.json', bare) }, hostCtx);
    expect(m2.switchMs('none', null, fullShape(llama))).toBe(0);
    expect(() => m2.switchMs('pointer', null, elasticShape(llama, 0.5, true))).toThrow(/memcpyGBps/);
  });
});

describe('measured tables', () => {
  const ctx = { arch: llama, device: 'mi14', dtype: 'fp16' as const, threads: 4 };

  it('interpolates between grid points and reproduces them exactly', () => {
    const t = table(['llama-7b']);
    const m = createLatencyModel({ kind: 'table', table: writeJson('t.json', t) }, ctx);
    expect(m.prefillMs(fullShape(llama), 256)).toBeCloseTo(t.models['llama-7b']!.prefill.ms[8]![3]!, 9);
    const mid = m.prefillMs(fullShape(llama), 160);
    expect(mid).toBeGreaterThan(t.models['llama-7b']!.prefill.ms[8]![2]!);
    expect(mid).toBeLessThan(t.models['llama-7b']!.prefill.ms[8]![3]!);
    expect(m.tlmMs(256)).toBeCloseTo(1 + (39 * 255) / 511, 9);
  });

  it('refuses to extrapolate unless the file or the spec allows it, naming the value', () => {
    const file = writeJson('t.json', table(['llama-7b']));
    const m = createLatencyModel({ kind: 'table', table: file }, ctx);
    expect(() => m.prefillMs(fullShape(llama), 5000)).toThrow(/prompt tokens 5000 is outside the measured 1\.\.4096.*extrapolate/);
    // a layer-dropping shape executes less than level 0.2 does
    const dropped = { ...fullShape(llama), attnLayers: 5, mlpLayers: 5 };
    expect(() => m.prefillMs(dropped, 64)).toThrow(/executed weights/);
    const open = createLatencyModel({ kind: 'table', table: file, extrapolate: true }, ctx);
    expect(open.prefillMs(fullShape(llama), 5000)).toBeGreaterThan(open.prefillMs(fullShape(llama), 4096));
    expect(open.prefillMs(dropped, 64)).toBeLessThan(open.prefillMs(elasticShape(llama, 0.2, true), 64));
  });

  it('rejects a grid that decreases, naming the JSON path', () => {
    const t = table(['llama-7b']);
    t.models['llama-7b']!.decode.ms[3]![2] = 0;
    const file = writeJson('dec.json', t);
    expect(() => createLatencyModel({ kind: 'table', table: file }, ctx)).toThrow(/\/models\/llama-7b\/decode\/ms\/3\/2 = 0 is below/);
    const u = table(['llama-7b']);
    u.models['llama-7b']!.prefill.levels[1] = 0.25;
    expect(() => createLatencyModel({ kind: 'table', table: writeJson('lvl.json', u) }, ctx)).toThrow(/not a level/);
  });

  it('names the missing model grid', () => {
    const m = createLatencyModel({ kind: 'table', table: writeJson('t.json', table(['llama-7b'])) }, ctx);
    expect(() => m.prefillMs(fullShape(getArchitecture('opt-1.3b')), 10)).toThrow(/no grid for model "opt-1.3b"/);
  });
});

describe('composeFromBlocks', () => {
  it('sums exactly the executed weights and attention widths of a shape', () => {
    // a block whose "time" is its FLOPs per token reproduces shapeFlopsPerToken
    const flops = composeFromBlocks(llama, { prefillMs: (P) => 2 * P * 1e6, decodeMs: (P, K, L) => 2 * P * 1e6 + 4 * L * K * 1e3 });
    for (const shape of [fullShape(llama), elasticShape(llama, 0.3, true), { ...fullShape(llama), attnLayers: 17, mlpLayers: 29 }]) {
      expect(flops.decodeStepMs(shape, 123)).toBeCloseTo(shapeFlopsPerToken(llama, shape, 123), 0);
    }
  });

  it('makes contextual sparsity cheaper in decode than in prefill (sparse-kernel penalty)', () => {
    const count = composeFromBlocks(llama, { prefillMs: (P) => P, decodeMs: (P) => P });
    const sparse = { ...fullShape(llama), ffnDensity: 0.5 };
    const dense = fullShape(llama);
    expect(count.decodeStepMs(sparse, 0)).toBeLessThan(count.decodeStepMs(dense, 0));
    expect(count.prefillMs(sparse, 1) / count.prefillMs(dense, 1)).toBeGreaterThan(count.decodeStepMs(sparse, 0) / count.decodeStepMs(dense, 0));
  });
});
