/**
 * Policies by name. A shipped policy is one file in this folder plus one line here; a user's policy is a
 * plug-in file loaded with `--plugin` (docs/plugins.md), with no edit to the source tree.
 */
import { Registry } from '../../base/registry.ts';
import type { Policy, PolicyEnv, PolicyFactory } from '../types.ts';
import { elastilm } from './elastilm.ts';
import { oracle } from './oracle.ts';
import { full } from './full.ts';
import { pfs } from './pfs.ts';
import { llmPruner } from './llm-pruner.ts';
import { layerReduction } from './layer-reduction.ts';
import { laco } from './laco.ts';
import { shortgpt } from './shortgpt.ts';
import { attnDrop } from './attn-drop.ts';
import { lingua2Cs } from './lingua2-cs.ts';

/** Every policy by name: the shipped ones below, then plug-ins' (cli/plugins.ts). */
export const policies = new Registry<PolicyFactory>('policy');
const shipped: Array<[string, PolicyFactory]> = [
  ['elastilm', elastilm],
  ['oracle', oracle],
  ['full', full],
  ['pfs', pfs],
  ['llm-pruner', llmPruner],
  ['layer-reduction', layerReduction],
  ['laco', laco],
  ['shortgpt', shortgpt],
  ['attn-drop', attnDrop],
  ['lingua2-cs', lingua2Cs],
];
for (const [name, factory] of shipped) policies.register(name, factory);

export function policyNames(): string[] {
  return policies.names();
}

/** Registers a policy at run time (plug-ins; `origin` is the plug-in's file). */
export function registerPolicy(name: string, factory: PolicyFactory, origin = 'a plug-in'): void {
  policies.register(name, factory, origin);
}

export function createPolicy(name: string, options: Record<string, unknown>, env: PolicyEnv, where = 'policies'): Policy {
  return policies.get(name, where)(options, env);
}
