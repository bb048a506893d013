/**
 * The decision space of ElastiLM-style policies: 10 prompt ratios × 9 model levels, each with its
 * precomputed execution shape, and the feasibility tests both modes use.
 *
 * Feasibility:
 * - isolated mode (ratio SLOs): the artifact's rule p·m ≤ ζ_TTFT ∧ m ≤ ζ_TPOT, in plain float arithmetic as
 *   the artifact computes it (so the feasible-pair counts per SLO class match its table exactly);
 * - timed mode: predicted TTFT (time already waited + TLM + switch + prefill) and TPOT within the budgets.
 */
import { MODEL_RATIOS, PROMPT_RATIOS, type Architecture, type ExecShape, type SwitchKind } from '../../cost-models/types.ts';
import { elasticShape } from '../../cost-models/index.ts';
import type { Config, DecisionContext, RequestView } from '../types.ts';
import { keptPromptTokens } from '../prompt.ts';
import { IdleDecisions } from './idle-decisions.ts';

export interface ElasticSpace {
  /** configs[p][m]: p indexes PROMPT_RATIOS (1.0 first), m indexes MODEL_RATIOS (0.2 first). */
  configs: Config[][];
  /** Switch cost into each level from `switchFrom` (recomputed when the resident shape changes). */
  switchRow: Float64Array;
  switchFrom: ExecShape | null | undefined;
  /** Switch-cost rows by resident shape, for the latency model `switchRowsOf`. */
  switchRows: Map<ExecShape | null, Float64Array>;
  /** Rows for nothing resident (slot 0) and each level m (slot m + 1): see residentSlot. */
  switchRowBySlot: Array<Float64Array | undefined>;
  /** residentSlot's last answer (for resident `slotOf`). */
  slotOf: ExecShape | null | undefined;
  slot: number;
  switchRowsOf: unknown;
  /** The per-request-shape rows of the request being decided (set by prepareRows). */
  cur: ShapeRows;
  /**
   * ShapeRows by request kind (RequestTable.kinds), and for requests of unknown kind by (system, query)
   * lengths, chained by (output length, TPOT budget). Tied to one latency model. Entries are checked against
   * the request, so kinds of another table can never pick a wrong one.
   */
  byKind: Array<ShapeRows | undefined>;
  pools: ShapePools;
  /** Best pairs of requests that find the device idle (see IdleDecisions). */
  idle: IdleDecisions;
  shapeRows: Map<number, ShapeRows>;
  shapeRowsOf: unknown;
}

type Latency = DecisionContext['latency'];

/**
 * What the frontier walk needs that depends only on a request's shape (system, query and output lengths) and
 * its TPOT budget, not on when it is served: a trace repeats a few thousand shapes over a million requests,
 * so these are computed once per shape.
 */
export interface ShapeRows {
  system: number;
  query: number;
  steps: number;
  tpotBudget: number;
  /** Where its rows sit in the space's ShapePools (entry number). */
  entry: number;
  /**
   * Largest level whose TPOT fits the budget even with the whole prompt in context (−1 if none): TPOT grows
   * with the context, so every smaller prompt at or below this level fits too and needs no decode pricing.
   */
  tpotSafeLevel: number;
  /** Largest level whose TPOT fits with the smallest prompt: no level above it fits at all. */
  tpotMaxLevel: number;
  /** Next entry with the same (system, query) lengths. */
  next: ShapeRows | undefined;
}

/** Beyond this many request shapes the rows start afresh rather than growing without bound. */
const MAX_SHAPE_ENTRIES = 1 << 16;

/** The current rows before any request (matches none: steps is never 0). */
const NO_SHAPE_ROWS: ShapeRows = {
  system: 0, query: 0, steps: 0, tpotBudget: 0, entry: -1, tpotSafeLevel: -1, tpotMaxLevel: -1, next: undefined,
};

/**
 * The rows of every request shape, each shape's in one contiguous stretch of a few shared typed arrays: a
 * trace has thousands of shapes, and one small typed array per row cost more to allocate (and to reach
 * through the CPU caches) than the rows saved.
 */
