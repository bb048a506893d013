/**
 * The per-dataset length table (sim/trace/datasets.json) the generator draws prompt and output lengths
 * from. It is derived, not guessed: scripts/derive-dataset-lengths.ts tokenizes the artifact's real trace
 * with each model tokenizer and records its provenance in the file (see docs/traces.md).
 */
import { readFileSync } from 'node:fs';
import type { Dataset } from '../types.ts';
import type { TokenizerName } from './tokenizer-names.ts';

export interface LengthDistribution {
  mean: number;
  /** Population standard deviation. */
  sd: number;
  min: number;
  max: number;
  /** Empirical distribution: [tokens, count] pairs, ascending by tokens. */
  histogram: Array<[number, number]>;
}

export interface TokenizerLengths {
  /** Characters per token of the dataset's "Question: … Answer: …" text (no BOS). */
  charsPerToken: number;
  /** Estimate: system-prompt characters / charsPerToken (the system prompts are not in the trace). */
  systemTokens: number;
  queryTokens: LengthDistribution;
  outputTokens: LengthDistribution;
}

export interface DatasetLengths {
  /** System-prompt size in characters (few-shot examples, plus the function/app docs for agents). */
  systemPromptChars: number;
  shots: number;
  /** Entries of the trace the distributions were measured on. */
  entries: number;
  tokenizers: Record<TokenizerName, TokenizerLengths>;
}

export interface DatasetLengthTable {
  provenance: Record<string, unknown>;
  datasets: Record<Dataset, DatasetLengths>;
}

export const DATASET_TABLE_URL = new URL('./datasets.json', import.meta.url);

let table: DatasetLengthTable | null = null;
export function datasetLengthTable(): DatasetLengthTable {
  table ??= JSON.parse(readFileSync(DATASET_TABLE_URL, 'utf8')) as DatasetLengthTable;
  return table;
}

/** A dataset's lengths ready for sampling: histograms expanded so a draw is one array lookup. */
export interface LengthSampler {
  systemTokens: number;
  query: Uint32Array;
  output: Uint32Array;
}

function expand(h: Array<[number, number]>): Uint32Array {
  const n = h.reduce((s, [, c]) => s + c, 0);
  const out = new Uint32Array(n);
  let k = 0;
  for (const [v, c] of h) out.fill(v, k, (k += c));
  return out;
}

export function lengthSampler(dataset: Dataset, tokenizer: TokenizerName): LengthSampler {
  const t = datasetLengthTable().datasets[dataset].tokenizers[tokenizer];
  return { systemTokens: t.systemTokens, query: expand(t.queryTokens.histogram), output: expand(t.outputTokens.histogram) };
}
