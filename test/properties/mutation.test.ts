/**
 * The suite bites: each test breaks one part on purpose (a policy, a cost model, a queue) and checks that the
 * invariant guarding that part reports a failure with a shrunk counterexample. Seeds are fixed so the
 * verdict is reproducible; run counts are the invariants' own.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { LatencyModel } from '../../cost-models/types.ts';
import type { AccuracySurface } from '../../cost-models/accuracy/types.ts';
import type { Policy } from '../../sim/types.ts';
import type { QueueFactory } from '../../sim/queues/queue.ts';
import type { Invariant } from './invariant.ts';
import { findInvariant } from './registry.ts';
import { realParts, type SimParts } from './sim-case.ts';
import { realLatencyParts, shippedSurfaceParts, type LatencyParts } from './invariants/cost-models.ts';

async function failureOf<P>(inv: Invariant<P>, broken: P): Promise<string> {
  const details = await fc.check(inv.property(broken), { numRuns: inv.runs, seed: 20251121, includeErrorInReport: true });
  expect(details.failed, `${inv.name} did not notice the broken part`).toBe(true);
  expect(details.counterexample).not.toBeNull();
  return fc.defaultReportMessage(details) ?? '';
}

/** A policy wrapper that decides as if every SLO were the full model's latency (it ignores the SLO). */
function ignoringSlo(inner: Policy): Policy {
  return {
    ...inner,
    decide(req, ctx) {
      return inner.decide({ ...req, slo: { ttft: 1, tpot: 1, unit: 'ratio' } }, { ...ctx, budget: { ...ctx.full } });
    },
  };
}

/** A policy wrapper that reads the SLO upside down: a tighter SLO looks looser and the other way round. */
function invertingSlo(inner: Policy): Policy {
  return {
    ...inner,
    decide(req, ctx) {
      const flip = (r: number) => Math.max(0.05, 1.25 - r);
      const ttft = req.slo.unit === 'ratio' ? req.slo.ttft : ctx.budget.ttftMs / ctx.full.ttftMs;
      const tpot = req.slo.unit === 'ratio' ? req.slo.tpot : ctx.budget.tpotMs / ctx.full.tpotMs;
      const slo = { ttft: flip(ttft), tpot: flip(tpot), unit: 'ratio' as const };
      return inner.decide({ ...req, slo }, { ...ctx, budget: { ttftMs: slo.ttft * ctx.full.ttftMs, tpotMs: slo.tpot * ctx.full.tpotMs } });
    },
  };
}

const withPolicyWrapper = (wrap: (p: Policy) => Policy): SimParts => ({
  ...realParts,
  createPolicy: (name, options, env) => wrap(realParts.createPolicy(name, options, env)),
});

describe('mutations are caught by the invariant that guards them', () => {
  it('a policy that ignores the SLO breaks isolated-meets-feasible-slo', async () => {
    const msg = await failureOf(findInvariant('isolated-meets-feasible-slo') as Invariant<SimParts>, withPolicyWrapper(ignoringSlo));
    expect(msg).toMatch(/missed feasible SLO/);
  });

  it('a policy that reads the SLO upside down breaks larger-slo-keeps-accuracy', async () => {
    const msg = await failureOf(findInvariant('larger-slo-keeps-accuracy') as Invariant<SimParts>, withPolicyWrapper(invertingSlo));
    expect(msg).toMatch(/looser/);
  });

  it('a latency model whose prefill gets cheaper past 1000 tokens breaks latency-monotone', async () => {
    const broken: LatencyParts = {
      model(kind, arch, device) {
        const m = realLatencyParts.model(kind, arch, device);
        return { ...m, prefillMs: (shape, tokens) => m.prefillMs(shape, tokens) * (tokens > 1000 ? 0.5 : 1) } satisfies LatencyModel;
      },
    };
    const msg = await failureOf(findInvariant('latency-monotone') as Invariant<LatencyParts>, broken);
    expect(msg).toMatch(/prefill vs tokens decreases/);
  });

  it('an accuracy surface with a dip at level 0.6 breaks accuracy-surface-monotone', async () => {
    const real = shippedSurfaceParts();
    const dipped: AccuracySurface = {
      provenance: () => real.surface.provenance(),
      quality: (q) => real.surface.quality(q) - (q.modelRatio > 0.55 && q.modelRatio < 0.65 ? 0.05 : 0),
    };
    const msg = await failureOf(findInvariant('accuracy-surface-monotone') as Invariant<typeof real>, { ...real, surface: dipped });
    expect(msg).toMatch(/quality drops/);
  });

  it('a queue that serves one request twice (and loses another) breaks served-or-dropped-once', async () => {
    const twice: QueueFactory = (ctx) => {
      const inner = realParts.queue('fcfs')(ctx);
      let pops = 0;
      let last = -1;
      return {
        get size() {
          return inner.size;
        },
        push: (i) => inner.push(i),
        pop(now) {
          const i = inner.pop(now);
          const out = ++pops === 2 ? last : i;
          last = i;
          return out;
        },
      };
    };
    const msg = await failureOf(findInvariant('served-or-dropped-once') as Invariant<SimParts>, { ...realParts, queue: () => twice });
    expect(msg).toMatch(/decided 2 times|appears 2 times/);
  });

  it('a switch model that pays back time (negative switch cost) breaks ttft-components', async () => {
    const broken: SimParts = {
      ...realParts,
      latency(arch, device) {
        const m = realParts.latency(arch, device);
        return { ...m, switchMs: (kind, from, to) => (from === null ? m.switchMs(kind, from, to) : -1) };
      },
    };
    const msg = await failureOf(findInvariant('ttft-components') as Invariant<SimParts>, broken);
    expect(msg).toMatch(/component switch = -1/);
  });
});
