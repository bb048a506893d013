import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { stringify } from 'csv-stringify/sync';
import { CsvBytes } from '../../reports/csv-bytes.ts';
import { formatRequestsCsv, parseRequestsCsv, REQUEST_CSV_COLUMNS, type RequestRow } from '../../reports/index.ts';
import { makeFixtureRun } from './fixtures/run-fixture.ts';
import { inputErrorOf } from './helpers.ts';

const num = fc.double({ noNaN: true, noDefaultInfinity: true, min: 0, max: 1e7 });
const optional = fc.option(num, { nil: null });
const text = fc.oneof(
  fc.string({ minLength: 1, maxLength: 12 }),
  fc.string({ minLength: 1, maxLength: 6, unit: 'grapheme' }),
  // line ends and quotes, which fc.string never draws
  fc.constantFrom('\r', '\n', 'a\rb', '\r\n', 'x\ny', '"', 'a,"b"', ' ', 'é,ü'),
);

const row: fc.Arbitrary<RequestRow> = fc.record({
  policy: text, id: fc.nat(), app: text, dataset: text, arrivalMs: num,
  modelRatio: optional, promptRatio: optional, promptTokens: fc.nat(), outputTokens: fc.nat(),
  queueMs: optional, tlmMs: optional, switchMs: optional, prefillMs: optional, decodeMs: optional,
  ttftMs: optional, tpotMs: optional, ttftBudgetMs: num, tpotBudgetMs: num,
  ttftOk: fc.boolean(), tpotOk: fc.boolean(), sloMet: fc.boolean(), quality: num, correct: fc.boolean(),
  dropped: fc.boolean(),
});

describe('requests.csv', () => {
  it('round-trips any rows exactly, names with commas, quotes and newlines included', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 20 }), (rows) => {
        expect(parseRequestsCsv(formatRequestsCsv(rows))).toEqual(rows);
      }),
      { numRuns: 200 },
    );
  });

  it('spells every cell exactly as csv-stringify does over the whole table (text escaped once per value)', () => {
    const cell = (v: unknown) => (typeof v === 'boolean' ? (v ? '1' : '0') : v === null ? '' : String(v));
    fc.assert(
      fc.property(fc.array(row, { maxLength: 20 }), (rows) => {
        const keys = ['policy', 'id', 'app', 'dataset', 'arrivalMs', 'modelRatio', 'promptRatio', 'promptTokens', 'outputTokens',
          'queueMs', 'tlmMs', 'switchMs', 'prefillMs', 'decodeMs', 'ttftMs', 'tpotMs', 'ttftBudgetMs', 'tpotBudgetMs',
          'ttftOk', 'tpotOk', 'sloMet', 'quality', 'correct', 'dropped'] as const;
        const expected = stringify([[...REQUEST_CSV_COLUMNS], ...rows.map((r) => keys.map((k) => cell(r[k])))], { record_delimiter: '\n' });
        expect(formatRequestsCsv(rows)).toBe(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('spells numbers exactly as String() does: rounded times and qualities, and any other double', () => {
    const decimalString = (x: number): string => {
      const w = new CsvBytes();
      w.number(x);
      return w.toString();
    };
    const rounded = (d: number) => fc.tuple(fc.integer({ min: -1e12, max: 1e15 }), fc.boolean()).map(([k, neg]) => ((neg ? -1 : 1) * k) / d);
    fc.assert(
      fc.property(fc.oneof(rounded(1000), rounded(1e6), rounded(10), fc.double(), fc.integer()), (x) => {
        expect(decimalString(x)).toBe(String(x));
      }),
      { numRuns: 20_000 },
    );
    for (const x of [0, -0, 7, -7, 10, 100, 2 ** 31, -(2 ** 31) - 1, 999999999999999, 1e15, 1e21, 0.5, -0.5, 1e-6, 0.000001, 1e-7, 0.001, 0.01, 0.1, 0.123, 999999999.999, 1e9 + 0.5, 123.000001, 123.00001, 0.1 + 0.2, NaN, Infinity, -Infinity]) {
      expect(decimalString(x)).toBe(String(x));
    }
  });

  it('starts with the documented header, writes booleans as 0/1 and a dropped request\'s latencies as empty cells', () => {
    const { rows, csv } = makeFixtureRun({ requestsPerClass: 4, meanGapMs: 50 });
    const lines = csv.split('\n');
    expect(lines[0]).toBe(REQUEST_CSV_COLUMNS.join(','));
    expect(lines.length).toBe(rows.length + 2); // header + rows + the empty string after the last newline
    const dropped = rows.findIndex((r) => r.dropped);
    expect(dropped).toBeGreaterThanOrEqual(0);
    const cells = lines[dropped + 1]!.split(',');
    const cell = (c: string) => cells[REQUEST_CSV_COLUMNS.indexOf(c as (typeof REQUEST_CSV_COLUMNS)[number])];
    expect([cell('ttft_ms'), cell('model_ratio'), cell('dropped'), cell('slo_met')]).toEqual(['', '', '1', '0']);
  });

  it('rejects a row with a missing cell, naming the file', async () => {
    const csv = `${REQUEST_CSV_COLUMNS.join(',')}\nelastilm,1,Rewind\n`;
    expect(await inputErrorOf(() => parseRequestsCsv(csv, 'x.csv'))).toMatch(/^x\.csv: malformed CSV/);
    expect(await inputErrorOf(() => parseRequestsCsv('', 'x.csv'))).toBe('x.csv: empty file: expected a header line');
  });
});
