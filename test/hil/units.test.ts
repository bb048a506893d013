/**
 * Unit tests of the HIL pieces that need no agent: the fit recovers known coefficients, samples flag outliers
 * and throttling, the journal resumes and refuses duplicates, device state reads real /sys-like files, plans
 * fit their budget, held-out points avoid the grid, and the protocol decoder never throws.
 */
import fc from 'fast-check';
import { mkdirSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getArchitecture } from '../../cost-models/architectures.ts';
import { blockShapeOf, scaleArchitecture } from '../../hil/block-shape.ts';
import { levelDimsFor } from '../../hil/calibrate.ts';
import { budgetPlan, DEFAULT_GRID, gridJobs, heldOutJobs, type JobSettings } from '../../hil/calibration-plan.ts';
import { readDeviceState } from '../../hil/device-state.ts';
import { fitBlockCoefficients, type FitPoint } from '../../hil/fit.ts';
import { Journal, type JobResult } from '../../hil/journal.ts';
import { bucketEdges, CONTEXT_BUCKETS, PROMPT_BUCKETS } from '../../hil/latency-model.ts';
import { decodeControllerMessage, decodeAgentMessage, type DeviceState } from '../../hil/protocol.ts';
import { summarizeJob } from '../../hil/samples.ts';
import { Rng } from '../../base/rng.ts';
import { tempDir } from './agent-process.ts';
import { tinyJobs } from './jobs.ts';

const emptyState: DeviceState = { atMs: 0, cpus: [], thermal: [], battery: null, loadavg: null };

function result(jobId: string, ms: number[], before = emptyState, after = emptyState): JobResult {
  return { jobId, rawNs: ms.map((x) => x * 1e6), warmupNs: [], before, after };
}

describe('fit', () => {
  it('recovers the block-v1 coefficients from noisy synthetic timings within 3 %', () => {
    const truth = { a: 0.4, b: 0.012, c: 0.0009, d: 0.05, e: 0.09, f: 0.0004 };
    const rng = Rng.fromSeed(42);
    const pts: FitPoint[] = [];
    for (const [P, K] of [[1, 0.2], [3, 0.5], [6, 0.9], [10, 1.2]] as const) {
      for (const T of [16, 64, 256, 1024]) pts.push({ op: 'block-prefill', P, K, tokens: T, ms: (truth.a + truth.b * T * P + truth.c * T * T * K) * (1 + 0.01 * (rng.uniform() - 0.5)) });
      for (const L of [64, 512, 2048]) pts.push({ op: 'block-decode', P, K, tokens: L, ms: (truth.d + truth.e * P + truth.f * L * K) * (1 + 0.01 * (rng.uniform() - 0.5)) });
    }
    const { coefficients: c, residuals } = fitBlockCoefficients(pts);
    expect(c.prefill.perTokenMParamMs).toBeCloseTo(truth.b, 3);
    expect(Math.abs(c.prefill.perTokenSqKDimMs / truth.c - 1)).toBeLessThan(0.03);
    expect(Math.abs(c.decode.perMParamMs / truth.e - 1)).toBeLessThan(0.03);
    expect(Math.abs(c.decode.perContextKDimMs / truth.f - 1)).toBeLessThan(0.05);
    expect(residuals.prefill.mape).toBeLessThan(0.01);
    expect(residuals.decode.pinned).toEqual([]);
  });

  it('sets aside jobs hit by a burst of load (every repetition slow) and still recovers the coefficients', () => {
    const pts: FitPoint[] = [];
    for (const P of [1, 2, 4, 8]) for (const T of [16, 64, 256, 1024]) pts.push({ id: `p${P}-${T}`, op: 'block-prefill', P, K: P / 10, tokens: T, ms: 0.2 + 0.01 * T * P + 1e-4 * T * T * (P / 10) });
    for (const P of [1, 2, 4]) for (const L of [64, 256, 1024]) pts.push({ id: `d${P}-${L}`, op: 'block-decode', P, K: P / 10, tokens: L, ms: 0.1 + 0.05 * P + 1e-4 * L * (P / 10) });
    for (const id of ['p2-256', 'p4-64']) pts.find((p) => p.id === id)!.ms *= 3;
    const { coefficients, residuals } = fitBlockCoefficients(pts);
    expect(residuals.prefill.setAside.sort()).toEqual(['p2-256', 'p4-64']);
    expect(residuals.decode.setAside).toEqual([]);
    expect(Math.abs(coefficients.prefill.perTokenMParamMs / 0.01 - 1)).toBeLessThan(0.01);
    expect(residuals.prefill.mape).toBeLessThan(0.01);
  });

  it('pins a coefficient the data would make negative at 0 (profiles must stay monotone)', () => {
    const pts: FitPoint[] = [];
    for (const P of [1, 2, 4]) for (const T of [16, 64, 256]) pts.push({ op: 'block-prefill', P, K: P / 10, tokens: T, ms: 5 - 0.001 * T * T * P / 10 + T * P * 0.01 });
    for (const P of [1, 2, 4]) for (const L of [16, 64]) pts.push({ op: 'block-decode', P, K: P / 10, tokens: L, ms: 1 + P });
    const { coefficients, residuals } = fitBlockCoefficients(pts);
    expect(Object.values(coefficients.prefill).every((x) => x >= 0)).toBe(true);
    expect(residuals.prefill.pinned.length).toBeGreaterThan(0);
  });
});

