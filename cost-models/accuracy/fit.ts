/**
 * Fits the prior family (prior-model.ts) to the published constraints (constraints.json) by damped least
 * squares (ml-levenberg-marquardt), then samples it on the shipped grids. Residuals: each constraint's miss
 * in units of its tolerance, plus a weak pull of every parameter toward its documented start value, which
 * keeps the problem well posed where the claims say nothing. Deterministic: no randomness, fixed start,
 * fixed iteration budget, so the same inputs give the same bytes.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { levenbergMarquardt } from 'ml-levenberg-marquardt';
import { writeFileAtomic } from '../../base/atomic-write.ts';
import { VERSION } from '../../base/version.ts';
import { DATASETS, ELASTIC_MODELS, PFS_MODELS, PUBLISHED_FULL, type Method } from './catalogue.ts';
import { ConstraintEvaluator, loadConstraints, withinTolerance, type Constraint } from './constraints.ts';
import { GridSurfaceSet } from './grid-surface.ts';
import type { AccuracySurface } from './types.ts';
import { PARAM_SPECS, PriorModel, paramsFromVector, roundedFull, shippedGrids, type Params } from './prior-model.ts';
import { formatSurfaceDoc, type SurfaceDoc, type SurfaceProvenance } from './surface-file.ts';

/** How far inside a one-sided bound the fit aims, so rounding the grids to 4 decimals cannot cross it. */
const ONE_SIDED_MARGIN = 0.002;
const REGULARISATION_WEIGHT = 0.3;
const CONSTRAINT_WEIGHT = 2;
/** One-sided claims ("always", the dominance invariant) are hard requirements: weigh them more. */
const ONE_SIDED_WEIGHT = 10;

export interface ConstraintResult {
  id: string;
  value: number;
  target: number;
  tolerance: number;
  sense: Constraint['sense'];
  ok: boolean;
}

export interface FitResult {
  params: Params;
  iterations: number;
  docs: Map<Method, SurfaceDoc>;
  report: Record<string, unknown>;
  results: ConstraintResult[];
}

function residuals(vector: number[], constraints: Constraint[], decisionQuality: number): number[] {
  const model = new PriorModel(paramsFromVector(vector));
  const ev = new ConstraintEvaluator(model, { decisionQuality, smooth: true });
  const out: number[] = [];
  for (const c of constraints) {
    const v = ev.value(c);
    const scale = Math.max(c.tolerance, 0.005);
    if (c.sense === 'eq') out.push((CONSTRAINT_WEIGHT * (v - c.target)) / scale);
    else if (c.sense === 'ge') out.push((ONE_SIDED_WEIGHT * Math.min(0, v - (c.target + ONE_SIDED_MARGIN))) / scale);
    else out.push((ONE_SIDED_WEIGHT * Math.max(0, v - (c.target - ONE_SIDED_MARGIN))) / scale);
  }
  PARAM_SPECS.forEach((s, i) => out.push((REGULARISATION_WEIGHT * (vector[i]! - s.init)) / s.sigma));
  return out;
}