export class ShapePools {
  /** Kept prompt tokens per prompt ratio (PROMPT_RATIOS.length per entry). */
  prompt = new Int32Array(0);
  /** Where the prefill row of each (entry, prompt ratio)'s kept prompt starts in `prefill`. */
  prefillRow = new Int32Array(0);
  /** TPOT verdict per (p, m) pair (p · levels + m): −1 not priced yet, 0 misses, 1 fits. */
  tpotFit = new Int8Array(0);
  /**
   * Prefill time of every level, one row per distinct kept-prompt length (`levels` prices each), priced when
   * a shape first needs it: the walk then reads one array instead of asking the latency model (~25 % of its
   * time). Rows are per prompt length, not per shape, because shapes share prompt lengths: a few hundred
   * kilobytes stay in the CPU caches where a row per shape (megabytes) did not.
   */
  prefill = new Float64Array(0);
  private readonly rowOfPrompt = new Map<number, number>();
  count = 0;
  constructor(readonly promptRatios: number, readonly levels: number) {}

  get pairs(): number {
    return this.promptRatios * this.levels;
  }

  /** A fresh entry (its TPOT verdicts unpriced). */
  add(): number {
    if (this.count * this.promptRatios >= this.prompt.length) {
      const cap = Math.max(256, 2 * this.count);
      const prompt = new Int32Array(cap * this.promptRatios);
      prompt.set(this.prompt);
      const row = new Int32Array(cap * this.promptRatios);
      row.set(this.prefillRow);
      const fit = new Int8Array(cap * this.pairs).fill(-1);
      fit.set(this.tpotFit);
      this.prompt = prompt;
      this.prefillRow = row;
      this.tpotFit = fit;
    }
    return this.count++;
  }

  /** Start of the prefill row for a kept-prompt length, made on first use (unpriced: NaN). */
  rowFor(promptTokens: number): number {
    const known = this.rowOfPrompt.get(promptTokens);
    if (known !== undefined) return known;
    const start = this.rowOfPrompt.size * this.levels;
    if (start + this.levels > this.prefill.length) {
      const grown = new Float64Array(Math.max(256 * this.levels, 2 * this.prefill.length)).fill(NaN);
      grown.set(this.prefill);
      this.prefill = grown;
    }
    this.rowOfPrompt.set(promptTokens, start);
    return start;
  }

  clear(): void {
    this.count = 0;
    this.tpotFit.fill(-1);
    this.prefill.fill(NaN);
    this.rowOfPrompt.clear();
  }
}

export function buildElasticSpace(arch: Architecture, lora: boolean): ElasticSpace {
  // shapes and rows pushed into array literals, not made by Array.prototype.map: map's result is a packed
  // array until V8 optimizes the caller, then a holey one, and the walk's optimized code met the other kind a
  // few hundred runs into a sweep and was thrown away (half a second of recompiling per worker)
  const shapes: ExecShape[] = [];
  for (const m of MODEL_RATIOS) shapes.push(elasticShape(arch, m, lora && m < 1));
  const configs: Config[][] = [];
  for (const p of PROMPT_RATIOS) {
    const row: Config[] = [];
    for (let mi = 0; mi < MODEL_RATIOS.length; mi++) row.push({ modelRatio: MODEL_RATIOS[mi]!, promptRatio: p, shape: shapes[mi]! });
    configs.push(row);
  }
  return {
    configs,
    switchRow: new Float64Array(MODEL_RATIOS.length),
    switchFrom: undefined,
    switchRows: new Map(),
    switchRowBySlot: [],
    slotOf: undefined,
    slot: -1,
    switchRowsOf: null,
    cur: NO_SHAPE_ROWS,
    byKind: [],
    pools: new ShapePools(PROMPT_RATIOS.length, MODEL_RATIOS.length),
    idle: new IdleDecisions(MODEL_RATIOS.length + 1),
    shapeRows: new Map(),
    shapeRowsOf: null,
  };
}

