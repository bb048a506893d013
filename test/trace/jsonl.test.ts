import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateTrace, readJsonlTrace, writeJsonlTrace, readTraceFile } from '../../sim/trace/index.ts';
import { FIXTURES, fixture, inputError } from './helpers.ts';
import { tempDir } from '../cli/helpers.ts';

describe('JSONL round trip', () => {
  const table = generateTrace({ requests: 300, alpha: 0.25, arrival: { process: 'poisson', ratePerMin: 7 }, tokenizer: 'llama3', seed: 5 });

  it('write → read gives back every request exactly', async () => {
    const file = path.join(tempDir(), 'trace.jsonl');
    writeJsonlTrace(file, table);
    const back = readJsonlTrace(file);
    expect(back.length).toBe(table.length);
    for (let i = 0; i < table.length; i++) expect(back.spec(i)).toEqual(table.spec(i));
    expect((await readTraceFile(file, 'jsonl', { tokenizer: 'llama', seed: 0, arrival: { process: 'none' } })).spec(3)).toEqual(table.spec(3));
  });

  it('same table → same bytes, one line per request, fixed member order', () => {
    const dir = tempDir();
    writeJsonlTrace(path.join(dir, 'a.jsonl'), table);
    writeJsonlTrace(path.join(dir, 'b.jsonl'), readJsonlTrace(path.join(dir, 'a.jsonl')));
    const a = readFileSync(path.join(dir, 'a.jsonl'), 'utf8');
    expect(readFileSync(path.join(dir, 'b.jsonl'), 'utf8')).toBe(a);
    const lines = a.trimEnd().split('\n');
    expect(lines).toHaveLength(table.length);
    expect(Object.keys(JSON.parse(lines[0]!))).toEqual(['id', 'app', 'dataset', 'arrivalMs', 'systemTokens', 'queryTokens', 'outputTokens', 'slo']);
    // the atomic writer leaves no temporary file behind
    expect(readdirSync(dir).sort()).toEqual(['a.jsonl', 'b.jsonl']);
  });

  it('sorts by arrival stably: equal arrivals keep file order; blank lines are skipped; ms SLOs pass', () => {
    const t = readJsonlTrace(fixture('unsorted.jsonl'));
    expect(Array.from(t.id)).toEqual([2, 4, 1, 3]);
    expect(t.isSortedByArrival()).toBe(true);
    expect(t.spec(3).slo).toEqual({ ttft: 2000, tpot: 150, unit: 'ms' });
  });
});

describe('JSONL errors name the file, the line and the JSON path', () => {
  it('schema violation', () => {
    const e = inputError(() => readJsonlTrace(fixture('bad-slo.jsonl')));
    expect(e.where).toBe(`${fixture('bad-slo.jsonl')}:2`);
    expect(e.message).toContain('/slo/ttft');
  });

  it('invalid JSON', () => {
    const e = inputError(() => readJsonlTrace(fixture('bad-json.jsonl')));
    expect(e.where).toBe(`${fixture('bad-json.jsonl')}:2`);
    expect(e.message).toContain('not valid JSON');
  });

  it('duplicate id', () => {
    const e = inputError(() => readJsonlTrace(fixture('duplicate-id.jsonl')));
    expect(e.where).toBe(`${fixture('duplicate-id.jsonl')}:2`);
    expect(e.message).toMatch(/\/id 7 repeats the id of line 1/);
  });

  it('unknown member and missing file', () => {
    const file = path.join(tempDir(), 'extra.jsonl');
    writeFileSync(file, '{"id":1,"app":"A","dataset":"OBQA","arrivalMs":0,"systemTokens":1,"queryTokens":1,"outputTokens":1,"slo":{"ttft":1,"tpot":1,"unit":"ratio"},"prio":3}\n');
    expect(inputError(() => readJsonlTrace(file)).message).toContain('unknown property "prio"');
    expect(inputError(() => readJsonlTrace(path.join(FIXTURES, 'nope.jsonl'))).message).toContain('ENOENT');
  });
});
