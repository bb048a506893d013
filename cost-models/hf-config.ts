/**
 * Models from a Hugging Face `config.json`: the decoder dimensions the cost models need (layers, widths,
 * GQA, head_dim, tied embeddings, gated or plain MLP). Such a model has no elastic levels (no anchors):
 * it runs at level 1.0 only. The shipped configs of the measured models live in cost-models/models/.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../base/errors.ts';
import { compileSchema, describeAjvErrors, readJsonFile } from '../base/json-file.ts';
import type { Architecture } from './types.ts';

export const MODEL_DIR = fileURLToPath(new URL('./models/', import.meta.url));

/** Per model_type: the MLP form and the transformers default of tie_word_embeddings when a file omits it. */
const MODEL_TYPES: Record<string, { gated: boolean; tiedByDefault: boolean }> = {
  llama: { gated: true, tiedByDefault: false },
  mistral: { gated: true, tiedByDefault: false },
  qwen2: { gated: true, tiedByDefault: false },
  qwen3: { gated: true, tiedByDefault: false },
  phi3: { gated: true, tiedByDefault: false }, // gate_up_proj: gate and up fused, still 3 matrices of weights
  gemma: { gated: true, tiedByDefault: true }, // GeGLU
  gemma2: { gated: true, tiedByDefault: true },
  stablelm: { gated: true, tiedByDefault: false },
  phi: { gated: false, tiedByDefault: false }, // Phi-2: fc1 / fc2
  baichuan: { gated: true, tiedByDefault: false }, // W_pack fuses q, k, v: same weights as llama
};

const positive = { type: 'integer', minimum: 1 };
const validate = compileSchema({
  type: 'object',
  required: ['model_type', 'hidden_size', 'num_hidden_layers', 'num_attention_heads', 'intermediate_size', 'vocab_size'],
  properties: {
    model_type: { enum: Object.keys(MODEL_TYPES) },
    hidden_size: positive,
    num_hidden_layers: positive,
    num_attention_heads: positive,
    num_key_value_heads: positive,
    head_dim: positive,
    intermediate_size: positive,
    vocab_size: positive,
    tie_word_embeddings: { type: 'boolean' },
    _name_or_path: { type: 'string' },
  },
});

interface HfConfig {
  model_type: string;
  hidden_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  num_key_value_heads?: number;
  head_dim?: number;
  intermediate_size: number;
  vocab_size: number;
  tie_word_embeddings?: boolean;
  _name_or_path?: string;
}

/** An Architecture from a config.json object; `id` names it, `where` is used in errors. */
export function architectureFromConfig(data: unknown, id: string, where: string): Architecture {
  if (!validate(data)) throw new InputError(where, `invalid Hugging Face config.json: ${describeAjvErrors(validate.errors)}`);
  const c = data as HfConfig;
  const t = MODEL_TYPES[c.model_type]!;
  const heads = c.num_attention_heads;
  const kvHeads = c.num_key_value_heads ?? heads;
  if (heads % kvHeads !== 0) throw new InputError(`${where}: /num_key_value_heads`, `${kvHeads} does not divide num_attention_heads ${heads}`);
  const headDim = c.head_dim ?? c.hidden_size / heads;
  if (!Number.isInteger(headDim)) throw new InputError(`${where}: /hidden_size`, `${c.hidden_size} is not a multiple of num_attention_heads ${heads}; give head_dim`);
  return Object.freeze({
    id,
    name: c._name_or_path ?? id,
    source: `Hugging Face config.json (${where}), model_type ${c.model_type}`,
    family: 'llama',
    layers: c.num_hidden_layers,
    hidden: c.hidden_size,
    heads,
    headDim,
    kvHeads,
    ffn: c.intermediate_size,
    vocab: c.vocab_size,
    gatedFfn: t.gated,
    anchorLayers: [],
    tiedEmbeddings: c.tie_word_embeddings ?? t.tiedByDefault,
  });
}

const byFile = new Map<string, Architecture>();

/** A config.json file as a model; its id is the path as given, so a scenario reads back as written. */
export function readConfigModel(file: string, baseDir = process.cwd()): Architecture {
  const abs = path.resolve(baseDir, file);
  let a = byFile.get(abs);
  if (!a) byFile.set(abs, (a = architectureFromConfig(readJsonFile(abs, 'model config'), file, abs)));
  return a;
}

/** Ids of the shipped config models (cost-models/models/<id>.json). */
export function shippedConfigIds(): string[] {
  return readdirSync(MODEL_DIR).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
}

/** A shipped config model by id, or null. */
export function shippedConfigModel(id: string): Architecture | null {
  const file = path.join(MODEL_DIR, `${id}.json`);
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(id) || !existsSync(file)) return null;
  let a = byFile.get(file);
  if (!a) byFile.set(file, (a = architectureFromConfig(readJsonFile(file, 'model config'), id, file)));
  return a;
}
