/**
 * Best pairs remembered for requests that find the device idle. Most requests of a timed run wait for
 * nothing (78 % in the default scenario), and then everything the best pair depends on is fixed by the
 * request's kind and the resident level: the time already spent (the TLM's, or none), the budgets, the
 * request shape's rows, the qualities of its class. So the frontier walk and the search along it are done
 * once per (kind, resident level) and looked up after that.
 *
 * Each entry keeps the inputs it was computed from (time spent, both budgets) and is used only when they
 * are equal, so a lookup returns exactly what the walk would. Kinds are numbered per request table, so
 * entries are tied to one run's decision context (and its latency model and accuracy surface) and
 * forgotten when any of them changes.
 */
import type { DecisionContext } from '../types.ts';

/** Fields per entry: time spent before prefill, TTFT budget, TPOT budget, best pair (p · levels + m, −1 none). */
const STRIDE = 4;

export const NOT_REMEMBERED = -2;

export class IdleDecisions {
  /** STRIDE values per (kind, resident slot); NaN time spent = empty. */
  private entries = new Float64Array(0);
  private ctx: DecisionContext | null = null;
  private latency: unknown = null;
  private accuracy: unknown = null;

  constructor(private readonly residentSlots: number) {}

  /** Entry index of (kind, resident slot), or −1 when the request can't have one (unknown kind or resident). */
  entryOf(kind: number, slot: number, ctx: DecisionContext): number {
    if (kind < 0 || slot < 0 || kind >= 1 << 20) return -1;
    if (this.ctx !== ctx || this.latency !== ctx.latency || this.accuracy !== ctx.accuracy) {
      this.entries.fill(NaN);
      this.ctx = ctx;
      this.latency = ctx.latency;
      this.accuracy = ctx.accuracy;
    }
    return kind * this.residentSlots + slot;
  }

  /** The remembered best pair (−1: none feasible) or NOT_REMEMBERED. */
  get(entry: number, spentMs: number, ctx: DecisionContext): number {
    const at = entry * STRIDE;
    const e = this.entries;
    if (at >= e.length || e[at] !== spentMs || e[at + 1] !== ctx.budget.ttftMs || e[at + 2] !== ctx.budget.tpotMs) return NOT_REMEMBERED;
    return e[at + 3]!;
  }

  set(entry: number, spentMs: number, ctx: DecisionContext, best: number): void {
    const at = entry * STRIDE;
    if (at >= this.entries.length) {
      const grown = new Float64Array(Math.max(1024 * STRIDE, 2 * this.entries.length, at + STRIDE)).fill(NaN);
      grown.set(this.entries);
      this.entries = grown;
    }
    const e = this.entries;
    e[at] = spentMs;
    e[at + 1] = ctx.budget.ttftMs;
    e[at + 2] = ctx.budget.tpotMs;
    e[at + 3] = best;
  }
}
