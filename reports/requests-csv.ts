/**
 * requests.csv, the interchange format for pandas/R users: one row per request per policy, columns
 * REQUEST_CSV_COLUMNS (documented in docs/reports.md). Booleans are 0/1; values that do not exist for a
 * dropped request (its config and latencies) are empty cells, which pandas reads as NaN and R as NA.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { InputError } from '../cli/errors.ts';
import { REQUEST_CSV_COLUMNS } from './summary-types.ts';

export interface RequestRow {
  policy: string;
  id: number;
  app: string;
  dataset: string;
  arrivalMs: number;
  modelRatio: number | null;
  promptRatio: number | null;
  promptTokens: number;
  outputTokens: number;
  queueMs: number | null;
  tlmMs: number | null;
  switchMs: number | null;
  prefillMs: number | null;
  decodeMs: number | null;
  ttftMs: number | null;
  tpotMs: number | null;
  ttftBudgetMs: number;
  tpotBudgetMs: number;
  ttftOk: boolean;
  tpotOk: boolean;
  sloMet: boolean;
  quality: number;
  correct: boolean;
  dropped: boolean;
}

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

/** 3-digit zero-padded fractions 0…999 (index f → "001"…"999"), and the same with trailing zeros dropped and a point. */
const PAD3 = Array.from({ length: 1000 }, (_v, f) => String(f).padStart(3, '0'));
const FRAC3 = PAD3.map((p, f) => (f === 0 ? '' : `.${p.replace(/0+$/, '')}`));

/**
 * String(x) for the numbers requests.csv holds, which are rounded to 3 (times) or 6 (quality) decimals,
 * spelled from integers instead of by shortest-double printing, which dominated the file's cost. A decimal
 * of ≤ 15 significant digits is the shortest spelling of its nearest double, so the result is exactly
 * String(x); anything else (more decimals, large magnitudes) takes String(x) itself.
 */
export function decimalString(x: number): string {
  if (Number.isInteger(x)) return String(x);
  const a = Math.abs(x);
  if (a < 1e9) {
    const sign = x < 0 ? '-' : '';
    let k = Math.round(a * 1000);
    if (k / 1000 === a) {
      const i = Math.floor(k / 1000);
      return `${sign}${i}${FRAC3[k - i * 1000]!}`;
    }
    k = Math.round(a * 1e6);
    if (k / 1e6 === a) {
      const i = Math.floor(k / 1e6);
      const f = k - i * 1e6;
      const hi = Math.floor(f / 1000);
      const lo = f - hi * 1000;
      return `${sign}${i}${lo === 0 ? FRAC3[hi]! : `.${PAD3[hi]!}${FRAC3[lo]!.slice(1)}`}`;
    }
  }
  return String(x);
}

/**
 * requests.csv text for `rows` (header line first, `\n` line ends, numbers in JavaScript's shortest form).
 * Only text cells can need quoting, and they take few distinct values (policy, app and dataset names), so
 * csv-stringify escapes each distinct value once and rows are joined directly: a sweep writes one of these
 * per run, and escaping every cell through the library cost more than the simulation itself.
 */
export function formatRequestsCsv(rows: readonly RequestRow[]): string {
  const escaped = new Map<string, string>();
  const text = (v: string): string => {
    let e = escaped.get(v);
    if (e === undefined) escaped.set(v, (e = stringify([[v]], { record_delimiter: '' })));
    return e;
  };
  const num = decimalString;
  const opt = (v: number | null): string => (v === null ? '' : decimalString(v));
  const bit = (v: boolean): string => (v ? '1' : '0');
  const lines: string[] = [REQUEST_CSV_COLUMNS.map(text).join(',')];
  // One field per column in REQUEST_CSV_COLUMNS order, spelled out (a keyed lookup per cell cost as much
  // again), into one reused array joined once per row (concatenating 48 pieces left ~1.7 KB of garbage a row).
  const c = new Array<string>(REQUEST_CSV_COLUMNS.length);
  for (const r of rows) {
    c[0] = text(r.policy);
    c[1] = num(r.id);
    c[2] = text(r.app);
    c[3] = text(r.dataset);
    c[4] = num(r.arrivalMs);
    c[5] = opt(r.modelRatio);
    c[6] = opt(r.promptRatio);
    c[7] = num(r.promptTokens);
    c[8] = num(r.outputTokens);
    c[9] = opt(r.queueMs);
    c[10] = opt(r.tlmMs);
    c[11] = opt(r.switchMs);
    c[12] = opt(r.prefillMs);
    c[13] = opt(r.decodeMs);
    c[14] = opt(r.ttftMs);
    c[15] = opt(r.tpotMs);
    c[16] = num(r.ttftBudgetMs);
    c[17] = num(r.tpotBudgetMs);
    c[18] = bit(r.ttftOk);
    c[19] = bit(r.tpotOk);
    c[20] = bit(r.sloMet);
    c[21] = num(r.quality);
    c[22] = bit(r.correct);
    c[23] = bit(r.dropped);
    lines.push(c.join(','));
  }
  lines.push(''); // the last line's newline, inside the one join (a flat string, no concatenation after it)
  return lines.join('\n');
}

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
