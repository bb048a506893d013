/** Valid documents the fuzzers corrupt: shipped scenarios, a trace of each format and a sweep with an inline base. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const read = (rel: string): string => readFileSync(fileURLToPath(new URL(rel, import.meta.url)), 'utf8');

export const BASE_SCENARIOS: unknown[] = [
  JSON.parse(read('../../scenarios/default.json')),
  JSON.parse(read('../golden/scenarios/timed-llama3-edf-drop.json')),
  {
    name: 'fuzz-file-trace', mode: 'isolated', device: 'k70-pro', model: 'llama-7b', dtype: 'fp16', threads: 4,
    latency: { kind: 'table', table: 'grid.json' }, accuracy: { files: ['mine.json'] },
    policies: ['oracle', { name: 'elastilm', label: 'tlm-0.5', options: { decisionQuality: 0.5 } }],
    queue: 'edf', onLate: 'drop', trace: { kind: 'file', path: 't.jsonl', format: 'jsonl', tokenizer: 'llama' }, seed: 9,
    output: { html: false, requestsCsv: true, timelineSamples: 10 },
  },
];

export const JSONL_LINES: string[] = read('../golden/scenarios/inputs/ms-slo-60.jsonl').trim().split('\n').slice(0, 8);

export const ELASTILM_ENTRIES: unknown[][] = JSON.parse(read('../trace/fixtures/elastilm-small.json'));

export const BASE_SWEEP = {
  name: 'fuzz-sweep',
  base: {
    name: 'fuzz-base', mode: 'timed', device: 'mi14', model: 'orca-mini-3b', policies: ['elastilm', 'full'],
    trace: { kind: 'paper', requests: 30, alpha: 0, arrival: { process: 'poisson', ratePerMin: 4 } }, seed: 1,
  },
  axes: { 'trace.arrival.ratePerMin': [2, 6], policies: [['elastilm'], ['full']] },
  seeds: [1, 2],
};
