/**
 * Shape of a run's `summary.json` (its JSON Schema is reports/schemas/summary.schema.json).
 * Everything here is plain data so reports can be rebuilt from the file alone.
 */

/** Quantile method used for every percentile in the twin (simple-statistics' quantileSorted). */
export const QUANTILE_METHOD =
  'linear interpolation between closest ranks (R type 7, numpy default), via simple-statistics quantileSorted';

export interface Percentiles {
  mean: number;
  p50: number;
  p90: number;
  p99: number;
}

export interface Metrics {
  requests: number;
  served: number;
  dropped: number;
  /** Share of requests answered correctly (seeded draw from the expected quality), the paper's metric. */
  accuracy: number;
  /** Mean expected quality (probability of a correct answer) over requests; dropped count as 0. */
  expectedAccuracy: number;
  /** Share answered correctly AND within both SLOs: the headline metric. */
  accuracyUnderSlo: number;
  sloAttainment: { ttft: number; tpot: number; both: number };
  ttftMs: Percentiles;
  tpotMs: Percentiles;
  queueMs: Percentiles;
  /** Mean TLM time per request (ms). */
  tlmMsMean: number;
  switches: number;
  /** Total switch time / total TTFT. */
  switchTimeShareOfTtft: number;
  peakMemoryBytes: number;
}

export interface ClassSummary {
  app: string;
  dataset: string;
  slo: { ttft: number; tpot: number; unit: 'ratio' | 'ms' };
  metrics: Metrics;
}

export interface ConfigCount {
  modelRatio: number;
  promptRatio: number;
  count: number;
}

export interface PolicySummary {
  policy: string;
  method: string;
  overall: Metrics;
  perClass: ClassSummary[];
  configHistogram: ConfigCount[];
  /** Timed mode only: queue length and resident model ratio sampled over time. */
  timeline?: { tMs: number[]; queueLength: number[]; residentModelRatio: number[] };
}

export interface RunSummary {
  schemaVersion: 1;
  tool: { name: 'elastitwin'; version: string };
  scenario: {
    name: string;
    mode: 'isolated' | 'timed';
    device: string;
    model: string;
    seed: number;
    requests: number;
    /** The validated scenario as run (after CLI overrides). */
    spec: Record<string, unknown>;
  };
  latency: { kind: string; device: string; detail: Record<string, unknown> };
  accuracy: Array<Record<string, unknown>>;
  quantileMethod: string;
  policies: PolicySummary[];
}

/** One request under one policy: a row of requests.csv. */
export interface RequestRow {
  policy: string;
  id: number;
  app: string;
  dataset: string;
  arrivalMs: number;
  modelRatio: number | null;
  promptRatio: number | null;
  promptTokens: number;
  outputTokens: number;
  queueMs: number | null;
  tlmMs: number | null;
  switchMs: number | null;
  prefillMs: number | null;
  decodeMs: number | null;
  ttftMs: number | null;
  tpotMs: number | null;
  ttftBudgetMs: number;
  tpotBudgetMs: number;
  ttftOk: boolean;
  tpotOk: boolean;
  sloMet: boolean;
  quality: number;
  correct: boolean;
  dropped: boolean;
}

/** Columns of requests.csv, in order (documented in docs/reports.md). */
export const REQUEST_CSV_COLUMNS = [
  'policy',
  'id',
  'app',
  'dataset',
  'arrival_ms',
  'model_ratio',
  'prompt_ratio',
  'prompt_tokens',
  'output_tokens',
  'queue_ms',
  'tlm_ms',
  'switch_ms',
  'prefill_ms',
  'decode_ms',
  'ttft_ms',
  'tpot_ms',
  'ttft_budget_ms',
  'tpot_budget_ms',
  'ttft_ok',
  'tpot_ok',
  'slo_met',
  'quality',
  'correct',
  'dropped',
] as const;