/** Refreshes the per-request rows: switch costs from the resident shape, the request shape's rows. */
function prepareRows(space: ElasticSpace, req: RequestView, ctx: DecisionContext, switchKind: SwitchKind): void {
  if (space.switchFrom !== ctx.resident) {
    // residents are few (the levels, or nothing): each one's row is priced once per latency model
    if (space.switchRowsOf !== ctx.latency) {
      space.switchRows.clear();
      space.switchRowBySlot = [];
      space.switchRowsOf = ctx.latency;
    }
    // nothing resident or one of the levels (always, for these policies): a slot of the row cache
    const levels = space.configs[0]!;
    const slot = residentSlot(space, ctx.resident);
    let row = slot >= 0 ? space.switchRowBySlot[slot] : space.switchRows.get(ctx.resident);
    if (row === undefined) {
      row = new Float64Array(levels.length);
      for (let m = 0; m < levels.length; m++) {
        const to = levels[m]!.shape;
        row[m] = ctx.resident === to ? 0 : ctx.latency.switchMs(switchKind, ctx.resident, to);
      }
      if (slot >= 0) space.switchRowBySlot[slot] = row;
      else space.switchRows.set(ctx.resident, row);
    }
    space.switchRow = row;
    space.switchFrom = ctx.resident;
  }
  const steps = req.outputTokens > 1 ? req.outputTokens - 1 : 1;
  const budget = ctx.budget.tpotMs;
  if (space.shapeRowsOf !== ctx.latency) {
    forgetShapeRows(space);
    space.shapeRowsOf = ctx.latency;
  }
  const k = req.kind;
  let e = k >= 0 ? space.byKind[k] : space.cur;
  if (e !== undefined && rowsFit(e, req, steps, budget)) {
    space.cur = e;
    return;
  }
  if (space.pools.count >= MAX_SHAPE_ENTRIES) forgetShapeRows(space);
  const key = req.systemTokens < 32768 && req.queryTokens < 32768 ? req.systemTokens * 32768 + req.queryTokens : -1;
  const first = key >= 0 ? space.shapeRows.get(key) : undefined;
  e = first;
  while (e !== undefined && !rowsFit(e, req, steps, budget)) e = e.next;
  if (e === undefined) {
    e = shapeRowsFor(space, req, ctx.latency, steps, budget);
    if (key >= 0) {
      e.next = first;
      space.shapeRows.set(key, e);
    }
  }
  if (k >= 0 && k < MAX_SHAPE_ENTRIES) {
    const byKind = space.byKind;
    while (byKind.length <= k) byKind.push(undefined); // grown densely: a far index would make it a dictionary
    byKind[k] = e;
  }
  space.cur = e;
}

/** Whether rows e were computed for this request's shape and TPOT budget. */
function rowsFit(e: ShapeRows, req: RequestView, steps: number, budget: number): boolean {
  return e.system === req.systemTokens && e.query === req.queryTokens && e.steps === steps && e.tpotBudget === budget;
}

/**
 * 0 when nothing is resident, m + 1 when level m of the space is, −1 for any other shape. The last answer is
 * kept: the resident changes far less often than it is asked about.
 */
export function residentSlot(space: ElasticSpace, resident: ExecShape | null): number {
  if (space.slotOf === resident) return space.slot;
  const levels = space.configs[0]!;
  let slot = resident === null ? 0 : -1;
  if (resident !== null) {
    // levels sit at tenths from 0.2 (MODEL_RATIOS): try the level the resident's ratio names, then all
    const guess = Math.round(resident.modelRatio * 10) - 2;
    if (guess >= 0 && guess < levels.length && levels[guess]!.shape === resident) slot = guess + 1;
  }
  for (let m = 0; slot < 0 && m < levels.length; m++) if (levels[m]!.shape === resident) slot = m + 1;
  space.slotOf = resident;
  space.slot = slot;
  return slot;
}

/** Drops every request shape's rows (another latency model, or too many shapes). */
function forgetShapeRows(space: ElasticSpace): void {
  space.byKind = [];
  space.shapeRows.clear();
  space.pools.clear();
  space.cur = NO_SHAPE_ROWS;
}

