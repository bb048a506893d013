import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { cli, tempDir } from '../cli/helpers.ts';
import { SHIPPED_SURFACES_DIR } from '../../cost-models/accuracy/index.ts';

describe('elastitwin accuracy fit', () => {
  it('regenerates the shipped priors byte for byte and reports every constraint as met', () => {
    const out = tempDir();
    const r = cli(['accuracy', 'fit', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/^MISS/m);
    const shipped = readdirSync(SHIPPED_SURFACES_DIR).filter((f) => f.endsWith('.json')).sort();
    expect(readdirSync(out).sort()).toEqual(shipped);
    for (const f of shipped) expect(readFileSync(path.join(out, f), 'utf8'), f).toBe(readFileSync(path.join(SHIPPED_SURFACES_DIR, f), 'utf8'));
  }, 600_000);
});
