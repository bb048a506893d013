/**
 * The table latency model: linear interpolation over a measured grid (schemas/latency-table.schema.json).
 * A shape is placed on the level axis by the share of weights it executes (the same block sums as the
 * other models, so layer-dropping and sparse shapes land between measured levels), then interpolated
 * bilinearly in (weight share, tokens or context). Grids must be non-decreasing along every axis, which
 * makes the interpolation monotone. Outside the grid the model refuses, naming the value, unless the file
 * or the spec says `extrapolate: true` (then the end segments are extended; their slopes are ≥ 0).
 */
import { InputError } from '../base/errors.ts';
import { readValidatedJson } from '../base/json-file.ts';
import { getArchitecture } from './architectures.ts';
import { composeFromBlocks, type ComposedLatency } from './compose.ts';
import { elasticShape, levelIndex } from './levels.ts';
import type { Dtype, ExecShape } from './types.ts';

export const LATENCY_TABLE_SCHEMA = new URL('./schemas/latency-table.schema.json', import.meta.url);

interface Grid2 {
  levels: number[];
  ms: number[][];
}
interface ModelGrid {
  prefill: Grid2 & { tokens: number[] };
  decode: Grid2 & { contexts: number[] };
}
export interface LatencyTableFile {
  schemaVersion: 1;
  device: string;
  dtype: Dtype;
  threads: number;
  extrapolate?: boolean;
  models: Record<string, ModelGrid>;
  tlm?: { tokens: number[]; ms: number[] };
  memcpyGBps?: number;
  flashGBps?: number;
  provenance: { source: string; date: string; [k: string]: unknown };
}

function checkAxis(file: string, path: string, axis: number[]): void {
  for (let i = 1; i < axis.length; i++) {
    if (!(axis[i]! > axis[i - 1]!)) throw new InputError(file, `${path}/${i} must be greater than ${path}/${i - 1} (axes strictly increase)`);
  }
}

function checkGrid(file: string, path: string, rows: number[], cols: number[], ms: number[][]): void {
  if (ms.length !== rows.length) throw new InputError(file, `${path}/ms has ${ms.length} rows but there are ${rows.length} levels`);
  ms.forEach((row, i) => {
    if (row.length !== cols.length) throw new InputError(file, `${path}/ms/${i} has ${row.length} values but the axis has ${cols.length}`);
    row.forEach((v, j) => {
      if (j > 0 && v < row[j - 1]!) throw new InputError(file, `${path}/ms/${i}/${j} = ${v} is below ${path}/ms/${i}/${j - 1} = ${row[j - 1]} (latency must not decrease)`);
      if (i > 0 && v < ms[i - 1]![j]!) throw new InputError(file, `${path}/ms/${i}/${j} = ${v} is below ${path}/ms/${i - 1}/${j} (latency must not decrease with level)`);
    });
  });
}

export function readLatencyTable(file: string): LatencyTableFile {
  const t = readValidatedJson<LatencyTableFile>(file, LATENCY_TABLE_SCHEMA, 'latency table');
  for (const [id, g] of Object.entries(t.models)) {
    const where = `/models/${id}`;
    try {
      getArchitecture(id);
      g.prefill.levels.forEach((l) => levelIndex(l));
      g.decode.levels.forEach((l) => levelIndex(l));
    } catch (e) {
      throw new InputError(file, `${where}: ${(e as Error).message}`);
    }
    checkAxis(file, `${where}/prefill/levels`, g.prefill.levels);
    checkAxis(file, `${where}/prefill/tokens`, g.prefill.tokens);
    checkAxis(file, `${where}/decode/levels`, g.decode.levels);
    checkAxis(file, `${where}/decode/contexts`, g.decode.contexts);
    checkGrid(file, `${where}/prefill`, g.prefill.levels, g.prefill.tokens, g.prefill.ms);
    checkGrid(file, `${where}/decode`, g.decode.levels, g.decode.contexts, g.decode.ms);
  }
  if (t.tlm) {
    checkAxis(file, '/tlm/tokens', t.tlm.tokens);
    checkGrid(file, '/tlm', [0], t.tlm.tokens, [t.tlm.ms]);
  }
  return t;
}

/** Segment index i with axis[i] ≤ x ≤ axis[i+1], and the weight of axis[i+1]; extends the end segments. */
function locate(axis: number[], x: number): [number, number] {
  if (axis.length === 1) return [0, 0];
  let i = 0;
  while (i < axis.length - 2 && x > axis[i + 1]!) i++;
  return [i, (x - axis[i]!) / (axis[i + 1]! - axis[i]!)];
}

function lerpRow(row: number[], i: number, w: number): number {
  return row.length === 1 ? row[0]! : row[i]! + w * (row[i + 1]! - row[i]!);
}

