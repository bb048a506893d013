/**
 * A sweep killed midway (SIGKILL to the CLI process, workers and all) and run again completes with every run
 * exactly once: runs that were complete are not run again (their files are untouched), the rest run once,
 * and the result is byte-identical to an uninterrupted sweep.
 */
import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { cli, tempDir, ROOT } from '../cli/helpers.ts';
import { smallSweep, writeSweep, treeBytes } from './helpers.ts';

const SEEDS = Array.from({ length: 8 }, (_v, k) => k + 1);
const RUNS = 2 * 2 * SEEDS.length;

/** Run folders with a summary.json (not the temporary .<id>.tmp-… folders a run is written into first). */
const completeRuns = (out: string): string[] =>
  existsSync(path.join(out, 'runs'))
    ? readdirSync(path.join(out, 'runs')).filter((d) => !d.startsWith('.') && existsSync(path.join(out, 'runs', d, 'summary.json'))).sort()
    : [];

/** Starts the sweep and SIGKILLs it once at least `atLeast` runs are complete (but not all). */
async function killMidway(args: string[], out: string, atLeast: number): Promise<string[]> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/elastitwin.js'), ...args], { cwd: ROOT, stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  for (;;) {
    const done = completeRuns(out);
    if (done.length >= atLeast) break;
    if (child.exitCode !== null) throw new Error('the sweep finished before it could be killed');
    await new Promise((r) => setTimeout(r, 5));
  }
  child.kill('SIGKILL');
  await exited;
  return completeRuns(out);
}

describe('killed sweep resumes', () => {
  it('runs every run exactly once across the kill and the re-run', async () => {
    const dir = tempDir('elastitwin-resume-');
    const file = writeSweep(dir, smallSweep(60, SEEDS));
    const out = path.join(dir, 'out');
    const args = ['sweep', file, '--out', out, '--workers', '1', '--no-html'];

    const before = await killMidway(args, out, 3);
    expect(before.length).toBeGreaterThanOrEqual(3);
    expect(before.length).toBeLessThan(RUNS);
    const stamps = new Map(before.map((id) => {
      const st = statSync(path.join(out, 'runs', id, 'summary.json'));
      return [id, `${st.ino}:${st.mtimeMs}`];
    }));

    const again = cli(args);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    const ran = Number(/ran (\d+), (\d+) already complete/.exec(again.stdout)![1]);
    const skipped = Number(/ran (\d+), (\d+) already complete/.exec(again.stdout)![2]);
    expect(skipped).toBe(before.length);
    expect(ran + skipped).toBe(RUNS);

    // complete runs were left alone; nothing half-written or duplicated remains
    for (const [id, stamp] of stamps) {
      const st = statSync(path.join(out, 'runs', id, 'summary.json'));
      expect(`${st.ino}:${st.mtimeMs}`).toBe(stamp);
    }
    const manifest = JSON.parse(readFileSync(path.join(out, 'sweep.json'), 'utf8')) as { runs: Array<{ id: string }> };
    expect(readdirSync(path.join(out, 'runs')).sort()).toEqual(manifest.runs.map((r) => r.id).sort());
    const ids = (JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8')) as Array<{ run_id: string; policy: string }>)
      .map((r) => `${r.run_id}/${r.policy}`);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids.map((x) => x.split('/')[0])).size).toBe(RUNS);

    // and the outcome is what an uninterrupted sweep writes
    const fresh = path.join(dir, 'fresh');
    expect(cli(['sweep', file, '--out', fresh, '--workers', '2', '--no-html']).code).toBe(0);
    const a = treeBytes(fresh);
    const b = treeBytes(out);
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [name, bytes] of a) expect(b.get(name)!.equals(bytes), name).toBe(true);
    rmSync(dir, { recursive: true, force: true });
  });
});
