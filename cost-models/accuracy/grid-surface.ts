/**
 * Answers accuracy queries from grids: bilinear interpolation inside each (method, model, dataset) grid,
 * a clear error outside it or for a key no grid covers. Lookups are three Map.get calls and a scan of at
 * most ten axis points: no allocation per query, since the simulator asks once per request.
 */
import { InputError } from '../../cli/errors.ts';
import type { AccuracyQuery, AccuracySurface } from './types.ts';
import type { SurfaceRecord } from './surface-file.ts';

const EDGE = 1e-9;

class Grid {
  readonly modelRatios: Float64Array;
  readonly promptRatios: Float64Array;
  /** Row-major: values[i * promptRatios.length + j] for modelRatios[i], promptRatios[j]. */
  readonly values: Float64Array;

  constructor(rec: SurfaceRecord) {
    this.modelRatios = Float64Array.from(rec.modelRatios);
    this.promptRatios = Float64Array.from(rec.promptRatios);
    this.values = Float64Array.from(rec.values.flat());
  }

  at(modelRatio: number, promptRatio: number): number {
    const nm = this.modelRatios.length;
    const np = this.promptRatios.length;
    const i = bracket(this.modelRatios, modelRatio);
    const j = bracket(this.promptRatios, promptRatio);
    if (i < 0 || j < 0) return NaN;
    const i1 = i + 1 < nm ? i + 1 : i;
    const j1 = j + 1 < np ? j + 1 : j;
    const tm = i1 === i ? 0 : clamp01((modelRatio - this.modelRatios[i]!) / (this.modelRatios[i1]! - this.modelRatios[i]!));
    const tp = j1 === j ? 0 : clamp01((promptRatio - this.promptRatios[j]!) / (this.promptRatios[j1]! - this.promptRatios[j]!));
    const v = this.values;
    const a = v[i * np + j]! * (1 - tp) + v[i * np + j1]! * tp;
    const b = v[i1 * np + j]! * (1 - tp) + v[i1 * np + j1]! * tp;
    return a * (1 - tm) + b * tm;
  }
}

/** Index of the lower grid point of x's cell, or -1 when x lies outside the axis. */
function bracket(axis: Float64Array, x: number): number {
  const n = axis.length;
  if (!(x >= axis[0]! - EDGE && x <= axis[n - 1]! + EDGE)) return -1;
  let i = 0;
  while (i + 1 < n - 1 && x >= axis[i + 1]! - EDGE) i++;
  if (n > 1 && x >= axis[n - 1]! - EDGE) return n - 1;
  return i;
}

function clamp01(t: number): number {
  return t < 0 ? 0 : t > 1 ? 1 : t;
}

interface Entry {
  grid: Grid;
  record: SurfaceRecord;
  file: string;
}

/** A set of grids keyed by (method, model, dataset); later records replace earlier ones with the same key. */
export class GridSurfaceSet implements AccuracySurface {
  private readonly byMethod = new Map<string, Map<string, Map<string, Entry>>>();

  add(record: SurfaceRecord, file: string): void {
    let byModel = this.byMethod.get(record.method);
    if (!byModel) this.byMethod.set(record.method, (byModel = new Map()));
    let byDataset = byModel.get(record.model);
    if (!byDataset) byModel.set(record.model, (byDataset = new Map()));
    byDataset.set(record.dataset, { grid: new Grid(record), record, file });
  }

  quality(q: AccuracyQuery): number {
    const entry = this.byMethod.get(q.method)?.get(q.model)?.get(q.dataset);
    if (entry === undefined) throw this.unknownKey(q);
    const v = entry.grid.at(q.modelRatio, q.promptRatio);
    if (Number.isNaN(v)) {
      const r = entry.record;
      throw new InputError(
        `accuracy surface ${q.method}/${q.model}/${q.dataset} (${entry.file})`,
        `query (modelRatio ${q.modelRatio}, promptRatio ${q.promptRatio}) is outside the grid ` +
          `modelRatio [${r.modelRatios[0]}, ${r.modelRatios.at(-1)}] × promptRatio [${r.promptRatios[0]}, ${r.promptRatios.at(-1)}]`,
      );
    }
    return v;
  }

  /** The stored record of a key, or undefined. */
  record(method: string, model: string, dataset: string): SurfaceRecord | undefined {
    return this.byMethod.get(method)?.get(model)?.get(dataset)?.record;
  }

  /** Every (record, file) in a stable order: method, model, dataset as inserted. */
  *entries(): IterableIterator<{ record: SurfaceRecord; file: string }> {
    for (const byModel of this.byMethod.values())
      for (const byDataset of byModel.values()) for (const e of byDataset.values()) yield { record: e.record, file: e.file };
  }

  /** Distinct provenance blocks, each with the files and number of surfaces it covers. */
  provenance(): Array<Record<string, unknown>> {
    const groups = new Map<string, { block: Record<string, unknown>; files: Set<string>; surfaces: number }>();
    for (const { record, file } of this.entries()) {
      const key = JSON.stringify(record.provenance);
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { block: record.provenance, files: new Set(), surfaces: 0 }));
      g.files.add(file);
      g.surfaces++;
    }
    return [...groups.values()].map((g) => ({ ...g.block, files: [...g.files], surfaces: g.surfaces }));
  }

  private unknownKey(q: AccuracyQuery): InputError {
    const byModel = this.byMethod.get(q.method);
    let hint: string;
    if (!byModel) hint = `no surface for method '${q.method}' (have: ${[...this.byMethod.keys()].join(', ')})`;
    else if (!byModel.get(q.model)) hint = `method '${q.method}' has no surface for model '${q.model}' (have: ${[...byModel.keys()].join(', ')})`;
    else hint = `no surface for dataset '${q.dataset}' (have: ${[...byModel.get(q.model)!.keys()].join(', ')})`;
    return new InputError('accuracy surface', hint);
  }
}
