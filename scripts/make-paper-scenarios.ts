/**
 * Writes the paper's 15 end-to-end scenarios (5 models × α ∈ {0, 0.25, −0.25}) into scenarios/.
 * Run after changing the shared settings below: `node bin/run-ts.js scripts/make-paper-scenarios.ts`.
 * Setup (paper §5.1-5.2): isolated mode, 600-request traces of the six SLO classes, all policies.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const MODELS = ['llama-7b', 'llama3-8b', 'llama3-8b-instruct', 'vicuna-7b', 'orca-mini-3b'];
const ALPHAS = [0, 0.25, -0.25];
export const PAPER_POLICIES = [
  'elastilm', 'oracle', 'full', 'pfs', 'llm-pruner', 'layer-reduction', 'laco', 'shortgpt', 'attn-drop', 'lingua2-cs',
];

const dir = fileURLToPath(new URL('../scenarios/', import.meta.url));
const policies = process.argv.includes('--core-only') ? PAPER_POLICIES.slice(0, 3) : PAPER_POLICIES;
for (const model of MODELS) {
  for (const alpha of ALPHAS) {
    const name = `paper-${model}-alpha${alpha}`;
    const scenario = {
      $schema: './schema/scenario.schema.json',
      name,
      description: `Paper e2e setup: ${model}, α=${alpha} (paper sign: α>0 leans to relaxed SLOs), 600 requests, isolated mode, MI14`,
      mode: 'isolated',
      device: 'mi14',
      model,
      dtype: 'fp16',
      threads: 4,
      latency: { kind: 'roofline' },
      policies,
      trace: { kind: 'paper', requests: 600, alpha, arrival: { process: 'none' } },
      seed: 42,
    };
    writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(scenario, null, 2)}\n`);
  }
}
console.log(`wrote ${MODELS.length * ALPHAS.length} scenarios to scenarios/`);
