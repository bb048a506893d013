/**
 * Arrival times (ms) written straight into a RequestTable's arrival column.
 *
 * - `none`: every request at t = 0 (isolated mode: each request finds an idle device).
 * - `poisson`: exponential gaps with mean 60000 / ratePerMin ms; the first request arrives after one gap.
 * - `bursty`: a Poisson process whose gaps switch between bursts and lulls. Each gap, with probability
 *   1/meanBurstLength, starts a new burst (so burst sizes are geometric with that mean); gaps inside a burst
 *   are exponential with mean g / burstFactor, where g = 60000 / ratePerMin, and the gap before a burst has
 *   mean g·(m − (m−1)/b), which keeps the long-run rate at exactly ratePerMin.
 */
import { InputError } from '../../base/errors.ts';
import type { Rng } from '../../base/rng.ts';

export type ArrivalOptions =
  | { process: 'none' }
  | { process: 'poisson'; ratePerMin: number }
  | { process: 'bursty'; ratePerMin: number; burstFactor: number; meanBurstLength: number };

export function checkArrival(a: ArrivalOptions, where = 'arrival'): void {
  const positive = (x: number, name: string, min = 0): void => {
    if (!Number.isFinite(x) || x <= min) throw new InputError(`${where}.${name}`, `expected a number above ${min}, got ${x}`);
  };
  if (a.process === 'none') return;
  if (a.process === 'poisson' || a.process === 'bursty') {
    positive(a.ratePerMin, 'ratePerMin');
    // the mean gap (60000 / rate ms) must be a finite number of milliseconds, or arrivals are Infinity
    if (!Number.isFinite(60000 / a.ratePerMin)) {
      throw new InputError(`${where}.ratePerMin`, `rate ${a.ratePerMin}/min is too small: the mean gap between arrivals is not a finite time`);
    }
  } else throw new InputError(`${where}.process`, `expected none, poisson or bursty, got ${JSON.stringify((a as { process: unknown }).process)}`);
  if (a.process === 'bursty') {
    if (!(a.burstFactor >= 1)) throw new InputError(`${where}.burstFactor`, `expected a number ≥ 1, got ${a.burstFactor}`);
    if (!(a.meanBurstLength >= 1)) throw new InputError(`${where}.meanBurstLength`, `expected a number ≥ 1, got ${a.meanBurstLength}`);
  }
}

export function fillArrivals(out: Float64Array, a: ArrivalOptions, rng: Rng): void {
  checkArrival(a);
  if (a.process === 'none') {
    out.fill(0);
    return;
  }
  const gap = 60000 / a.ratePerMin;
  let t = 0;
  if (a.process === 'poisson') {
    for (let i = 0; i < out.length; i++) out[i] = t += rng.exponential(gap);
    return;
  }
  const m = a.meanBurstLength;
  const inBurst = gap / a.burstFactor;
  const beforeBurst = gap * (m - (m - 1) / a.burstFactor);
  const pNewBurst = 1 / m;
  for (let i = 0; i < out.length; i++) {
    t += rng.uniform() < pNewBurst ? rng.exponential(beforeBurst) : rng.exponential(inBurst);
    out[i] = t;
  }
}
