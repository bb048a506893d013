/**
 * The published claims the priors must honour (constraints.json), and how each is measured on a surface.
 * The same evaluator serves the fit (on the analytic prior, with smooth stand-ins for counts) and the tests
 * (on the shipped grids, exactly). A claim about policies' choices is evaluated with the per-class choices
 * of slo-choices.ts, so it is a pure function of the SLOs and the surface.
 */
import { readFileSync } from 'node:fs';
import { MODEL_RATIOS, PROMPT_RATIOS } from '../types.ts';
import type { AccuracyQuery, AccuracySurface } from './types.ts';
import { BASELINES, DATASETS, ELASTIC_MODELS, type Baseline, type ElasticModel } from './catalogue.ts';
import {
  STANDALONE_SLOS,
  TRACE_CLASSES,
  TRACE_COUNTS,
  TRACE_DENOMINATOR,
  baselineQuery,
  elasticChoice,
  elastilmExpected,
  type ElasticChoice,
  type Slo,
} from './slo-choices.ts';

export type ConstraintMetric =
  | 'cell'
  | 'loss-at-ttft-speedup'
  | 'loss-at-tpot-speedup'
  | 'e2e-gain-min'
  | 'e2e-gain-max'
  | 'e2e-gain-mean'
  | 'standalone-max-gain'
  | 'standalone-share-beating'
  | 'standalone-min-margin'
  | 'random-vs-oracle'
  | 'score-head-ablation'
  | 'trace-class-min-margin';

export interface Constraint {
  id: string;
  citation: string;
  statement: string;
  metric: ConstraintMetric;
  /** Metric arguments (a query, an SLO, a model, baselines, …). */
  args?: Record<string, unknown>;
  target: number;
  tolerance: number;
  /** eq: |value − target| ≤ tolerance; ge: value ≥ target − tolerance; le: value ≤ target + tolerance. */
  sense: 'eq' | 'ge' | 'le';
}

export const CONSTRAINTS_FILE = new URL('./constraints.json', import.meta.url);

export function loadConstraints(): { revised: string; decisionQuality: number; constraints: Constraint[] } {
  return JSON.parse(readFileSync(CONSTRAINTS_FILE, 'utf8'));
}

export function withinTolerance(c: Constraint, value: number): boolean {
  const slack = 1e-12;
  if (c.sense === 'eq') return Math.abs(value - c.target) <= c.tolerance + slack;
  if (c.sense === 'ge') return value >= c.target - c.tolerance - slack;
  return value <= c.target + c.tolerance + slack;
}

/** Evaluates constraints on one surface, caching the ElastiLM choices they share. */
export class ConstraintEvaluator {
  private readonly choices = new Map<string, ElasticChoice>();
  private readonly query: AccuracyQuery = { method: 'elastilm', model: '', dataset: '', modelRatio: 1, promptRatio: 1 };
  private gains: Map<Baseline, number> | undefined;

  /** `smooth`: replace counts by logistic stand-ins so a least-squares fit sees a gradient. */
  constructor(
    private readonly surface: AccuracySurface,
    private readonly opts: { decisionQuality: number; smooth?: boolean },
  ) {}

  value(c: Constraint): number {
    const a = c.args ?? {};
    switch (c.metric) {
      case 'cell':
        return this.surface.quality(a.query as AccuracyQuery);
      case 'loss-at-ttft-speedup':
        return this.minLossWithin((p, m) => p * m <= (a.ttftRatio as number) + 1e-9);
      case 'loss-at-tpot-speedup':
        return this.minLossWithin((_p, m) => m <= (a.tpotRatio as number) + 1e-9);
      case 'e2e-gain-min':
        return Math.min(...this.e2eGains().values());
      case 'e2e-gain-max':
        return Math.max(...this.e2eGains().values());
      case 'e2e-gain-mean': {
        const g = [...this.e2eGains().values()];
        return g.reduce((s, x) => s + x, 0) / g.length;
      }
      case 'standalone-max-gain':
        return this.standalone(BASELINES, (gaps) => Math.max(...gaps));
      case 'standalone-share-beating':
        return this.standalone([a.baseline as Baseline], (gaps) => {
          const won = this.opts.smooth ? gaps.map((g) => 1 / (1 + Math.exp(-g / 0.006))) : gaps.map((g) => (g > 0 ? 1 : 0));
          return won.reduce((s, x) => s + x, 0) / gaps.length;
        });
      case 'standalone-min-margin':
        return this.standalone(a.baselines as Baseline[], (gaps) => Math.min(...gaps));
      case 'random-vs-oracle': {
        const ch = this.choice('elastilm', a.model as string, a.dataset as string, a.slo as Slo);
        return ch.best - ch.randomFeasible;
      }
      case 'score-head-ablation':
        return this.scoreHeadAblation(a.model as ElasticModel, a.alpha as number);
      case 'trace-class-min-margin':
        return this.traceClassMinMargin();
    }
  }