/** Computes a request shape's rows (see ShapeRows). */
function shapeRowsFor(space: ElasticSpace, req: RequestView, lat: Latency, steps: number, budget: number): ShapeRows {
  const rows = space.configs;
  const e: ShapeRows = {
    system: req.systemTokens, query: req.queryTokens, steps, tpotBudget: budget, entry: space.pools.add(),
    tpotSafeLevel: -1, tpotMaxLevel: -1, next: undefined,
  };
  const pools = space.pools;
  const width = rows[0]!.length;
  for (let p = 0; p < rows.length; p++) {
    const prompt = keptPromptTokens(req.systemTokens, req.queryTokens, rows[p]![0]!.promptRatio);
    pools.prompt[e.entry * rows.length + p] = prompt;
    const row = pools.rowFor(prompt);
    pools.prefillRow[e.entry * rows.length + p] = row;
    if (Number.isNaN(pools.prefill[row])) for (let m = 0; m < width; m++) pools.prefill[row + m] = lat.prefillMs(rows[p]![m]!.shape, prompt);
  }
  // TPOT grows with the level and with the context: bound the levels worth trying with the smallest
  // context (tpotMaxLevel), then find those that fit even with the largest one (tpotSafeLevel)
  const last = rows.length - 1;
  let m = rows[0]!.length - 1;
  while (m >= 0 && !tpotFitsAt(space, e, lat, last, m)) m--;
  e.tpotMaxLevel = m;
  while (m >= 0 && !tpotFitsAt(space, e, lat, 0, m)) m--;
  e.tpotSafeLevel = m;
  return e;
}

/** tpotFits for config (p, m) of the space and a request shape, remembered in its tpotFit row. */
function tpotFitsAt(space: ElasticSpace, e: ShapeRows, lat: Latency, p: number, m: number): boolean {
  const pools = space.pools;
  const at = e.entry * pools.pairs + p * space.configs[0]!.length + m;
  const known = pools.tpotFit[at]!;
  if (known >= 0) return known === 1;
  const fits = tpotFits(lat, space.configs[p]![m]!.shape, pools.prompt[e.entry * pools.promptRatios + p]!, e.steps, e.tpotBudget);
  pools.tpotFit[at] = fits ? 1 : 0;
  return fits;
}

/**
 * Whether the mean decode step over `steps` steps from context `start` fits the budget. The mean lies
 * between the first and the last step (decode cost never falls with the context), so those two single-step
 * prices settle most cases; only the undecided ones (a margin keeps rounding out) are summed.
 */
function tpotFits(lat: Latency, shape: ExecShape, start: number, steps: number, budget: number): boolean {
  if (lat.decodeStepMs(shape, start + steps - 1) < budget * (1 - 1e-9)) return true;
  if (lat.decodeStepMs(shape, start) > budget * (1 + 1e-9)) return false;
  return lat.decodeMs(shape, start, steps) / steps <= budget;
}

/**
 * The latency rule for pair (p, m) on the current request shape's rows (prepareRows), with x the time
 * already waited plus the TLM's (ctx.tlmMs): TTFT (x + switch + prefill, summed in that order as latencyFeasible does)
 * first, then TPOT, settled for every level up to tpotSafeLevel. The frontier walk and pairFeasible share it.
 */
function fitsOnRows(space: ElasticSpace, e: ShapeRows, p: number, m: number, x: number, ttftBudget: number, lat: Latency): boolean {
  const pools = space.pools;
  if (x + space.switchRow[m]! + pools.prefill[pools.prefillRow[e.entry * pools.promptRatios + p]! + m]! > ttftBudget) return false;
  return m <= e.tpotSafeLevel || tpotFitsAt(space, e, lat, p, m);
}

/** The artifact's ratio rule. */
export function ratioFeasible(p: number, m: number, ttft: number, tpot: number): boolean {
  return p * m <= ttft && m <= tpot;
}

