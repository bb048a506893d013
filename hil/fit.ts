/**
 * Fits the calibrated block cost model ('block-v1') to measured block timings:
 *   prefillBlockMs(T) = a + b·T·P + c·T²·K        decodeBlockMs(L) = d + e·P + f·L·K
 * with P = active block weight params (millions) and K = activeHeads × headDim (thousands). Least squares by
 * ml-regression-multivariate-linear on rows divided by the measured time, i.e. minimising *relative* error —
 * what MAPE judges, and what keeps 20 %-width blocks from being drowned by full-width ones. A coefficient
 * that comes out negative (not physical, breaks monotonicity) is pinned at 0 and the rest refitted. Points
 * whose error is far outside the rest's are set aside once, named, and the fit redone (see ROBUST_K).
 */
import MLR from 'ml-regression-multivariate-linear';
import { median } from 'simple-statistics';

export interface PrefillCoefficients { fixedMs: number; perTokenMParamMs: number; perTokenSqKDimMs: number }
export interface DecodeCoefficients { fixedMs: number; perMParamMs: number; perContextKDimMs: number }
export interface BlockCoefficients { prefill: PrefillCoefficients; decode: DecodeCoefficients }

export interface FitPoint {
  /** Job id, to name points the robust fit sets aside. */
  id?: string;
  op: 'block-prefill' | 'block-decode';
  /** Active block weight params, millions. */
  P: number;
  /** activeHeads × headDim, thousands. */
  K: number;
  /** Prompt tokens (prefill) or context length (decode). */
  tokens: number;
  ms: number;
}

export interface FitResiduals {
  n: number;
  /** Mean absolute percentage error in the sample, as a fraction. */
  mape: number;
  maxAbsPctError: number;
  /** Coefficients pinned at 0 because the free fit made them negative. */
  pinned: string[];
  /** Points set aside by the robust fit (their error was far outside the others'), by id. */
  setAside: string[];
}

/**
 * A point is set aside when its relative error exceeds both this floor and ROBUST_K robust standard
 * deviations of all errors — jobs hit by a burst of contention that the per-job checks cannot see (every
 * repetition equally slow). At most a quarter of the points, worst first, and the fit is redone without them.
 */
const ROBUST_FLOOR = 0.15;
const ROBUST_K = 4;

function features(p: FitPoint): [number, number, number] {
  return p.op === 'block-prefill' ? [1, p.tokens * p.P, p.tokens * p.tokens * p.K] : [1, p.P, p.tokens * p.K];
}

/** Relative least squares over the features in `free`; others stay 0. Returns the 3 coefficients. */
function solve(points: FitPoint[], free: number[]): number[] {
  const x = points.map((p) => {
    const f = features(p);
    return free.map((i) => f[i]! / p.ms);
  });
  const y = points.map(() => [1]);
  const model = new MLR(x, y, { intercept: false, statistics: false });
  const coef = [0, 0, 0];
  free.forEach((i, k) => (coef[i] = model.weights[k]![0]!));
  return coef;
}

/** Non-negative relative least squares: a negative coefficient is pinned at 0 and the rest refitted. */
function solveNonNegative(points: FitPoint[]): { coef: number[]; free: number[] } {
  let free = [0, 1, 2];
  let coef = solve(points, free);
  while (coef.some((c, i) => c < 0 && free.includes(i)) && free.length > 1) {
    const worst = free.reduce((w, i) => (coef[i]! < coef[w]! ? i : w), free[0]!);
    free = free.filter((i) => i !== worst);
    coef = solve(points, free);
  }
  return { coef, free };
}

function relativeErrors(points: FitPoint[], coef: number[]): number[] {
  return points.map((p) => {
    const f = features(p);
    return Math.abs(f[0] * coef[0]! + f[1] * coef[1]! + f[2] * coef[2]! - p.ms) / p.ms;
  });
}

function fitPhase(points: FitPoint[], names: [string, string, string]): { coef: number[]; residuals: FitResiduals } {
  if (points.length < 3) throw new Error(`cannot fit ${names.join('/')} from ${points.length} points (need ≥ 3)`);
  let { coef, free } = solveNonNegative(points);
  let errors = relativeErrors(points, coef);
  const med = median(errors);
  const spread = 1.4826 * median(errors.map((e) => Math.abs(e - med)));
  const cut = Math.max(ROBUST_FLOOR, med + ROBUST_K * spread);
  const setAside = points
    .map((p, i) => ({ p, e: errors[i]! }))
    .filter((x) => x.e > cut)
    .sort((a, b) => b.e - a.e)
    .slice(0, Math.floor(points.length / 4))
    .map((x) => x.p);
  let kept = points;
  // at most a quarter is set aside, so at least 3 of the ≥ 3 points the fit needs stay
  if (setAside.length > 0) {
    const out = new Set(setAside);
    kept = points.filter((p) => !out.has(p));
    ({ coef, free } = solveNonNegative(kept));
    errors = relativeErrors(kept, coef);
  }
  return {
    coef,
    residuals: {
      n: kept.length,
      mape: errors.reduce((s, e) => s + e, 0) / errors.length,
      maxAbsPctError: Math.max(...errors),
      pinned: [0, 1, 2].filter((i) => !free.includes(i)).map((i) => names[i]!),
      setAside: setAside.map((p) => p.id ?? `${p.op} P=${p.P.toFixed(2)} t=${p.tokens}`),
    },
  };
}

export function fitBlockCoefficients(points: FitPoint[]): { coefficients: BlockCoefficients; residuals: { prefill: FitResiduals; decode: FitResiduals } } {
  const pre = fitPhase(points.filter((p) => p.op === 'block-prefill'), ['fixedMs', 'perTokenMParamMs', 'perTokenSqKDimMs']);
  const dec = fitPhase(points.filter((p) => p.op === 'block-decode'), ['fixedMs', 'perMParamMs', 'perContextKDimMs']);
  return {
    coefficients: {
      prefill: { fixedMs: pre.coef[0]!, perTokenMParamMs: pre.coef[1]!, perTokenSqKDimMs: pre.coef[2]! },
      decode: { fixedMs: dec.coef[0]!, perMParamMs: dec.coef[1]!, perContextKDimMs: dec.coef[2]! },
    },
    residuals: { prefill: pre.residuals, decode: dec.residuals },
  };
}
