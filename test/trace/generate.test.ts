import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { mean, standardDeviation } from 'simple-statistics';
import { generateTrace, classCounts, PAPER_CLASSES, datasetLengthTable, type GenerateOptions } from '../../sim/trace/index.ts';
import type { RequestTable } from '../../sim/request-table.ts';
import { InputError } from '../../base/errors.ts';

const base: GenerateOptions = { requests: 600, alpha: 0, arrival: { process: 'none' }, tokenizer: 'llama', seed: 42 };

function countsByApp(t: RequestTable): number[] {
  const byApp = new Map<string, number>();
  for (let i = 0; i < t.length; i++) {
    const app = t.classes[t.classIndex[i]!]!.app;
    byApp.set(app, (byApp.get(app) ?? 0) + 1);
  }
  return PAPER_CLASSES.map((c) => byApp.get(c.app) ?? 0);
}

describe('per-class counts (PAPER_CLASSES order: Rewind … XiaoAi, relaxed → tight)', () => {
  const cases: Array<[number, 'paper' | 'artifact', number[]]> = [
    [0, 'paper', [100, 100, 100, 100, 100, 100]],
    [0, 'artifact', [100, 100, 100, 100, 100, 100]],
    // paper: α > 0 leans to relaxed SLOs, so Rewind ⟨1,1⟩ gets the most
    [0.25, 'paper', [170, 133, 103, 80, 62, 48]],
    [-0.25, 'paper', [48, 62, 80, 103, 133, 170]],
    // artifact: the released trace_0.25.json has 48 OBQA … 170 SCIQ (counted in the reference, §1.5)
    [0.25, 'artifact', [48, 62, 80, 103, 133, 170]],
    [-0.25, 'artifact', [170, 133, 103, 80, 62, 48]],
  ];
  for (const [alpha, convention, expected] of cases) {
    it(`α=${alpha}, ${convention}: ${expected.join('/')}`, () => {
      expect(classCounts(600, alpha, 6, convention)).toEqual(expected);
      const t = generateTrace({ ...base, alpha, skewConvention: convention });
      expect(countsByApp(t)).toEqual(expected);
      // the truncated total is kept: 600 for α = 0, 596 for α = ±0.25
      expect(t.length).toBe(expected.reduce((s, c) => s + c, 0));
      expect(t.length).toBe(alpha === 0 ? 600 : 596);
    });
  }

  it('defaults to the paper convention', () => {
    expect(countsByApp(generateTrace({ ...base, alpha: 0.25 }))[0]).toBe(170);
  });
});

describe('request contents', () => {
  const t = generateTrace({ ...base, alpha: 0.25 });

  it('each class carries its dataset and SLO (ratios) from Table 3', () => {
    expect(t.classes.map((c) => [c.app, c.dataset, c.slo.ttft, c.slo.tpot, c.slo.unit])).toEqual(
      PAPER_CLASSES.map((c) => [c.app, c.dataset, c.slo.ttft, c.slo.tpot, 'ratio']),
    );
  });

  it("lengths come from the dataset's table for the chosen tokenizer", () => {
    for (const tok of ['llama', 'llama3'] as const) {
      const g = generateTrace({ ...base, tokenizer: tok });
      for (let i = 0; i < g.length; i++) {
        const c = g.classes[g.classIndex[i]!]!;
        const d = datasetLengthTable().datasets[c.dataset].tokenizers[tok];
        expect(g.systemTokens[i]).toBe(d.systemTokens);
        expect(d.queryTokens.histogram.some(([v]) => v === g.queryTokens[i])).toBe(true);
        expect(d.outputTokens.histogram.some(([v]) => v === g.outputTokens[i])).toBe(true);
      }
    }
  });

  it('requests are shuffled, not in class blocks', () => {
    let changes = 0;
    for (let i = 1; i < t.length; i++) if (t.classIndex[i] !== t.classIndex[i - 1]) changes++;
    // 6 blocks would give 5 changes; a shuffle of 596 over 6 classes gives hundreds
    expect(changes).toBeGreaterThan(300);
  });

  it('ids are 0..n-1 in arrival order and arrivals are sorted', () => {
    expect(Array.from(t.id)).toEqual(Array.from({ length: t.length }, (_, i) => i));
    expect(t.isSortedByArrival()).toBe(true);
  });

  it('--output-tokens fixes every output length', () => {
    const g = generateTrace({ ...base, outputTokens: 64 });
    expect(new Set(g.outputTokens)).toEqual(new Set([64]));
  });
});

