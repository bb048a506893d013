/**
 * The keys an accuracy surface is indexed by (methods, models, datasets), each dataset's chance level, and
 * the public full-model accuracies the priors are anchored to. Every number says where it comes from; a
 * number without a public source is marked `prior`.
 */

export const DATASETS = ['OBQA', 'ARC_E', 'octopus', 'llamatouch', 'PIQA', 'SCIQ'] as const;
export type Dataset = (typeof DATASETS)[number];

export const ELASTIC_MODELS = ['llama-7b', 'vicuna-7b', 'llama3-8b', 'llama3-8b-instruct', 'orca-mini-3b'] as const;
export type ElasticModel = (typeof ELASTIC_MODELS)[number];

/** The off-the-shelf small models PFS runs instead of the elastic LLM. */
export const PFS_MODELS = ['opt-350m', 'opt-1.3b', 'opt-2.7b'] as const;
export type PfsModel = (typeof PFS_MODELS)[number];

export const METHODS = [
  'elastilm',
  'full',
  'llm-pruner',
  'layer-reduction',
  'laco',
  'shortgpt',
  'attn-drop',
  'lingua2-cs',
  'pfs',
] as const;
export type Method = (typeof METHODS)[number];

/** The 7 baselines of the paper's evaluation (§5.1), in the paper's order. */
export const BASELINES = ['pfs', 'llm-pruner', 'layer-reduction', 'lingua2-cs', 'laco', 'shortgpt', 'attn-drop'] as const;
export type Baseline = (typeof BASELINES)[number];

/**
 * Accuracy of a uniform guess under each dataset's metric: PIQA picks 1 of 2, ARC_E/OBQA/SCIQ 1 of 4,
 * Octopus scores top-5 of 21 functions, LlamaTouch top-1 of 77 apps (reference §1.3).
 */
const CHANCE: Record<Dataset, number> = {
  OBQA: 1 / 4,
  ARC_E: 1 / 4,
  SCIQ: 1 / 4,
  PIQA: 1 / 2,
  octopus: 5 / 21,
  llamatouch: 1 / 77,
};

export function isDataset(d: string): d is Dataset {
  return (DATASETS as readonly string[]).includes(d);
}

export function chanceLevelOf(dataset: string): number {
  if (!isDataset(dataset)) throw new RangeError(`unknown dataset '${dataset}' (known: ${DATASETS.join(', ')})`);
  return CHANCE[dataset];
}

/** Decoder layer count, for the layer-dropping baselines' slicing rule. */
export const LAYERS: Record<ElasticModel, number> = {
  'llama-7b': 32,
  'vicuna-7b': 32,
  'llama3-8b': 32,
  'llama3-8b-instruct': 32,
  'orca-mini-3b': 26,
};

export interface PublishedAccuracy {
  value: number;
  /** Where the number comes from, or 'prior: …' with the reasoning when nothing public was found. */
  source: string;
}

const LM_EVAL_LLAMA = 'EleutherAI/lm-evaluation-harness results/llama/llama-7B, 0-shot';
const LM_EVAL_OPT = (m: string) => `EleutherAI/lm-evaluation-harness results/opt/${m}, 0-shot acc`;
const prior = (why: string) => `prior: ${why}`;

/**
 * Full-model accuracy on each dataset under a public harness (lm-eval 0-shot `acc`; OBQA `acc_norm`,
 * whose `acc` is within 3 points of chance). The paper's own harness (5-shot, mean per-token log-prob)
 * differs, so the fit scales each dataset's above-chance margin by one harness factor (see prior-model.ts).
 */
