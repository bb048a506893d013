/**
 * In-process fuzzing of every input validator with generated invalid inputs (thousands of cases; a process
 * per case would take ~0.5 s each, see cli.fuzz.test.ts for the process-level contract). Each bad input must
 * raise an InputError (never another exception) whose message names the file and the bad location.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InputError } from '../../base/errors.ts';
import { validateScenario } from '../../sim/scenario.ts';
import { readJsonlTrace } from '../../sim/trace/jsonl.ts';
import { readElastilmEntries } from '../../sim/trace/elastilm-format.ts';
import { loadSweepFile } from '../../sim/sweep/sweep-file.ts';
import { expandSweep } from '../../sim/sweep/expand.ts';
import { parseSeed, parseList, parsePositiveNumber, parseNonNegativeInt } from '../../cli/commands/parse.ts';
import { parseLatencyFlag } from '../../sim/latency-kinds.ts';
import '../../cli/wiring.ts';
import { parsePositiveInt } from '../../cli/commands/sweep.ts';
import { parseShard } from '../../sim/sweep/shard.ts';
import { propertyConfig } from '../properties/config.ts';
import { applyCorruption, corruptionArb, namesLocation, type Corruption } from './corrupt.ts';
import { BASE_SCENARIOS, BASE_SWEEP, ELASTILM_ENTRIES, JSONL_LINES } from './valid-inputs.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'elastitwin-fuzz-'));
let serial = 0;
const writeTemp = (name: string, text: string): string => {
  const file = path.join(dir, `${serial++}-${name}`);
  writeFileSync(file, text);
  return file;
};

/** Calls `f`; returns its InputError, null when it accepted the input; anything else fails the property. */
function inputErrorOf(f: () => unknown): InputError | null {
  try {
    f();
    return null;
  } catch (e) {
    if (e instanceof InputError) return e;
    throw new Error(`expected an InputError, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  }
}

/** Counts how many generated inputs were really invalid, so a fuzzer that only makes valid ones fails. */
class Tally {
  invalid = 0;
  total = 0;
  see(rejected: boolean): void {
    this.total++;
    if (rejected) this.invalid++;
  }
  expectMostlyInvalid(share = 0.5): void {
    expect(this.invalid / this.total).toBeGreaterThan(share);
  }
}

const RUNS = { scenario: 3000, jsonl: 1500, elastilm: 1500, sweep: 800, flags: 2000 };

describe(`scenario files: ${RUNS.scenario} corrupted scenarios`, () => {
  it('are refused with an InputError naming the file and the JSON path', () => {
    const tally = new Tally();
    const cases = fc.constantFrom(...BASE_SCENARIOS).chain((base) => fc.tuple(fc.constant(base), corruptionArb(base)));
    fc.assert(
      fc.property(cases, ([base, c]) => {
        const e = inputErrorOf(() => validateScenario(applyCorruption(base, c), 'fuzz.json'));
        tally.see(e !== null);
        if (!e) return;
        expect(e.where).toBe('fuzz.json');
        expect(namesLocation(e.message, c), `${JSON.stringify(c)} → ${e.message}`).toBe(true);
      }),
      propertyConfig('fuzz-scenario', RUNS.scenario),
    );
    tally.expectMostlyInvalid();
  });
});

describe(`JSONL traces: ${RUNS.jsonl} files with one broken line`, () => {
  const lineCorruption = fc.oneof(
    fc.record({ line: fc.nat(JSONL_LINES.length - 1), cut: fc.integer({ min: 1, max: 40 }) }).map((x) => ({ ...x, kind: 'truncate' as const })),
    fc.nat(JSONL_LINES.length - 1).chain((line) => corruptionArb(JSON.parse(JSONL_LINES[line]!)).map((c) => ({ line, c, kind: 'field' as const }))),
    fc.integer({ min: 1, max: JSONL_LINES.length - 1 }).map((line) => ({ line, kind: 'duplicate-id' as const })),
  );
  it('are refused with an InputError naming file:line and, for a bad field, its JSON path', () => {
    const tally = new Tally();
    fc.assert(
      fc.property(lineCorruption, (x) => {
        const lines = [...JSONL_LINES];
        let c: Corruption | undefined;
        if (x.kind === 'truncate') lines[x.line] = lines[x.line]!.slice(0, -x.cut);
        else if (x.kind === 'duplicate-id') lines[x.line] = JSON.stringify({ ...JSON.parse(lines[x.line]!), id: JSON.parse(lines[0]!).id });
        else lines[x.line] = JSON.stringify(applyCorruption(JSON.parse(lines[x.line]!), (c = x.c)));
        const file = writeTemp('trace.jsonl', lines.join('\n') + '\n');
        const e = inputErrorOf(() => readJsonlTrace(file));
        tally.see(e !== null);
        if (!e) return;
        expect(e.where).toBe(`${file}:${x.line + 1}`);
        if (c) expect(namesLocation(e.message, c), `${JSON.stringify(c)} → ${e.message}`).toBe(true);
      }),
      propertyConfig('fuzz-jsonl', RUNS.jsonl),
    );
    tally.expectMostlyInvalid();
  });
});

describe(`artifact (elastilm) traces: ${RUNS.elastilm} broken files`, () => {
  const brokenFile = fc.oneof(
    fc.record({ entry: fc.nat(ELASTILM_ENTRIES.length - 1), field: fc.nat(5), value: fc.constantFrom(null, -3, 0, 2.5, '', 'Z', 'nope', [], [0.5], [0, 1], [2, 2], {}, true) }).map((x) => ({ ...x, kind: 'field' as const })),
    fc.record({ entry: fc.nat(ELASTILM_ENTRIES.length - 1), drop: fc.integer({ min: 1, max: 5 }) }).map((x) => ({ ...x, kind: 'short' as const })),
    fc.record({ cut: fc.integer({ min: 1, max: 200 }) }).map((x) => ({ ...x, kind: 'truncate' as const })),
    fc.constantFrom('{}', '7', '"x"', 'null').map((text) => ({ text, kind: 'not-array' as const })),
  );
  it('are refused with an InputError naming the file and $[entry][field]', () => {
    const tally = new Tally();
    fc.assert(
      fc.property(brokenFile, (x) => {
        const entries = structuredClone(ELASTILM_ENTRIES);
        let text: string;
        if (x.kind === 'field') {
          entries[x.entry]![x.field] = x.value;
          text = JSON.stringify(entries);
        } else if (x.kind === 'short') {
          entries[x.entry] = entries[x.entry]!.slice(0, 6 - x.drop);
          text = JSON.stringify(entries);
        } else if (x.kind === 'truncate') text = JSON.stringify(entries).slice(0, -x.cut);
        else text = x.text;
        const file = writeTemp('trace.json', text);
        const e = inputErrorOf(() => readElastilmEntries(file));
        tally.see(e !== null);
        if (!e) return;
        expect(e.where.startsWith(file)).toBe(true);
        if (x.kind === 'field') expect([`${file} $[${x.entry}][${x.field}]`, `${file} $[${x.entry}][4]`]).toContain(e.where);
        if (x.kind === 'short') expect(e.where).toBe(`${file} $[${x.entry}]`);
        if (x.kind === 'not-array') expect(e.where).toMatch(/ \$$|\.json$/);
      }),
      propertyConfig('fuzz-elastilm', RUNS.elastilm),
    );
    tally.expectMostlyInvalid();
  });
});

describe(`sweep files: ${RUNS.sweep} corrupted sweeps`, () => {
  // a string base is a scenario name or path: its errors are loadScenario's, tested separately below
  const namesNoBase = (c: Corruption) => !(c.pointer === '/base' && typeof c.value === 'string');
  it('are refused, on load or on expansion, with an InputError naming the file and the location', () => {
    const tally = new Tally();
    fc.assert(
      fc.property(corruptionArb(BASE_SWEEP).filter(namesNoBase), (c) => {
        const file = writeTemp('sweep.json', JSON.stringify(applyCorruption(BASE_SWEEP, c)));
        const e = inputErrorOf(() => expandSweep(loadSweepFile(file)));
        tally.see(e !== null);
        if (!e) return;
        // an inline base is checked as a scenario at /base; an axis path or value at /axes/"path"
        const inBase = (p: string) => (p.startsWith('/base') ? p.slice('/base'.length) : p);
        const named =
          namesLocation(e.message, c) ||
          (c.pointer.startsWith('/base/') && e.message.includes(': /base') && namesLocation(e.message, { ...c, pointer: inBase(c.pointer), parent: inBase(c.parent) })) ||
          (c.pointer.startsWith('/axes/') && e.message.includes(`/axes/${JSON.stringify(c.pointer.split('/')[2])}`));
        expect(e.message.startsWith(file) || e.message.includes(`scenario "`), e.message).toBe(true);
        expect(named, `${JSON.stringify(c)} → ${e.message}`).toBe(true);
      }),
      propertyConfig('fuzz-sweep', RUNS.sweep),
    );
    tally.expectMostlyInvalid(0.3);
  });
});

