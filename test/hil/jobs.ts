/** Small measurement jobs for protocol and fault tests: fast blocks, optionally stretched by cool-downs. */
import type { Job } from '../../hil/protocol.ts';

export const TINY_BLOCK: Job['block'] = { hidden: 64, heads: 4, kvHeads: 4, headDim: 16, ffn: 128, maxContext: 256, loraRank: 0, seed: 7 };

export function tinyJobs(n: number, opts: { prefix?: string; repetitions?: number; cooldownMs?: number } = {}): Job[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${opts.prefix ?? 'j'}${i}`,
    op: i % 2 === 0 ? 'block-prefill' : 'block-decode',
    dtype: 'fp32',
    block: TINY_BLOCK,
    activeHeads: 1 + (i % 4),
    activeFfn: 32 * (1 + (i % 4)),
    tokens: 8 + (i % 5) * 8,
    threads: 1,
    warmup: 1,
    repetitions: opts.repetitions ?? 3,
    cooldownMs: opts.cooldownMs ?? 0,
  }));
}
