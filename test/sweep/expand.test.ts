/** Axis paths, cross product, expansion (ids, order, validation naming the axis) and sharding. */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { isInputError } from '../../base/errors.ts';
import { axisPathProblem, axisPathExists, setAtPath } from '../../sim/sweep/axis-path.ts';
import { crossProduct, expandSweep } from '../../sim/sweep/expand.ts';
import { sweepFromJson, type SweepFileJson } from '../../sim/sweep/sweep-file.ts';
import { parseShard, selectShard } from '../../sim/sweep/shard.ts';

const FILE = '/tmp/sweeps/test.json';

function inputErrorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isInputError(e)) return e.message;
    throw e;
  }
  throw new Error('expected an InputError');
}

const sweep = (over: Partial<SweepFileJson> = {}) =>
  sweepFromJson({ name: 't', base: 'default', axes: { 'trace.arrival.ratePerMin': [2, 4] }, seeds: [1, 2], ...over }, FILE);

describe('axis paths', () => {
  const base = { a: { b: [10, { c: 1 }] }, d: 3 };
  it('accepts existing paths and a new last member of an object', () => {
    expect(axisPathProblem(base, 'a.b.1.c')).toBeNull();
    expect(axisPathProblem(base, 'a.b.0')).toBeNull();
    expect(axisPathProblem(base, 'a.new')).toBeNull();
    expect(axisPathExists(base, 'a.new')).toBe(false);
    expect(axisPathExists(base, 'a.b.1.c')).toBe(true);
  });
  it('names the segment that does not exist', () => {
    expect(axisPathProblem(base, 'a.x.c')).toMatch(/"x" is not a field of a/);
    expect(axisPathProblem(base, 'a.b.5')).toMatch(/"5" is not an index of a\.b/);
    expect(axisPathProblem(base, 'd.e')).toMatch(/d is a number/);
    expect(axisPathProblem(base, 'a..b')).toMatch(/empty segment/);
  });
  it('sets a copy of the value, leaving siblings alone', () => {
    const target = structuredClone(base);
    const value = { deep: [1] };
    setAtPath(target, 'a.b.1.c', value);
    value.deep.push(2);
    expect(target).toEqual({ a: { b: [10, { c: { deep: [1] } }] }, d: 3 });
  });
});

describe('cross product', () => {
  it('has the product of the lengths, first list slowest, every combination once', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.integer(), { minLength: 1, maxLength: 4 }), { maxLength: 4 }), (lists) => {
        const combos = crossProduct(lists);
        expect(combos.length).toBe(lists.reduce((n, l) => n * l.length, 1));
        combos.forEach((c, k) => {
          let rest = k; // mixed-radix digits of k, last list fastest
          for (let j = lists.length - 1; j >= 0; j--) {
            expect(c[j]).toBe(lists[j]![rest % lists[j]!.length]);
            rest = Math.floor(rest / lists[j]!.length);
          }
        });
      }),
    );
  });
});

describe('expandSweep', () => {
  it('runs axes × seeds in order, seeds fastest, with stable unique ids', () => {
    const runs = expandSweep(sweep({ axes: { 'trace.arrival.ratePerMin': [2, 4], policies: [['full'], ['oracle']] } }));
    expect(runs.map((r) => [r.axisValues, r.seed])).toEqual([
      [[2, ['full']], 1], [[2, ['full']], 2], [[2, ['oracle']], 1], [[2, ['oracle']], 2],
      [[4, ['full']], 1], [[4, ['full']], 2], [[4, ['oracle']], 1], [[4, ['oracle']], 2],
    ]);
    expect(runs[5]!.scenario.trace).toMatchObject({ arrival: { ratePerMin: 4 } });
    expect(runs[5]!.scenario.policies).toEqual(['full']);
    expect(runs[5]!.scenario.seed).toBe(2);
    expect(new Set(runs.map((r) => r.id)).size).toBe(8);
    expect(runs[0]!.id).toMatch(/^0000-[0-9a-f]{10}$/);
    expect(expandSweep(sweep({ axes: { 'trace.arrival.ratePerMin': [2, 4], policies: [['full'], ['oracle']] } })).map((r) => r.id))
      .toEqual(runs.map((r) => r.id));
  });
  it('works with an inline base scenario and no axes', () => {
    const base = { name: 'tiny', mode: 'isolated', device: 'mi14', model: 'orca-mini-3b', policies: ['full'], seed: 5,
      trace: { kind: 'paper', requests: 5, alpha: 0, arrival: { process: 'none' } } };
    const runs = expandSweep(sweep({ base, axes: {}, seeds: [7] }));
    expect(runs).toHaveLength(1);
    expect(runs[0]!.scenario).toMatchObject({ name: 'tiny', seed: 7, queue: 'fcfs' });
  });
  it('rejects a bad axis path naming it, before anything runs', () => {
    expect(inputErrorOf(() => sweep({ axes: { 'trace.arival.ratePerMin': [1] } })))
      .toMatch(/test\.json: \/axes\/"trace\.arival\.ratePerMin": bad axis path: "arival" is not a field of trace/);
    expect(inputErrorOf(() => sweep({ axes: { 'policies.7': ['full'] } }))).toMatch(/"policies\.7".*"7" is not an index of policies/);
    expect(inputErrorOf(() => sweep({ axes: { seed: [1, 2] } }))).toMatch(/\/axes\/"seed": the seed is not an axis/);
  });
  it('names the sweep file and /base when the base scenario does not exist', () => {
    expect(inputErrorOf(() => sweep({ base: 'no-such-scenario' }))).toMatch(/^\/tmp\/sweeps\/test\.json: \/base: scenario "no-such-scenario": no such shipped scenario/);
    expect(inputErrorOf(() => sweep({ base: 'missing.json' }))).toMatch(/^\/tmp\/sweeps\/test\.json: \/base: \/tmp\/sweeps\/missing\.json: scenario file not found/);
  });
  it('rejects a value the scenario schema refuses, naming the axis, the value and the path hint', () => {
    expect(inputErrorOf(() => expandSweep(sweep({ axes: { 'trace.arrival.ratePerMin': [3, -1] } }))))
      .toMatch(/\/axes\/"trace\.arrival\.ratePerMin"\/1: setting trace\.arrival\.ratePerMin to -1 makes an invalid scenario: .*ratePerMin must be > 0/);
    expect(inputErrorOf(() => expandSweep(sweep({ axes: { 'trace.arrival.rate': [3] } }))))
      .toMatch(/"trace\.arrival\.rate" is not set in the base scenario/);
    expect(inputErrorOf(() => expandSweep(sweep({ axes: { mode: ['timed', 'fast'] } })))).toMatch(/\/axes\/"mode"\/1: .*mode must be one of/);
  });
});

describe('shards', () => {
  it('parses i/n and rejects anything else, naming the flag', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    for (const bad of ['4/4', '1/0', '-1/3', 'a/b', '1', '']) expect(inputErrorOf(() => parseShard(bad))).toMatch(/^--shard: expected i\/n/);
  });
  it('partitions the runs: every run in exactly one shard, round-robin', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 9 }), (total, count) => {
        const runs = Array.from({ length: total }, (_v, index) => ({ index }));
        const slices = Array.from({ length: count }, (_v, index) => selectShard(runs, { index, count }));
        expect(slices.flat().map((r) => r.index).sort((a, b) => a - b)).toEqual(runs.map((r) => r.index));
        for (const s of slices) expect(s.length).toBeLessThanOrEqual(Math.ceil(total / count));
      }),
    );
  });
});
