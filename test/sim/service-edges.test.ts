/** Edge cases of the service found in review: long runs of drops, timelines on epoch timestamps, streams. */
import { describe, it, expect } from 'vitest';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { validateScenario, type LoadedScenario } from '../../sim/scenario.ts';
import { runScenario } from '../../sim/run.ts';
import { Rng } from '../../base/rng.ts';

function loaded(data: unknown, dir = process.cwd()): LoadedScenario {
  return { scenario: validateScenario(data, 'test scenario'), baseDir: dir, file: 'test scenario' };
}

const base = {
  name: 'edge', mode: 'timed', device: 'mi14', model: 'orca-mini-3b', policies: ['full'], seed: 1,
};

describe('service edge cases', () => {
  it('drops thousands of queued requests in a row without growing the stack', async () => {
    const r = await runScenario(loaded({
      ...base, onLate: 'drop',
      trace: { kind: 'paper', requests: 12000, alpha: 0, arrival: { process: 'none' } },
    }));
    const m = r.summary.policies[0]!.overall;
    expect(m.requests).toBe(12000);
    expect(m.dropped).toBeGreaterThan(11000); // all arrive at once: only the first can be on time
    expect(m.served + m.dropped).toBe(12000);
  });

  it('samples the timeline of epoch-millisecond arrivals a few µs apart without stalling', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'edge-'));
    const line = (id: number, t: number) =>
      JSON.stringify({ id, app: 'Rewind', dataset: 'OBQA', arrivalMs: t, systemTokens: 20, queryTokens: 5, outputTokens: 2, slo: { ttft: 1, tpot: 1, unit: 'ratio' } });
    writeFileSync(path.join(dir, 't.jsonl'), `${line(0, 1700000000000)}\n${line(1, 1700000000000.01)}\n`);
    const r = await runScenario(loaded({ ...base, trace: { kind: 'file', path: 't.jsonl', format: 'jsonl' } }, dir));
    const tl = r.summary.policies[0]!.timeline!;
    expect(tl.tMs.length).toBeGreaterThan(0);
    expect(tl.tMs.length).toBeLessThanOrEqual(401);
  });
});

describe('random streams', () => {
  it('policy streams depend only on (seed, label) and differ between labels and from the seed stream', () => {
    const first = (r: Rng) => [r.uniform(), r.uniform(), r.uniform()];
    expect(first(Rng.derive(7, 'policy:a'))).toEqual(first(Rng.derive(7, 'policy:a')));
    const streams = ['policy:a', 'policy:b', 'policy:elastilm-q0.40', 'policy:elastilm-q0.60'].map((l) => first(Rng.derive(7, l)));
    streams.push(first(Rng.fromSeed(7)), first(Rng.fromSeed(7).fork(1)), first(Rng.fromSeed(7).fork(64)));
    expect(new Set(streams.map((s) => s.join())).size).toBe(streams.length);
  });
});
