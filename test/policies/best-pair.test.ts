/**
 * bestOnFrontier against its definition: over random frontiers and quality grids with many ties, the pick is
 * the frontier entry of highest quality, ties going to the larger model level, then the larger prompt ratio.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { getArchitecture } from '../../cost-models/index.ts';
import { buildElasticSpace } from '../../sim/policies/elastic-space.ts';
import { bestOnFrontier } from '../../sim/policies/best-pair.ts';
import type { AccuracyQuery } from '../../cost-models/accuracy/types.ts';
import type { DecisionContext, RequestView } from '../../sim/types.ts';

const space = buildElasticSpace(getArchitecture('orca-mini-3b'), true);
const P = space.configs.length;
const M = space.configs[0]!.length;

describe('bestOnFrontier', () => {
  it('picks the best frontier entry; ties to the larger level, then the larger prompt ratio', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1, max: M - 1 }), { minLength: P, maxLength: P }),
        // few distinct qualities, so ties are common
        fc.array(fc.constantFrom(0.25, 0.5, 0.75), { minLength: P * M, maxLength: P * M }),
        (levels, grid) => {
          const front = Int8Array.from(levels);
          const accuracy = { quality: (q: AccuracyQuery) => grid[space.configs.findIndex((row) => row[0]!.promptRatio === q.promptRatio) * M + space.configs[0]!.findIndex((c) => c.modelRatio === q.modelRatio)]!, provenance: () => [] };
          const req = { appIndex: -1, dataset: 'OBQA' } as RequestView;
          const ctx = { accuracy } as unknown as DecisionContext;
          // a fresh query object per case: grids are cached per query
          const query: AccuracyQuery = { method: 'elastilm', model: 'orca-mini-3b', dataset: 'OBQA', modelRatio: 1, promptRatio: 1 };
          const got = bestOnFrontier(space, front, req, ctx, query, { p: 0, m: 0 });
          const entries = levels.flatMap((m, p) => (m < 0 ? [] : [{ p, m, q: grid[p * M + m]!, prompt: space.configs[p]![m]!.promptRatio }]));
          entries.sort((a, b) => b.q - a.q || b.m - a.m || b.prompt - a.prompt);
          expect(got === null ? null : { p: got.p, m: got.m }).toEqual(entries.length ? { p: entries[0]!.p, m: entries[0]!.m } : null);
        },
      ),
      { numRuns: 500 },
    );
  });
});