  private choice(method: string, model: string, dataset: string, slo: Slo): ElasticChoice {
    const key = `${method}|${model}|${dataset}|${slo.ttft}|${slo.tpot}`;
    let ch = this.choices.get(key);
    if (!ch) this.choices.set(key, (ch = elasticChoice(this.surface, method, model, dataset, slo, this.query)));
    return ch;
  }

  private expected(model: string, dataset: string, slo: Slo, method = 'elastilm'): number {
    return elastilmExpected(this.choice(method, model, dataset, slo), this.opts.decisionQuality);
  }

  private full(model: string, dataset: string): number {
    return this.surface.quality({ method: 'full', model, dataset, modelRatio: 1, promptRatio: 1 });
  }

  /** Smallest accuracy loss, over models and datasets, of ElastiLM's best grid pair inside a speed-up. */
  private minLossWithin(allowed: (p: number, m: number) => boolean): number {
    let least = Infinity;
    const q = this.query;
    for (const model of ELASTIC_MODELS)
      for (const dataset of DATASETS) {
        Object.assign(q, { method: 'elastilm', model, dataset });
        let best = -Infinity;
        for (const p of PROMPT_RATIOS)
          for (const m of MODEL_RATIOS) {
            if (!allowed(p, m)) continue;
            q.promptRatio = p;
            q.modelRatio = m;
            best = Math.max(best, this.surface.quality(q));
          }
        least = Math.min(least, this.full(model, dataset) - best);
      }
    return least;
  }

  /** Per baseline: ElastiLM's expected trace accuracy minus the baseline's, averaged over models × traces. */
  e2eGains(): Map<Baseline, number> {
    if (this.gains) return this.gains;
    const gains = new Map<Baseline, number>();
    for (const b of BASELINES) {
      let sum = 0;
      for (const model of ELASTIC_MODELS)
        for (const { counts } of TRACE_COUNTS) {
          let diff = 0;
          TRACE_CLASSES.forEach(({ dataset, slo }, i) => {
            const base = this.surface.quality(baselineQuery(b, model, dataset, slo));
            diff += counts[i]! * (this.expected(model, dataset, slo) - base);
          });
          sum += diff / TRACE_DENOMINATOR;
        }
      gains.set(b, sum / (ELASTIC_MODELS.length * TRACE_COUNTS.length));
    }
    return (this.gains = gains);
  }

  /** Applies `reduce` to the gaps ElastiLM − baseline over every standalone cell (model × dataset × SLO). */
  private standalone(baselines: readonly Baseline[], reduce: (gaps: number[]) => number): number {
    const gaps: number[] = [];
    for (const model of ELASTIC_MODELS)
      for (const dataset of DATASETS)
        for (const slo of STANDALONE_SLOS) {
          const e = this.expected(model, dataset, slo);
          for (const b of baselines) gaps.push(e - this.surface.quality(baselineQuery(b, model, dataset, slo)));
        }
    return reduce(gaps);
  }

  /** ElastiLM's trace accuracy minus the same with naive truncation (the llm-pruner surface) instead of the score head. */
  private scoreHeadAblation(model: ElasticModel, alpha: number): number {
    const trace = TRACE_COUNTS.find((t) => t.alpha === alpha);
    if (!trace) throw new Error(`no trace with alpha ${alpha}`);
    let diff = 0;
    TRACE_CLASSES.forEach(({ dataset, slo }, i) => {
      diff += trace.counts[i]! * (this.expected(model, dataset, slo) - this.expected(model, dataset, slo, 'llm-pruner'));
    });
    return diff / TRACE_DENOMINATOR;
  }

  /** Smallest margin, over models × trace classes × baselines, of ElastiLM's best feasible pair over the baseline. */
  private traceClassMinMargin(): number {
    let least = Infinity;
    for (const model of ELASTIC_MODELS)
      for (const { dataset, slo } of TRACE_CLASSES) {
        const best = this.choice('elastilm', model, dataset, slo).best;
        for (const b of BASELINES) least = Math.min(least, best - this.surface.quality(baselineQuery(b, model, dataset, slo)));
      }
    return least;
  }
}
