/**
 * runScenario(): the one API behind `elastitwin run`, sweeps and tests. A run is a pure function of
 * (scenario, seed, code version): same inputs → byte-identical summary.json.
 *
 * Random streams (all from the scenario seed, see sim/rng.ts): the trace generator uses the seed's stream
 * jumped 1-3 times; the correct/incorrect draws (one uniform per request shared by every policy: common
 * random numbers, so policies are compared on the same luck) use it jumped 64 times; each policy gets a
 * stream derived from (seed, label), so its results do not depend on which other policies run beside it.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync, statSync } from 'node:fs';
import type { Architecture, ExecShape } from '../cost-models/types.ts';
import {
  getArchitecture, getDevice, type EngineChoice, fullShape, residentMemory, kvCacheBytes, checkFitsDevice,
} from '../cost-models/index.ts';
import { loadAccuracySurfaces } from '../cost-models/accuracy/index.ts';
import { InputError } from '../base/errors.ts';
import { generateTrace, readTraceFile } from './trace/index.ts';
import type { RequestTable } from './request-table.ts';
import { Rng } from '../base/rng.ts';
import { simulate, type ServiceResult } from './service.ts';
import { memoizeLatency } from './latency-memo.ts';
import { createPolicy } from './policies/registry.ts';
import { getQueue } from './queues/index.ts';
import { summarizePolicy } from './metrics.ts';
import { requestRows } from './requests-csv.ts';
import { policyEntries, type LoadedScenario, type Scenario } from './scenario.ts';
import { createRunLatency, type LatencySpecJson } from './latency-kinds.ts';
import { VERSION } from '../base/version.ts';
import type { RunSummary } from './results.ts';
import type { RequestRow } from './results.ts';
import { QUANTILE_METHOD } from './results.ts';

export interface RunOverrides {
  /** Run only these policies (labels or names of the scenario's entries, or any registered policy). */
  policies?: string[];
  seed?: number;
  /** Replace the scenario's trace with a file. */
  trace?: { path: string; format: 'jsonl' | 'elastilm' };
  /** Replace the scenario's latency model. */
  latency?: LatencySpecJson;
  /** Plug-in files given on the command line (absolute), recorded after the scenario's own. */
  plugins?: string[];
  /** Replace the scenario's engine and weight precision. */
  engine?: EngineChoice;
  dtype?: string;
}

export interface RunResult {
  summary: RunSummary;
  /** requests.csv rows, when the scenario asks for them. */
  rows: RequestRow[] | null;
  table: RequestTable;
  results: Array<{ label: string; result: ServiceResult }>;
}

const tokenizerFor = (arch: Architecture): 'llama' | 'llama3' => (arch.id.startsWith('llama3') ? 'llama3' : 'llama');

/** Applies CLI overrides to a validated scenario (the summary records the scenario as run). */
export function applyOverrides(s: Scenario, o: RunOverrides): Scenario {
  const out: Scenario = JSON.parse(JSON.stringify(s));
  if (o.seed !== undefined) out.seed = o.seed;
  if (o.latency) out.latency = o.latency;
  if (o.plugins && o.plugins.length > 0) out.plugins = [...(s.plugins ?? []), ...o.plugins];
  if (o.engine !== undefined) out.engine = o.engine;
  if (o.dtype !== undefined) out.dtype = o.dtype;
  if (o.trace) {
    const prev = s.trace;
    out.trace = { kind: 'file', path: o.trace.path, format: o.trace.format };
    if (o.trace.format === 'elastilm') {
      out.trace.arrival = prev.kind === 'paper' ? prev.arrival : prev.arrival ?? { process: 'none' };
    }
  }
  if (o.policies) {
    const entries = policyEntries(s);
    out.policies = o.policies.map((name) => {
      const e = entries.find((x) => x.label === name || x.name === name);
      return e ? { name: e.name, label: e.label, options: e.options } : name;
    });
  }
  return out;
}

/**
 * The scenario's trace: generated (its errors are the scenario's, at /trace) or read from its file (whose
 * errors name the file's own lines).
 */
async function loadTrace(file: string, s: Scenario, baseDir: string, arch: Architecture): Promise<RequestTable> {
  const t = s.trace;
  const tokenizer = t.tokenizer ?? tokenizerFor(arch);
  if (t.kind === 'paper') {
    return atPath(file, '/trace', () =>
      generateTrace({ requests: t.requests, alpha: t.alpha, skewConvention: t.skewConvention ?? 'paper', arrival: t.arrival, tokenizer, seed: s.seed }),
    );
  }
  return readTraceFile(path.resolve(baseDir, t.path), t.format, { tokenizer, seed: s.seed, arrival: t.arrival ?? { process: 'none' } });
}

/**
 * KV-cache bytes of a shape at a context length. The cache is linear in the context, so the per-token
 * size is computed once per shape (the service asks on every request). A shape may run another model than
 * the scenario's (PFS's OPT models): it is sized by its own architecture.
 */
export function kvBytesPerShape(arch: Architecture, dtype: Scenario['dtype']): (shape: ExecShape, contextTokens: number) => number {
  const perToken = new WeakMap<ExecShape, number>();
  // consecutive requests mostly run the same shape: remember the last one before asking the WeakMap
  let lastShape: ExecShape | undefined;
  let lastBytes = 0;
  return (shape, contextTokens) => {
    if (shape !== lastShape) {
      let b = perToken.get(shape);
      if (b === undefined) {
        b = kvCacheBytes(shape.arch === arch.id ? arch : getArchitecture(shape.arch), shape, 1, dtype);
        perToken.set(shape, b);
      }
      lastShape = shape;
      lastBytes = b;
    }
    return lastBytes * contextTokens;
  };
}