describe('samples', () => {
  it('sets aside a far repetition as an outlier and keeps the median of the rest', () => {
    const s = summarizeJob(result('j', [10, 10.1, 9.9, 10.05, 30, 10]));
    expect(s.outliers).toEqual([4]);
    expect(s.ms).toBeCloseTo(10.0, 1);
    expect(s.throttled).toBeNull();
  });

  it('flags thermal rise, frequency cap drops, governor changes and upward drift as throttling', () => {
    const zone = (milliC: number) => ({ ...emptyState, thermal: [{ zone: 'thermal_zone0', type: 'cpu', milliC }] });
    expect(summarizeJob(result('t', [1, 1, 1], zone(40000), zone(46000))).throttled).toMatch(/temperature rose 6\.0/);
    const cpu = (maxKHz: number, governor: string) => ({ ...emptyState, cpus: [{ cpu: 4, curKHz: maxKHz, maxKHz, governor }] });
    expect(summarizeJob(result('f', [1, 1, 1], cpu(3_000_000, 'schedutil'), cpu(2_000_000, 'schedutil'))).throttled).toMatch(/cpu4 frequency cap fell/);
    expect(summarizeJob(result('g', [1, 1, 1], cpu(3e6, 'performance'), cpu(3e6, 'schedutil'))).throttled).toMatch(/governor changed/);
    expect(summarizeJob(result('d', [10, 10, 10, 13, 13, 13])).throttled).toMatch(/drifted up 30 %/);
    expect(summarizeJob(result('ok', [10, 10.2, 9.9, 10.1, 10, 10.1], zone(40000), zone(41000))).throttled).toBeNull();
  });
});

describe('journal', () => {
  it('resumes the results of the same plan, refuses duplicates and drops a torn last line', () => {
    const file = path.join(tempDir(), 'j.jsonl');
    const jobs = tinyJobs(4);
    const j1 = Journal.open(file, 'plan', jobs);
    expect(j1.append(result('j0', [1, 2]))).toBe(true);
    expect(j1.append(result('j0', [1, 2]))).toBe(false);
    expect(j1.append(result('j1', [3]))).toBe(true);
    j1.close();
    appendFileSync(file, '{"kind":"result","jobId":"j2","rawNs":[1');
    expect(Journal.readPlan(file)).toEqual({ planId: 'plan', jobs });
    const j2 = Journal.open(file, 'plan', jobs);
    expect(j2.resumed).toBe(2);
    expect([...j2.results.keys()]).toEqual(['j0', 'j1']);
    j2.append(result('j2', [4]));
    j2.close();
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.jobId ?? l.kind)).toEqual(['plan', 'j0', 'j1', 'j2']);
  });

  it('refuses the journal of another plan with an input error naming the file', () => {
    const file = path.join(tempDir(), 'j.jsonl');
    Journal.open(file, 'plan-a', tinyJobs(2)).close();
    expect(() => Journal.open(file, 'plan-b', tinyJobs(2))).toThrow(/j\.jsonl:1: journal belongs to another plan/);
    expect(() => Journal.open(file, 'plan-a', tinyJobs(3))).toThrow(/another plan/);
  });
});

