/**
 * Fits the calibrated block cost model ('block-v1') to measured block timings:
 *   prefillBlockMs(T) = a + b·T·P + c·T²·K        decodeBlockMs(L) = d + e·P + f·L·K
 * with P = active block weight params (millions) and K = activeHeads × headDim (thousands). Least squares by
 * ml-regression-multivariate-linear on rows divided by the measured time, i.e. minimising *relative* error —
 * what MAPE judges, and what keeps 20 %-width blocks from being drowned by full-width ones. A coefficient
 * that comes out negative (not physical, breaks monotonicity) is pinned at 0 and the rest refitted.
 */
import MLR from 'ml-regression-multivariate-linear';

export interface PrefillCoefficients { fixedMs: number; perTokenMParamMs: number; perTokenSqKDimMs: number }
export interface DecodeCoefficients { fixedMs: number; perMParamMs: number; perContextKDimMs: number }
export interface BlockCoefficients { prefill: PrefillCoefficients; decode: DecodeCoefficients }

export interface FitPoint {
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
}

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

function fitPhase(points: FitPoint[], names: [string, string, string]): { coef: number[]; residuals: FitResiduals } {
  if (points.length < 3) throw new Error(`cannot fit ${names.join('/')} from ${points.length} points (need ≥ 3)`);
  let free = [0, 1, 2];
  let coef = solve(points, free);
  while (coef.some((c, i) => c < 0 && free.includes(i)) && free.length > 1) {
    const worst = free.reduce((w, i) => (coef[i]! < coef[w]! ? i : w), free[0]!);
    free = free.filter((i) => i !== worst);
    coef = solve(points, free);
  }
  const errors = points.map((p) => {
    const f = features(p);
    const pred = f[0] * coef[0]! + f[1] * coef[1]! + f[2] * coef[2]!;
    return Math.abs(pred - p.ms) / p.ms;
  });
  return {
    coef,
    residuals: {
      n: points.length,
      mape: errors.reduce((s, e) => s + e, 0) / errors.length,
      maxAbsPctError: Math.max(...errors),
      pinned: [0, 1, 2].filter((i) => !free.includes(i)).map((i) => names[i]!),
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
