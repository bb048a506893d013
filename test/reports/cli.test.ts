/** `elastitwin report` and the report of `elastitwin run`, through the real CLI in a child process. */
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { writeRunOutputs } from '../../reports/index.ts';
import { makeFixtureRun } from './fixtures/run-fixture.ts';
import { scratchDir } from './helpers.ts';

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/elastitwin.js', ...args], { encoding: 'utf8', timeout: 600_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('elastitwin report', () => {
  it('rebuilds report.html of a run directory', async () => {
    const dir = path.join(scratchDir(), 'run');
    const run = makeFixtureRun({ requestsPerClass: 8 });
    await writeRunOutputs(dir, run.summary, run.csv, { html: false });
    const r = cli('report', dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^wrote .*report\.html\n$/);
    expect(readFileSync(path.join(dir, 'report.html'), 'utf8')).toContain('data-chart="ttft-cdf"');
  });

  it('exits 2 naming a missing directory or the bad file and where in it', async () => {
    const missing = path.join(scratchDir(), 'nowhere');
    const r1 = cli('report', missing);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toBe(`elastitwin: ${missing}: not a run directory (does not exist or is not a directory)\n`);

    const dir = path.join(scratchDir(), 'run');
    const run = makeFixtureRun({ requestsPerClass: 4 });
    await writeRunOutputs(dir, run.summary, run.csv, { html: false });
    const summary = JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8'));
    summary.policies[2].perClass[0].slo.unit = 'seconds';
    writeFileSync(path.join(dir, 'summary.json'), JSON.stringify(summary));
    const r2 = cli('report', dir);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain(`${path.join(dir, 'summary.json')}: /policies/2/perClass/0/slo/unit must be one of "ratio", "ms"`);
    expect(existsSync(path.join(dir, 'report.html'))).toBe(false);
  });
});

describe('elastitwin run', () => {
  it('writes report.html by default, byte-identical to what `elastitwin report` rebuilds; --no-html skips it', () => {
    const out = path.join(scratchDir(), 'default');
    expect(cli('run', 'default', '--out', out).code).toBe(0);
    const written = readFileSync(path.join(out, 'report.html'));
    expect(cli('report', out).code).toBe(0);
    expect(readFileSync(path.join(out, 'report.html')).equals(written)).toBe(true);

    const bare = path.join(scratchDir(), 'bare');
    expect(cli('run', 'default', '--out', bare, '--no-html').code).toBe(0);
    expect(existsSync(path.join(bare, 'summary.json'))).toBe(true);
    expect(existsSync(path.join(bare, 'report.html'))).toBe(false);
  });
});
