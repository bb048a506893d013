/**
 * The process-level contract, on 12 generated cases (a process costs ~1.7 s of CPU here, so the
 * thousands run in-process in validators.fuzz.test.ts): the real `elastitwin` command, given a generated bad
 * scenario, trace (both formats), sweep file or flag, exits with code 2, prints one message naming the file
 * and the bad location (or the flag), never a stack trace, and writes nothing.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, tempDir } from '../cli/helpers.ts';
import { InputError } from '../../base/errors.ts';
import { validateScenario } from '../../sim/scenario.ts';
import { readJsonlTrace } from '../../sim/trace/jsonl.ts';
import { readElastilmEntries } from '../../sim/trace/elastilm-format.ts';
import { loadSweepFile } from '../../sim/sweep/sweep-file.ts';
import { expandSweep } from '../../sim/sweep/expand.ts';
import { applyCorruption, corruptionArb, namesLocation, type Corruption } from './corrupt.ts';
import { BASE_SCENARIOS, BASE_SWEEP, ELASTILM_ENTRIES, JSONL_LINES } from './valid-inputs.ts';

// each process costs ~1.7 s of CPU (tsx loads the CLI's TypeScript): 12 cases keep this file near 20 s
const PER_KIND = { scenario: 3, jsonl: 3, elastilm: 2, sweep: 2, flag: 2 };
const TOTAL = Object.values(PER_KIND).reduce((a, b) => a + b, 0);
const dir = tempDir('elastitwin-cli-fuzz-');
let serial = 0;

interface Case {
  label: string;
  args: (out: string) => string[];
  /** Strings the message must contain (file, flag, location). */
  mustName: string[];
  corruption?: Corruption;
}

const rejects = (f: () => unknown): boolean => {
  try {
    f();
    return false;
  } catch (e) {
    if (e instanceof InputError) return true;
    throw e;
  }
};

/** The first `n` generated values that `keep` accepts (fixed seed: the same cases every run). */
function pick<T>(arb: fc.Arbitrary<T>, n: number, keep: (x: T) => boolean, seed: number): T[] {
  return fc.sample(arb, { numRuns: 40 * n, seed }).filter(keep).slice(0, n);
}

const write = (name: string, text: string): string => {
  const file = path.join(dir, `${serial++}-${name}`);
  writeFileSync(file, text);
  return file;
};

function scenarioCases(): Case[] {
  const arb = fc.constantFrom(...BASE_SCENARIOS).chain((b) => fc.tuple(fc.constant(b), corruptionArb(b)));
  return pick(arb, PER_KIND.scenario, ([b, c]) => rejects(() => validateScenario(applyCorruption(b, c), 'x')), 101).map(([b, c]) => {
    const file = write('scenario.json', JSON.stringify(applyCorruption(b, c)));
    return { label: `scenario ${c.kind} ${c.pointer}`, args: (out) => ['run', file, '--out', out, '--no-html'], mustName: [file], corruption: c };
  });
}

function jsonlCases(): Case[] {
  const arb = fc.nat(JSONL_LINES.length - 1).chain((line) => corruptionArb(JSON.parse(JSONL_LINES[line]!)).map((c) => ({ line, c })));
  const fileOf = (x: { line: number; c: Corruption }) => {
    const lines = [...JSONL_LINES];
    lines[x.line] = JSON.stringify(applyCorruption(JSON.parse(lines[x.line]!), x.c));
    return lines.join('\n') + '\n';
  };
  return pick(arb, PER_KIND.jsonl, (x) => rejects(() => readJsonlTrace(write('probe.jsonl', fileOf(x)))), 202).map((x) => {
    const file = write('trace.jsonl', fileOf(x));
    return { label: `JSONL line ${x.line + 1} ${x.c.kind} ${x.c.pointer}`, args: (out) => ['run', 'default', '--trace', file, '--out', out, '--no-html'], mustName: [`${file}:${x.line + 1}`], corruption: x.c };
  });
}

