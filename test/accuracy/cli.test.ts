import { describe, it, expect } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { cli, tempDir } from '../cli/helpers.ts';

describe('elastitwin accuracy show', () => {
  it('prints a level × prompt-ratio grid per dataset', () => {
    const r = cli(['accuracy', 'show', 'llama-7b', '--dataset', 'ARC_E']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^elastilm · llama-7b · ARC_E {2}\(source: prior, \d{4}-\d{2}-\d{2}\)$/);
    expect(lines[1]!.split(/\s+/).slice(-10)).toEqual(['1.0', '0.9', '0.8', '0.7', '0.6', '0.5', '0.4', '0.3', '0.2', '0.1']);
    expect(lines.slice(2).map((l) => l.split(/\s+/)[0])).toEqual(['1.0', '0.9', '0.8', '0.7', '0.6', '0.5', '0.4', '0.3', '0.2']);
    for (const l of lines.slice(2)) expect(l.split(/\s+/).slice(1).every((v) => /^0\.\d{4}$/.test(v))).toBe(true);
  });

  it('prints every dataset by default and JSON with --json', () => {
    const all = cli(['accuracy', 'show', 'orca-mini-3b', '--method', 'layer-reduction']);
    expect(all.code).toBe(0);
    expect(all.stdout.match(/^layer-reduction · orca-mini-3b · /gm)).toHaveLength(6);
    const r = cli(['accuracy', 'show', 'opt-1.3b', '--method', 'pfs', '--dataset', 'PIQA', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.surfaces).toHaveLength(1);
    expect(doc.surfaces[0]).toMatchObject({ method: 'pfs', model: 'opt-1.3b', dataset: 'PIQA', modelRatios: [1] });
  });

  it('shows a user surface given with --file', () => {
    const file = path.join(tempDir(), 'mine.csv');
    const rows = ['# source: measured', '# date: 2026-02-03', '# toolVersion: bench-rig 1', 'method,model,dataset,modelRatio,promptRatio,accuracy'];
    for (const m of [0.5, 1]) for (const p of [0.5, 1]) rows.push(`elastilm,llama-7b,SCIQ,${m},${p},${(0.5 + m * p * 0.4).toFixed(2)}`);
    writeFileSync(file, rows.join('\n') + '\n');
    const r = cli(['accuracy', 'show', 'llama-7b', '--dataset', 'SCIQ', '--file', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('(source: measured, 2026-02-03)');
    expect(r.stdout).toMatch(/^1\.0 +0\.9000 +0\.7000$/m);
  });

  it('exits 2 with a clear message on bad input', () => {
    const m = cli(['accuracy', 'show', 'llama-7b', '--method', 'magic']);
    expect(m.code).toBe(2);
    expect(m.stderr).toContain("--method: unknown method 'magic'");
    const d = cli(['accuracy', 'show', 'llama-7b', '--dataset', 'MMLU']);
    expect(d.code).toBe(2);
    expect(d.stderr).toContain("--dataset: unknown dataset 'MMLU'");
    const u = cli(['accuracy', 'show', 'gpt-9']);
    expect(u.code).toBe(2);
    expect(u.stderr).toContain("no 'elastilm' surface for model 'gpt-9'");
    const bad = path.join(tempDir(), 'bad.json');
    writeFileSync(bad, '{"surfaces": [{"method": "elastilm"}]}');
    const f = cli(['accuracy', 'show', 'llama-7b', '--file', bad]);
    expect(f.code).toBe(2);
    expect(f.stderr).toContain(`${bad}: /surfaces/0 must have required property`);
  });
});
