/**
 * Switching cost per method: bytes moved ÷ the device speed of the operation that moves them.
 *
 * - pointer (ElastiLM): moving a tensor's end pointer exposes a new prefix; the runtime then streams the
 *   re-exposed tensor once. The paper's K60 figure (2 ms to upgrade a 4096² fp16 W_Q) is exactly that tensor
 *   at 16.8 GB/s, so a switch costs the bytes of every non-anchor tensor whose extent changes (at the target
 *   width) plus the target level's LoRA, at memcpy speed.
 * - relayout (LLM-Pruner): pruned channels are not contiguous, so every non-anchor tensor of the target is
 *   gathered into a new dense layout (per-ratio channel sets are not nested), at the strided-gather speed
 *   (139-140 ms per 4096² fp16 matrix on the K60).
 * - swap (PFS): load the other model from flash at the runtime's model-load speed.
 * - layer-drop: re-activated sub-layers are streamed once at memcpy speed (a dropped layer costs nothing).
 * - reload (LaCo): every ratio is a separate model: load its weights from flash.
 * - none, or the same shape: 0.
 * `from === null` means the service just started with its base model resident: the full model for in-place
 * methods, nothing for swap/reload.
 */
import { InputError } from '../base/errors.ts';
import { getArchitecture, isElastic } from './architectures.ts';
import type { SwitchSpeeds } from './devices.ts';
import { fullDims, fullShape, shapeKey, subModelDims, type LayerDims } from './levels.ts';
import { archParams, bytesPerParam, layerGroups, layerParams, loraParams, shapeBytes } from './params.ts';
import type { Architecture, Dtype, ExecShape, SwitchKind } from './types.ts';

export const SWITCH_KINDS: readonly SwitchKind[] = ['none', 'pointer', 'relayout', 'swap', 'layer-drop', 'reload'];

/** K60: 2 ms pointer move vs 139.5 ms re-layout of the same matrix (paper §2.2, §3.2). */
export const RELAYOUT_TO_MEMCPY = 2 / 139.5;

/** Weight-matrix parameters (no norms/biases) of one layer's attention and MLP at some dims. */
function matrixParams(arch: Architecture, d: LayerDims): { attn: number; mlp: number } {
  const h = arch.hidden;
  const kvDim = d.kvHeads * arch.headDim;
  return { attn: 2 * h * d.attnDim + 2 * h * kvDim, mlp: (arch.gatedFfn ? 3 : 2) * h * d.ffn };
}

function loraBytes(arch: Architecture, s: ExecShape, loraDtype: Dtype): number {
  if (!s.lora) return 0;
  let n = 0;
  for (const g of layerGroups(arch, s)) {
    const l = loraParams(arch, g.dims);
    n += g.count * ((g.attn ? l.attn : 0) + (g.mlp ? l.mlp : 0));
  }
  return n * bytesPerParam(loraDtype);
}

export interface SwitchModelOptions {
  speeds: SwitchSpeeds | null;
  dtype: Dtype;
  /** Where the speeds would come from, for the error when they are missing. */
  where: string;
  loraDtype?: Dtype;
}

export type SwitchFn = (kind: SwitchKind, from: ExecShape | null, to: ExecShape) => number;

export function createSwitchModel(opts: SwitchModelOptions): SwitchFn {
  const bpp = bytesPerParam(opts.dtype);
  const loraDtype = opts.loraDtype ?? 'fp32';
  const speeds = (): SwitchSpeeds => {
    if (!opts.speeds) {
      throw new InputError(opts.where, 'has no memcpy/flash speeds to price switching; add "memcpyGBps" and "flashGBps"');
    }
    return opts.speeds;
  };
  const ms = (bytes: number, gbps: number): number => (bytes / (gbps * 1e9)) * 1e3;

  return (kind, from, to) => {
    if (!SWITCH_KINDS.includes(kind)) throw new InputError(`switch kind "${kind}"`, `unknown; known: ${SWITCH_KINDS.join(', ')}`);
    if (kind === 'none') return 0;
    if (from && shapeKey(from) === shapeKey(to)) return 0;
    const arch = getArchitecture(to.arch);
    const nonAnchor = arch.layers - arch.anchorLayers.length;
    switch (kind) {
      case 'pointer': {
        const base = from && from.arch === to.arch ? from : fullShape(arch);
        const a = isElastic(arch) ? subModelDims(arch, base.modelRatio) : fullDims(arch);
        const b = isElastic(arch) ? subModelDims(arch, to.modelRatio) : fullDims(arch);
        const m = matrixParams(arch, b);
        const changed = (a.heads !== b.heads ? m.attn : 0) + (a.ffn !== b.ffn ? m.mlp : 0);
        return ms(nonAnchor * changed * bpp + loraBytes(arch, to, loraDtype), speeds().memcpyGBps);
      }
      case 'relayout': {
        const m = matrixParams(arch, isElastic(arch) ? subModelDims(arch, to.modelRatio) : fullDims(arch));
        return ms(nonAnchor * (m.attn + m.mlp) * bpp + loraBytes(arch, to, loraDtype), speeds().relayoutGBps);
      }
      case 'layer-drop': {
        const base = from && from.arch === to.arch ? from : fullShape(arch);
        const p = layerParams(arch, fullDims(arch));
        const bytes = (Math.max(0, to.attnLayers - base.attnLayers) * p.attn + Math.max(0, to.mlpLayers - base.mlpLayers) * p.mlp) * bpp;
        return ms(bytes, speeds().memcpyGBps);
      }
      case 'swap': {
        if (from && from.arch === to.arch) return 0;
        return ms(archParams(arch) * bpp, speeds().modelLoadGBps);
      }
      case 'reload': {
        return ms(shapeBytes(arch, { ...to, lora: false }, opts.dtype), speeds().modelLoadGBps);
      }
    }
    return 0;
  };
}
