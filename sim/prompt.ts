/**
 * Prompt elastification arithmetic. A prompt ratio targets the whole prompt, but only the system prompt
 * (few-shot examples, function/app docs) is compressed; the query stays whole. As in the artifact, the
 * system-prompt ratio is r_sys = max(0, ((S + Q)·p − Q) / S) and int(r_sys·S) + 1 tokens are kept.
 */
export function keptSystemTokens(systemTokens: number, queryTokens: number, promptRatio: number): number {
  if (systemTokens === 0 || promptRatio >= 1) return systemTokens;
  const rSys = Math.max(0, ((systemTokens + queryTokens) * promptRatio - queryTokens) / systemTokens);
  return Math.min(systemTokens, Math.floor(rSys * systemTokens) + 1);
}

/** Tokens the LLM prefills for a request at the given prompt ratio. */
export function keptPromptTokens(systemTokens: number, queryTokens: number, promptRatio: number): number {
  return keptSystemTokens(systemTokens, queryTokens, promptRatio) + queryTokens;
}
