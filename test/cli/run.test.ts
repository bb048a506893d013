import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { cli, tempDir } from './helpers.ts';

describe('elastitwin run', () => {
  it('runs the default scenario and writes summary.json, summary.md, requests.csv and report.html', () => {
    const out = path.join(tempDir(), 'run');
    const r = cli(['run', 'default', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/elastilm/);
    expect(r.stdout).toMatch(/oracle/);
    expect(readdirSync(out).sort()).toEqual(['report.html', 'requests.csv', 'summary.json', 'summary.md']);
    const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8'));
    expect(summary.policies.map((p: { policy: string }) => p.policy)).toEqual(['elastilm', 'oracle', 'full']);
    expect(summary.scenario.mode).toBe('timed');
    const csv = readFileSync(path.join(out, 'requests.csv'), 'utf8').trim().split('\n');
    expect(csv.length).toBe(1 + 3 * summary.scenario.requests);
  });

  it('gives byte-identical summary.json for the same scenario and seed, and a different one for another seed', () => {
    const a = path.join(tempDir(), 'a');
    const b = path.join(tempDir(), 'b');
    const c = path.join(tempDir(), 'c');
    expect(cli(['run', 'default', '--out', a, '--no-html']).code).toBe(0);
    expect(cli(['run', 'default', '--out', b, '--no-html']).code).toBe(0);
    expect(cli(['run', 'default', '--out', c, '--no-html', '--seed', '7']).code).toBe(0);
    const read = (d: string) => readFileSync(path.join(d, 'summary.json'), 'utf8');
    expect(read(a)).toBe(read(b));
    expect(read(a)).not.toBe(read(c));
  });

  it('prints summary.json with --json, restricted to --policies', () => {
    const out = path.join(tempDir(), 'j');
    const r = cli(['run', 'paper-llama-7b-alpha0', '--policies', 'elastilm,full', '--out', out, '--json', '--no-html']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.policies.map((p: { policy: string }) => p.policy)).toEqual(['elastilm', 'full']);
    for (const p of s.policies) {
      expect(p.overall).toHaveProperty('accuracyUnderSlo');
      expect(p.overall.sloAttainment).toHaveProperty('both');
      expect(p.overall.ttftMs).toHaveProperty('p99');
      expect(p.perClass).toHaveLength(6);
    }
    expect(r.stdout).toBe(readFileSync(path.join(out, 'summary.json'), 'utf8'));
  });
});

describe('elastitwin run: bad input exits 2 with a precise message and writes nothing', () => {
  function expectRejected(args: string[], message: RegExp, out: string) {
    const r = cli([...args, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(out)).toBe(false);
  }

  it('unknown scenario name', () => {
    expectRejected(['run', 'no-such-scenario'], /no-such-scenario.*shipped: .*default/, path.join(tempDir(), 'o'));
  });

  it('scenario file that is not JSON', () => {
    const dir = tempDir();
    const f = path.join(dir, 'broken.json');
    writeFileSync(f, '{ "name": "x", ');
    expectRejected(['run', f], /broken\.json: scenario is not valid JSON/, path.join(dir, 'o'));
  });

  it('scenario with a wrong field names the JSON path', () => {
    const dir = tempDir();
    const f = path.join(dir, 's.json');
    const s = JSON.parse(readFileSync(new URL('../../scenarios/default.json', import.meta.url), 'utf8'));
    s.mode = 'fast';
    s.trace.arrival.ratePerMin = -1;
    writeFileSync(f, JSON.stringify(s));
    const r = cli(['run', f, '--out', path.join(dir, 'o')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/s\.json: invalid scenario: .*\/mode must be one of "isolated", "timed"/);
    expect(existsSync(path.join(dir, 'o'))).toBe(false);
  });

  it('unknown policy names its place in the scenario', () => {
    const dir = tempDir();
    const f = path.join(dir, 's.json');
    const s = JSON.parse(readFileSync(new URL('../../scenarios/default.json', import.meta.url), 'utf8'));
    s.policies = ['elastilm', 'magic'];
    writeFileSync(f, JSON.stringify(s));
    expectRejected(['run', f], /\/policies\/1: unknown policy "magic"/, path.join(dir, 'o'));
  });

  it('bad flags', () => {
    const dir = tempDir();
    expectRejected(['run', 'default', '--seed', 'abc'], /--seed: expected an integer/, path.join(dir, 'o1'));
    expectRejected(['run', 'default', '--latency', 'guess'], /--latency: expected roofline/, path.join(dir, 'o2'));
    expectRejected(['run', 'default', '--trace', path.join(dir, 'missing.jsonl')], /missing\.jsonl/, path.join(dir, 'o3'));
    const r = cli(['run', 'default', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option '--bogus'/);
  });

  it('malformed trace file names the line', () => {
    const dir = tempDir();
    const f = path.join(dir, 't.jsonl');
    writeFileSync(f, '{"id":1}\nnot json\n');
    const r = cli(['run', 'default', '--trace', f, '--out', path.join(dir, 'o')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/t\.jsonl:1/);
    expect(existsSync(path.join(dir, 'o'))).toBe(false);
  });
});

describe('elastitwin run: output and flag errors found in review', () => {
  it('an unwritable --out is reported as bad input', () => {
    const r = cli(['run', 'default', '--out', '/dev/null/x', '--no-html']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^elastitwin: \/dev\/null: cannot mkdir/);
  });

  it('--trace-format without --trace is refused', () => {
    const r = cli(['run', 'default', '--trace-format', 'elastilm', '--out', path.join(tempDir(), 'o')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--trace-format: applies to a trace file/);
  });
});