/**
 * Predicted-latency rule of timed mode (also used for millisecond SLOs in isolated mode). TTFT is checked
 * first: under queueing it is the constraint that binds, and it is the cheaper one to price.
 *
 * This is the rule for any single config, priced directly; fitsOnRows is the same rule on the per-request
 * rows of the space that prepareRows filled (the frontier walk's form).
 */
function latencyFeasible(c: Config, req: RequestView, ctx: DecisionContext, switchKind: SwitchKind): boolean {
  const lat = ctx.latency;
  const prompt = keptPromptTokens(req.systemTokens, req.queryTokens, c.promptRatio);
  const sw = ctx.resident === c.shape ? 0 : lat.switchMs(switchKind, ctx.resident, c.shape);
  if (ctx.waitedMs + ctx.tlmMs + sw + lat.prefillMs(c.shape, prompt) > ctx.budget.ttftMs) return false;
  return tpotFits(lat, c.shape, prompt, req.outputTokens > 1 ? req.outputTokens - 1 : 1, ctx.budget.tpotMs);
}

/** Whether config c is feasible for this request in the current mode (the TLM's time is ctx.tlmMs). */
export function feasible(c: Config, req: RequestView, ctx: DecisionContext, switchKind: SwitchKind): boolean {
  if (ctx.mode === 'isolated' && req.slo.unit === 'ratio') {
    return ratioFeasible(c.promptRatio, c.modelRatio, req.slo.ttft, req.slo.tpot);
  }
  return latencyFeasible(c, req, ctx, switchKind);
}

/**
 * feasible() for config (p, m) of the space, answered from the space's rows for this request (made current
 * here if the frontier walk has not just done so).
 */
export function pairFeasible(
  space: ElasticSpace,
  p: number,
  m: number,
  req: RequestView,
  ctx: DecisionContext,
  switchKind: SwitchKind,
): boolean {
  if (ctx.mode === 'isolated' && req.slo.unit === 'ratio') {
    const c = space.configs[p]![m]!;
    return ratioFeasible(c.promptRatio, c.modelRatio, req.slo.ttft, req.slo.tpot);
  }
  prepareRows(space, req, ctx, switchKind);
  return fitsOnRows(space, space.cur, p, m, ctx.waitedMs + ctx.tlmMs, ctx.budget.ttftMs, ctx.latency);
}

/**
 * The feasible frontier: for each prompt ratio, the largest feasible model level (−1 if none). A level's
 * latency grows with the prompt (its switch cost does not depend on the prompt), so the frontier level never
 * rises as the prompt grows: a staircase walk from the smallest prompt up needs at most (#prompt ratios +
 * #levels) feasibility checks, not 90. (Switch costs can make a level infeasible below a feasible one; the
 * frontier is still the largest feasible level, which is what the walk finds.)
 */
export function frontier(
  space: ElasticSpace,
  req: RequestView,
  ctx: DecisionContext,
  switchKind: SwitchKind,
  into: Int8Array,
): Int8Array {
  const rows = space.configs;
  let m = rows[0]!.length - 1;
  if (ctx.mode === 'isolated' && req.slo.unit === 'ratio') {
    for (let p = rows.length - 1; p >= 0; p--) {
      const row = rows[p]!;
      while (m >= 0 && !ratioFeasible(row[m]!.promptRatio, row[m]!.modelRatio, req.slo.ttft, req.slo.tpot)) m--;
      into[p] = m;
    }
    return into;
  }
  prepareRows(space, req, ctx, switchKind);
  // the latency rule on the request shape's rows: TTFT (time already waited + TLM + switch + prefill, summed
  // in that order as latencyFeasible does) first, then TPOT, settled for every level up to tpotSafeLevel
  const e = space.cur;
  const waitedAndTlm = ctx.waitedMs + ctx.tlmMs;
  const budget = ctx.budget.ttftMs;
  m = e.tpotMaxLevel;
  for (let p = rows.length - 1; p >= 0; p--) {
    while (m >= 0 && !fitsOnRows(space, e, p, m, waitedAndTlm, budget, ctx.latency)) m--;
    into[p] = m;
  }
  return into;
}
