/**
 * Token lengths of one artifact entry, measured the same way by the importer and by
 * scripts/derive-dataset-lengths.ts (which builds the generator's per-dataset table from them).
 */
import { artifactPrompt, longestChoice, type ElastilmEntry } from './elastilm-format.ts';
import { countTokens } from './tokenize.ts';
import type { TokenizerName } from './tokenizer-names.ts';

export interface EntryLengths {
  /** BOS + "Question: <q> Answer: <longest choice>": the fixed, uncompressed part of the prompt. */
  queryTokens: number;
  /** The ground-truth answer's tokens: what a timed-mode request decodes (at least 1). */
  outputTokens: number;
  /** "Question: <q> Answer: <ground truth>", a shot-shaped sample of the dataset's text, in chars … */
  shotChars: number;
  /** … and in tokens (no BOS); their ratio estimates the system prompt's chars per token. */
  shotTokens: number;
}

export function entryLengths(e: ElastilmEntry, tokenizer: TokenizerName): EntryLengths {
  const answer = e.choices[e.answerIndex]!;
  const shot = artifactPrompt(e.query, answer);
  return {
    queryTokens: countTokens(artifactPrompt(e.query, longestChoice(e.choices)), tokenizer, { bos: true }),
    outputTokens: Math.max(1, countTokens(answer.trim(), tokenizer, { bos: false })),
    shotChars: shot.length,
    shotTokens: countTokens(shot, tokenizer, { bos: false }),
  };
}
