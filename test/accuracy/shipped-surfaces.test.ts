import { describe, it, expect } from 'vitest';
import {
  DATASETS,
  ELASTIC_MODELS,
  METHODS,
  PFS_MODELS,
  chanceLevel,
  fullModelAccuracy,
  loadAccuracySurfaces,
} from '../../cost-models/accuracy/index.ts';
import { loadConstraints, ConstraintEvaluator, withinTolerance } from '../../cost-models/accuracy/constraints.ts';

const surfaces = loadAccuracySurfaces();
const records = [...surfaces.entries()].map((e) => e.record);

describe('shipped prior surfaces', () => {
  it('cover every method × model × dataset (PFS: every OPT model)', () => {
    for (const method of METHODS) {
      const models = method === 'pfs' ? PFS_MODELS : ELASTIC_MODELS;
      for (const model of models) for (const dataset of DATASETS) expect(surfaces.record(method, model, dataset), `${method}/${model}/${dataset}`).toBeDefined();
    }
    expect(records.length).toBe(8 * ELASTIC_MODELS.length * DATASETS.length + PFS_MODELS.length * DATASETS.length);
  });

  it('are monotone non-decreasing in model level and prompt ratio', () => {
    for (const r of records) {
      for (let i = 0; i < r.modelRatios.length; i++)
        for (let j = 0; j < r.promptRatios.length; j++) {
          const v = r.values[i]![j]!;
          if (i > 0) expect(v, `${r.method}/${r.model}/${r.dataset} m=${r.modelRatios[i]}`).toBeGreaterThanOrEqual(r.values[i - 1]![j]!);
          if (j > 0) expect(v, `${r.method}/${r.model}/${r.dataset} p=${r.promptRatios[j]}`).toBeGreaterThanOrEqual(r.values[i]![j - 1]!);
        }
    }
  });

  it('stay within [chance, full-model accuracy]', () => {
    for (const r of records) {
      const full = fullModelAccuracy(r.model, r.dataset);
      for (const row of r.values)
        for (const v of row) {
          expect(v).toBeGreaterThanOrEqual(chanceLevel(r.dataset));
          expect(v).toBeLessThanOrEqual(full);
        }
    }
  });

  it('use the chance level of each metric', () => {
    expect(chanceLevel('PIQA')).toBe(0.5);
    expect(chanceLevel('ARC_E')).toBe(0.25);
    expect(chanceLevel('octopus')).toBeCloseTo(5 / 21, 12);
    expect(chanceLevel('llamatouch')).toBeCloseTo(1 / 77, 12);
    expect(() => chanceLevel('MMLU')).toThrow(/unknown dataset 'MMLU'/);
  });

  it('are all marked as priors fitted to every checked-in constraint', () => {
    const ids = loadConstraints().constraints.map((c) => c.id);
    const prov = surfaces.provenance();
    expect(prov).toHaveLength(1);
    expect(prov[0]).toMatchObject({ source: 'prior', fittedTo: ids, surfaces: records.length });
  });
});

describe('published constraints on the shipped surfaces', () => {
  const { constraints, decisionQuality } = loadConstraints();
  const ev = new ConstraintEvaluator(surfaces, { decisionQuality });
  it.each(constraints.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const value = ev.value(c);
    expect(withinTolerance(c, value), `${c.id}: ${value} vs ${c.sense} ${c.target} ± ${c.tolerance}`).toBe(true);
  });

  it('ElastiLM beats each baseline on the traces by a positive amount', () => {
    for (const [b, gain] of ev.e2eGains()) expect(gain, b).toBeGreaterThan(0);
  });
});
