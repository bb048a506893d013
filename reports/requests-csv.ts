/**
 * requests.csv, the interchange format for pandas/R users: one row per request per policy, columns
 * REQUEST_CSV_COLUMNS (documented in docs/reports.md). Booleans are 0/1; values that do not exist for a
 * dropped request (its config and latencies) are empty cells, which pandas reads as NaN and R as NA.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { InputError } from '../base/errors.ts';
import { REQUEST_CSV_COLUMNS, type RequestRow } from '../sim/results.ts';
import { CsvBytes } from './csv-bytes.ts';

type Column = (typeof REQUEST_CSV_COLUMNS)[number];
type Kind = 'text' | 'int' | 'number' | 'optional' | 'bool';

/** Each CSV column's row field and how its cells are spelled. */
const FIELDS: Record<Column, { field: keyof RequestRow; kind: Kind }> = {
  policy: { field: 'policy', kind: 'text' },
  id: { field: 'id', kind: 'int' },
  app: { field: 'app', kind: 'text' },
  dataset: { field: 'dataset', kind: 'text' },
  arrival_ms: { field: 'arrivalMs', kind: 'number' },
  model_ratio: { field: 'modelRatio', kind: 'optional' },
  prompt_ratio: { field: 'promptRatio', kind: 'optional' },
  prompt_tokens: { field: 'promptTokens', kind: 'int' },
  output_tokens: { field: 'outputTokens', kind: 'int' },
  queue_ms: { field: 'queueMs', kind: 'optional' },
  tlm_ms: { field: 'tlmMs', kind: 'optional' },
  switch_ms: { field: 'switchMs', kind: 'optional' },
  prefill_ms: { field: 'prefillMs', kind: 'optional' },
  decode_ms: { field: 'decodeMs', kind: 'optional' },
  ttft_ms: { field: 'ttftMs', kind: 'optional' },
  tpot_ms: { field: 'tpotMs', kind: 'optional' },
  ttft_budget_ms: { field: 'ttftBudgetMs', kind: 'number' },
  tpot_budget_ms: { field: 'tpotBudgetMs', kind: 'number' },
  ttft_ok: { field: 'ttftOk', kind: 'bool' },
  tpot_ok: { field: 'tpotOk', kind: 'bool' },
  slo_met: { field: 'sloMet', kind: 'bool' },
  quality: { field: 'quality', kind: 'number' },
  correct: { field: 'correct', kind: 'bool' },
  dropped: { field: 'dropped', kind: 'bool' },
};

/**
 * requests.csv text for `rows` (header line first, `\n` line ends, numbers in JavaScript's shortest form).
 * Only text cells can need quoting, and they take few distinct values (policy, app and dataset names), so
 * csv-stringify escapes each distinct value once; cells are appended as bytes (reports/csv-bytes.ts): a
 * sweep writes one of these per run, and a library call or a string per cell cost more than the simulation.
 */
export function formatRequestsCsv(rows: readonly RequestRow[]): string {
  const escaped = new Map<string, Buffer>();
  const w = new CsvBytes();
  /** Text, escaped once per distinct value. */
  const text = (v: string): void => {
    let e = escaped.get(v);
    if (e === undefined) {
      // the file's own record delimiter, then cut off: csv-stringify quotes by it (an empty one would quote
      // any value with a carriage return)
      const cell = stringify([[v]], { record_delimiter: '\n' });
      escaped.set(v, (e = Buffer.from(cell.slice(0, -1), 'utf8')));
    }
    w.bytes(e);
  };
  const COMMA = 44;
  const cell = (v: string): void => {
    text(v);
    w.char(COMMA);
  };
  /** A number cell; null (a dropped request's missing value) is an empty one. */
  const num = (v: number | null): void => {
    if (v !== null) w.number(v);
    w.char(COMMA);
  };
  const bit = (v: boolean, end: number): void => {
    w.char(v ? 49 : 48);
    w.char(end);
  };
  REQUEST_CSV_COLUMNS.forEach((c, k) => {
    text(c);
    w.char(k === REQUEST_CSV_COLUMNS.length - 1 ? NEWLINE : COMMA);
  });
  // one field per column in REQUEST_CSV_COLUMNS order, spelled out (a keyed lookup per cell cost as much again)
  for (const r of rows) {
    cell(r.policy);
    num(r.id);
    cell(r.app);
    cell(r.dataset);
    num(r.arrivalMs);
    num(r.modelRatio);
    num(r.promptRatio);
    num(r.promptTokens);
    num(r.outputTokens);
    num(r.queueMs);
    num(r.tlmMs);
    num(r.switchMs);
    num(r.prefillMs);
    num(r.decodeMs);
    num(r.ttftMs);
    num(r.tpotMs);
    num(r.ttftBudgetMs);
    num(r.tpotBudgetMs);
    bit(r.ttftOk, COMMA);
    bit(r.tpotOk, COMMA);
    bit(r.sloMet, COMMA);
    num(r.quality);
    bit(r.correct, COMMA);
    bit(r.dropped, NEWLINE);
  }
  return w.toString();
}

const NEWLINE = 10;

function parseCell(cell: string, kind: Kind, where: () => string): string | number | boolean | null {
  switch (kind) {
    case 'text':
      return cell;
    case 'bool':
      if (cell === '1' || cell === 'true') return true;
      if (cell === '0' || cell === 'false') return false;
      throw new InputError(where(), `expected 0 or 1, got "${cell}"`);
    case 'optional':
      if (cell === '') return null;
    // falls through: a present optional value is a number
    case 'number':
    case 'int': {
      const n = cell.trim() === '' ? NaN : Number(cell);
      if (!Number.isFinite(n) || (kind === 'int' && !Number.isInteger(n))) {
        throw new InputError(where(), `expected ${kind === 'int' ? 'an integer' : 'a number'}, got "${cell}"`);
      }
      return n;
    }
  }
}

/** Parses requests.csv text; `file` names it in errors (with line and column). */
export function parseRequestsCsv(text: string, file = 'requests.csv'): RequestRow[] {
  let records: string[][];
  try {
    records = parse(text, { relax_column_count: false, skip_empty_lines: true });
  } catch (e) {
    throw new InputError(file, `malformed CSV (${(e as Error).message})`);
  }
  const header = records[0];
  if (!header) throw new InputError(file, 'empty file: expected a header line');
  const expected = REQUEST_CSV_COLUMNS.join(',');
  if (header.join(',') !== expected) {
    const missing = REQUEST_CSV_COLUMNS.filter((c) => !header.includes(c));
    const unknown = header.filter((c) => !(REQUEST_CSV_COLUMNS as readonly string[]).includes(c));
    const detail = [
      missing.length ? `missing ${missing.join(', ')}` : '',
      unknown.length ? `unknown ${unknown.join(', ')}` : '',
    ].filter(Boolean).join('; ') || 'columns out of order';
    throw new InputError(`${file}:1`, `header must be "${expected}" (${detail})`);
  }
  return records.slice(1).map((record, r) => {
    const row: Record<string, unknown> = {};
    REQUEST_CSV_COLUMNS.forEach((column, c) => {
      const { field, kind } = FIELDS[column];
      row[field] = parseCell(record[c] ?? '', kind, () => `${file}:${r + 2} column ${column}`);
    });
    return row as unknown as RequestRow;
  });
}
