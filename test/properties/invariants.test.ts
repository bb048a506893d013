/** Runs every invariant of the registry with its stated number of runs (see docs/testing.md). */
import { describe, it, expect } from 'vitest';
import { INVARIANTS } from './registry.ts';
import { assertProperty } from './config.ts';

describe('invariants', () => {
  it('have unique kebab-case names, one-line statements and run counts', () => {
    expect(new Set(INVARIANTS.map((i) => i.name)).size).toBe(INVARIANTS.length);
    for (const i of INVARIANTS) {
      expect(i.name).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(i.statement).not.toContain('\n');
      expect(i.runs).toBeGreaterThan(0);
    }
  });

  for (const inv of INVARIANTS) {
    it(`${inv.name} (${inv.runs} runs): ${inv.statement}`, async () => {
      await assertProperty(inv.name, inv.runs, inv.property(inv.defaults()));
    });
  }
});
