/**
 * Golden scenarios (the LLMServingSim practice): small scenarios under test/golden/scenarios/ whose
 * summary.json and requests.csv are recorded under test/golden/expected/<scenario>/ and must stay
 * byte-identical across refactors. Outputs are rendered exactly as `elastitwin run` writes them (schema key
 * order, the same CSV writer), with one normalization: absolute paths under the repository (the run summary
 * records where the accuracy surfaces and profiles were read from) are written relative to it, so the
 * recordings do not depend on where the repository is checked out.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../../sim/scenario.ts';
import { runScenario } from '../../sim/run.ts';
import { formatRequestsCsv, stableJson } from '../../reports/index.ts';
import { assertRunSummary, SUMMARY_SCHEMA } from '../../reports/validate.ts';

export const GOLDEN_DIR = fileURLToPath(new URL('./', import.meta.url));
export const SCENARIOS_DIR = path.join(GOLDEN_DIR, 'scenarios');
export const EXPECTED_DIR = path.join(GOLDEN_DIR, 'expected');
export const GOLDEN_FILES = ['summary.json', 'requests.csv'] as const;
export type GoldenFile = (typeof GOLDEN_FILES)[number];
const REPO = path.resolve(GOLDEN_DIR, '../..') + path.sep;

/** Scenario file names (without .json) of the golden set, sorted. */
export function goldenNames(): string[] {
  return readdirSync(SCENARIOS_DIR).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
}

const relativize = (text: string): string => text.split(REPO).join('');

export async function renderGolden(name: string): Promise<Record<GoldenFile, string>> {
  const loaded = loadScenario(path.join(SCENARIOS_DIR, `${name}.json`));
  const { summary, rows } = await runScenario(loaded);
  assertRunSummary(summary, `golden ${name}`);
  return {
    'summary.json': relativize(stableJson(summary, SUMMARY_SCHEMA)),
    'requests.csv': formatRequestsCsv(rows ?? []),
  };
}

/** First differing line of two texts (1-based), with both versions, or null when they are identical. */
export function firstDifference(expected: string, actual: string): { line: number; expected: string; actual: string } | null {
  if (expected === actual) return null;
  const a = expected.split('\n');
  const b = actual.split('\n');
  let k = 0;
  while (k < a.length && k < b.length && a[k] === b[k]) k++;
  return { line: k + 1, expected: a[k] ?? '<end of file>', actual: b[k] ?? '<end of file>' };
}
