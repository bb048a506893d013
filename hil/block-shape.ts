/**
 * Which decoder block the agent runs for a model. `--block-scale s`
 * shrinks heads (whole GQA groups) and FFN neurons by s, keeping headDim, so a 3B/7B-class block fits a
 * small machine's calibration budget; the fit stays honest because P and K are those of the block that ran
 * (counted by cost-models' layerParams, as composeFromBlocks counts them).
 */
import type { Architecture } from '../cost-models/types.ts';
import type { BlockShape } from './protocol.ts';

export interface LevelDims {
  level: number;
  activeHeads: number;
  activeFfn: number;
}

/** The architecture with heads, kvHeads, hidden and ffn scaled by `scale` (0 < scale ≤ 1). */
export function scaleArchitecture(arch: Architecture, scale: number): Architecture {
  if (!(scale > 0 && scale <= 1)) throw new RangeError(`block scale must be in (0, 1], got ${scale}`);
  const group = arch.heads / arch.kvHeads;
  const heads = Math.max(group, Math.round((arch.heads * scale) / group) * group);
  const ffn = Math.max(8, Math.round((arch.ffn * scale) / 8) * 8);
  return { ...arch, heads, kvHeads: heads / group, hidden: heads * arch.headDim, ffn };
}

export function blockShapeOf(arch: Architecture, maxContext: number, seed = 1): BlockShape {
  return { hidden: arch.heads * arch.headDim, heads: arch.heads, kvHeads: arch.kvHeads, headDim: arch.headDim, ffn: arch.ffn, maxContext, loraRank: 0, seed };
}
