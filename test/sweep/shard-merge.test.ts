/**
 * End to end through the CLI: a sweep, the same sweep as three shards merged, bad input. The merged folder
 * must be byte-identical to the unsharded one (tidy table, manifest, charts and every run's files).
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { cli, tempDir } from '../cli/helpers.ts';
import { smallSweep, writeSweep, treeBytes } from './helpers.ts';

const RUNS = 2 * 2 * 2; // rates × policy lists × seeds

describe('sweep, shards and merge (CLI)', () => {
  const dir = tempDir('elastitwin-sweep-');
  const file = writeSweep(dir, smallSweep(12, [1, 2]));
  const whole = path.join(dir, 'whole');

  beforeAll(() => {
    const r = cli(['sweep', file, '--out', whole, '--workers', '2']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/sweep small: 8 runs; ran 8, 0 already complete/);
  });

  it('writes one tidy row per run × policy with axis values, seed and metrics', () => {
    const csv = readFileSync(path.join(whole, 'results.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toMatch(/^run_id,trace\.arrival\.ratePerMin,policies,seed,policy,method,requests,served,dropped,accuracy_under_slo,/);
    expect(csv).toHaveLength(1 + 2 * 2 * (1 + 2)); // rates × seeds × (1 + 2 policies)
    const rows = JSON.parse(readFileSync(path.join(whole, 'results.json'), 'utf8')) as Array<Record<string, unknown>>;
    expect(rows.map((r) => [r['trace.arrival.ratePerMin'], r.seed, r.policy]).slice(0, 4)).toEqual([
      [3, 1, 'full'], [3, 2, 'full'], [3, 1, 'elastilm'], [3, 1, 'oracle'],
    ]);
    for (const r of rows) {
      expect(r.requests).toBe(12);
      expect(r.slo_attainment).toBeGreaterThanOrEqual(0);
      expect(r.slo_attainment).toBeLessThanOrEqual(1);
    }
    const html = readFileSync(path.join(whole, 'report.html'), 'utf8');
    expect(html).toContain('data-chart="sweep-accuracy_under_slo-vs-trace-arrival-ratePerMin"');
    expect(html).toContain('<svg');
  });

  it('re-running a complete sweep runs nothing and rewrites the same bytes', () => {
    const before = treeBytes(whole);
    const r = cli(['sweep', file, '--out', whole, '--workers', '2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ran 0, 8 already complete/);
    expect(treeBytes(whole)).toEqual(before);
  });

  it('three shards merged are byte-identical to the unsharded sweep', () => {
    const shards = [0, 1, 2].map((i) => path.join(dir, `shard-${i}`));
    shards.forEach((out, i) => {
      const r = cli(['sweep', file, '--out', out, '--shard', `${i}/3`, '--workers', '1', '--no-html']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`shard ${i}/3: ${[3, 3, 2][i]} runs`));
    });
    const merged = path.join(dir, 'merged');
    const m = cli(['merge', ...shards, '--out', merged]);
    expect(m.stderr).toBe('');
    expect(m.code).toBe(0);
    expect(m.stdout).toMatch(new RegExp(`${RUNS} runs \\(${RUNS} copied\\)`));
    const a = treeBytes(whole);
    const b = treeBytes(merged);
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [name, bytes] of a) expect(b.get(name)!.equals(bytes), name).toBe(true);
  });

  it('merge names the runs no shard holds, and the shard that should have run them', () => {
    const r = cli(['merge', path.join(dir, 'shard-0'), path.join(dir, 'shard-2'), '--out', path.join(dir, 'partial')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/3 of 8 runs are in no input folder: 0001-[0-9a-f]{10} \(shard 1\/3, which is not among the inputs\)/);
  });

  it('merge refuses a folder of another sweep', () => {
    const otherFile = writeSweep(dir, { ...smallSweep(12, [1, 2]), seeds: [5] }, 'other.json');
    const other = path.join(dir, 'other');
    expect(cli(['sweep', otherFile, '--out', other, '--no-html', '--shard', '0/4']).code).toBe(0);
    const r = cli(['merge', path.join(dir, 'shard-0'), other, '--out', path.join(dir, 'mixed')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/other: holds a different sweep than .*shard-0 \(4 runs vs 8\)/);
  });

  it('rejects a bad axis path with exit 2, naming the path, and writes nothing', () => {
    const bad = writeSweep(dir, { ...smallSweep(12, [1]), axes: { 'trace.arival.ratePerMin': [1, 2] } }, 'bad.json');
    const out = path.join(dir, 'bad-out');
    const r = cli(['sweep', bad, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.json: \/axes\/"trace\.arival\.ratePerMin": bad axis path: "arival" is not a field of trace/);
    expect(existsSync(out)).toBe(false);
  });

  it('stops at a run that fails, naming it and its axis values, with exit 2 for a user error', () => {
    const failing = writeSweep(dir, { ...smallSweep(12, [1]), axes: { policies: [['full'], ['no-such-policy']] } }, 'failing.json');
    const r = cli(['sweep', failing, '--out', path.join(dir, 'failing'), '--workers', '1', '--no-html']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/failing\.json: run 0001-[0-9a-f]{10} \(policies=\["no-such-policy"\], seed=1\): .*no-such-policy/);
  });

  it('rejects a malformed sweep file and a bad --shard with exit 2', () => {
    const malformed = writeSweep(dir, { name: 'x', base: 'default', axes: { r: 3 }, seeds: [] }, 'malformed.json');
    const r = cli(['sweep', malformed]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/malformed\.json: invalid sweep file: .*\/axes\/r must be array|\/seeds must NOT have fewer than 1 items/);
    const s = cli(['sweep', file, '--shard', '3/3', '--out', path.join(dir, 'never')]);
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/--shard: expected i\/n/);
  });

  it('cleans up', () => rmSync(dir, { recursive: true, force: true }));
});
