/**
 * Resident memory per method and the KV cache. A method's resident set is what must stay in RAM while the
 * service runs; its peak adds the KV cache at the context limit and the runtime's working memory.
 * checkFitsDevice refuses (InputError) a resident set above the device's usable memory: a scenario never
 * silently runs over memory. Methods that swap (PFS) or reload (LaCo) keep one model at a time by default;
 * `allResident` prices the paper's "Ideal" variants that keep every model in RAM.
 */
import { InputError } from '../base/errors.ts';
import { getArchitecture } from './architectures.ts';
import { getDevice, type DeviceSpec } from './devices.ts';
import { elasticShape, fullDims, fullShape } from './levels.ts';
import { archParams, bytesPerParam, layerGroups, layerParams, nonLayerParams, shapeBytes } from './params.ts';
import { kvElementBytes } from './roofline.ts';
import { MODEL_RATIOS, type Architecture, type Dtype, type ExecShape } from './types.ts';

export const METHODS = ['elastilm', 'full', 'llm-pruner', 'layer-reduction', 'shortgpt', 'attn-drop', 'laco', 'lingua2-cs', 'pfs'] as const;
export type Method = (typeof METHODS)[number];

/** The demo's KV-cache limit (`-l 1024`, elastilm.md §1.1). */
export const DEFAULT_CONTEXT_TOKENS = 1024;
/**
 * Runtime working memory (activation buffers, graph, allocator slack, the process itself): 2 GB, prior.
 * With it the paper's checks hold: LLaMA-7B ElastiLM peak in 15-17 GB, LaCo all-resident ≈ 76.3 GB.
 */
export const RUNTIME_BYTES = 2e9;
/** LLMLingua-2's compressor: bert-base-multilingual-cased (177.9 M parameters), fp32. */
const LINGUA2_PARAMS = 177_853_440;
const DEJAVU_RANK = 128;

/** Off-the-shelf models PFS swaps in for each elastic model (elastilm.md §4.5 configuration rule). */
export function pfsModels(arch: Architecture): string[] {
  return arch.id === 'orca-mini-3b' ? ['opt-1.3b', 'opt-350m'] : ['opt-2.7b', 'opt-1.3b'];
}

/** LaCo collapses layers until at most ⌊r·L⌋ remain: its sub-model for ratio r has that many full layers. */
export function lacoLayers(arch: Architecture, ratio: number): number {
  return Math.floor(ratio * arch.layers + 1e-9);
}

export interface ResidentOptions {
  /** KV-cache capacity in tokens (default 1024, the demo's limit). */
  contextTokens?: number;
  /** PFS / LaCo "Ideal": every model resident at once (the paper's 29.3 GB / 76.3 GB). */
  allResident?: boolean;
  /** LoRA and TLM weights are fp32 on the device (artifact file names). */
  loraDtype?: Dtype;
  tlmDtype?: Dtype;
  runtimeBytes?: number;
}

export interface ResidentMemory {
  bytes: number;
  components: Array<{ name: string; bytes: number }>;
}

/** KV cache of the layers a shape runs attention in, at their active KV width. */
export function kvCacheBytes(arch: Architecture, shape: ExecShape, contextTokens: number, dtype: Dtype): number {
  let kvChannels = 0;
  for (const g of layerGroups(arch, shape)) if (g.attn) kvChannels += g.count * g.dims.kvHeads * arch.headDim;
  return 2 * kvChannels * contextTokens * kvElementBytes(dtype);
}

