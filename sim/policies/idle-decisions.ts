/**
 * Best pairs remembered for requests that find the device idle. Most requests of a timed run wait for
 * nothing (78 % in the default scenario), and then everything the best pair depends on is fixed by the
 * request's kind and the resident level: the time already spent (the TLM's, or none), the budgets, the
 * request shape's rows, the qualities of its class. So the frontier walk and the search along it are done
 * once per (kind, resident level) and looked up after that.
 *
 * The pairs are kept with the inputs they were computed from (time spent, both budgets) and used only when
 * those are equal, so a lookup returns exactly what the walk would. Kinds are numbered per request table, so
 * entries are tied to one run's decision context (and its latency model and accuracy surface) and
 * forgotten when any of them changes.
 */
import type { DecisionContext } from '../types.ts';

export const NOT_REMEMBERED = -2;

export class IdleDecisions {
  /**
   * Per kind: the inputs its remembered pairs hold for (time spent before prefill, TTFT budget, TPOT budget;
   * NaN = none yet). Within a run they are the same for every idle request of a kind, so they are kept once
   * per kind and the pairs per (kind, resident slot) take two bytes each: the whole memo of a million-request
   * run (~4,500 kinds) is ~200 KB and stays in the CPU caches.
   */
  private inputs = new Float64Array(0);
  /** Per (kind, resident slot): the best pair (p · levels + m), −1 when none is feasible, or NOT_REMEMBERED. */
  private best = new Int16Array(0);
  private ctx: DecisionContext | null = null;
  private latency: unknown = null;
  private accuracy: unknown = null;

  constructor(private readonly residentSlots: number) {}

  /** Whether a request of this kind and resident slot can be remembered (both known); forgets other runs'. */
  usable(kind: number, slot: number, ctx: DecisionContext): boolean {
    if (kind < 0 || slot < 0 || slot >= this.residentSlots || kind >= 1 << 20) return false;
    if (this.ctx !== ctx || this.latency !== ctx.latency || this.accuracy !== ctx.accuracy) {
      this.inputs.fill(NaN);
      this.ctx = ctx;
      this.latency = ctx.latency;
      this.accuracy = ctx.accuracy;
    }
    return true;
  }

  /** The remembered best pair (−1: none feasible) or NOT_REMEMBERED. */
  get(kind: number, slot: number, ctx: DecisionContext): number {
    const spentMs = ctx.tlmMs; // what an idle request has spent before prefill
    const at = 3 * kind;
    const inputs = this.inputs;
    if (at >= inputs.length || inputs[at] !== spentMs || inputs[at + 1] !== ctx.budget.ttftMs || inputs[at + 2] !== ctx.budget.tpotMs) return NOT_REMEMBERED;
    return this.best[kind * this.residentSlots + slot]!;
  }

  set(kind: number, slot: number, ctx: DecisionContext, best: number): void {
    const spentMs = ctx.tlmMs;
    const at = 3 * kind;
    if (at >= this.inputs.length) {
      const kinds = Math.max(1024, 2 * (this.inputs.length / 3), kind + 1);
      const inputs = new Float64Array(3 * kinds).fill(NaN);
      inputs.set(this.inputs);
      this.inputs = inputs;
      const pairs = new Int16Array(kinds * this.residentSlots);
      pairs.set(this.best);
      this.best = pairs;
    }
    const inputs = this.inputs;
    if (inputs[at] !== spentMs || inputs[at + 1] !== ctx.budget.ttftMs || inputs[at + 2] !== ctx.budget.tpotMs) {
      // new inputs for this kind: what was remembered under the old ones no longer holds
      inputs[at] = spentMs;
      inputs[at + 1] = ctx.budget.ttftMs;
      inputs[at + 2] = ctx.budget.tpotMs;
      this.best.fill(NOT_REMEMBERED, kind * this.residentSlots, (kind + 1) * this.residentSlots);
    }
    this.best[kind * this.residentSlots + slot] = best;
  }
}
