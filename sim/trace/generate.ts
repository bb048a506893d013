/**
 * The paper's trace construction (§5.1): six SLO classes tied to six datasets, per-class counts
 * Num(i) = int(N·e^{α·i} / Σ_k e^{α·k}), shuffled, with arrivals from a chosen process. Requests are written
 * straight into RequestTable columns (no object per request), so a million requests take well under a
 * second and only the table's own bytes.
 *
 * Skew direction. The paper calls i the SLO level, "the lower, the tighter", and says α = 0.25 leans towards
 * relaxed SLOs; the released artifact numbers its classes from the most relaxed (Rewind ⟨1,1⟩ is i = 1), so
 * its α = 0.25 trace leans towards the tight ones (170 XiaoAi/SCIQ vs 48 Rewind/OBQA). `skewConvention`
 * picks one: 'paper' (default) weights class k of PAPER_CLASSES with i = 7 − k (tightest i = 1), 'artifact'
 * with i = k (the released files).
 */
import { InputError } from '../../base/errors.ts';
import { RequestTable } from '../request-table.ts';
import { Rng } from '../../base/rng.ts';
import { PAPER_CLASSES, type TraceClass } from './classes.ts';
import { fillArrivals, checkArrival, type ArrivalOptions } from './arrivals.ts';
import { lengthSampler } from './dataset-lengths.ts';
import type { TokenizerName } from './tokenizer-names.ts';

export type SkewConvention = 'paper' | 'artifact';

export interface GenerateOptions {
  /** N in the count formula. The trace holds the sum of the truncated counts, which can be a few less. */
  requests: number;
  alpha: number;
  arrival: ArrivalOptions;
  tokenizer: TokenizerName;
  seed: number;
  /** Default 'paper' (α > 0 leans to relaxed SLOs). */
  skewConvention?: SkewConvention;
  /** SLO classes, ordered from the most relaxed to the tightest (default PAPER_CLASSES). */
  classes?: readonly TraceClass[];
  /** Output tokens of every request, instead of the dataset's answer-length distribution. */
  outputTokens?: number;
}

/** Per-class counts in the order of `classes` (see the module comment for the skew convention). */
export function classCounts(requests: number, alpha: number, nClasses: number, convention: SkewConvention = 'paper'): number[] {
  const level = (k: number): number => (convention === 'paper' ? nClasses - k : k + 1);
  // shifted by the largest exponent (log-sum-exp) so a large |α| cannot overflow to Infinity/Infinity
  const exponents = Array.from({ length: nClasses }, (_, k) => alpha * level(k));
  const top = Math.max(...exponents);
  const weights = exponents.map((e) => Math.exp(e - top));
  const total = weights.reduce((s, w) => s + w, 0);
  return weights.map((w) => Math.trunc((requests * w) / total));
}

function checkOptions(o: GenerateOptions): void {
  if (!Number.isInteger(o.requests) || o.requests < 1) throw new InputError('requests', `expected a positive integer, got ${o.requests}`);
  if (!Number.isFinite(o.alpha)) throw new InputError('alpha', `expected a finite number, got ${o.alpha}`);
  if (o.tokenizer !== 'llama' && o.tokenizer !== 'llama3') throw new InputError('tokenizer', `expected llama or llama3, got ${JSON.stringify(o.tokenizer)}`);
  if (o.skewConvention !== undefined && o.skewConvention !== 'paper' && o.skewConvention !== 'artifact') {
    throw new InputError('skewConvention', `expected paper or artifact, got ${JSON.stringify(o.skewConvention)}`);
  }
  if (o.classes !== undefined && (o.classes.length === 0 || o.classes.length > 0xffff)) throw new InputError('classes', 'expected 1 to 65535 classes');
  if (o.outputTokens !== undefined && (!Number.isInteger(o.outputTokens) || o.outputTokens < 1)) {
    throw new InputError('outputTokens', `expected a positive integer, got ${o.outputTokens}`);
  }
  checkArrival(o.arrival);
}

export function generateTrace(o: GenerateOptions): RequestTable {
  checkOptions(o);
  const classes = o.classes ?? PAPER_CLASSES;
  const counts = classCounts(o.requests, o.alpha, classes.length, o.skewConvention ?? 'paper');
  const n = counts.reduce((s, c) => s + c, 0);
  if (n === 0) {
    throw new InputError(
      'requests',
      `${o.requests} requests give no request at all: each SLO class gets int(N·share), so ask for at least one per class at α=${o.alpha}`,
    );
  }
  const table = new RequestTable(n);
  const classIds = classes.map((c) => table.classOf(c.app, c.dataset, c.slo));
  const samplers = classes.map((c) => lengthSampler(c.dataset, o.tokenizer));

  // independent streams, so e.g. changing the arrival process leaves the order and lengths unchanged
  const root = Rng.fromSeed(o.seed);
  const orderRng = root.fork(1);
  const lengthRng = root.fork(2);
  const arrivalRng = root.fork(3);

  // which class each position holds: blocks in class order, then a Fisher–Yates shuffle in place
  const cls = new Uint16Array(n);
  let at = 0;
  counts.forEach((c, k) => cls.fill(k, at, (at += c)));
  for (let i = n - 1; i > 0; i--) {
    const j = orderRng.index(i + 1);
    const t = cls[i]!;
    cls[i] = cls[j]!;
    cls[j] = t;
  }

  for (let i = 0; i < n; i++) {
    const k = cls[i]!;
    const s = samplers[k]!;
    table.id[i] = i;
    table.classIndex[i] = classIds[k]!;
    table.systemTokens[i] = s.systemTokens;
    table.queryTokens[i] = s.query[lengthRng.index(s.query.length)]!;
    table.outputTokens[i] = o.outputTokens ?? s.output[lengthRng.index(s.output.length)]!;
  }
  fillArrivals(table.arrivalMs, o.arrival, arrivalRng);
  return table;
}
