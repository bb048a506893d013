import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Engine, type SimEvent } from '../../sim/engine.ts';

describe('Engine', () => {
  it('pops events in (time, sequence) order and never moves the clock back', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 200 }), (times) => {
        const engine = new Engine();
        times.forEach((t, k) => engine.schedule(t, 0, k));
        const seen: Array<[number, number]> = [];
        engine.run({
          handle(ev: SimEvent, e: Engine) {
            expect(e.now).toBe(ev.time);
            seen.push([ev.time, ev.req]);
          },
        });
        const expected = times.map((t, k) => [t, k] as [number, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect(seen).toEqual(expected);
        expect(engine.processed).toBe(times.length);
      }),
    );
  });

  it('runs follow-up events scheduled by handlers, including at the same instant', () => {
    const engine = new Engine();
    const log: string[] = [];
    engine.schedule(5, 0, 0);
    engine.run({
      handle(ev, e) {
        log.push(`${ev.time}:${ev.kind}:${ev.req}`);
        if (ev.kind === 0 && ev.req < 3) {
          e.schedule(e.now, 1, ev.req);
          e.schedule(e.now + 1, 0, ev.req + 1);
        }
      },
    });
    expect(log).toEqual(['5:0:0', '5:1:0', '6:0:1', '6:1:1', '7:0:2', '7:1:2', '8:0:3']);
  });

  it('refuses to schedule into the past', () => {
    const engine = new Engine();
    engine.schedule(10, 0, 0);
    expect(() =>
      engine.run({
        handle(_ev, e) {
          e.schedule(9, 0, 1);
        },
      }),
    ).toThrow(/in the past/);
  });

  it('places an event scheduled with a reserved number where it would have been scheduled then', () => {
    const engine = new Engine();
    const log: string[] = [];
    let reserved = -1;
    engine.schedule(0, 0, 0);
    engine.run({
      handle(ev, e) {
        log.push(`${e.now}:${ev.kind}:${ev.req}`);
        if (ev.kind === 0 && ev.req === 0) {
          reserved = e.reserve(); // taken before the two events below are scheduled
          e.schedule(1, 0, 1);
          e.schedule(5, 0, 2);
        } else if (ev.kind === 0 && ev.req === 1) {
          e.scheduleReserved(5, 1, 9, reserved); // scheduled after request 2's event, yet ahead of it at t = 5
        }
      },
    });
    expect(log).toEqual(['0:0:0', '1:0:1', '5:1:9', '5:0:2']);
  });

  it('refuses a reserved number that would put an event before the one being handled', () => {
    const engine = new Engine();
    let reserved = -1;
    engine.schedule(0, 0, 0);
    expect(() =>
      engine.run({
        handle(ev, e) {
          if (ev.req === 0) {
            reserved = e.reserve();
            e.schedule(3, 0, 1);
          } else {
            e.scheduleReserved(3, 1, 2, reserved);
          }
        },
      }),
    ).toThrow(/in the past/);
  });

  it('recycles event objects: a long chain needs only a couple of them', () => {
    const engine = new Engine();
    const objects = new Set<SimEvent>();
    engine.schedule(0, 0, 0);
    engine.run({
      handle(ev, e) {
        objects.add(ev);
        if (ev.req < 10_000) e.schedule(e.now + 1, 0, ev.req + 1);
      },
    });
    expect(engine.processed).toBe(10_001);
    expect(objects.size).toBeLessThanOrEqual(2);
  });
});
