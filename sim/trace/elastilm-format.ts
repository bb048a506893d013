/**
 * The artifact's trace format (ElastiLM repo, ELASTICLLM/e2e/traces/trace_*.json): a JSON array of
 * `[prompt, choices, groundtruth, [ζ_TTFT, ζ_TPOT], index, dataset]` entries. This module reads and checks
 * it; both the importer and scripts/derive-dataset-lengths.ts use it, so they read entries the same way.
 *
 * The artifact scores each choice by log-likelihood after the prompt "Question: <q> Answer: <choice>"; the
 * prompt-compression rule measures Q on the longest such string (reference §4.4). The same text is
 * tokenized here.
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../../base/errors.ts';
import { DATASETS, type Dataset } from '../types.ts';

export interface ElastilmEntry {
  /** Position in the file (0-based). */
  position: number;
  query: string;
  choices: string[];
  /** Index into `choices` of the ground truth. */
  answerIndex: number;
  slo: { ttft: number; tpot: number };
  /** The artifact's own pre-shuffle index (field 4). */
  index: number;
  dataset: Dataset;
}

const FIELD_NAMES = ['prompt', 'choices', 'groundtruth', '[ζ_TTFT, ζ_TPOT]', 'index', 'dataset'] as const;

/** The prompt text the artifact's harness builds for one choice. */
export function artifactPrompt(query: string, choice: string): string {
  return `Question: ${query} Answer: ${choice}`;
}

/** The longest choice by characters (first one on ties), the one the compression rule measures Q on. */
export function longestChoice(choices: readonly string[]): string {
  let best = choices[0]!;
  for (const c of choices) if (c.length > best.length) best = c;
  return best;
}

/**
 * Ground truth → choice index. The artifact spells it four ways: an integer index (PIQA, SCIQ), a letter
 * A, B, … (OBQA, ARC_E, Octopus), a 1-based digit string (a few ARC_E rows, "1"), or the answer text itself
 * (LlamaTouch). The exact text is tried first, since an app may be called "X".
 */
export function resolveGroundTruth(gt: unknown, choices: readonly string[]): number | null {
  if (typeof gt === 'number') return Number.isInteger(gt) && gt >= 0 && gt < choices.length ? gt : null;
  if (typeof gt !== 'string') return null;
  const exact = choices.indexOf(gt);
  if (exact >= 0) return exact;
  if (/^[A-Z]$/.test(gt)) {
    const k = gt.charCodeAt(0) - 65;
    return k < choices.length ? k : null;
  }
  if (/^[1-9][0-9]*$/.test(gt)) {
    const k = Number(gt) - 1;
    return k < choices.length ? k : null;
  }
  return null;
}

function fail(file: string, i: number, k: number, expected: string, got: unknown): never {
  const shown = JSON.stringify(got);
  const brief = shown === undefined ? 'nothing' : shown.length > 60 ? `${shown.slice(0, 57)}...` : shown;
  throw new InputError(`${file} $[${i}][${k}]`, `entry ${i}, field ${k} (${FIELD_NAMES[k]}): expected ${expected}, got ${brief}`);
}

const isRatio = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x > 0 && x <= 1;

function checkEntry(file: string, i: number, raw: unknown): ElastilmEntry {
  if (!Array.isArray(raw) || raw.length !== 6) {
    throw new InputError(`${file} $[${i}]`, `entry ${i}: expected an array [prompt, choices, groundtruth, [ζ_TTFT, ζ_TPOT], index, dataset], got ${Array.isArray(raw) ? `an array of ${raw.length}` : JSON.stringify(raw)?.slice(0, 40)}`);
  }
  const [query, choices, gt, slo, index, dataset] = raw as unknown[];
  if (typeof query !== 'string' || query.length === 0) fail(file, i, 0, 'a non-empty string', query);
  if (!Array.isArray(choices) || choices.length === 0 || !choices.every((c) => typeof c === 'string')) {
    fail(file, i, 1, 'a non-empty array of strings', choices);
  }
  const answerIndex = resolveGroundTruth(gt, choices as string[]);
  if (answerIndex === null) {
    fail(file, i, 2, `an index below ${(choices as string[]).length}, a letter, a 1-based number or one of the choices`, gt);
  }
  if (!Array.isArray(slo) || slo.length !== 2 || !isRatio(slo[0]) || !isRatio(slo[1])) {
    fail(file, i, 3, 'two ratios in (0, 1]', slo);
  }
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0) fail(file, i, 4, 'a non-negative integer', index);
  if (typeof dataset !== 'string' || !(DATASETS as readonly string[]).includes(dataset)) {
    fail(file, i, 5, `one of ${DATASETS.join(', ')}`, dataset);
  }
  return {
    position: i,
    query: query as string,
    choices: choices as string[],
    answerIndex: answerIndex as number,
    slo: { ttft: (slo as number[])[0]!, tpot: (slo as number[])[1]! },
    index: index as number,
    dataset: dataset as Dataset,
  };
}

/** Reads and checks an artifact trace file; every problem is an InputError naming the entry and field. */
export function readElastilmEntries(file: string): ElastilmEntry[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(file, `cannot read the trace: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new InputError(file, `not valid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(data)) throw new InputError(`${file} $`, 'expected a JSON array of entries (the ElastiLM artifact trace format)');
  const entries = data.map((raw, i) => checkEntry(file, i, raw));
  const seen = new Map<number, number>();
  for (const e of entries) {
    const first = seen.get(e.index);
    if (first !== undefined) {
      throw new InputError(`${file} $[${e.position}][4]`, `entry ${e.position}: index ${e.index} repeats entry ${first}'s (indices become request ids and must be unique)`);
    }
    seen.set(e.index, e.position);
  }
  return entries;
}
