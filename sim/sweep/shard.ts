/**
 * Shards: `--shard i/n` (0 ≤ i < n) runs every n-th run of the sweep starting at run i. Dealing runs out
 * round-robin, rather than in blocks, spreads each axis over all shards, so a shard does not get all of the
 * expensive settings (the highest arrival rates, the biggest model). Batch engines hand out 0-based indices
 * (Kubernetes JOB_COMPLETION_INDEX, Slurm SLURM_ARRAY_TASK_ID with --array=0-(n-1)), which map directly to i.
 */
import { InputError } from '../../base/errors.ts';

export interface Shard {
  index: number;
  count: number;
}

export function parseShard(value: string, flag = '--shard'): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index >= count) {
    throw new InputError(flag, `expected i/n with 0 ≤ i < n (e.g. 0/4 … 3/4), got "${value}"`);
  }
  return { index, count };
}

export const inShard = (runIndex: number, shard: Shard | undefined): boolean =>
  shard === undefined || runIndex % shard.count === shard.index;

export function selectShard<T extends { index: number }>(runs: readonly T[], shard: Shard | undefined): T[] {
  return runs.filter((r) => inShard(r.index, shard));
}

export const formatShard = (shard: Shard): string => `${shard.index}/${shard.count}`;
