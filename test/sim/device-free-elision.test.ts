/**
 * The service puts a DEVICE_FREE event on the heap only once a request waits for the device, with the
 * sequence number it would have had at dispatch. Whatever the arrivals, costs, queue discipline and drop
 * rule, a run must come out exactly as with every DEVICE_FREE scheduled at dispatch (`eagerDeviceFree`):
 * same outcomes, same dispatch order, same timeline. Arrivals and every cost are whole milliseconds, so a
 * device frees at the very time a request arrives again and again, where only the sequence numbers decide.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { elasticShape, fullShape, getArchitecture } from '../../cost-models/index.ts';
import type { LatencyModel } from '../../cost-models/types.ts';
import type { AccuracySurface } from '../../cost-models/accuracy/types.ts';
import { RequestTable } from '../../sim/request-table.ts';
import { simulate, type ServiceOptions } from '../../sim/service.ts';
import { getQueue } from '../../sim/queues/index.ts';
import { Rng } from '../../base/rng.ts';
import type { Config, Policy } from '../../sim/types.ts';

const arch = getArchitecture('orca-mini-3b');
const full = fullShape(arch);
const configs: Config[] = [0.2, 0.6, 1].map((m) => ({ modelRatio: m, promptRatio: 1, shape: m === 1 ? full : elasticShape(arch, m, true) }));

/** Whole-millisecond costs, so completions land on arrival times. */
const latency: LatencyModel = {
  provenance: { kind: 'roofline', device: 'test', detail: {} },
  prefillMs: (shape, tokens) => Math.round(tokens * shape.modelRatio) % 7,
  decodeStepMs: (shape) => Math.round(3 * shape.modelRatio),
  decodeMs: (shape, _start, steps) => steps * Math.round(3 * shape.modelRatio),
  tlmMs: () => 1,
  switchMs: (_kind, from, to) => (from === to ? 0 : 2),
};
const accuracy: AccuracySurface = { quality: (q) => 0.3 + 0.5 * q.modelRatio, provenance: () => [] };

describe('DEVICE_FREE events scheduled only when someone waits', () => {
  it('change nothing: outcomes, order and timeline equal those of a run that schedules every one', () => {
    const request = fc.record({
      gap: fc.constantFrom(0, 0, 1, 2, 3, 5, 8, 13),
      system: fc.integer({ min: 0, max: 40 }),
      query: fc.integer({ min: 1, max: 20 }),
      output: fc.integer({ min: 1, max: 6 }),
      ttft: fc.constantFrom(5, 10, 20, 40),
      pick: fc.integer({ min: 0, max: 3 }), // 3 = reject
    });
    fc.assert(
      fc.property(
        fc.array(request, { minLength: 1, maxLength: 60 }),
        fc.constantFrom('fcfs', 'edf', 'slo-aware'),
        fc.constantFrom('serve' as const, 'drop' as const),
        fc.constantFrom(0, 7, 50),
        (reqs, queue, onLate, timelineSamples) => {
          let t = 0;
          const table = RequestTable.fromSpecs(
            reqs.map((r, id) => ({
              id, app: 'a', dataset: 'OBQA' as const, arrivalMs: (t += r.gap), systemTokens: r.system, queryTokens: r.query,
              outputTokens: r.output, slo: { ttft: r.ttft, tpot: 4, unit: 'ms' as const },
            })),
          );
          const policy: Policy = {
            name: 'scripted',
            method: { accuracyMethod: 'elastilm', switchKind: 'pointer', usesTlm: true },
            decide: (req) => (reqs[req.id]!.pick === 3 ? { reject: 'scripted' } : configs[reqs[req.id]!.pick]!),
          };
          const run = (eagerDeviceFree: boolean) => {
            const o: ServiceOptions = {
              mode: 'timed', table, policy, arch, model: 'orca-mini-3b', latency, accuracy, queue: getQueue(queue), onLate,
              rng: Rng.fromSeed(1), correctDraws: new Float64Array(table.length).fill(0.5), fullShape: full,
              residentBytes: 1e9, kvBytes: (_s, tokens) => tokens * 1000, timelineSamples, eagerDeviceFree,
            };
            return simulate(o);
          };
          const lazy = run(false);
          const eager = run(true);
          const columns = (r: typeof lazy) => {
            const o = r.outcomes;
            return {
              order: Array.from(o.order.subarray(0, o.dispatched)), queue: Array.from(o.queueMs), flags: Array.from(o.flags),
              tlm: Array.from(o.tlmMs), switching: Array.from(o.switchMs), prefill: Array.from(o.prefillMs), decode: Array.from(o.decodeMs),
            };
          };
          expect(columns(lazy)).toEqual(columns(eager));
          expect(lazy.timeline).toEqual(eager.timeline);
          expect([lazy.switches, lazy.peakMemoryBytes, [...lazy.dropReasons]]).toEqual([eager.switches, eager.peakMemoryBytes, [...eager.dropReasons]]);
          expect(lazy.events).toBeLessThanOrEqual(eager.events);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('takes, after the last event, the timeline samples an unscheduled last DEVICE_FREE would have taken', () => {
    // 7 samples over 29 ms: the last one lands an ulp past the last arrival, while the device is still busy
    const table = RequestTable.fromSpecs(
      [0, 29].map((arrivalMs, id) => ({
        id, app: 'a', dataset: 'OBQA' as const, arrivalMs, systemTokens: 40, queryTokens: 20, outputTokens: 6, slo: { ttft: 50, tpot: 4, unit: 'ms' as const },
      })),
    );
    const policy: Policy = { name: 'one', method: { accuracyMethod: 'elastilm', switchKind: 'pointer', usesTlm: true }, decide: () => configs[2]! };
    const run = (eagerDeviceFree: boolean) =>
      simulate({
        mode: 'timed', table, policy, arch, model: 'orca-mini-3b', latency, accuracy, queue: getQueue('fcfs'), onLate: 'serve',
        rng: Rng.fromSeed(1), correctDraws: new Float64Array(2).fill(0.5), fullShape: full, residentBytes: 1e9,
        kvBytes: () => 0, timelineSamples: 7, eagerDeviceFree,
      });
    const eager = run(true);
    expect(eager.timeline!.tMs.length).toBe(8);
    expect(run(false).timeline).toEqual(eager.timeline);
  });

  it('refuses a device time below zero or NaN at dispatch, naming the request', () => {
    for (const bad of [-50, NaN]) {
      const table = RequestTable.fromSpecs([
        { id: 3, app: 'a', dataset: 'OBQA', arrivalMs: 0, systemTokens: 10, queryTokens: 5, outputTokens: 4, slo: { ttft: 50, tpot: 4, unit: 'ms' } },
      ]);
      const policy: Policy = { name: 'one', method: { accuracyMethod: 'elastilm', switchKind: 'pointer', usesTlm: false }, decide: () => configs[0]! };
      expect(() =>
        simulate({
          mode: 'timed', table, policy, arch, model: 'orca-mini-3b', latency: { ...latency, decodeMs: () => bad }, accuracy,
          queue: getQueue('fcfs'), onLate: 'serve', rng: Rng.fromSeed(1), correctDraws: new Float64Array(1).fill(0.5), fullShape: full,
          residentBytes: 1e9, kvBytes: () => 0, timelineSamples: 0,
        }),
      ).toThrow(/request 3: device time is .*≥ 0/);
    }
  });
});
