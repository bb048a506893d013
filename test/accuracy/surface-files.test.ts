import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { GridSurfaceSet, loadAccuracySurfaces } from '../../cost-models/accuracy/index.ts';
import { readSurfaceFile, type SurfaceRecord } from '../../cost-models/accuracy/surface-file.ts';
import { isInputError } from '../../base/errors.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'elastitwin-accuracy-'));
const prov = { source: 'measured', fittedTo: [], date: '2026-01-02', toolVersion: 'test' } as const;

function record(values: number[][]): SurfaceRecord {
  return { method: 'elastilm', model: 'llama-7b', dataset: 'PIQA', modelRatios: [0.2, 0.6, 1], promptRatios: [0.1, 1], values, provenance: { ...prov, fittedTo: [] } };
}

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('did not throw');
}

describe('grid queries', () => {
  const set = new GridSurfaceSet();
  set.add(record([[0.5, 0.6], [0.6, 0.7], [0.7, 0.9]]), 'mem');
  const q = (modelRatio: number, promptRatio: number) => set.quality({ method: 'elastilm', model: 'llama-7b', dataset: 'PIQA', modelRatio, promptRatio });

  it('returns grid values at grid points and interpolates bilinearly between them', () => {
    expect(q(1, 1)).toBe(0.9);
    expect(q(0.2, 0.1)).toBe(0.5);
    expect(q(0.4, 0.1)).toBeCloseTo(0.55, 12);
    expect(q(0.8, 0.55)).toBeCloseTo((0.6 + 0.7 + 0.7 + 0.9) / 4, 12);
  });

  it('interpolates on unevenly spaced axes too', () => {
    const uneven = new GridSurfaceSet();
    uneven.add({ ...record([[0.5, 0.6], [0.6, 0.7], [0.7, 0.9]]), modelRatios: [0.2, 0.5, 1] }, 'mem');
    const u = (m: number, p: number) => uneven.quality({ method: 'elastilm', model: 'llama-7b', dataset: 'PIQA', modelRatio: m, promptRatio: p });
    expect(u(0.5, 1)).toBe(0.7);
    expect(u(0.35, 0.1)).toBeCloseTo(0.55, 12);
    expect(u(0.75, 1)).toBeCloseTo(0.8, 12);
  });

  it('is monotone wherever the grid is (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.2, max: 1, noNaN: true }), fc.double({ min: 0.2, max: 1, noNaN: true }), fc.double({ min: 0.1, max: 1, noNaN: true }), (a, b, p) => {
        const [lo, hi] = a < b ? [a, b] : [b, a];
        return q(lo, p) <= q(hi, p) + 1e-12;
      }),
    );
  });

  it('rejects queries outside the grid and unknown keys, naming them', () => {
    expect(() => q(0.1, 0.5)).toThrow(/outside the grid modelRatio \[0\.2, 1\]/);
    expect(() => set.quality({ method: 'elastilm', model: 'llama-13b', dataset: 'PIQA', modelRatio: 1, promptRatio: 1 })).toThrow(/no surface for model 'llama-13b'/);
    expect(() => set.quality({ method: 'magic', model: 'llama-7b', dataset: 'PIQA', modelRatio: 1, promptRatio: 1 })).toThrow(/no surface for method 'magic'/);
    expect(() => set.quality({ method: 'elastilm', model: 'llama-7b', dataset: 'SCIQ', modelRatio: 1, promptRatio: 1 })).toThrow(/dataset 'SCIQ'/);
  });
});

describe('user surface files', () => {
  it('a JSON file overrides the matching shipped surface only, and shows in provenance', () => {
    const file = path.join(dir, 'measured.json');
    writeFileSync(file, JSON.stringify({ surfaces: [record([[0.51, 0.52], [0.53, 0.54], [0.55, 0.8]])] }));
    const shipped = loadAccuracySurfaces();
    const mine = loadAccuracySurfaces({ files: [file] });
    const at = { method: 'elastilm', model: 'llama-7b', dataset: 'PIQA', modelRatio: 1, promptRatio: 1 };
    expect(mine.quality(at)).toBe(0.8);
    expect(shipped.quality(at)).not.toBe(0.8);
    const other = { ...at, dataset: 'SCIQ' };
    expect(mine.quality(other)).toBe(shipped.quality(other));
    expect(mine.provenance().some((p) => p.source === 'measured' && (p.files as string[]).includes(file))).toBe(true);
  });

  it('a CSV file gives the same surface as the equivalent JSON', () => {
    const file = path.join(dir, 'measured.csv');
    const rows = ['# source: measured', '# date: 2026-01-02', '# toolVersion: test', 'method,model,dataset,modelRatio,promptRatio,accuracy'];
    const r = record([[0.5, 0.6], [0.6, 0.7], [0.7, 0.9]]);
    r.modelRatios.forEach((m, i) => r.promptRatios.forEach((p, j) => rows.push(`elastilm,llama-7b,PIQA,${m},${p},${r.values[i]![j]}`)));
    // data rows in reverse order: the importer sorts each axis itself
    writeFileSync(file, [...rows.slice(0, 4), ...rows.slice(4).reverse()].join('\n') + '\n');
    const doc = readSurfaceFile(file);
    expect(doc.surfaces).toHaveLength(1);
    expect(doc.surfaces[0]).toEqual(r);
  });

  it('reports malformed files with the file and the JSON path or CSV row', () => {
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ surfaces: [{ ...record([[0.5, 0.6], [0.6, 1.7], [0.7, 0.9]]) }] }));
    const e1 = thrown(() => loadAccuracySurfaces({ files: [bad] }));
    expect(isInputError(e1)).toBe(true);
    expect(e1.message).toContain(`${bad}: /surfaces/0/values/1/1`);

    const ragged = path.join(dir, 'ragged.json');
    writeFileSync(ragged, JSON.stringify({ surfaces: [record([[0.5, 0.6], [0.6], [0.7, 0.9]])] }));
    expect(thrown(() => readSurfaceFile(ragged)).message).toContain('/surfaces/0/values/1: has 1 values');

    const badMethod = path.join(dir, 'method.json');
    writeFileSync(badMethod, JSON.stringify({ surfaces: [{ ...record([[0.5, 0.6], [0.6, 0.7], [0.7, 0.9]]), method: 'magic' }] }));
    expect(thrown(() => readSurfaceFile(badMethod)).message).toMatch(/\/surfaces\/0\/method must be one of "elastilm"/);

    const csv = path.join(dir, 'bad.csv');
    writeFileSync(csv, '# source: measured\n# date: 2026-01-02\n# toolVersion: t\nmethod,model,dataset,modelRatio,promptRatio,accuracy\nelastilm,llama-7b,PIQA,0.2,abc,0.5\n');
    expect(thrown(() => readSurfaceFile(csv)).message).toContain(`${csv}: data row 1: column 'promptRatio' is not a number`);

    const holes = path.join(dir, 'holes.csv');
    writeFileSync(holes, '# source: measured\n# date: 2026-01-02\n# toolVersion: t\nmethod,model,dataset,modelRatio,promptRatio,accuracy\nelastilm,llama-7b,PIQA,0.2,1,0.5\nelastilm,llama-7b,PIQA,1,0.5,0.6\n');
    expect(thrown(() => readSurfaceFile(holes)).message).toMatch(/grid is incomplete/);

    expect(thrown(() => readSurfaceFile(path.join(dir, 'missing.json'))).message).toMatch(/cannot read accuracy surface file \(ENOENT\)/);
  });
});
