/**
 * Answers accuracy queries from grids: bilinear interpolation inside each (method, model, dataset) grid,
 * a clear error outside it or for a key no grid covers. A lookup is at most three Map.get calls (none when
 * the key repeats) and arithmetic on evenly spaced axes: no allocation per query, since the simulator
 * asks for every request.
 */
import { InputError } from '../../base/errors.ts';
import type { AccuracyQuery, AccuracySurface } from './types.ts';
import type { SurfaceRecord } from './surface-file.ts';

const EDGE = 1e-9;

/** Where x falls on one axis: lower index and weight of the upper neighbour (written into `out`). */
interface AxisHit {
  i: number;
  t: number;
}

class Axis {
  readonly points: Float64Array;
  private readonly step: number; // > 0 when evenly spaced: position by arithmetic, no search

  constructor(points: number[]) {
    this.points = Float64Array.from(points);
    const n = points.length;
    const step = n > 1 ? (points[n - 1]! - points[0]!) / (n - 1) : 0;
    const even = n > 1 && points.every((v, k) => Math.abs(v - (points[0]! + k * step)) < 1e-9);
    this.step = even ? step : 0;
  }

  /** False when x lies outside the axis. */
  locate(x: number, out: AxisHit): boolean {
    const a = this.points;
    const n = a.length;
    if (!(x >= a[0]! - EDGE && x <= a[n - 1]! + EDGE)) return false;
    if (n === 1) {
      out.i = 0;
      out.t = 0;
      return true;
    }
    let i: number;
    if (this.step > 0) i = Math.floor((x - a[0]!) / this.step + 1e-7);
    else for (i = 0; i < n - 2 && x >= a[i + 1]! - EDGE; i++);
    if (i > n - 2) i = n - 2;
    if (i < 0) i = 0;
    const t = (x - a[i]!) / (a[i + 1]! - a[i]!);
    out.i = i;
    out.t = t < 0 ? 0 : t > 1 ? 1 : t;
    return true;
  }
}

class Grid {
  readonly modelAxis: Axis;
  readonly promptAxis: Axis;
  /** Row-major: values[i * promptRatios.length + j] for modelRatios[i], promptRatios[j]. */
  readonly values: Float64Array;
  private readonly np: number;
  private readonly hm: AxisHit = { i: 0, t: 0 };
  private readonly hp: AxisHit = { i: 0, t: 0 };

  constructor(rec: SurfaceRecord) {
    this.modelAxis = new Axis(rec.modelRatios);
    this.promptAxis = new Axis(rec.promptRatios);
    this.values = Float64Array.from(rec.values.flat());
    this.np = rec.promptRatios.length;
  }

  at(modelRatio: number, promptRatio: number): number {
    const hm = this.hm;
    const hp = this.hp;
    if (!this.modelAxis.locate(modelRatio, hm) || !this.promptAxis.locate(promptRatio, hp)) return NaN;
    const np = this.np;
    const v = this.values;
    const i = hm.i;
    const j = hp.i;
    const i1 = hm.t > 0 ? i + 1 : i;
    const j1 = hp.t > 0 ? j + 1 : j;
    const a = v[i * np + j]! * (1 - hp.t) + v[i * np + j1]! * hp.t;
    const b = v[i1 * np + j]! * (1 - hp.t) + v[i1 * np + j1]! * hp.t;
    return a * (1 - hm.t) + b * hm.t;
  }
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
    this.provenanceGroups = undefined;
    this.lastEntry = undefined;
    this.lastMethod = this.lastModel = this.lastDataset = '';
    let byModel = this.byMethod.get(record.method);
    if (!byModel) this.byMethod.set(record.method, (byModel = new Map()));
    let byDataset = byModel.get(record.model);
    if (!byDataset) byModel.set(record.model, (byDataset = new Map()));
    byDataset.set(record.dataset, { grid: new Grid(record), record, file });
  }

  // the simulator asks about the same key many times in a row: remember the last one
  private lastMethod = '';
  private lastModel = '';
  private lastDataset = '';
  private lastEntry: Entry | undefined;

  quality(q: AccuracyQuery): number {
    let entry: Entry | undefined;
    if (q.method === this.lastMethod && q.model === this.lastModel && q.dataset === this.lastDataset) entry = this.lastEntry;
    else {
      entry = this.byMethod.get(q.method)?.get(q.model)?.get(q.dataset);
      if (entry === undefined) throw this.unknownKey(q);
      this.lastMethod = q.method;
      this.lastModel = q.model;
      this.lastDataset = q.dataset;
      this.lastEntry = entry;
    }
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

  /**
   * Distinct provenance blocks, each with the files and number of surfaces it covers. Grouping hashes every
   * record's block (the fitted ones carry their constraint lists), so it is done once per set of surfaces:
   * every run of a sweep reports it.
   */
  provenance(): Array<Record<string, unknown>> {
    if (this.provenanceGroups === undefined) {
      const groups = new Map<string, { block: Record<string, unknown>; files: Set<string>; surfaces: number }>();
      for (const { record, file } of this.entries()) {
        const key = JSON.stringify(record.provenance);
        let g = groups.get(key);
        if (!g) groups.set(key, (g = { block: record.provenance, files: new Set(), surfaces: 0 }));
        g.files.add(file);
        g.surfaces++;
      }
      this.provenanceGroups = [...groups.values()].map((g) => ({ ...g.block, files: [...g.files], surfaces: g.surfaces }));
    }
    return this.provenanceGroups.map((g) => ({ ...g, files: [...(g.files as string[])] }));
  }

  private provenanceGroups: Array<Record<string, unknown>> | undefined;

  private unknownKey(q: AccuracyQuery): InputError {
    const byModel = this.byMethod.get(q.method);
    let hint: string;
    if (!byModel) hint = `no surface for method '${q.method}' (have: ${[...this.byMethod.keys()].join(', ')})`;
    else if (!byModel.get(q.model)) hint = `method '${q.method}' has no surface for model '${q.model}' (have: ${[...byModel.keys()].join(', ')})`;
    else hint = `no surface for dataset '${q.dataset}' (have: ${[...byModel.get(q.model)!.keys()].join(', ')})`;
    return new InputError('accuracy surface', hint);
  }
}
