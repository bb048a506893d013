/**
 * The architecture catalogue: the elastic LLMs of the paper, the off-the-shelf OPT models the PFS baseline
 * swaps in, and the MobileBERT-based TLM. Numbers are the public model configs; anchor layers are the
 * artifact's locked layers (reference/elastilm.md §1.2).
 */
import { InputError } from '../base/errors.ts';
import path from 'node:path';
import { readConfigModel, shippedConfigIds, shippedConfigModel } from './hf-config.ts';
import type { Architecture } from './types.ts';

const LLAMA_SHAPE = { family: 'llama', layers: 32, hidden: 4096, heads: 32, headDim: 128, gatedFfn: true, tiedEmbeddings: false } as const;

const CATALOGUE: readonly Architecture[] = [
  {
    ...LLAMA_SHAPE,
    id: 'llama-7b',
    name: 'LLaMA-7B',
    source: 'huggyllama/llama-7b config; anchors from the ElastiLM artifact (elastilm.md §1.2)',
    kvHeads: 32,
    ffn: 11008,
    vocab: 32000,
    anchorLayers: [0, 1, 4, 5, 7, 31],
  },
  {
    ...LLAMA_SHAPE,
    id: 'vicuna-7b',
    name: 'Vicuna-v1.5-7B',
    source: 'lmsys/vicuna-7b-v1.5 config; anchors from the ElastiLM artifact (elastilm.md §1.2)',
    kvHeads: 32,
    ffn: 11008,
    vocab: 32000,
    anchorLayers: [0, 1, 2, 3, 4, 31],
  },
  {
    ...LLAMA_SHAPE,
    id: 'llama3-8b',
    name: 'Llama3-8B',
    source: 'meta-llama/Meta-Llama-3-8B config (GQA, 8 KV heads); anchors from the ElastiLM artifact (elastilm.md §1.2)',
    kvHeads: 8,
    ffn: 14336,
    vocab: 128256,
    anchorLayers: [0, 1, 2, 29, 30, 31],
  },
  {
    ...LLAMA_SHAPE,
    id: 'llama3-8b-instruct',
    name: 'Llama3-8B-Instruct',
    source: 'meta-llama/Meta-Llama-3-8B-Instruct config (GQA); anchors from the ElastiLM artifact (elastilm.md §1.2)',
    kvHeads: 8,
    ffn: 14336,
    vocab: 128256,
    anchorLayers: [0, 1, 2, 27, 30, 31],
  },
  {
    id: 'orca-mini-3b',
    name: 'Orca-mini-3B',
    source: 'pankajmathur/orca_mini_3b config; anchors from demo_elastic_llama_lora.cpp (elastilm.md §1.2)',
    family: 'llama',
    layers: 26,
    hidden: 3200,
    heads: 32,
    headDim: 100,
    kvHeads: 32,
    ffn: 8640,
    vocab: 32000,
    gatedFfn: true,
    anchorLayers: [0, 1, 2, 6, 13, 25],
    tiedEmbeddings: false,
  },
  {
    id: 'opt-350m',
    name: 'OPT-350M',
    source: 'facebook/opt-350m config (word embeddings 512 wide, projected to 1024)',
    family: 'opt',
    layers: 24,
    hidden: 1024,
    heads: 16,
    headDim: 64,
    kvHeads: 16,
    ffn: 4096,
    vocab: 50272,
    gatedFfn: false,
    anchorLayers: [],
    tiedEmbeddings: true,
    embedDim: 512,
    positionRows: 2050,
  },
  {
    id: 'opt-1.3b',
    name: 'OPT-1.3B',
    source: 'facebook/opt-1.3b config',
    family: 'opt',
    layers: 24,
    hidden: 2048,
    heads: 32,
    headDim: 64,
    kvHeads: 32,
    ffn: 8192,
    vocab: 50272,
    gatedFfn: false,
    anchorLayers: [],
    tiedEmbeddings: true,
    positionRows: 2050,
  },
  {
    id: 'opt-2.7b',
    name: 'OPT-2.7B',
    source: 'facebook/opt-2.7b config',
    family: 'opt',
    layers: 32,
    hidden: 2560,
    heads: 32,
    headDim: 80,
    kvHeads: 32,
    ffn: 10240,
    vocab: 50272,
    gatedFfn: false,
    anchorLayers: [],
    tiedEmbeddings: true,
    positionRows: 2050,
  },
  {
    id: 'tlm-mobilebert',
    name: 'ElastiLM TLM (MobileBERT, dual head)',
    source:
      'deployment/mllm/src/models/mobilebert config of the ElastiLM artifact: 12 shared + 12 score + 12 decision layers, ' +
      'hidden 512, bottleneck 128, 4 heads, intermediate 512, 3 FFNs per layer, 512-token window (elastilm.md §2.3)',
    family: 'mobilebert',
    layers: 36,
    hidden: 512,
    heads: 4,
    headDim: 32,
    kvHeads: 4,
    ffn: 512,
    vocab: 30522 + 14,
    gatedFfn: false,
    anchorLayers: [],
    tiedEmbeddings: false,
    embedDim: 128,
    positionRows: 512,
    bottleneck: 128,
    ffnStack: 3,
    window: 512,
  },
];

const BY_ID = new Map(CATALOGUE.map((a) => [a.id, a]));

/** Architectures whose non-anchor layers have the 9 nested ElastiLM levels. */
export function isElastic(arch: Architecture): boolean {
  return arch.anchorLayers.length > 0;
}

export function listArchitectures(): Architecture[] {
  return [...CATALOGUE];
}

/**
 * The architecture with this id (the catalogue, then the shipped config.json models), or a Hugging Face
 * config.json by path (relative to `baseDir`, e.g. a scenario's folder); an InputError naming the known ids
 * otherwise.
 */
export function getArchitecture(id: string, baseDir?: string): Architecture {
  const arch = BY_ID.get(id) ?? shippedConfigModel(id);
  if (arch) return arch;
  if (id.endsWith('.json') || id.includes('/') || id.includes(path.sep)) return readConfigModel(id, baseDir);
  throw new InputError(`model "${id}"`, `unknown model; known: ${CATALOGUE.map((a) => a.id).join(', ')}, ${shippedConfigIds().join(', ')} (or a config.json path)`);
}