describe('sweep files naming a base scenario that does not exist', () => {
  // Was a known gap (the message named the scenario but not the sweep file or /base); fixed in sim/sweep/sweep-file.ts.
  it('name the sweep file and /base', () => {
    const file = writeTemp('sweep.json', JSON.stringify({ ...BASE_SWEEP, base: 'no-such-scenario' }));
    const e = inputErrorOf(() => loadSweepFile(file));
    expect(e?.message).toContain(`${file}: /base`);
  });
});

describe(`CLI flags: ${RUNS.flags} generated values per parser`, () => {
  const flagValue = fc.oneof(fc.string({ maxLength: 12 }), fc.integer({ min: -10, max: 1e10 }).map(String), fc.double().map(String), fc.constantFrom('', ' ', '1/0', '3/2', 'table:', 'hil:http://x', 'calibrated:a.json', '0x10', '1e3'));
  const parsers: Array<[string, (v: string) => unknown, (out: unknown) => boolean]> = [
    ['--seed', (v) => parseSeed(v), (x) => Number.isInteger(x) && (x as number) >= 0 && (x as number) <= 4294967295],
    ['--workers', (v) => parsePositiveInt(v, '--workers'), (x) => Number.isInteger(x) && (x as number) >= 1],
    ['--rate-per-min', (v) => parsePositiveNumber(v, '--rate-per-min'), (x) => Number.isFinite(x) && (x as number) > 0],
    ['--output-tokens', (v) => parseNonNegativeInt(v, '--output-tokens'), (x) => Number.isInteger(x) && (x as number) >= 0],
    ['--policies', (v) => parseList(v, '--policies'), (x) => Array.isArray(x) && x.length > 0 && x.every((s) => s.length > 0)],
    ['--latency', (v) => parseLatencyFlag(v), (x) => typeof x === 'object' && x !== null && 'kind' in x],
    ['--shard', (v) => parseShard(v), (x) => typeof x === 'object' && x !== null],
  ];
  for (const [flag, parse, valid] of parsers) {
    it(`${flag}: a value is either parsed into its contract or refused with an InputError naming ${flag}`, () => {
      fc.assert(
        fc.property(flagValue, (v) => {
          const e = inputErrorOf(() => {
            const out = parse(v);
            if (!valid(out)) throw new Error(`${flag} accepted "${v}" as ${JSON.stringify(out)}`);
          });
          if (e) expect(e.where).toBe(flag);
        }),
        propertyConfig(`fuzz-flag${flag}`, RUNS.flags),
      );
    });
  }
});

it('the fuzz inputs start from valid documents (a corruption is what makes them fail)', () => {
  for (const s of BASE_SCENARIOS) expect(() => validateScenario(s, 'base')).not.toThrow();
  expect(readJsonlTrace(writeTemp('ok.jsonl', JSONL_LINES.join('\n'))).length).toBe(JSONL_LINES.length);
  expect(readElastilmEntries(writeTemp('ok.json', JSON.stringify(ELASTILM_ENTRIES)))).toHaveLength(ELASTILM_ENTRIES.length);
  expect(expandSweep(loadSweepFile(writeTemp('ok-sweep.json', JSON.stringify(BASE_SWEEP)))).length).toBeGreaterThan(0);
  expect(readFileSync(writeTemp('x', 'y'), 'utf8')).toBe('y');
});
