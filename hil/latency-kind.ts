/**
 * The `hil` latency model kind (device in the loop): before the run, the agent measures every prompt and
 * context length the trace can need, then the run prices on those answers. Registered by the CLI into the
 * simulator's latency-kind registry (sim/latency-kinds.ts), so sim/ never imports hil/.
 */
import path from 'node:path';
import { InputError } from '../base/errors.ts';
import { PROMPT_RATIOS } from '../cost-models/types.ts';
import { isPaperEngine } from '../cost-models/engine-model.ts';
import type { LatencyKind, LatencyKindContext } from '../sim/latency-kinds.ts';
import { keptPromptTokens } from '../sim/prompt.ts';
import type { RequestTable } from '../sim/request-table.ts';
import { AgentError, readTokenFile } from './controller.ts';
import { createHilLatencyModel } from './latency-model.ts';

/** Every prompt length a policy may prefill (the whole prompt down to the smallest compression) and context. */
function lengthsNeeded(table: RequestTable): { promptTokens: number[]; contextTokens: number[] } {
  const prompts = new Set<number>();
  const contexts = new Set<number>();
  for (let i = 0; i < table.length; i++) {
    const system = table.systemTokens[i]!;
    const query = table.queryTokens[i]!;
    const out = table.outputTokens[i]!;
    for (const ratio of PROMPT_RATIOS) {
      const p = keptPromptTokens(system, query, ratio);
      prompts.add(p);
      contexts.add(p + out);
    }
  }
  const sorted = (s: Set<number>) => [...s].sort((a, b) => a - b);
  return { promptTokens: sorted(prompts), contextTokens: sorted(contexts) };
}

export const hilLatencyKind: LatencyKind = {
  flagForm: 'hil:ws://HOST:PORT',
  fromFlag(arg, flags) {
    if (!/^wss?:\/\//.test(arg)) throw new InputError('--latency', `hil needs the agent's address: hil:ws://HOST:PORT, got "hil:${arg}"`);
    return flags.tokenFile ? { kind: 'hil', url: arg, tokenFile: path.resolve(flags.tokenFile) } : { kind: 'hil', url: arg };
  },
  async create(spec, ctx: LatencyKindContext) {
    const url = String(spec.url);
    if (!isPaperEngine(ctx.engine)) throw new InputError(ctx.where, `a HIL agent measures its own runtime: drop the engine (${JSON.stringify(ctx.engine)}) or price with roofline`);
    const token = typeof spec.tokenFile === 'string' ? await readTokenFile(path.resolve(ctx.baseDir, spec.tokenFile)) : '';
    try {
      return await createHilLatencyModel({
        url, token, arch: ctx.arch, dtype: ctx.dtype === 'fp16' ? 'fp16' : 'fp32', threads: ctx.threads, device: ctx.device,
        needs: lengthsNeeded(ctx.table),
      });
    } catch (e) {
      if (e instanceof AgentError) throw new InputError(`latency hil:${url}`, e.message);
      throw e;
    }
  },
};
