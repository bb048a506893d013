/**
 * Checks of a schema-valid plan that a JSON Schema cannot express: active dims within the block, GQA
 * groups kept whole, token counts within the KV cache, memory and thread limits of this agent.
 */
import type { AddonInfo } from '../native/api.ts';
import { blockWeightBytes, type AgentLimits, type Job } from './protocol.ts';

/** Returns null when the plan can run, else the first problem with its JSON path. */
export function checkPlan(jobs: Job[], limits: AgentLimits, addon: AddonInfo): string | null {
  if (jobs.length > limits.maxJobs) return `/jobs has ${jobs.length} jobs; this agent takes at most ${limits.maxJobs} per plan`;
  const ids = new Set<string>();
  for (const [i, job] of jobs.entries()) {
    const at = `/jobs/${i}`;
    const b = job.block;
    if (ids.has(job.id)) return `${at}/id ${JSON.stringify(job.id)} appears twice`;
    ids.add(job.id);
    if (b.heads % b.kvHeads !== 0) return `${at}/block: heads (${b.heads}) must be a multiple of kvHeads (${b.kvHeads})`;
    if (b.hidden !== b.heads * b.headDim) return `${at}/block: hidden (${b.hidden}) must equal heads × headDim (${b.heads * b.headDim})`;
    const group = b.heads / b.kvHeads;
    if (job.activeHeads > b.heads) return `${at}/activeHeads ${job.activeHeads} exceeds the block's ${b.heads} heads`;
    if (job.activeHeads % group !== 0) return `${at}/activeHeads ${job.activeHeads} must keep whole GQA groups of ${group}`;
    if (job.activeFfn > b.ffn) return `${at}/activeFfn ${job.activeFfn} exceeds the block's ${b.ffn} neurons`;
    if (job.op === 'block-prefill' && job.tokens > b.maxContext) return `${at}/tokens ${job.tokens} exceeds maxContext ${b.maxContext}`;
    if (job.op === 'block-decode' && job.tokens >= b.maxContext) return `${at}/tokens ${job.tokens} leaves no room in maxContext ${b.maxContext}`;
    if (job.threads > addon.maxThreads) return `${at}/threads ${job.threads} exceeds the ${addon.maxThreads} threads this agent has`;
    const bytes = blockWeightBytes(b, job.dtype);
    if (bytes > limits.maxBlockBytes) return `${at}/block needs ${bytes} bytes; this agent allows ${limits.maxBlockBytes}`;
  }
  return null;
}