function elastilmCases(): Case[] {
  const arb = fc.record({ entry: fc.nat(ELASTILM_ENTRIES.length - 1), field: fc.nat(5), value: fc.constantFrom(null, -3, 2.5, '', 'nope', [], [0, 1], {}) });
  const textOf = (x: { entry: number; field: number; value: unknown }) => {
    const entries = structuredClone(ELASTILM_ENTRIES);
    entries[x.entry]![x.field] = x.value;
    return JSON.stringify(entries);
  };
  return pick(arb, PER_KIND.elastilm, (x) => rejects(() => readElastilmEntries(write('probe.json', textOf(x)))), 303).map((x) => {
    const file = write('artifact.json', textOf(x));
    return { label: `artifact entry ${x.entry} field ${x.field}`, args: (out) => ['trace', 'import', file, '--format', 'elastilm', '--out', out], mustName: [`${file} $[${x.entry}]`] };
  });
}

function sweepCases(): Case[] {
  const arb = corruptionArb(BASE_SWEEP).filter((c) => c.pointer !== '/base');
  return pick(arb, PER_KIND.sweep, (c) => rejects(() => expandSweep(loadSweepFile(write('probe.json', JSON.stringify(applyCorruption(BASE_SWEEP, c)))))), 404).map((c) => {
    const file = write('sweep.json', JSON.stringify(applyCorruption(BASE_SWEEP, c)));
    return { label: `sweep ${c.kind} ${c.pointer}`, args: (out) => ['sweep', file, '--out', out, '--workers', '1', '--no-html'], mustName: [file] };
  });
}

function flagCases(): Case[] {
  const bad = fc.oneof(fc.constantFrom('-1', 'abc', '1.5', '', '99999999999', '0x1f'), fc.string({ minLength: 1, maxLength: 6 }).filter((s) => !/^\d+$/.test(s)));
  const arb = fc.record({
    flag: fc.constantFrom(
      { name: '--seed', args: (v: string, out: string) => ['run', 'default', '--seed', v, '--out', out] },
      { name: '--latency', args: (v: string, out: string) => ['run', 'default', '--latency', `x${v}`, '--out', out] },
      { name: '--workers', args: (v: string, out: string) => ['sweep', 'scenarios/sweeps/arrival-rate.json', '--workers', v, '--out', out] },
      { name: '--requests', args: (v: string, out: string) => ['trace', 'generate', '--requests', v, '--alpha', '0', '--out', out] },
    ),
    value: bad,
  });
  return pick(arb, PER_KIND.flag, (x) => !x.value.startsWith('-'), 505).map((x) => ({
    label: `${x.flag.name} ${JSON.stringify(x.value)}`, args: (out) => x.flag.args(x.value, out), mustName: [x.flag.name],
  }));
}

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/elastitwin.js'), ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe(`the elastitwin process on ${TOTAL} generated bad inputs`, () => {
  const cases = [...scenarioCases(), ...jsonlCases(), ...elastilmCases(), ...sweepCases(), ...flagCases()];

  it(`generates ${TOTAL} cases, all invalid by the in-process validators`, () => {
    expect(cases).toHaveLength(TOTAL);
  });

  it('exits 2 with a message naming the file and location (or flag), no stack trace, nothing written', async () => {
    // two processes at a time (the machine has two cores)
    const results: Array<{ c: Case; out: string; r: Awaited<ReturnType<typeof runCli>> }> = [];
    const queue = cases.map((c, k) => ({ c, out: path.join(dir, `out-${k}`) }));
    await Promise.all([0, 1].map(async () => {
      for (let job = queue.shift(); job; job = queue.shift()) results.push({ ...job, r: await runCli(job.c.args(job.out)) });
    }));
    for (const { c, out, r } of results) {
      const where = `${c.label}: ${r.stderr}`;
      expect(r.code, where).toBe(2);
      expect(r.stderr, where).not.toMatch(/\n\s+at .+:\d+:\d+/);
      expect(r.stderr.trim().split('\n'), where).toHaveLength(1);
      for (const s of c.mustName) expect(r.stderr, where).toContain(s);
      if (c.corruption) expect(namesLocation(r.stderr, c.corruption), where).toBe(true);
      expect(existsSync(out), `${c.label}: ${out} was written`).toBe(false);
    }
  }, 600_000);
});
