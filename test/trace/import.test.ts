import { describe, it, expect } from 'vitest';
import { readTraceFile, datasetLengthTable, type ImportOptions } from '../../sim/trace/index.ts';
import { importElastilmTrace } from '../../sim/trace/elastilm-import.ts';
import { countTokens } from '../../sim/trace/tokenize.ts';
import { resolveGroundTruth } from '../../sim/trace/elastilm-format.ts';
import { fixture, inputError } from './helpers.ts';
import { InputError } from '../../base/errors.ts';

const opts: ImportOptions = { tokenizer: 'llama', seed: 3, arrival: { process: 'none' } };

describe('importing the artifact format (fixture written in its shape)', () => {
  for (const tokenizer of ['llama', 'llama3'] as const) {
    it(`tokenizes the real text with ${tokenizer}`, () => {
      const t = importElastilmTrace(fixture('elastilm-small.json'), { ...opts, tokenizer });
      expect(t.length).toBe(6);
      // ids are the artifact's own indices, in file order
      expect(Array.from(t.id)).toEqual([7, 3, 11, 20, 31, 40]);
      const first = t.spec(0);
      expect(first.app).toBe('Rewind');
      expect(first.dataset).toBe('OBQA');
      expect(first.slo).toEqual({ ttft: 1, tpot: 1, unit: 'ratio' });
      // query + longest choice ("a stopwatch"), with BOS; the answer "a stopwatch" without BOS
      expect(first.queryTokens).toBe(countTokens('Question: Which tool measures how long a toy car takes to roll down a ramp? Answer: a stopwatch', tokenizer, { bos: true }));
      expect(first.outputTokens).toBe(countTokens('a stopwatch', tokenizer, { bos: false }));
      expect(first.systemTokens).toBe(datasetLengthTable().datasets.OBQA.tokenizers[tokenizer].systemTokens);
    });
  }

  it('resolves every ground-truth spelling of the artifact', () => {
    const t = importElastilmTrace(fixture('elastilm-small.json'), opts);
    const out = (i: number, text: string) => expect(t.outputTokens[i]).toBe(countTokens(text, 'llama', { bos: false }));
    out(1, 'freeze'); // "1": 1-based number
    out(2, 'send a message'); // "C": letter
    out(3, 'X'); // the app called "X" is text, not the letter X
    out(4, 'store it in a sealed bag in a cool place.'); // 0: index
    out(5, 'oxygen'); // 3: index
    expect(resolveGroundTruth('B', ['a'])).toBeNull();
  });

  it('maps datasets to their paper apps and keeps each entry\'s SLO', () => {
    const t = importElastilmTrace(fixture('elastilm-small.json'), opts);
    expect(Array.from({ length: 6 }, (_, i) => `${t.spec(i).app}:${t.spec(i).slo.ttft}/${t.spec(i).slo.tpot}`)).toEqual([
      'Rewind:1/1', 'GMail:0.8/0.9', 'Octopus:0.6/0.8', 'Shortcuts:0.4/0.7', 'Gboard:0.2/0.6', 'XiaoAi:0.2/0.5',
    ]);
  });

  it('arrivals come from the option (the artifact has none), deterministic by seed', async () => {
    const none = importElastilmTrace(fixture('elastilm-small.json'), opts);
    expect(new Set(none.arrivalMs)).toEqual(new Set([0]));
    const p = { ...opts, arrival: { process: 'poisson', ratePerMin: 2 } } as const;
    const a = await readTraceFile(fixture('elastilm-small.json'), 'elastilm', p);
    expect(a.isSortedByArrival()).toBe(true);
    expect(a.arrivalMs[0]).toBeGreaterThan(0);
    expect(Array.from(importElastilmTrace(fixture('elastilm-small.json'), p).arrivalMs)).toEqual(Array.from(a.arrivalMs));
  });
});

describe('malformed artifact files: errors name the entry index and the field', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['elastilm-bad-slo.json', '$[1][3]', /entry 1, field 3 \(\[ζ_TTFT, ζ_TPOT\]\): expected two ratios in \(0, 1\]/],
    ['elastilm-bad-dataset.json', '$[0][5]', /entry 0, field 5 \(dataset\): expected one of OBQA, ARC_E, octopus, llamatouch, PIQA, SCIQ, got "MMLU"/],
    ['elastilm-bad-answer.json', '$[1][2]', /entry 1, field 2 \(groundtruth\)/],
    ['elastilm-short-entry.json', '$[0]', /entry 0: expected an array \[prompt, choices, groundtruth/],
    ['elastilm-not-array.json', '$', /expected a JSON array of entries/],
    ['elastilm-duplicate-index.json', '$[1][4]', /index 5 repeats entry 0's/],
  ];
  for (const [name, jsonPath, message] of cases) {
    it(name, () => {
      const e = inputError(() => importElastilmTrace(fixture(name), opts));
      expect(e.where).toBe(`${fixture(name)} ${jsonPath}`);
      expect(e.message).toMatch(message);
    });
  }

  it('a JSONL file read as elastilm is reported as invalid JSON', async () => {
    const e: unknown = await readTraceFile(fixture('unsorted.jsonl'), 'elastilm', opts).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).message).toContain('not valid JSON');
  });
});