describe('device state', () => {
  it('reads cpufreq, thermal zones and the battery from a sysfs tree, null where a file is missing', () => {
    const root = tempDir();
    const put = (p: string, v: string) => {
      mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
      writeFileSync(path.join(root, p), `${v}\n`);
    };
    put('devices/system/cpu/cpu0/cpufreq/scaling_cur_freq', '1800000');
    put('devices/system/cpu/cpu0/cpufreq/scaling_max_freq', '2000000');
    put('devices/system/cpu/cpu0/cpufreq/scaling_governor', 'schedutil');
    mkdirSync(path.join(root, 'devices/system/cpu/cpu10'), { recursive: true });
    put('class/thermal/thermal_zone0/type', 'cpu-big');
    put('class/thermal/thermal_zone0/temp', '45300');
    put('class/thermal/thermal_zone1/type', 'skin');
    put('class/power_supply/battery/type', 'Battery');
    put('class/power_supply/battery/capacity', '81');
    put('class/power_supply/battery/status', 'Discharging');
    const s = readDeviceState(root);
    expect(s.cpus).toEqual([
      { cpu: 0, curKHz: 1800000, maxKHz: 2000000, governor: 'schedutil' },
      { cpu: 10, curKHz: null, maxKHz: null, governor: null },
    ]);
    expect(s.thermal).toEqual([{ zone: 'thermal_zone0', type: 'cpu-big', milliC: 45300 }, { zone: 'thermal_zone1', type: 'skin', milliC: null }]);
    expect(s.battery).toEqual({ capacityPct: 81, status: 'Discharging', tempDeciC: null });
    expect(readDeviceState(path.join(root, 'nothing-here'))).toMatchObject({ cpus: [], thermal: [], battery: null });
  });
});

describe('plans', () => {
  const arch = scaleArchitecture(getArchitecture('orca-mini-3b'), 0.25);
  const settings: JobSettings = { block: blockShapeOf(arch, 2048), dtype: 'fp32', threads: 2, dims: levelDimsFor(arch), warmup: 1, repetitions: 5, cooldownMs: 0 };
  const estimate = (j: { op: string; tokens: number; activeFfn: number }) => (j.op === 'block-prefill' ? j.tokens * j.activeFfn * 1e-4 : 1);

  it('keeps the full grid when it fits and thins levels, then lengths, when it does not', () => {
    const roomy = budgetPlan(DEFAULT_GRID, settings, estimate, 1e6);
    expect(roomy.grid).toEqual(DEFAULT_GRID);
    expect(roomy.thinned).toEqual([]);
    expect(roomy.repetitions).toBe(15);
    const tight = budgetPlan(DEFAULT_GRID, settings, estimate, 5);
    expect(tight.grid.levels.length).toBeLessThan(9);
    expect(tight.estimatedS).toBeLessThanOrEqual(5);
    expect(tight.thinned.length).toBeGreaterThan(0);
  });

  it('holds out lengths the grid never measured, at every level', () => {
    const fit = gridJobs('', DEFAULT_GRID, settings);
    const held = heldOutJobs('a:', DEFAULT_GRID, settings);
    const seen = new Set(fit.map((j) => `${j.op}|${j.tokens}`));
    expect(held.every((j) => !seen.has(`${j.op}|${j.tokens}`))).toBe(true);
    expect(new Set(held.map((j) => j.level)).size).toBe(9);
  });

  it('buckets needed lengths to the bracketing powers of two', () => {
    expect(bucketEdges([40, 100, 64], PROMPT_BUCKETS)).toEqual([32, 64, 128]);
    expect(bucketEdges([5, 20000], CONTEXT_BUCKETS)).toEqual([64, 16384]);
  });
});

describe('protocol decoder', () => {
  it('never throws and classifies every input as a valid message or a structured error', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
        for (const d of [decodeControllerMessage(text, 4096), decodeAgentMessage(text, 4096)]) {
          if (!d.ok) expect(['too-large', 'bad-json', 'schema', 'unknown-type']).toContain(d.code);
        }
      }),
      { numRuns: 2000, seed: 7 },
    );
  });
});
