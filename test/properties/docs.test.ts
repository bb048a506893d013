/** docs/testing.md lists every invariant of the registry with its run count and statement, and nothing else. */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { INVARIANTS } from './registry.ts';

const page = readFileSync(new URL('../../docs/testing.md', import.meta.url), 'utf8');

describe('docs/testing.md', () => {
  it('has one row per invariant: name, runs, statement as in the registry', () => {
    for (const i of INVARIANTS) expect(page).toContain(`| \`${i.name}\` | ${i.runs} | ${i.statement} |`);
  });

  it('lists no invariant the registry does not have', () => {
    const section = page.split('## The invariants')[1]!.split('Notes on what')[0]!;
    const names = [...section.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]);
    expect(names.filter((n) => n !== 'model-based-service').sort()).toEqual(INVARIANTS.map((i) => i.name).sort());
  });
});
