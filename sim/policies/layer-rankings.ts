/**
 * Layer-importance rankings the layer-dropping baselines use, least important first (elastilm.md §5.1, from
 * the artifact github.com/yinwangsong/ElastiLM @043ad233). A baseline that keeps k layers keeps the last k
 * entries. The identities do not change latency (a dropped layer costs nothing whichever it is), but they
 * are what the baseline runs, so decisions can report them.
 */
import { InputError } from '../../base/errors.ts';

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, k) => from + k);

/**
 * LE (LayerReduction): loss with the layer removed, on 10 × 64 Bookcorpus tokens. The last six entries are
 * ElastiLM's anchor layers. Source: ELASTICLLM/Anchor_layers/*.py comments; the same lists are LE's
 * `layer_idx_ranks` in ELASTICLLM/e2e/exps/run_e2e_acc.py (Orca's list is taken from there).
 */
export const LE_RANKING: Readonly<Record<string, readonly number[]>> = {
  'llama-7b': [24, 28, 27, 22, 11, 17, 6, 26, 2, 21, 13, 19, 12, 15, 20, 23, 18, 14, 29, 25, 10, 3, 9, 16, 8, 30, 7, 4, 1, 0, 5, 31],
  'vicuna-7b': [12, 28, 7, 20, 29, 22, 10, 24, 27, 8, 30, 15, 6, 9, 26, 21, 18, 11, 25, 23, 5, 17, 16, 13, 14, 19, 4, 3, 2, 31, 1, 0],
  'llama3-8b': [8, 26, 24, 23, 9, 12, 25, 19, 22, 13, 17, 21, 11, 10, 14, 20, 4, 15, 28, 6, 3, 18, 7, 16, 5, 27, 29, 2, 30, 31, 1, 0],
  'llama3-8b-instruct': [26, 13, 25, 23, 8, 21, 12, 19, 15, 24, 10, 22, 17, 9, 11, 28, 14, 18, 20, 3, 7, 4, 16, 6, 5, 29, 27, 30, 2, 31, 1, 0],
  'orca-mini-3b': [15, 14, 19, 12, 21, 22, 10, 8, 11, 3, 23, 17, 7, 9, 24, 5, 16, 18, 4, 20, 13, 6, 1, 25, 2, 0],
};

/** ShortGPT: Block Influence 1 − cos(h_in, h_out). Source: ELASTICLLM/Layer_pruning/ShortGPT/*.py. */
export const SHORTGPT_RANKING: Readonly<Record<string, readonly number[]>> = {
  'llama-7b': [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 25, 26, 27, 24, 13, 14, 15, 16, 17, 19, 28, 18, 22, 23, 29, 20, 21, 1, 30, 31, 0, 2],
  'vicuna-7b': [...range(2, 14), 23, 25, 15, 21, 22, 24, 17, 27, 18, 19, 26, 16, 20, 28, 29, 30, 31, 0, 1],
  'llama3-8b': [...range(2, 17), 25, 24, 18, 19, 26, 20, 22, 23, 21, 27, 28, 29, 30, 0, 31, 1],
  'llama3-8b-instruct': [...range(2, 16), 23, 24, 25, 26, 17, 18, 19, 22, 20, 27, 21, 28, 29, 30, 0, 31, 1],
  'orca-mini-3b': [7, 8, 9, 10, 11, 12, 6, 13, 14, 3, 15, 16, 4, 17, 18, 21, 19, 20, 22, 23, 24, 25, 1, 5, 0, 2],
};

/**
 * AttnDrop: Block Influence of each attention sub-layer. Source: ELASTICLLM/Layer_pruning/AttnDrop/*.py.
 * The reference records no separate MLP ranking (for Llama3-Instruct the code uses this list for both).
 */
export const ATTN_BI_RANKING: Readonly<Record<string, readonly number[]>> = {
  'llama-7b': [3, 30, 4, 23, 25, 21, 20, 29, 5, 28, 19, 6, 18, 17, 7, 26, 24, 27, 12, 22, 15, 16, 10, 11, 9, 13, 8, 14, 31, 0, 2, 1],
  'vicuna-7b': [22, 3, 20, 2, 26, 4, 18, 16, 5, 24, 27, 28, 30, 6, 29, 21, 13, 10, 15, 19, 8, 7, 12, 23, 25, 9, 14, 11, 17, 31, 0, 1],
  'llama3-8b': [21, 30, 25, 28, 26, 29, 27, 23, 18, 22, 17, 4, 3, 24, 19, 20, 15, 5, 6, 2, 16, 11, 7, 13, 14, 8, 12, 9, 31, 10, 1, 0],
  'llama3-8b-instruct': [30, 21, 25, 28, 27, 26, 29, 23, 18, 3, 4, 22, 17, 24, 6, 5, 19, 15, 20, 7, 16, 11, 2, 12, 13, 14, 1, 8, 0, 9, 10, 31],
  'orca-mini-3b': [22, 23, 24, 18, 20, 19, 21, 17, 16, 3, 25, 14, 4, 15, 5, 6, 9, 13, 10, 12, 7, 8, 0, 11, 1, 2],
};

/** The ranking of `model` in `table`, checked against its layer count; an InputError for unknown models. */
export function rankingFor(table: Readonly<Record<string, readonly number[]>>, model: string, layers: number, what: string): readonly number[] {
  const r = table[model];
  if (!r) {
    throw new InputError(`model "${model}"`, `${what} has no layer ranking for it (known: ${Object.keys(table).join(', ')})`);
  }
  if (r.length !== layers) throw new Error(`${what} ranking of ${model} has ${r.length} entries, the model ${layers} layers`);
  return r;
}

/** The layers kept when keeping the last `keep` entries of an ascending ranking, in layer order. */
export function keptLayers(ranking: readonly number[], keep: number): number[] {
  return ranking.slice(ranking.length - keep).slice().sort((a, b) => a - b);
}
