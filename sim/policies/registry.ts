/**
 * Policies by name. Adding a policy = one file in this folder exporting a PolicyFactory + one line here
 * (see docs/policies.md for a worked example).
 */
import { InputError } from '../../base/errors.ts';
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

const factories: Record<string, PolicyFactory> = {
  elastilm,
  oracle,
  full,
  pfs,
  'llm-pruner': llmPruner,
  'layer-reduction': layerReduction,
  laco,
  shortgpt,
  'attn-drop': attnDrop,
  'lingua2-cs': lingua2Cs,
};

export function policyNames(): string[] {
  return Object.keys(factories);
}

/** Registers a policy at run time (for plug-ins loaded by the caller; the shipped ones are listed above). */
export function registerPolicy(name: string, factory: PolicyFactory): void {
  if (factories[name]) throw new Error(`policy "${name}" is already registered`);
  factories[name] = factory;
}

export function createPolicy(name: string, options: Record<string, unknown>, env: PolicyEnv, where = 'policies'): Policy {
  const f = factories[name];
  if (!f) throw new InputError(where, `unknown policy "${name}" (known: ${policyNames().join(', ')})`);
  return f(options, env);
}