/** Runs the fit and builds the surface documents, the report, and the check of every constraint. */
export function fitPriors(opts: { maxIterations?: number; rounds?: number } = {}): FitResult {
  const { revised, decisionQuality, constraints } = loadConstraints();
  const n = constraints.length + PARAM_SPECS.length;
  let cacheKey = '';
  let cache: number[] = [];
  // LM stalls on the kinks of max/min; a few restarts from the last optimum (deterministic) get it moving
  let start = PARAM_SPECS.map((s) => s.init);
  let iterations = 0;
  let best = { parameterValues: start, parameterError: Infinity };
  for (let round = 0; round < (opts.rounds ?? 6); round++) {
    const fitted = levenbergMarquardt(
      { x: Array.from({ length: n }, (_, i) => i), y: new Array<number>(n).fill(0) },
      (vector: number[]) => {
        const key = vector.join(',');
        if (key !== cacheKey) {
          cache = residuals(vector, constraints, decisionQuality);
          cacheKey = key;
        }
        return (i: number) => cache[i]!;
      },
      {
        initialValues: start,
        minValues: PARAM_SPECS.map((s) => s.min),
        maxValues: PARAM_SPECS.map((s) => s.max),
        gradientDifference: PARAM_SPECS.map((s) => (s.max - s.min) * 1e-3),
        damping: 1e-2,
        maxIterations: opts.maxIterations ?? 40,
        errorTolerance: 1e-10,
        improvementThreshold: 1e-3,
      },
    );
    iterations += fitted.iterations;
    if (fitted.parameterError < best.parameterError) best = fitted;
    start = best.parameterValues;
  }
  const fitted = best;
  const params = paramsFromVector(fitted.parameterValues);
  const prior = new PriorModel(params);
  const provenance: SurfaceProvenance = {
    source: 'prior',
    fittedTo: constraints.map((c) => c.id),
    date: revised,
    toolVersion: VERSION,
    notes: 'Prior fitted to published aggregates of ElastiLM (MobiCom\'25), not measured; see docs/accuracy.md and fit-report.json',
  };
  const docs = buildDocs(prior, provenance);
  const shipped = new GridSurfaceSet();
  for (const [method, doc] of docs) for (const rec of doc.surfaces) shipped.add(rec, `${method}.json`);
  const results = checkConstraints(shipped, constraints, decisionQuality);
  const report = {
    description: 'Result of `elastitwin accuracy fit`: fitted parameters, full-model anchors and each constraint on the shipped grids',
    revised,
    toolVersion: VERSION,
    decisionQuality,
    parameters: Object.fromEntries(PARAM_SPECS.map((s) => [s.name, round6(params[s.name]!)])),
    fullModelAccuracy: fullAnchors(prior),
    constraints: results.map((r) => ({ ...r, value: round6(r.value) })),
  };
  return { params, iterations, docs, report, results };
}

/** Each constraint measured exactly on a surface (no smoothing). */
export function checkConstraints(surface: AccuracySurface, constraints: Constraint[], decisionQuality: number): ConstraintResult[] {
  const ev = new ConstraintEvaluator(surface, { decisionQuality });
  return constraints.map((c) => {
    const value = ev.value(c);
    return { id: c.id, value, target: c.target, tolerance: c.tolerance, sense: c.sense, ok: withinTolerance(c, value) };
  });
}

function buildDocs(prior: PriorModel, provenance: SurfaceProvenance): Map<Method, SurfaceDoc> {
  const docs = new Map<Method, SurfaceDoc>();
  for (const g of shippedGrids()) {
    let doc = docs.get(g.method);
    if (!doc) {
      doc = { $schema: '../schemas/surface.schema.json', description: `Prior accuracy surfaces of method '${g.method}'`, surfaces: [] };
      docs.set(g.method, doc);
    }
    for (const dataset of DATASETS) {
      const full = roundedFull(prior, g.model, dataset);
      const values = g.modelRatios.map((modelRatio) =>
        g.promptRatios.map((promptRatio) => prior.shippedValue({ method: g.method, model: g.model, dataset, modelRatio, promptRatio }, full)),
      );
      doc.surfaces.push({ method: g.method, model: g.model, dataset, modelRatios: g.modelRatios, promptRatios: g.promptRatios, values, provenance });
    }
  }
  return docs;
}

function fullAnchors(prior: PriorModel): Record<string, Record<string, { value: number; published: number; source: string }>> {
  const out: Record<string, Record<string, { value: number; published: number; source: string }>> = {};
  for (const model of [...ELASTIC_MODELS, ...PFS_MODELS]) {
    out[model] = {};
    for (const d of DATASETS) {
      const pub = PUBLISHED_FULL[model][d];
      out[model]![d] = { value: roundedFull(prior, model, d), published: pub.value, source: pub.source };
    }
  }
  return out;
}

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

/** Writes `<method>.json` per method plus fit-report.json into `dir`, each atomically. */
export function writeFit(result: FitResult, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const [method, doc] of result.docs) {
    const file = path.join(dir, `${method}.json`);
    writeFileAtomic(file, formatSurfaceDoc(doc));
    written.push(file);
  }
  const reportFile = path.join(dir, 'fit-report.json');
  writeFileAtomic(reportFile, JSON.stringify(result.report, null, 2) + '\n');
  written.push(reportFile);
  return written;
}