/**
 * Accuracy surfaces by (user files, their modification times): a sweep worker runs many scenarios in one
 * process, and parsing the shipped surfaces again for each run cost ~8 % of a run.
 */
const surfaceCache = new Map<string, ReturnType<typeof loadAccuracySurfaces>>();
function cachedAccuracySurfaces(files: string[]): ReturnType<typeof loadAccuracySurfaces> {
  const key = JSON.stringify(files.map((f) => [f, existsSync(f) ? statSync(f).mtimeMs : -1]));
  let surfaces = surfaceCache.get(key);
  if (!surfaces) {
    surfaces = loadAccuracySurfaces({ files });
    surfaceCache.set(key, surfaces);
  }
  return surfaces;
}

/** Re-throws an InputError of `fn` as one located at a JSON path of the scenario file. */
function atPath<T>(file: string, jsonPath: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof InputError) throw new InputError(`${file}: ${jsonPath}`, e.message);
    throw e;
  }
}

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));

/**
 * Provenance names files (shipped surfaces, profiles). Paths inside the repository are recorded relative to
 * its root, so summary.json does not depend on where the repository is checked out.
 */
function portable<T>(value: T): T {
  return JSON.parse(
    JSON.stringify(value, (_k, v: unknown) =>
      typeof v === 'string' && v.startsWith(REPO_ROOT) ? v.slice(REPO_ROOT.length) : v,
    ),
  ) as T;
}

/**
 * Run-level streams sit 64 jumps past the seed's own stream: the trace generator and importer use jumps
 * 1-3, so nothing the run draws can coincide with the trace's randomness.
 */
const RUN_STREAM_JUMPS = 64;

export async function runScenario(loaded: LoadedScenario, overrides: RunOverrides = {}): Promise<RunResult> {
  const s = applyOverrides(loaded.scenario, overrides);
  const arch = atPath(loaded.file, '/model', () => getArchitecture(s.model, loaded.baseDir));
  const device = atPath(loaded.file, '/device', () => getDevice(s.device, loaded.baseDir));
  const table = await loadTrace(loaded.file, s, loaded.baseDir, arch);
  // a generated trace is never empty (generateTrace refuses one); a trace file may be
  if (table.length === 0) throw new InputError(`${loaded.file}: /trace`, 'the trace has no requests');
  const accuracy = cachedAccuracySurfaces((s.accuracy?.files ?? []).map((f) => path.resolve(loaded.baseDir, f)));
  const latency = await createRunLatency(s.latency, {
    arch, device: device.id, deviceSpec: device, dtype: s.dtype, threads: s.threads, baseDir: loaded.baseDir, table,
    ...(s.engine !== undefined ? { engine: s.engine } : {}),
    where: overrides.latency ? '--latency' : `${loaded.file}: /latency`,
  });
  try {
    const draws = Rng.fromSeed(s.seed).fork(RUN_STREAM_JUMPS);
    const correctDraws = new Float64Array(table.length);
    for (let i = 0; i < table.length; i++) correctDraws[i] = draws.uniform();
    const queue = getQueue(s.queue, `${loaded.file}: /queue`);
    const full = fullShape(arch);
    const memoLatency = memoizeLatency(latency);
    const results: RunResult['results'] = [];
    const summaries = [];
    const rows: RequestRow[] = [];
    const wantRows = s.output?.requestsCsv !== false;
    for (const [k, e] of policyEntries(s).entries()) {
      const policy = createPolicy(e.name, e.options, { arch, model: s.model }, overrides.policies ? '--policies' : `${loaded.file}: /policies/${k}`);
      const residentBytes = policy.method.residentBytes
        ? policy.method.residentBytes(arch, s.dtype)
        : residentMemory(policy.method.accuracyMethod, arch, s.dtype).bytes;
      if (!Number.isFinite(residentBytes) || residentBytes < 0) {
        throw new InputError(`policy "${e.label}"`, `residentBytes must be a finite number of bytes >= 0, got ${residentBytes}`);
      }
      checkFitsDevice(residentBytes, device);
      const result = simulate({
        mode: s.mode,
        table,
        policy,
        arch,
        model: s.model,
        latency: memoLatency,
        accuracy,
        queue,
        onLate: s.onLate,
        rng: Rng.derive(s.seed, `policy:${e.label}`),
        correctDraws,
        fullShape: full,
        residentBytes,
        kvBytes: kvBytesPerShape(arch, s.dtype),
        timelineSamples: s.output?.timelineSamples ?? 400,
      });
      results.push({ label: e.label, result });
      summaries.push(summarizePolicy(e.label, policy.method.accuracyMethod, table, result));
      if (wantRows) rows.push(...requestRows(e.label, table, result.outcomes));
    }
    const summary: RunSummary = {
      schemaVersion: 1,
      tool: { name: 'elastitwin', version: VERSION },
      scenario: {
        name: s.name,
        mode: s.mode,
        device: s.device,
        model: s.model,
        seed: s.seed,
        requests: table.length,
        spec: portable(s) as unknown as Record<string, unknown>,
      },
      latency: portable({ kind: latency.provenance.kind, device: latency.provenance.device, detail: latency.provenance.detail }),
      accuracy: portable(accuracy.provenance()),
      quantileMethod: QUANTILE_METHOD,
      policies: summaries,
    };
    return { summary, rows: wantRows ? rows : null, table, results };
  } finally {
    await latency.close?.();
  }
}