describe('determinism', () => {
  const columns = (t: RequestTable) => [t.classIndex, t.arrivalMs, t.queryTokens, t.outputTokens].map((c) => Array.from(c));
  const opts: GenerateOptions = { ...base, alpha: -0.25, arrival: { process: 'poisson', ratePerMin: 3 } };

  it('same seed → identical trace; another seed → a different one', () => {
    expect(columns(generateTrace(opts))).toEqual(columns(generateTrace(opts)));
    expect(columns(generateTrace({ ...opts, seed: 43 }))).not.toEqual(columns(generateTrace(opts)));
  });

  it('the arrival process does not change the order or the lengths (independent streams)', () => {
    const a = generateTrace(opts);
    const b = generateTrace({ ...opts, arrival: { process: 'bursty', ratePerMin: 3, burstFactor: 5, meanBurstLength: 4 } });
    expect(Array.from(a.classIndex)).toEqual(Array.from(b.classIndex));
    expect(Array.from(a.queryTokens)).toEqual(Array.from(b.queryTokens));
  });

  it('stays finite for extreme α (log-sum-exp): all requests go to one end', () => {
    expect(classCounts(60, 1000, 6, 'paper')).toEqual([60, 0, 0, 0, 0, 0]);
    expect(classCounts(60, -1000, 6, 'paper')).toEqual([0, 0, 0, 0, 0, 60]);
  });

  it('counts follow the formula for any N and α (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.double({ min: -2, max: 2, noNaN: true }), fc.integer(), (n, alpha, seed) => {
        const expected = classCounts(n, alpha, 6, 'paper');
        if (expected.every((c) => c === 0)) {
          // too few requests for any class: an error naming `requests`, never an empty trace
          expect(() => generateTrace({ ...base, requests: n, alpha, seed })).toThrow(/give no request at all/);
          return;
        }
        const t = generateTrace({ ...base, requests: n, alpha, seed });
        expect(countsByApp(t)).toEqual(expected);
        expect(t.length).toBeLessThanOrEqual(n);
        expect(t.length).toBeGreaterThan(n - 6);
      }),
      { numRuns: 40 },
    );
  });
});

describe('arrival processes', () => {
  const gaps = (t: RequestTable): number[] => Array.from(t.arrivalMs, (a, i) => a - (i === 0 ? 0 : t.arrivalMs[i - 1]!));

  it("'none' puts every request at t = 0 (isolated mode)", () => {
    expect(new Set(generateTrace(base).arrivalMs)).toEqual(new Set([0]));
  });

  it('poisson: mean gap = 60000 / rate within 4 standard errors, coefficient of variation ≈ 1', () => {
    // Test: N exponential gaps with mean μ have a sample mean with standard error μ/√N. With N ≈ 20000 the
    // tolerance 4μ/√N ≈ 2.8 % fails a correct generator with probability < 1e-4 (and the seed is fixed).
    // An exponential's sd equals its mean, so the CV must be ≈ 1 (a regular or bursty process is not).
    const rate = 12;
    const t = generateTrace({ ...base, requests: 20000, arrival: { process: 'poisson', ratePerMin: rate }, seed: 7 });
    const g = gaps(t);
    const mu = 60000 / rate;
    expect(Math.abs(mean(g) - mu)).toBeLessThan((4 * mu) / Math.sqrt(g.length));
    expect(standardDeviation(g) / mean(g)).toBeGreaterThan(0.95);
    expect(standardDeviation(g) / mean(g)).toBeLessThan(1.05);
  });

  it('bursty: same long-run rate, burstier gaps (CV > 1)', () => {
    const rate = 12;
    const t = generateTrace({ ...base, requests: 20000, arrival: { process: 'bursty', ratePerMin: rate, burstFactor: 8, meanBurstLength: 10 }, seed: 7 });
    const g = gaps(t);
    const mu = 60000 / rate;
    // the mean gap is a mixture, so allow a wider band (still a few % at N ≈ 20000)
    expect(Math.abs(mean(g) - mu) / mu).toBeLessThan(0.1);
    expect(standardDeviation(g) / mean(g)).toBeGreaterThan(1.5);
  });
});

describe('scale', () => {
  it('generates 1,000,000 requests into columns', () => {
    const t = generateTrace({ ...base, requests: 1_000_000, alpha: 0.25, arrival: { process: 'poisson', ratePerMin: 30 } });
    expect(t.length).toBe(classCounts(1_000_000, 0.25, 6).reduce((s, c) => s + c, 0));
    expect(t.length).toBeGreaterThan(999_990);
    expect(t.isSortedByArrival()).toBe(true);
    expect(t.byteLength() / t.length).toBeLessThanOrEqual(300);
  });
});

describe('bad options', () => {
  const bad: Array<[string, Partial<GenerateOptions> & Record<string, unknown>]> = [
    ['requests', { requests: 0 }],
    ['requests', { requests: 2.5 }],
    ['alpha', { alpha: Number.NaN }],
    ['tokenizer', { tokenizer: 'gpt2' as 'llama' }],
    ['arrival.ratePerMin', { arrival: { process: 'poisson', ratePerMin: -1 } }],
    ['arrival.burstFactor', { arrival: { process: 'bursty', ratePerMin: 1, burstFactor: 0.5, meanBurstLength: 3 } }],
    ['skewConvention', { skewConvention: 'code' as 'paper' }],
  ];
  for (const [where, patch] of bad) {
    it(`rejects a bad ${where} with an InputError naming it`, () => {
      expect(() => generateTrace({ ...base, ...patch } as GenerateOptions)).toThrow(InputError);
      try {
        generateTrace({ ...base, ...patch } as GenerateOptions);
      } catch (e) {
        expect((e as InputError).where).toBe(where);
      }
    });
  }
});
