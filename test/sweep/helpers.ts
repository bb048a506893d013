/** Small sweeps and scenarios for the sweep tests: few requests, so a run takes milliseconds. */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The shipped default scenario with a short trace: timed, Poisson arrivals. */
export function smallScenario(requests: number, over: Record<string, unknown> = {}): Record<string, unknown> {
  const base = JSON.parse(readFileSync(new URL('../../scenarios/default.json', import.meta.url), 'utf8'));
  delete base.$schema;
  return { ...base, name: 'sweep-test', trace: { ...base.trace, requests }, ...over };
}

/** Writes a sweep file into `dir` and returns its path. */
export function writeSweep(dir: string, sweep: Record<string, unknown>, name = 'sweep.json'): string {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(sweep, null, 2));
  return file;
}

/** A sweep of 2 rates × 2 policies × `seeds` over a `requests`-request scenario. */
export function smallSweep(requests: number, seeds: number[]): Record<string, unknown> {
  return {
    name: 'small',
    base: smallScenario(requests),
    axes: { 'trace.arrival.ratePerMin': [3, 30], policies: [['full'], ['elastilm', 'oracle']] },
    seeds,
  };
}

/** Every file below `dir` (relative paths, sorted) → its bytes. */
export function treeBytes(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (rel: string) => {
    for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = path.join(rel, e.name);
      if (e.isDirectory()) walk(r);
      else out.set(r, readFileSync(path.join(dir, r)));
    }
  };
  walk('');
  return new Map([...out.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}
