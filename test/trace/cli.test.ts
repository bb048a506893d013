import { describe, it, expect } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { cli, tempDir } from '../cli/helpers.ts';
import { FIXTURES } from './helpers.ts';
import { readJsonlTrace } from '../../sim/trace/index.ts';
import { register } from '../../cli/commands/trace.ts';
import { InputError } from '../../base/errors.ts';

/** Runs `elastitwin trace …` in-process (the flag checks), returning the error message it fails with. */
async function failureOf(args: string[]): Promise<string> {
  const program = new Command().exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  register(program);
  try {
    await program.parseAsync(['node', 'elastitwin', ...args]);
  } catch (e) {
    if (e instanceof InputError) return e.message;
    return `commander: ${(e as Error).message}`;
  }
  return 'no error';
}


describe('elastitwin trace generate', () => {
  it('writes a JSONL trace the reader accepts', () => {
    const out = path.join(tempDir(), 'g.jsonl');
    const r = cli(['trace', 'generate', '--requests', '600', '--alpha', '0.25', '--rate-per-min', '4', '--seed', '9', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('wrote 596 requests');
    expect(r.stdout).toContain('Rewind/OBQA 170');
    const t = readJsonlTrace(out);
    expect(t.length).toBe(596);
    expect(t.arrivalMs[0]).toBeGreaterThan(0);
  });

  it('same flags → byte-identical file; --arrival none and --tokenizer llama3 work', () => {
    const dir = tempDir();
    const args = (o: string) => ['trace', 'generate', '--requests', '120', '--alpha', '-0.25', '--arrival', 'none', '--tokenizer', 'llama3', '--skew-convention', 'artifact', '--out', path.join(dir, o)];
    expect(cli(args('a.jsonl')).code).toBe(0);
    expect(cli(args('b.jsonl')).code).toBe(0);
    expect(readFileSync(path.join(dir, 'a.jsonl'), 'utf8')).toBe(readFileSync(path.join(dir, 'b.jsonl'), 'utf8'));
    expect(new Set(readJsonlTrace(path.join(dir, 'a.jsonl')).arrivalMs)).toEqual(new Set([0]));
  });

  const bad: Array<[string[], string]> = [
    [['--requests', 'ten', '--alpha', '0'], '--requests: expected an integer'],
    [['--requests', '10', '--alpha', 'high'], '--alpha: expected a number, got "high"'],
    [['--requests', '10', '--alpha', '0', '--rate-per-min', '-3'], '--rate-per-min: expected a positive number'],
    [['--requests', '10', '--alpha', '0', '--arrival', 'uniform'], '--arrival: expected none, poisson or bursty'],
    [['--requests', '10', '--alpha', '0', '--arrival', 'bursty'], '--rate-per-min: is required with --arrival bursty'],
    [['--requests', '10', '--alpha', '0', '--arrival', 'none', '--rate-per-min', '2'], '--rate-per-min: cannot be combined with --arrival none'],
    [['--requests', '10', '--alpha', '0', '--arrival', 'bursty', '--rate-per-min', '2', '--burst-factor', '0.5'], '--burst-factor: expected a number ≥ 1'],
    [['--requests', '10', '--alpha', '0', '--tokenizer', 'gpt2'], '--tokenizer: expected llama or llama3'],
    [['--requests', '10', '--alpha', '0', '--skew-convention', 'code'], '--skew-convention: expected paper or artifact'],
    [['--requests', '10', '--alpha', '0', '--seed', '-1'], '--seed: expected an integer'],
    [['--requests', '10', '--alpha', '0', '--output-tokens', '0'], '--output-tokens: expected an integer from 1'],
    [['--requests', '10'], "required option '--alpha <a>' not specified"],
  ];
  for (const [flags, message] of bad) {
    it(`rejects ${flags.slice(-2).join(' ')} before writing anything`, async () => {
      const dir = tempDir();
      expect(await failureOf(['trace', 'generate', ...flags, '--out', path.join(dir, 'x.jsonl')])).toContain(message);
      expect(readdirSync(dir)).toEqual([]);
    });
  }

  it('the real CLI exits 2 with the message and leaves no file', () => {
    const dir = tempDir();
    const r = cli(['trace', 'generate', '--requests', '10', '--alpha', 'high', '--out', path.join(dir, 'x.jsonl')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('elastitwin: --alpha: expected a number, got "high"\n');
    expect(readdirSync(dir)).toEqual([]);
    const missing = cli(['trace', 'generate', '--requests', '10', '--out', path.join(dir, 'x.jsonl')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '--alpha <a>' not specified");
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('elastitwin trace import --format elastilm', () => {
  it('converts an artifact-format file to JSONL', () => {
    const out = path.join(tempDir(), 'i.jsonl');
    const r = cli(['trace', 'import', '--format', 'elastilm', path.join(FIXTURES, 'elastilm-small.json'), '--rate-per-min', '1', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('wrote 6 requests');
    expect(Array.from(readJsonlTrace(out).id)).toEqual([7, 3, 11, 20, 31, 40]);
  });

  it('a malformed entry: exit 2, the message names file, entry and field, no output', () => {
    const dir = tempDir();
    const file = path.join(FIXTURES, 'elastilm-bad-slo.json');
    const r = cli(['trace', 'import', '--format', 'elastilm', file, '--out', path.join(dir, 'i.jsonl')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file} $[1][3]: entry 1, field 3`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('an unknown format or a missing file: exit 2, no output', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'i.jsonl');
    expect(await failureOf(['trace', 'import', '--format', 'csv', path.join(FIXTURES, 'elastilm-small.json'), '--out', out])).toContain(
      '--format: expected elastilm, got "csv"',
    );
    const b = cli(['trace', 'import', '--format', 'elastilm', path.join(dir, 'missing.json'), '--out', out]);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('cannot read the trace: ENOENT');
    expect(existsSync(out)).toBe(false);
  });
});
