/**
 * Scenarios: JSON files validated by scenarios/schema/scenario.schema.json. A scenario is named either by
 * a path to a file or by the name of one shipped in scenarios/. Relative paths inside a scenario are
 * resolved against the scenario file's folder; the summary keeps them as written (so outputs do not depend
 * on where the repository is checked out).
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../base/errors.ts';
import { readJsonFile, schemaValidator, describeAjvErrors } from '../base/json-file.ts';
import type { EngineChoice } from '../cost-models/index.ts';

export const SCENARIO_DIR = fileURLToPath(new URL('../scenarios/', import.meta.url));
export const SCENARIO_SCHEMA = new URL('../scenarios/schema/scenario.schema.json', import.meta.url);

export type ArrivalSpec =
  | { process: 'none' }
  | { process: 'poisson'; ratePerMin: number }
  | { process: 'bursty'; ratePerMin: number; burstFactor: number; meanBurstLength: number };

export type TraceSpec =
  | {
      kind: 'paper';
      requests: number;
      alpha: number;
      skewConvention?: 'paper' | 'artifact';
      tokenizer?: 'llama' | 'llama3';
      arrival: ArrivalSpec;
    }
  | { kind: 'file'; path: string; format: 'jsonl' | 'elastilm'; tokenizer?: 'llama' | 'llama3'; arrival?: ArrivalSpec };

export type { LatencySpecJson } from './latency-kinds.ts';
import type { LatencySpecJson } from './latency-kinds.ts';

export interface PolicyEntry {
  name: string;
  label?: string;
  options?: Record<string, unknown>;
}

export interface Scenario {
  name: string;
  description?: string;
  /** Plug-in files, relative to the scenario file (loaded by the CLI before the run). */
  plugins?: string[];
  mode: 'isolated' | 'timed';
  device: string;
  model: string;
  /** A precision id (cost-models/precisions.ts). */
  dtype: string;
  /** Absent: mllm, the paper's runtime. */
  engine?: EngineChoice;
  threads: number;
  latency: LatencySpecJson;
  accuracy?: { files?: string[] };
  policies: Array<string | PolicyEntry>;
  queue: string;
  onLate: 'serve' | 'drop';
  trace: TraceSpec;
  seed: number;
  output?: { html?: boolean; requestsCsv?: boolean; timelineSamples?: number };
}

export interface LoadedScenario {
  scenario: Scenario;
  /** Folder relative paths are resolved against. */
  baseDir: string;
  /** File it came from. */
  file: string;
}

/** Shipped scenario names (file names without .json), sorted. */
export function listScenarioNames(): string[] {
  return readdirSync(SCENARIO_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort();
}

export function findScenarioFile(nameOrPath: string): string {
  if (nameOrPath.endsWith('.json') || nameOrPath.includes('/') || nameOrPath.includes(path.sep)) {
    if (!existsSync(nameOrPath)) throw new InputError(nameOrPath, 'scenario file not found');
    return nameOrPath;
  }
  const shipped = path.join(SCENARIO_DIR, `${nameOrPath}.json`);
  if (existsSync(shipped)) return shipped;
  throw new InputError(
    `scenario "${nameOrPath}"`,
    `no such shipped scenario and no such file (shipped: ${listScenarioNames().join(', ')})`,
  );
}

export function loadScenario(nameOrPath: string): LoadedScenario {
  const file = findScenarioFile(nameOrPath);
  const scenario = validateScenario(readJsonFile(file, 'scenario'), file);
  return { scenario, baseDir: path.dirname(path.resolve(file)), file };
}

/** Validates a scenario object (filling defaults into a copy); `where` names its origin in errors. */
export function validateScenario(data: unknown, where: string): Scenario {
  const copy: unknown = JSON.parse(JSON.stringify(data));
  const validate = schemaValidator(SCENARIO_SCHEMA);
  if (!validate(copy)) throw new InputError(where, `invalid scenario: ${describeAjvErrors(validate.errors)}`);
  return copy as Scenario;
}

export interface ResolvedPolicyEntry {
  name: string;
  label: string;
  options: Record<string, unknown>;
}

export function policyEntries(s: Scenario): ResolvedPolicyEntry[] {
  // pushed, not made by Array.prototype.map, whose result is a packed array until V8 optimizes the caller and
  // a holey one after: a run's optimized code met the other kind in long-lived sweep workers and was recompiled
  const entries: ResolvedPolicyEntry[] = [];
  for (const p of s.policies) {
    entries.push(typeof p === 'string' ? { name: p, label: p, options: {} } : { name: p.name, label: p.label ?? p.name, options: p.options ?? {} });
  }
  return entries;
}
