/**
 * Our trace format: JSON Lines, one RequestSpec per line (schema: schemas/request.schema.json), members in
 * a fixed order so the same table always gives the same bytes. Blank lines are ignored.
 *
 * Order rule: the simulator streams arrivals in table order, so reading sorts requests by arrivalMs with a
 * STABLE sort — requests with equal arrival times keep their order in the file. A file that is already
 * sorted is read as is.
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../../base/errors.ts';
import { schemaValidator, describeAjvErrors } from '../../base/json-file.ts';
import { RequestTable } from '../request-table.ts';
import type { RequestSpec } from '../types.ts';
import { writeFileAtomic } from '../../base/atomic-write.ts';

export const REQUEST_SCHEMA_URL = new URL('./schemas/request.schema.json', import.meta.url);

/** Rows of `t` in the order `order` (a permutation), as a new table with the same classes. */
function permuted(t: RequestTable, order: Uint32Array): RequestTable {
  const out = new RequestTable(order.length);
  for (const c of t.classes) out.classOf(c.app, c.dataset, c.slo);
  order.forEach((k, i) => {
    out.id[i] = t.id[k]!;
    out.classIndex[i] = t.classIndex[k]!;
    out.arrivalMs[i] = t.arrivalMs[k]!;
    out.systemTokens[i] = t.systemTokens[k]!;
    out.queryTokens[i] = t.queryTokens[k]!;
    out.outputTokens[i] = t.outputTokens[k]!;
  });
  return out;
}

export function readJsonlTrace(file: string): RequestTable {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(file, `cannot read the trace: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const validate = schemaValidator(REQUEST_SCHEMA_URL);
  // upper bound on the number of requests: one per line; rows go straight into columns
  let lines = 1;
  for (let k = text.indexOf('\n'); k >= 0; k = text.indexOf('\n', k + 1)) lines++;
  const rows = new RequestTable(lines);
  const idLine = new Map<number, number>();
  let n = 0;
  let start = 0;
  for (let lineNo = 1; start <= text.length; lineNo++) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw new InputError(`${file}:${lineNo}`, `not valid JSON: ${(e as Error).message}`);
    }
    if (!validate(value)) throw new InputError(`${file}:${lineNo}`, `invalid request: ${describeAjvErrors(validate.errors)}`);
    const r = value as RequestSpec;
    const first = idLine.get(r.id);
    if (first !== undefined) throw new InputError(`${file}:${lineNo}`, `/id ${r.id} repeats the id of line ${first}`);
    idLine.set(r.id, lineNo);
    rows.set(n++, r);
  }
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  // stable: equal arrivals keep file order (ties broken by position)
  order.sort((a, b) => rows.arrivalMs[a]! - rows.arrivalMs[b]! || a - b);
  return permuted(rows, order);
}

/** One JSONL line for request i (fixed member order). */
export function jsonlLine(table: RequestTable, i: number): string {
  const c = table.classes[table.classIndex[i]!]!;
  return (
    `{"id":${table.id[i]},"app":${JSON.stringify(c.app)},"dataset":${JSON.stringify(c.dataset)},` +
    `"arrivalMs":${table.arrivalMs[i]},"systemTokens":${table.systemTokens[i]},"queryTokens":${table.queryTokens[i]},` +
    `"outputTokens":${table.outputTokens[i]},"slo":{"ttft":${c.slo.ttft},"tpot":${c.slo.tpot},"unit":${JSON.stringify(c.slo.unit)}}}\n`
  );
}

function* chunks(table: RequestTable): Generator<string> {
  const batch = 4096;
  for (let i = 0; i < table.length; i += batch) {
    let s = '';
    for (let k = i; k < Math.min(i + batch, table.length); k++) s += jsonlLine(table, k);
    yield s;
  }
}

/** Writes the table as JSONL, atomically (temporary file, then rename). */
export function writeJsonlTrace(file: string, table: RequestTable): void {
  writeFileAtomic(file, chunks(table));
}
