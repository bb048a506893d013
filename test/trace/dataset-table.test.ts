import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DATASETS } from '../../sim/types.ts';
import { datasetLengthTable, TOKENIZERS, type DatasetLengthTable } from '../../sim/trace/index.ts';
import { ROOT, tempDir } from '../cli/helpers.ts';
import { FIXTURES } from './helpers.ts';


function checkTable(t: DatasetLengthTable, entriesPerDataset: number): void {
  for (const d of DATASETS) {
    const ds = t.datasets[d];
    expect(ds.entries).toBe(entriesPerDataset);
    for (const tok of TOKENIZERS) {
      const l = ds.tokenizers[tok];
      // the system-prompt estimate is chars / measured chars-per-token (stored rounded to 3 decimals)
      expect(Math.abs(l.systemTokens - ds.systemPromptChars / l.charsPerToken)).toBeLessThan(1);
      for (const dist of [l.queryTokens, l.outputTokens]) {
        expect(dist.histogram.reduce((s, [, c]) => s + c, 0)).toBe(entriesPerDataset);
        expect(dist.histogram[0]![0]).toBe(dist.min);
        expect(dist.histogram.at(-1)![0]).toBe(dist.max);
        expect(dist.min).toBeGreaterThan(0);
      }
    }
  }
}

describe('the shipped dataset length table', () => {
  const t = datasetLengthTable();

  it('has provenance: the artifact file, its commit, the tokenizer packages, the command', () => {
    const p = t.provenance as { source: { path: string; commit: string; entries: number }; tokenizers: Record<string, string>; command: string };
    expect(p.source.path).toBe('ELASTICLLM/e2e/traces/trace_0.json');
    expect(p.source.commit.startsWith('2dd23827')).toBe(true);
    expect(p.source.entries).toBe(600);
    expect(p.tokenizers).toEqual({ llama: 'llama-tokenizer-js@1.2.2', llama3: 'llama3-tokenizer-js@1.2.0' });
    expect(p.command).toContain('scripts/derive-dataset-lengths.ts');
  });

  it('covers every dataset and tokenizer, 100 entries each, self-consistent', () => {
    checkTable(t, 100);
  });

  it('orders datasets as the reference does: the agents carry the longest system prompts', () => {
    const sys = (d: (typeof DATASETS)[number]) => t.datasets[d].tokenizers.llama.systemTokens;
    expect(sys('octopus')).toBeGreaterThan(sys('llamatouch'));
    expect(sys('llamatouch')).toBeGreaterThan(sys('SCIQ'));
    // Llama 3's larger vocabulary needs fewer tokens for the same text
    for (const d of DATASETS) expect(t.datasets[d].tokenizers.llama3.systemTokens).toBeLessThanOrEqual(sys(d));
  });
});

describe('scripts/derive-dataset-lengths.ts', () => {
  it('runs on a file in the artifact format and writes a table of the same shape', () => {
    const out = path.join(tempDir(), 'datasets.json');
    const r = spawnSync(process.execPath, ['bin/run-ts.js', 'scripts/derive-dataset-lengths.ts', path.join(FIXTURES, 'elastilm-small.json'), '--date', '2000-01-01', '--out', out], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const t = JSON.parse(readFileSync(out, 'utf8')) as DatasetLengthTable;
    expect((t.provenance as { date: string }).date).toBe('2000-01-01');
    checkTable(t, 1);
  });
});
