/** The models / devices / cost commands, run as a user runs them: `node bin/elastitwin.js …`. */
import { describe, it, expect } from 'vitest';
import { execFile, spawnSync } from 'node:child_process';
import path from 'node:path';
import { PLAUSIBLE, profile, table, writeJson } from './helpers.ts';

const root = path.resolve(import.meta.dirname, '../..');
function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/elastitwin.js'), ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Async variant, so independent invocations overlap (each CLI start loads every command's modules). */
function cliAsync(...args: string[]): Promise<{ code: number | null; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(root, 'bin/elastitwin.js'), ...args], { cwd: root, encoding: 'utf8' }, (e, _out, err) => {
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, err });
    });
  });
}

describe('elastitwin models / devices', () => {
  it('lists architectures as JSON with parameter counts', () => {
    const r = cli('models', '--json');
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.out) as Array<{ id: string; params: number; anchorLayers: number[] }>;
    expect(rows.find((a) => a.id === 'llama-7b')).toMatchObject({ anchorLayers: [0, 1, 4, 5, 7, 31] });
    expect(rows.length).toBe(9 + 11); // the catalogue + the shipped config.json models
    expect(rows.find((a) => a.id === 'gemma-2b')).toMatchObject({ anchorLayers: [] });
  });

  it('lists devices with sources, the host marked as calibration-only', () => {
    const r = cli('devices', '--json');
    expect(r.code).toBe(0);
    const devices = JSON.parse(r.out) as Array<{ id: string; roofline: unknown; sources: Record<string, string> }>;
    expect(devices.map((d) => d.id)).toEqual(['k60-champion', 'k70-pro', 'mi14', 'host']);
    expect(devices.find((d) => d.id === 'host')!.roofline).toBeNull();
    expect(cli('devices').out).toMatch(/k60-champion\.dramEfficiency: .*prior \(to be calibrated\)/);
  });
});

describe('elastitwin cost', () => {
  it('prints one JSON row per level, monotone in level', () => {
    const r = cli('cost', 'llama-7b', 'k60-champion', '--prompt', '128', '--json');
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.out) as Array<Record<string, number>>;
    expect(rows.map((x) => x.level)).toEqual([0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    for (const row of rows) expect(Object.keys(row)).toEqual(['level', 'ttftMs', 'tpotMs', 'memoryBytes']);
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i]!.ttftMs).toBeGreaterThanOrEqual(rows[i - 1]!.ttftMs!);
      expect(rows[i]!.tpotMs).toBeGreaterThanOrEqual(rows[i - 1]!.tpotMs!);
    }
  });

  it('prices the host from a calibrated profile (dtype and threads taken from it)', () => {
    const file = writeJson('p.json', profile(PLAUSIBLE));
    const r = cli('cost', 'orca-mini-3b', 'host', '--latency', `calibrated:${file}`, '--prompt', '64', '--context', '300', '--json');
    expect(r.code, r.err).toBe(0);
    expect((JSON.parse(r.out) as unknown[]).length).toBe(9);
    const human = cli('cost', 'orca-mini-3b', 'host', '--latency', `calibrated:${file}`);
    expect(human.out).toMatch(/fp32, 2 threads, calibrated latency/);
  });

  it('prices from a table, and refuses out-of-grid values unless --extrapolate', () => {
    const file = writeJson('t.json', table(['opt-1.3b']));
    expect(cli('cost', 'opt-1.3b', 'mi14', '--latency', `table:${file}`, '--json').code).toBe(0);
    const out = cli('cost', 'opt-1.3b', 'mi14', '--latency', `table:${file}`, '--prompt', '9000');
    expect(out.code).toBe(2);
    expect(out.err).toMatch(/prompt tokens 9000 is outside/);
    expect(cli('cost', 'opt-1.3b', 'mi14', '--latency', `table:${file}`, '--prompt', '9000', '--extrapolate').code).toBe(0);
  });

  it('exits 2 with a clear message on bad input', { timeout: 600_000 }, async () => {
    const cases: Array<[string[], RegExp]> = [
      [['cost', 'gpt-9', 'mi14'], /unknown model; known: llama-7b/],
      [['cost', 'llama-7b', 'pixel'], /unknown device; known: k60-champion, k70-pro, mi14/],
      [['cost', 'llama-7b', 'host'], /no prior numbers/],
      [['cost', 'llama-7b', 'mi14', '--prompt', 'many'], /--prompt: expected a non-negative integer/],
      [['cost', 'llama-7b', 'mi14', '--dtype', 'bf17'], /--dtype: expected one of fp32, fp16, int8, int4, bf16, q4_0/],
      [['cost', 'llama-7b', 'mi14', '--dtype', 'bf16'], /--dtype: engine mllm has no precision "bf16"; it runs fp16, fp32, int8, int4/],
      [['cost', 'llama-7b', 'mi14', '--engine', 'qnn', '--dtype', 'q4_0'], /--dtype: engine qnn has no precision "q4_0"; it runs w4a16/],
      [['cost', 'llama-7b', 'mi14', '--engine', 'tensorrt'], /--engine: unknown engine "tensorrt" \(known: mllm, llama.cpp/],
      [['cost', 'llama-7b', 'mi14', '--engine', 'prefill=qnn'], /--engine: expected NAME or prefill=NAME,decode=NAME/],
      [['cost', 'llama-7b', 'mi14', '--latency', 'magic'], /--latency/],
      [['cost', 'llama-7b', 'mi14', '--latency', 'calibrated:/nope.json'], /cannot read device profile/],
    ];
    const results = await Promise.all(cases.map(([args]) => cliAsync(...args)));
    cases.forEach(([args, message], i) => {
      expect(results[i]!.code, args.join(' ')).toBe(2);
      expect(results[i]!.err).toMatch(message);
    });
  });
});
