/**
 * Surface files: JSON validated by schemas/surface.schema.json (ajv), or CSV converted to the same shape.
 * Every error names the file and the JSON path (or CSV line) to fix. Output JSON is written with a fixed
 * key order and one grid row per line, to a temp file renamed into place, so re-runs give the same bytes.
 */
import { readFileSync } from 'node:fs';
import { parse as parseCsv } from 'csv-parse/sync';
import { InputError } from '../../base/errors.ts';
import { describeAjvErrors, schemaValidator } from '../../base/json-file.ts';

export interface SurfaceProvenance {
  source: 'measured' | 'prior';
  fittedTo: string[];
  date: string;
  toolVersion: string;
  notes?: string;
  [extra: string]: unknown;
}

export interface SurfaceRecord {
  method: string;
  model: string;
  dataset: string;
  /** Strictly ascending. */
  modelRatios: number[];
  /** Strictly ascending. */
  promptRatios: number[];
  /** values[i][j] at modelRatios[i], promptRatios[j]. */
  values: number[][];
  provenance: SurfaceProvenance;
}

export interface SurfaceDoc {
  $schema?: string;
  description?: string;
  surfaces: SurfaceRecord[];
}

const SCHEMA_URL = new URL('./schemas/surface.schema.json', import.meta.url);

/** Checks a parsed document; throws InputError naming `file` and the JSON path of the first problem. */
export function checkSurfaceDoc(doc: unknown, file: string): SurfaceDoc {
  const validate = schemaValidator(SCHEMA_URL);
  if (!validate(doc)) throw new InputError(file, describeAjvErrors(validate.errors, 1));
  const d = doc as SurfaceDoc;
  d.surfaces.forEach((s, k) => {
    const at = (p: string) => `${file}: /surfaces/${k}${p}`;
    ascending(s.modelRatios, at('/modelRatios'));
    ascending(s.promptRatios, at('/promptRatios'));
    if (s.values.length !== s.modelRatios.length)
      throw new InputError(at('/values'), `has ${s.values.length} rows, expected one per model ratio (${s.modelRatios.length})`);
    s.values.forEach((row, i) => {
      if (row.length !== s.promptRatios.length)
        throw new InputError(at(`/values/${i}`), `has ${row.length} values, expected one per prompt ratio (${s.promptRatios.length})`);
    });
  });
  return d;
}

function ascending(axis: number[], where: string): void {
  for (let i = 1; i < axis.length; i++)
    if (!(axis[i]! > axis[i - 1]!)) throw new InputError(`${where}/${i}`, `axis must be strictly ascending (${axis[i - 1]} then ${axis[i]})`);
}

/** Reads a .json or .csv surface file. */
export function readSurfaceFile(file: string): SurfaceDoc {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(file, `cannot read accuracy surface file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  if (file.toLowerCase().endsWith('.csv')) return checkSurfaceDoc(surfaceDocFromCsv(text, file), file);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new InputError(file, `not valid JSON (${(e as Error).message})`);
  }
  return checkSurfaceDoc(doc, file);
}

const CSV_COLUMNS = ['method', 'model', 'dataset', 'modelRatio', 'promptRatio', 'accuracy'] as const;

/**
 * CSV: one row per grid point with the columns method, model, dataset, modelRatio, promptRatio, accuracy.
 * Provenance comes from `# key: value` lines before the header (source, fittedTo separated by ';', date,
 * toolVersion, notes) and applies to every surface in the file. Every key's grid must be complete.
 */
export function surfaceDocFromCsv(text: string, file: string): SurfaceDoc {
  const prov: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^#\s*([A-Za-z]+)\s*:\s*(.*?)\s*$/.exec(line);
    if (m) prov[m[1]!] = m[2]!;
  }
  let rows: Record<string, string>[];
  try {
    rows = parseCsv(text, { columns: true, comment: '#', skip_empty_lines: true, trim: true });
  } catch (e) {
    throw new InputError(file, `malformed CSV (${(e as Error).message})`);
  }
  const header = rows.length > 0 ? Object.keys(rows[0]!) : [];
  for (const c of CSV_COLUMNS)
    if (!header.includes(c)) throw new InputError(file, `missing CSV column '${c}' (need: ${CSV_COLUMNS.join(', ')})`);
  const provenance: SurfaceProvenance = {
    source: prov.source as SurfaceProvenance['source'],
    fittedTo: prov.fittedTo ? prov.fittedTo.split(';').map((s) => s.trim()).filter(Boolean) : [],
    date: prov.date ?? '',
    toolVersion: prov.toolVersion ?? '',
    ...(prov.notes ? { notes: prov.notes } : {}),
  };
  const groups = new Map<string, { rec: SurfaceRecord; points: Map<string, number> }>();
  rows.forEach((r, k) => {
    const where = `${file}: data row ${k + 1}`;
    const num = (c: string) => {
      const v = Number(r[c]);
      if (r[c] === '' || !Number.isFinite(v)) throw new InputError(where, `column '${c}' is not a number ('${r[c]}')`);
      return v;
    };
    const key = `${r.method}\u0000${r.model}\u0000${r.dataset}`;
    let g = groups.get(key);
    if (!g) {
      const rec: SurfaceRecord = { method: r.method!, model: r.model!, dataset: r.dataset!, modelRatios: [], promptRatios: [], values: [], provenance };
      groups.set(key, (g = { rec, points: new Map() }));
    }
    const m = num('modelRatio');
    const p = num('promptRatio');
    const pointKey = `${m}|${p}`;
    if (g.points.has(pointKey)) throw new InputError(where, `duplicate point (modelRatio ${m}, promptRatio ${p}) for ${r.method}/${r.model}/${r.dataset}`);
    g.points.set(pointKey, num('accuracy'));
  });
  if (groups.size === 0) throw new InputError(file, 'no data rows');
  const surfaces = [...groups.values()].map(({ rec, points }) => {
    const ms = new Set<number>();
    const ps = new Set<number>();
    for (const k of points.keys()) {
      const [m, p] = k.split('|').map(Number) as [number, number];
      ms.add(m);
      ps.add(p);
    }
    rec.modelRatios = [...ms].sort((a, b) => a - b);
    rec.promptRatios = [...ps].sort((a, b) => a - b);
    rec.values = rec.modelRatios.map((m) =>
      rec.promptRatios.map((p) => {
        const v = points.get(`${m}|${p}`);
        if (v === undefined)
          throw new InputError(`${file}: ${rec.method}/${rec.model}/${rec.dataset}`, `grid is incomplete: no row for modelRatio ${m}, promptRatio ${p}`);
        return v;
      }),
    );
    return rec;
  });
  return { surfaces };
}

/** Stable JSON: keys in the order built, each grid row and axis on one line. */
export function formatSurfaceDoc(doc: SurfaceDoc): string {
  const text = JSON.stringify(doc, null, 2);
  return text.replace(/\[\s*(-?[\d.e+-]+(?:,\s*-?[\d.e+-]+)*)\s*\]/g, (_, body: string) => `[${body.split(/,\s*/).join(', ')}]`) + '\n';
}
