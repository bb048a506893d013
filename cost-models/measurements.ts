/**
 * Published on-device latencies (cost-models/measurements.csv): one row per engine × model × phone, prefill
 * and decode tokens/s (either may be empty: not published or not usable), with the source (the key
 * leave-one-source-out groups by) and the citation. A user adds rows of their own in the same form.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { InputError } from '../base/errors.ts';
import { getArchitecture } from './architectures.ts';
import { checkPrecision, getEngine } from './engines.ts';
import { shippedSocs } from './socs.ts';
import type { Architecture } from './types.ts';

export const MEASUREMENTS_CSV = fileURLToPath(new URL('./measurements.csv', import.meta.url));

export interface Measurement {
  id: string;
  device: string;
  soc: string;
  model: string;
  arch: Architecture;
  engine: string;
  precision: string;
  threads: number;
  promptTokens: number | null;
  contextTokens: number;
  prefillTokS: number | null;
  decodeTokS: number | null;
  source: string;
  citation: string;
  note: string;
}

const COLUMNS = ['id', 'device', 'soc', 'model', 'engine', 'precision', 'threads', 'promptTokens', 'contextTokens', 'prefillTokS', 'decodeTokS', 'source', 'citation', 'note'];

function num(v: string, where: string, opts: { optional: boolean; integer?: boolean }): number | null {
  if (v.trim() === '' && opts.optional) return null;
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x) || x <= 0 || (opts.integer && !Number.isInteger(x))) {
    throw new InputError(where, `expected a positive ${opts.integer ? 'integer' : 'number'}, got "${v}"`);
  }
  return x;
}

/** The row's model (a shipped id), or an error naming the cell. */
function modelAt(id: string, where: string): Architecture {
  try {
    return getArchitecture(id);
  } catch (e) {
    throw new InputError(where, (e as Error).message);
  }
}

/** Reads and checks a measurements CSV: known SoCs, engines, precisions and models; positive numbers. */
export function readMeasurements(file = MEASUREMENTS_CSV): Measurement[] {
  let records: string[][];
  try {
    records = parse(readFileSync(file, 'utf8'), { skip_empty_lines: true, relax_column_count: false }) as string[][];
  } catch (e) {
    throw new InputError(file, `cannot read measurements: ${(e as Error).message}`);
  }
  const header = records[0] ?? [];
  if (header.join(',') !== COLUMNS.join(',')) throw new InputError(`${file}: line 1`, `expected the header ${COLUMNS.join(',')}`);
  const ids = new Set<string>();
  return records.slice(1).map((r, i) => {
    const line = `${file}: line ${i + 2}`;
    const cell = Object.fromEntries(COLUMNS.map((c, k) => [c, r[k] ?? ''])) as Record<string, string>;
    const at = (c: string): string => `${line}, column ${c}`;
    if (ids.has(cell.id!)) throw new InputError(at('id'), `duplicate id "${cell.id}"`);
    ids.add(cell.id!);
    if (!shippedSocs().has(cell.soc!)) throw new InputError(at('soc'), `unknown SoC "${cell.soc}"; shipped: ${[...shippedSocs().keys()].join(', ')}`);
    const engine = getEngine(cell.engine!, at('engine'));
    checkPrecision(engine, cell.precision!, at('precision'));
    const m: Measurement = {
      id: cell.id!,
      device: cell.device!,
      soc: cell.soc!,
      model: cell.model!,
      arch: modelAt(cell.model!, at('model')),
      engine: engine.id,
      precision: cell.precision!,
      threads: num(cell.threads!, at('threads'), { optional: false, integer: true })!,
      promptTokens: num(cell.promptTokens!, at('promptTokens'), { optional: true, integer: true }),
      contextTokens: num(cell.contextTokens!, at('contextTokens'), { optional: false, integer: true })!,
      prefillTokS: num(cell.prefillTokS!, at('prefillTokS'), { optional: true }),
      decodeTokS: num(cell.decodeTokS!, at('decodeTokS'), { optional: true }),
      source: cell.source!,
      citation: cell.citation!,
      note: cell.note!,
    };
    if (m.prefillTokS !== null && m.promptTokens === null) throw new InputError(at('promptTokens'), 'a prefill speed needs its prompt length');
    if (m.prefillTokS === null && m.decodeTokS === null) throw new InputError(line, 'neither prefillTokS nor decodeTokS: nothing to fit');
    if (!m.source) throw new InputError(at('source'), 'empty source');
    return m;
  });
}
