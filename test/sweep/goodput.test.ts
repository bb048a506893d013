/** Goodput search through the CLI on a small timed scenario: brackets, precision, monotone in the target. */
import { describe, it, expect } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { cli, tempDir } from '../cli/helpers.ts';
import { smallScenario } from './helpers.ts';
import type { GoodputReport } from '../../sim/sweep/goodput.ts';

describe('elastitwin goodput', () => {
  const dir = tempDir('elastitwin-goodput-');
  const scenario = path.join(dir, 'small.json');
  writeFileSync(scenario, JSON.stringify(smallScenario(30, { policies: ['elastilm', 'oracle'] })));

  const search = (target: number): GoodputReport => {
    const r = cli(['goodput', scenario, '--target', String(target), '--seeds', '2', '--precision', '0.1', '--workers', '2', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout) as GoodputReport;
  };

  it('brackets each policy\'s goodput within the precision and is monotone in the target', () => {
    const loose = search(0.5);
    const strict = search(0.9);
    for (const report of [loose, strict]) {
      expect(report.seeds).toEqual([42, 43]);
      expect(report.policies.map((p) => p.policy)).toEqual(['elastilm', 'oracle']);
      for (const p of report.policies) {
        expect(p.status).toBe('found');
        expect(p.goodputPerMin).toBe(p.lo);
        expect(p.attainmentAtLo!).toBeGreaterThanOrEqual(report.target);
        expect(p.attainmentAtHi!).toBeLessThan(report.target);
        expect(p.hi! - p.lo).toBeLessThanOrEqual(0.1 * p.lo + 1e-12);
        // every rate evaluated at or below lo met the target, every one at or above hi missed it
        for (const e of p.evaluations) {
          if (e.ratePerMin <= p.lo) expect(e.attainment).toBeGreaterThanOrEqual(report.target);
          if (e.ratePerMin >= p.hi!) expect(e.attainment).toBeLessThan(report.target);
        }
      }
    }
    for (const [k, p] of strict.policies.entries()) expect(p.goodputPerMin).toBeLessThanOrEqual(loose.policies[k]!.goodputPerMin * 1.1);
  });

  it('prints a table naming the target, the seeds and the precision', () => {
    const r = cli(['goodput', scenario, '--target', '0.8', '--seeds', '1', '--precision', '0.2', '--policies', 'oracle']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/≥ 80\.0% of requests within both SLOs/);
    expect(r.stdout).toMatch(/\| oracle \| [\d.]+ \| \[[\d.]+, [\d.]+\) \|/);
  });

  it('rejects isolated-mode scenarios and bad flags with exit 2', () => {
    const iso = cli(['goodput', 'paper-orca-mini-3b-alpha0', '--target', '0.9']);
    expect(iso.code).toBe(2);
    expect(iso.stderr).toMatch(/\/mode: goodput search needs a timed scenario/);
    expect(cli(['goodput', scenario, '--target', '1.5']).stderr).toMatch(/--target: expected a number in \(0, 1\]/);
    expect(cli(['goodput', scenario, '--target', '0.9', '--policies', 'nope']).stderr).toMatch(/--policies: "nope" is not a policy/);
  });
});