export const PUBLISHED_FULL: Record<ElasticModel | PfsModel, Record<Dataset, PublishedAccuracy>> = {
  'llama-7b': {
    ARC_E: { value: 0.6738, source: `${LM_EVAL_LLAMA} acc` },
    OBQA: { value: 0.424, source: `${LM_EVAL_LLAMA} acc_norm` },
    PIQA: { value: 0.7818, source: `${LM_EVAL_LLAMA} acc` },
    SCIQ: { value: 0.93, source: prior('SciQ not in the cited LLaMA-7B table; 7B LLMs score ~0.93 (cf. OPT-2.7B 0.858)') },
    octopus: { value: 0.78, source: prior('no public number; top-5 of 21 functions with their docs in the prompt') },
    llamatouch: { value: 0.62, source: prior('no public number; top-1 of 77 apps') },
  },
  'vicuna-7b': {
    ARC_E: { value: 0.70, source: prior('instruction-tuned LLaMA-2-7B; a few points above LLaMA-7B') },
    OBQA: { value: 0.43, source: prior('close to LLaMA-7B') },
    PIQA: { value: 0.775, source: prior('close to LLaMA-7B') },
    SCIQ: { value: 0.935, source: prior('close to LLaMA-7B') },
    octopus: { value: 0.8, source: prior('instruction tuning helps API selection') },
    llamatouch: { value: 0.66, source: prior('instruction tuning helps app selection') },
  },
  'llama3-8b': {
    ARC_E: { value: 0.80, source: prior('public lm-eval runs of Llama-3-8B report arc_easy acc ≈ 0.80') },
    OBQA: { value: 0.45, source: prior('a few points above LLaMA-7B') },
    PIQA: { value: 0.795, source: prior('≈ 0.79–0.80 in public runs') },
    SCIQ: { value: 0.96, source: prior('≈ 0.96 in public runs') },
    octopus: { value: 0.84, source: prior('stronger base model') },
    llamatouch: { value: 0.7, source: prior('stronger base model') },
  },
  'llama3-8b-instruct': {
    ARC_E: { value: 0.81, source: prior('≈ base model') },
    OBQA: { value: 0.43, source: prior('≈ base model') },
    PIQA: { value: 0.785, source: prior('≈ base model') },
    SCIQ: { value: 0.95, source: prior('≈ base model') },
    octopus: { value: 0.86, source: prior('instruction tuning helps API selection') },
    llamatouch: { value: 0.72, source: prior('instruction tuning helps app selection') },
  },
  'orca-mini-3b': {
    ARC_E: { value: 0.66, source: prior('OpenLLaMA-3B base ≈ 0.69 acc, instruction tuning ±') },
    OBQA: { value: 0.39, source: prior('3B-class model') },
    PIQA: { value: 0.75, source: prior('OpenLLaMA-3B base ≈ 0.75') },
    SCIQ: { value: 0.9, source: prior('OpenLLaMA-3B base ≈ 0.9') },
    octopus: { value: 0.68, source: prior('smaller model, weaker tool selection') },
    llamatouch: { value: 0.52, source: prior('smaller model, weaker app selection') },
  },
  'opt-2.7b': {
    ARC_E: { value: 0.6077, source: LM_EVAL_OPT('opt-2.7b') },
    OBQA: { value: 0.35, source: prior('OBQA not in the cited table; acc_norm-like level between chance and LLaMA-7B') },
    PIQA: { value: 0.7388, source: LM_EVAL_OPT('opt-2.7b') },
    SCIQ: { value: 0.858, source: LM_EVAL_OPT('opt-2.7b') },
    octopus: { value: 0.5, source: prior('pre-trained only, weak at following function docs') },
    llamatouch: { value: 0.3, source: prior('pre-trained only, weak at following app docs') },
  },
  'opt-1.3b': {
    ARC_E: { value: 0.5703, source: LM_EVAL_OPT('opt-1.3b') },
    OBQA: { value: 0.33, source: prior('as opt-2.7b, a little lower') },
    PIQA: { value: 0.7171, source: LM_EVAL_OPT('opt-1.3b') },
    SCIQ: { value: 0.845, source: LM_EVAL_OPT('opt-1.3b') },
    octopus: { value: 0.44, source: prior('as opt-2.7b, a little lower') },
    llamatouch: { value: 0.22, source: prior('as opt-2.7b, a little lower') },
  },
  'opt-350m': {
    ARC_E: { value: 0.4402, source: LM_EVAL_OPT('opt-350m') },
    OBQA: { value: 0.29, source: prior('near chance') },
    PIQA: { value: 0.6436, source: LM_EVAL_OPT('opt-350m') },
    SCIQ: { value: 0.748, source: LM_EVAL_OPT('opt-350m') },
    octopus: { value: 0.34, source: prior('near chance') },
    llamatouch: { value: 0.1, source: prior('near chance') },
  },
};
