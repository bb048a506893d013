/** Golden scenarios: summary.json and requests.csv must stay byte-identical (see render.ts). */
import { describe, it, expect } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { EXPECTED_DIR, GOLDEN_FILES, firstDifference, goldenNames, renderGolden } from './render.ts';

describe('golden scenarios', () => {
  it('every scenario has its recording and every recording its scenario', () => {
    const names = goldenNames();
    expect(names.length).toBeGreaterThanOrEqual(4);
    for (const n of names) for (const f of GOLDEN_FILES) expect(existsSync(path.join(EXPECTED_DIR, n, f)), `${n}/${f}`).toBe(true);
    const recorded = existsSync(EXPECTED_DIR) ? readdirSync(EXPECTED_DIR).sort() : [];
    expect(recorded).toEqual(names);
  });

  for (const name of goldenNames()) {
    it(`${name}: summary.json and requests.csv are byte-identical to the recording`, async () => {
      const actual = await renderGolden(name);
      for (const file of GOLDEN_FILES) {
        const expectedText = readFileSync(path.join(EXPECTED_DIR, name, file), 'utf8');
        const d = firstDifference(expectedText, actual[file]);
        if (d) {
          throw new Error(
            `${name}/${file} changed at line ${d.line}\n  recorded: ${d.expected}\n  now:      ${d.actual}\n` +
              'If the change is intended, re-record with `npm run golden:update` and review the diff it prints.',
          );
        }
      }
    });
  }
});
