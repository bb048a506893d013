/**
 * Plug-ins from a folder outside the repository, through the real CLI: the worked example policy in a
 * scenario's `plugins` (run, a sweep on two workers, goodput), a latency kind given with `--plugin`, and every
 * way a plug-in can be bad (exit 2, the file named, no stack trace).
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, ROOT, tempDir } from './helpers.ts';
import { smallScenario } from '../sweep/helpers.ts';

const dir = tempDir('elastitwin-plugins-');
mkdirSync(path.join(dir, 'policies'));
copyFileSync(path.join(ROOT, 'docs/examples/greedy-latency.ts'), path.join(dir, 'policies/greedy.ts'));
const write = (name: string, text: string): string => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};
const scenarioFile = write('small.json', JSON.stringify(smallScenario(40, { policies: ['greedy-latency', 'elastilm'], plugins: ['policies/greedy.ts'] })));

// a latency kind that wraps roofline and slows everything by a factor: `--latency slow:2`
const slow = write('slow.mts', `
export default (api) => {
  api.registerLatencyKind('slow', {
    flagForm: 'slow:FACTOR',
    fromFlag: (arg) => ({ kind: 'slow', factor: Number(arg || 2) }),
    async create(spec, ctx) {
      const base = await api.createLatency({ kind: 'roofline' }, ctx);
      const f = spec.factor;
      return {
        provenance: { kind: 'slow', device: base.provenance.device, detail: { factor: f } },
        prefillMs: (s, p) => f * base.prefillMs(s, p),
        decodeStepMs: (s, c) => f * base.decodeStepMs(s, c),
        decodeMs: (s, c, n) => f * base.decodeMs(s, c, n),
        tlmMs: (t) => f * base.tlmMs(t),
        switchMs: (k, a, b) => f * base.switchMs(k, a, b),
      };
    },
  });
};
`);

const ok = (args: string[]) => {
  const r = cli(args, { cwd: dir });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
};

describe('plug-ins through the CLI', () => {
  it('run: a scenario naming a plug-in policy file runs it beside a shipped policy', () => {
    const out = ok(['run', scenarioFile, '--out', path.join(dir, 'run'), '--json', '--no-html']);
    const summary = JSON.parse(out);
    expect(summary.policies.map((p: { policy: string }) => p.policy)).toEqual(['greedy-latency', 'elastilm']);
    expect(summary.policies[0].overall.requests).toBe(summary.scenario.requests);
    expect(summary.policies[0].overall.served).toBeGreaterThan(0);
    expect(readFileSync(path.join(dir, 'run/requests.csv'), 'utf8')).toContain('greedy-latency,');
  });

  it('sweep: two workers load the plug-in; its rows reach the tidy table and the charts', () => {
    const sweepFile = write('sweep.json', JSON.stringify({
      name: 'plug', base: 'small.json', axes: { 'trace.arrival.ratePerMin': [3, 30] }, seeds: [1, 2],
    }));
    ok(['sweep', sweepFile, '--workers', '2', '--out', path.join(dir, 'sweep')]);
    const csv = readFileSync(path.join(dir, 'sweep/results.csv'), 'utf8').trim().split('\n');
    expect(csv.filter((l) => l.includes(',greedy-latency,'))).toHaveLength(4);
    expect(readFileSync(path.join(dir, 'sweep/report.html'), 'utf8')).toContain('greedy-latency');
  });

  it('goodput: workers search the plug-in policy too', () => {
    const report = JSON.parse(ok(['goodput', scenarioFile, '--target', '0.5', '--seeds', '1', '--precision', '0.2', '--workers', '2', '--policies', 'greedy-latency', '--json']));
    expect(report.policies.map((p: { policy: string }) => p.policy)).toEqual(['greedy-latency']);
    expect(report.policies[0].evaluations.length).toBeGreaterThan(1);
  });

  it('--plugin adds a latency kind: every latency of the run scales by its factor', () => {
    const isolated = write('isolated.json', JSON.stringify(smallScenario(30, { mode: 'isolated', policies: ['full'], trace: { kind: 'paper', requests: 30, alpha: 0, arrival: { process: 'none' } } })));
    const base = JSON.parse(ok(['run', isolated, '--out', path.join(dir, 'base'), '--json', '--no-html']));
    const slowed = JSON.parse(ok(['run', isolated, '--plugin', slow, '--latency', 'slow:3', '--out', path.join(dir, 'slow'), '--json', '--no-html']));
    expect(slowed.latency.kind).toBe('slow');
    expect(slowed.scenario.spec.plugins).toEqual([slow]);
    const [b, s] = [base.policies[0].overall, slowed.policies[0].overall];
    expect(s.ttftMs.mean / b.ttftMs.mean).toBeCloseTo(3, 9);
    expect(s.tpotMs.p50 / b.tpotMs.p50).toBeCloseTo(3, 9);
  });

  it('a plug-in method states its own resident memory, and the run checks it against the phone', () => {
    const huge = write('huge.mts', `
export default (api) => {
  api.registerPolicy('huge', (options, env) => {
    const inner = api.createPolicy('elastilm', options, env);
    return { name: 'huge', method: { ...inner.method, residentBytes: () => 64 * 2 ** 30 }, decide: (r, c) => inner.decide(r, c) };
  });
};
`);
    const r = cli(['run', scenarioFile, '--plugin', huge, '--policies', 'huge', '--out', path.join(dir, 'huge'), '--no-html'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/device "mi14": resident set needs [\d.]+ GB but only .* out of memory/);
  });

  const bad: Array<[string, string | null, RegExp]> = [
    ['missing.ts', null, /plug-in file not found/],
    ['throws.ts', "throw new Error('boom at import');\nexport default () => {};\n", /plug-in failed while loading: boom at import/],
    ['nothing.ts', 'export default () => {};\n', /plug-in registered nothing/],
    ['clash.ts', "export default (api) => { api.registerPolicy('elastilm', () => null); };\n", /policy "elastilm" is already registered \(by built-in\)/],
    ['no-default.mjs', 'export const x = 1;\n', /default export must be a function/],
    ['syntax.ts', 'export default (api => {\n', /plug-in does not compile: .*syntax\.ts:\d+:\d+/],
    ['notes.txt', 'hello', /must be an ES module ending in \.ts, \.mts, \.js or \.mjs/],
  ];
  it.each(bad)('a bad plug-in (%s) is exit 2 naming the file, without a stack trace', (name, text, message) => {
    const file = text === null ? path.join(dir, name) : write(name, text);
    const r = cli(['run', scenarioFile, '--plugin', file, '--out', path.join(dir, `bad-${name}`), '--no-html'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain(name);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