export function residentMemory(method: string, arch: Architecture, dtype: Dtype, opts: ResidentOptions = {}): ResidentMemory {
  const ctx = opts.contextTokens ?? DEFAULT_CONTEXT_TOKENS;
  const loraDtype = opts.loraDtype ?? 'fp32';
  const components: ResidentMemory['components'] = [];
  const add = (name: string, bytes: number): void => {
    components.push({ name, bytes });
  };
  const model = (a: Architecture, label = `${a.id} weights (${dtype})`): void => add(label, archParams(a) * bytesPerParam(dtype));
  const loraOf = (r: number): number => shapeBytes(arch, elasticShape(arch, r, true), 'fp32', loraDtype) - shapeBytes(arch, elasticShape(arch, r, false), 'fp32', loraDtype);
  const kv = (a: Architecture): void => add(`KV cache of ${a.id} (${ctx} tokens)`, kvCacheBytes(a, fullShape(a), ctx, dtype));

  switch (method as Method) {
    case 'full':
    case 'layer-reduction':
    case 'shortgpt':
    case 'attn-drop':
      // layer-dropping methods skip layers of the one resident model
      model(arch);
      kv(arch);
      break;
    case 'elastilm': {
      model(arch);
      const levels = MODEL_RATIOS.filter((r) => r < 1);
      add(`${levels.length} LoRAs (rank 8, ${loraDtype})`, levels.reduce((s, r) => s + loraOf(r), 0));
      const tlm = getArchitecture('tlm-mobilebert');
      add(`TLM (${opts.tlmDtype ?? 'fp32'})`, archParams(tlm) * bytesPerParam(opts.tlmDtype ?? 'fp32'));
      kv(arch);
      break;
    }
    case 'llm-pruner':
      // pruned in place (no second copy); one LoRA at a time, the largest one bounds it
      model(arch);
      add(`largest LoRA (rank 8, ${loraDtype})`, Math.max(...MODEL_RATIOS.filter((r) => r < 1).map(loraOf)));
      kv(arch);
      break;
    case 'lingua2-cs': {
      model(arch);
      add('LLMLingua-2 compressor (fp32)', LINGUA2_PARAMS * 4);
      add(`Deja-Vu MLP predictors (${dtype})`, arch.layers * DEJAVU_RANK * (arch.hidden + arch.ffn) * bytesPerParam(dtype));
      kv(arch);
      break;
    }
    case 'pfs': {
      const set = [arch, ...pfsModels(arch).map((id) => getArchitecture(id))];
      if (opts.allResident) {
        for (const a of set) model(a);
        for (const a of set) kv(a);
      } else {
        // one model at a time: the largest one it may load bounds the resident set
        const largest = set.reduce((m, a) => (archParams(a) > archParams(m) ? a : m));
        model(largest, `largest swapped-in model ${largest.id} (${dtype})`);
        kv(largest);
      }
      break;
    }
    case 'laco': {
      const layer = layerParams(arch, fullDims(arch));
      const subModel = (r: number): number => (lacoLayers(arch, r) * (layer.attn + layer.mlp) + nonLayerParams(arch)) * bytesPerParam(dtype);
      if (opts.allResident) {
        for (const r of MODEL_RATIOS) add(`LaCo sub-model ${r} (${lacoLayers(arch, r)} layers)`, subModel(r));
      } else {
        add('LaCo sub-model 1.0 (the largest, one at a time)', subModel(1));
      }
      kv(arch);
      break;
    }
    default:
      throw new InputError(`method "${method}"`, `unknown method; known: ${METHODS.join(', ')}`);
  }
  add('runtime working memory (prior)', opts.runtimeBytes ?? RUNTIME_BYTES);
  return { bytes: components.reduce((s, c) => s + c.bytes, 0), components };
}

const GB = (b: number): string => `${(b / 1e9).toFixed(2)} GB`;

/**
 * Throws an InputError with the numbers when `bytes` exceed the device's usable memory. Chosen over a swap
 * model: the paper reports these configurations as OOM, and a twin that silently paged would invent latency.
 */
export function checkFitsDevice(bytes: number, device: string | DeviceSpec, what = 'resident set'): void {
  const d = typeof device === 'string' ? getDevice(device) : device;
  if (bytes > d.usableMemoryBytes) {
    throw new InputError(
      `device "${d.id}"`,
      `${what} needs ${GB(bytes)} but only ${GB(d.usableMemoryBytes)} is usable (of ${GB(d.memoryBytes)}): out of memory`,
    );
  }
}
