/** The goodput search on its own: brackets, precision and monotonicity against known attainment curves. */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { searchGoodput } from '../../sim/sweep/goodput.ts';

/** A falling attainment curve that crosses `target` exactly at rate `g`: 1 − (1 − target)·(rate / g)^k. */
const curve = (g: number, target: number, k: number) => async (rate: number) => Math.max(0, 1 - (1 - target) * (rate / g) ** k);

describe('searchGoodput', () => {
  it('brackets the true goodput within the stated precision, whatever the start rate', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.double({ min: 0.05, max: 500, noNaN: true }),
        fc.double({ min: 0.05, max: 500, noNaN: true }),
        fc.constantFrom(0.5, 0.8, 0.9, 0.99),
        fc.constantFrom(0.01, 0.05, 0.2),
        async (g, start, target, precision) => {
          const r = await searchGoodput(curve(g, target, 2), start, { target, precision });
          expect(r.status).toBe('found');
          expect(r.lo).toBeLessThanOrEqual(g * (1 + 1e-9));
          expect(r.hi!).toBeGreaterThan(g * (1 - 1e-9));
          expect(r.hi! - r.lo).toBeLessThanOrEqual(precision * r.lo * (1 + 1e-12));
          expect(r.attainmentAtLo!).toBeGreaterThanOrEqual(target);
          expect(r.attainmentAtHi!).toBeLessThan(target);
          // ~log2 of the bracketing distance plus log2(1/precision) bisections
          expect(r.evaluations.length).toBeLessThan(Math.abs(Math.log2(g / start)) + Math.log2(1 / precision) + 4);
        },
      ),
    );
  });

  it('is monotone: a stricter target never gives a higher goodput', async () => {
    const attainment = async (rate: number) => 1 / (1 + (rate / 7) ** 3); // falls through every target
    let previous = Infinity;
    for (const target of [0.5, 0.7, 0.8, 0.9, 0.95, 0.99]) {
      const r = await searchGoodput(attainment, 6, { target, precision: 0.02 });
      expect(r.lo).toBeLessThanOrEqual(previous);
      previous = r.lo;
    }
  });

  it('says so when the target is met at every rate it may try, or at none', async () => {
    const always = await searchGoodput(async () => 1, 4, { target: 0.9, precision: 0.05, maxSteps: 5 });
    expect(always).toMatchObject({ status: 'above-range', lo: 128, hi: null });
    const never = await searchGoodput(async () => 0.5, 4, { target: 0.9, precision: 0.05, maxSteps: 5 });
    expect(never).toMatchObject({ status: 'below-range', lo: 0, hi: 0.125, attainmentAtLo: null, attainmentAtHi: 0.5 });
  });

  it('finds an exact step: everything up to the threshold meets the target', async () => {
    const step = async (rate: number) => (rate <= 10 ? 0.95 : 0.2);
    const r = await searchGoodput(step, 3, { target: 0.9, precision: 0.01 });
    expect(r.lo).toBeLessThanOrEqual(10);
    expect(r.lo).toBeGreaterThan(10 / 1.01 - 1e-9);
    expect(r.hi!).toBeGreaterThan(10);
  });
});
