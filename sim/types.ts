/**
 * Contracts of the simulator: requests, configurations, policies and per-request outcomes.
 * The engine keeps requests in columns (`RequestTable`) for speed; policies see one request at a time
 * through a reused `RequestView` (do not keep a reference to it after `decide` returns).
 */
import type { ExecShape, LatencyModel, SwitchKind, Architecture, Dtype } from '../cost-models/types.ts';
import type { AccuracySurface } from '../cost-models/accuracy/types.ts';
import type { Rng } from '../base/rng.ts';

/** The six datasets of the paper's traces, in the artifact's spelling. */
export const DATASETS = ['OBQA', 'ARC_E', 'octopus', 'llamatouch', 'PIQA', 'SCIQ'] as const;
export type Dataset = (typeof DATASETS)[number];

/** An SLO: either ratios of the full model's latency for this request (the paper) or milliseconds. */
export interface Slo {
  ttft: number;
  tpot: number;
  unit: 'ratio' | 'ms';
}

/** One request as traces carry it (our JSONL line format). */
export interface RequestSpec {
  id: number;
  /** SLO class name (the app), e.g. 'Rewind'. */
  app: string;
  dataset: Dataset;
  arrivalMs: number;
  /** Compressible part of the prompt (few-shot examples, function/app docs), in LLM tokens. */
  systemTokens: number;
  /** Fixed part of the prompt (the query), in LLM tokens. */
  queryTokens: number;
  outputTokens: number;
  slo: Slo;
}

/**
 * A policy's answer: what to run for this request. Never changed once returned (the service reuses a
 * config's prices for further requests of the same kind).
 */
export interface Config {
  /** Nominal model ratio on the method's axis (0.2..1.0); judged by the isolated-mode ratio rule. */
  modelRatio: number;
  /** Share of the whole prompt kept (0.1..1.0); only the system prompt is compressed. */
  promptRatio: number;
  /** What executes, for the latency model. */
  shape: ExecShape;
  /** Accuracy-surface key of the model actually run (defaults to the scenario's model). */
  accuracyModel?: string;
  /** Model ratio used for the accuracy query, when it differs from the nominal one (a fixed small model: 1). */
  accuracyModelRatio?: number;
}

export interface Rejection {
  reject: string;
}
export type Decision = Config | Rejection;

/** Static facts of a method: how it is priced and what it keeps resident. */
export interface MethodSpec {
  /** Accuracy-surface method key. */
  accuracyMethod: string;
  switchKind: SwitchKind;
  /** Whether a TLM call precedes every request (billed to TTFT). */
  usesTlm: boolean;
  /**
   * Bytes the method keeps resident on the device (weights, LoRA, KV, runtime), checked against the phone's
   * memory before the run. Absent: the shipped method of `accuracyMethod` (cost-models/memory.ts) is assumed,
   * so a plug-in with a method of its own states its memory here instead of editing the source tree.
   */
  residentBytes?: (arch: Architecture, dtype: Dtype) => number;
}

/**
 * What a policy may look at when it decides. One object per run, updated before each decision: a policy may
 * key caches that hold only within a run (per request kind, say) on its identity.
 */
export interface DecisionContext {
  nowMs: number;
  /** Time the request has already spent waiting (0 in isolated mode). */
  waitedMs: number;
  mode: 'isolated' | 'timed';
  arch: Architecture;
  /** Memoized latency model of the run. */
  latency: LatencyModel;
  accuracy: AccuracySurface;
  rng: Rng;
  /** Shape resident on the device before this request (null at start). */
  resident: ExecShape | null;
  /** Latency budget of this request in ms (from its SLO; ratios already resolved against the full model). */
  budget: { ttftMs: number; tpotMs: number };
  /** The full model's TTFT and TPOT for this request (what SLO ratios refer to). */
  full: { ttftMs: number; tpotMs: number };
  /** The TLM's time on this request's whole prompt if the policy's method uses one (billed to TTFT), else 0. */
  tlmMs: number;
}

/** A scheduling policy: picks a config per request. One file per policy under sim/policies/. */
export interface Policy {
  readonly name: string;
  readonly method: MethodSpec;
  decide(req: RequestView, ctx: DecisionContext): Decision;
}

/** Factory registered by name; `options` come from the scenario's policy entry. */
export type PolicyFactory = (options: Record<string, unknown>, env: PolicyEnv) => Policy;
export interface PolicyEnv {
  arch: Architecture;
  model: string;
}

/** A read-only view of one request (flyweight; valid only during the call it is passed to). */
export interface RequestView {
  index: number;
  /**
   * The request's kind (RequestTable.kinds): requests of one kind have the same class and lengths, so a
   * policy may cache per kind what depends on those alone. −1 when unknown.
   */
  kind: number;
  id: number;
  appIndex: number;
  app: string;
  dataset: Dataset;
  arrivalMs: number;
  systemTokens: number;
  queryTokens: number;
  outputTokens: number;
  slo: Slo;
}