/** Σ_{x = x0}^{x0+n−1} of the piecewise-linear function through (xs, ys), extended linearly at the ends. */
function sumPiecewiseLinear(xs: number[], ys: number[], x0: number, n: number): number {
  if (xs.length === 1) return n * ys[0]!;
  const end = x0 + n; // exclusive
  let total = 0;
  for (let i = 0; i < xs.length - 1; i++) {
    const lo = i === 0 ? x0 : Math.max(x0, Math.ceil(xs[i]!));
    const hi = i === xs.length - 2 ? end : Math.min(end, Math.ceil(xs[i + 1]!));
    if (hi <= lo) continue;
    const slope = (ys[i + 1]! - ys[i]!) / (xs[i + 1]! - xs[i]!);
    const count = hi - lo;
    total += count * (ys[i]! - slope * xs[i]!) + slope * (count * lo + (count * (count - 1)) / 2);
  }
  return total;
}

export function tableLatency(file: string, t: LatencyTableFile, extrapolateSpec = false): ComposedLatency {
  const extrapolate = extrapolateSpec || t.extrapolate === true;
  // weights a shape executes, by the same composition as the other models (a block that returns P)
  const counter = composeFromBlocks(getArchitecture(Object.keys(t.models)[0]!), { prefillMs: (P) => P, decodeMs: (P) => P });
  const grids = new Map<string, { g: ModelGrid; prefillX: number[]; decodeX: number[] }>();
  const gridFor = (archId: string) => {
    let e = grids.get(archId);
    if (e) return e;
    const g = t.models[archId];
    if (!g) throw new InputError(file, `has no grid for model "${archId}"; it has ${Object.keys(t.models).join(', ')}`);
    const arch = getArchitecture(archId);
    const x = (level: number, phase: 'prefill' | 'decode'): number => {
      const s = elasticShape(arch, level, level < 1);
      return phase === 'prefill' ? counter.prefillMs(s, 1) : counter.decodeStepMs(s, 0);
    };
    e = { g, prefillX: g.prefill.levels.map((l) => x(l, 'prefill')), decodeX: g.decode.levels.map((l) => x(l, 'decode')) };
    grids.set(archId, e);
    return e;
  };
  const inRange = (axis: number[], v: number, what: string, grid: string): void => {
    if (extrapolate) return;
    const lo = axis[0]!;
    const hi = axis[axis.length - 1]!;
    if (v < lo - 1e-9 * lo || v > hi + 1e-9 * hi) {
      throw new InputError(file, `${what} ${Number(v.toPrecision(6))} is outside the measured ${lo}..${hi} of ${grid}; measure it or set "extrapolate": true`);
    }
  };
  /** Interpolated row over the second axis at the shape's weight share. */
  const rowAt = (xs: number[], ms: number[][], x: number, grid: string): number[] => {
    inRange(xs, x, 'executed weights (M params)', `${grid} levels`);
    const [i, w] = locate(xs, x);
    return ms[0]!.map((_, j) => lerpRow(ms.map((r) => r[j]!), i, w));
  };
  const rowCache = new Map<string, number[]>();
  const cachedRow = (key: string, make: () => number[]): number[] => {
    let r = rowCache.get(key);
    if (!r) rowCache.set(key, (r = make()));
    return r;
  };
  const prefillRow = (shape: ExecShape) =>
    cachedRow(`p|${shape.arch}|${counter.prefillMs(shape, 1)}`, () => {
      const e = gridFor(shape.arch);
      return rowAt(e.prefillX, e.g.prefill.ms, counter.prefillMs(shape, 1), `${shape.arch} prefill`);
    });
  const decodeRow = (shape: ExecShape) =>
    cachedRow(`d|${shape.arch}|${counter.decodeStepMs(shape, 0)}`, () => {
      const e = gridFor(shape.arch);
      return rowAt(e.decodeX, e.g.decode.ms, counter.decodeStepMs(shape, 0), `${shape.arch} decode`);
    });
  const interp1 = (axis: number[], row: number[], v: number, what: string, grid: string): number => {
    inRange(axis, v, what, grid);
    const [i, w] = locate(axis, v);
    return Math.max(0, lerpRow(row, i, w));
  };
  return {
    prefillMs(shape, tokens) {
      if (tokens <= 0) return 0;
      return interp1(gridFor(shape.arch).g.prefill.tokens, prefillRow(shape), tokens, 'prompt tokens', `${shape.arch} prefill`);
    },
    decodeStepMs(shape, context) {
      return interp1(gridFor(shape.arch).g.decode.contexts, decodeRow(shape), context, 'context tokens', `${shape.arch} decode`);
    },
    decodeMs(shape, start, steps) {
      if (steps <= 0) return 0;
      const axis = gridFor(shape.arch).g.decode.contexts;
      inRange(axis, start, 'context tokens', `${shape.arch} decode`);
      inRange(axis, start + steps - 1, 'context tokens', `${shape.arch} decode`);
      return sumPiecewiseLinear(axis, decodeRow(shape), start, steps);
    },
    tlmMs(tokens) {
      if (!t.tlm) throw new InputError(file, 'has no "tlm" grid: a policy that calls the TLM needs one');
      if (tokens <= 0) return 0;
      return interp1(t.tlm.tokens, t.tlm.ms, tokens, 'TLM tokens', 'tlm');
    },
  };
}
