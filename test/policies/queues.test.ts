/** Queue disciplines: EDF's order, and how SLO-aware dispatch differs from EDF and FCFS under overload. */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { getQueue, queueNames } from '../../sim/queues/index.ts';
import type { QueueContext, RequestQueue } from '../../sim/queues/queue.ts';

function context(arrival: number[], deadline: number[]): QueueContext {
  return { arrivalMs: (i) => arrival[i]!, deadlineMs: (i) => deadline[i]! };
}

function drain(q: RequestQueue, now = 0): number[] {
  const out: number[] = [];
  while (q.size > 0) out.push(q.pop(now));
  return out;
}

/** One device, every request takes `serviceMs` to its first token; returns the indices served late. */
function serve(name: string, arrival: number[], deadline: number[], serviceMs: number): { order: number[]; late: number[] } {
  const q = getQueue(name)(context(arrival, deadline));
  const order: number[] = [];
  const late: number[] = [];
  let now = 0;
  let next = 0;
  while (next < arrival.length || q.size > 0) {
    while (next < arrival.length && arrival[next]! <= now) q.push(next++);
    if (q.size === 0) {
      now = arrival[next]!;
      continue;
    }
    const i = q.pop(now);
    order.push(i);
    now += serviceMs;
    if (now > deadline[i]!) late.push(i);
  }
  return { order, late };
}

describe('queue registry', () => {
  it('offers fcfs, edf and slo-aware, and names the known ones on a typo', () => {
    expect(queueNames()).toEqual(expect.arrayContaining(['fcfs', 'edf', 'slo-aware']));
    expect(() => getQueue('edd', 'scenario.json: /queue')).toThrow(/scenario.json: \/queue.*known: fcfs, edf, slo-aware/);
  });
});

describe('edf', () => {
  it('pops by deadline, then arrival, then index, whatever the push order', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 50 })), { minLength: 1, maxLength: 60 }), (rs) => {
        const arrival = rs.map((r) => r[0]);
        const deadline = rs.map((r) => r[0] + r[1]);
        const q = getQueue('edf')(context(arrival, deadline));
        rs.forEach((_, i) => q.push(i));
        const expected = rs.map((_, i) => i).sort((a, b) => deadline[a]! - deadline[b]! || arrival[a]! - arrival[b]! || a - b);
        expect(drain(q)).toEqual(expected);
      }),
    );
  });
});

describe('slo-aware', () => {
  it('serves savable requests by deadline and the expired ones after them, in the order they expired', () => {
    const arrival = [0, 0, 0, 0, 0];
    const deadline = [30, 5, 20, 2, 40];
    const q = getQueue('slo-aware')(context(arrival, deadline));
    for (let i = 0; i < 5; i++) q.push(i);
    expect(q.size).toBe(5);
    expect(drain(q, 10)).toEqual([2, 0, 4, 3, 1]);
  });

  it('is EDF while nothing has expired', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 40 }), (d) => {
        const arrival = d.map(() => 0);
        const a = getQueue('slo-aware')(context(arrival, d));
        const b = getQueue('edf')(context(arrival, d));
        d.forEach((_, i) => {
          a.push(i);
          b.push(i);
        });
        expect(drain(a, 0)).toEqual(drain(b, 0));
      }),
    );
  });

  it('avoids EDF\'s domino effect: an expired request no longer makes the ones behind it late', () => {
    // A occupies the device until 10; meanwhile B (deadline 5) expires, and C, D can still make it
    const arrival = [0, 1, 2, 3];
    const deadline = [100, 5, 25, 35];
    const edf = serve('edf', arrival, deadline, 10);
    const slo = serve('slo-aware', arrival, deadline, 10);
    const fcfs = serve('fcfs', arrival, deadline, 10);
    expect(edf.order).toEqual([0, 1, 2, 3]);
    expect(edf.late).toEqual([1, 2, 3]);
    expect(fcfs.late).toEqual([1, 2, 3]);
    expect(slo.order).toEqual([0, 2, 3, 1]);
    expect(slo.late).toEqual([1]);
  });

  it('never serves more requests late than EDF when service times are equal (random overloads)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 1, max: 60 })), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 20 }),
        (rs, service) => {
          const sorted = [...rs].sort((a, b) => a[0] - b[0]);
          const arrival = sorted.map((r) => r[0]);
          const deadline = sorted.map((r) => r[0] + r[1]);
          expect(serve('slo-aware', arrival, deadline, service).late.length).toBeLessThanOrEqual(serve('edf', arrival, deadline, service).late.length);
        },
      ),
    );
  });
});
