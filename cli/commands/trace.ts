/**
 * `elastitwin trace generate|import`: write traces in our JSONL format (docs/traces.md). Every flag is
 * checked before anything is written, and the output appears whole or not at all.
 */
import type { Command } from 'commander';
import { InputError } from '../../base/errors.ts';
import { parseSeed, parsePositiveNumber } from './parse.ts';
import { generateTrace, writeJsonlTrace, type ArrivalOptions, type TokenizerName } from '../../sim/trace/index.ts';
import type { RequestTable } from '../../sim/request-table.ts';

const MAX_REQUESTS = 100_000_000;

interface ArrivalFlags {
  arrival?: string;
  ratePerMin?: string;
  burstFactor?: string;
  meanBurstLength?: string;
}

/** --arrival none | poisson | bursty; poisson when only --rate-per-min is given, none when nothing is. */
export function parseArrivalFlags(f: ArrivalFlags): ArrivalOptions {
  const process = f.arrival ?? (f.ratePerMin !== undefined ? 'poisson' : 'none');
  if (process === 'none') {
    if (f.ratePerMin !== undefined) throw new InputError('--rate-per-min', 'cannot be combined with --arrival none');
    return { process };
  }
  if (process !== 'poisson' && process !== 'bursty') throw new InputError('--arrival', `expected none, poisson or bursty, got "${process}"`);
  if (f.ratePerMin === undefined) throw new InputError('--rate-per-min', `is required with --arrival ${process}`);
  const ratePerMin = parsePositiveNumber(f.ratePerMin, '--rate-per-min');
  if (process === 'poisson') return { process, ratePerMin };
  const burstFactor = parsePositiveNumber(f.burstFactor ?? '4', '--burst-factor');
  const meanBurstLength = parsePositiveNumber(f.meanBurstLength ?? '5', '--mean-burst-length');
  if (burstFactor < 1) throw new InputError('--burst-factor', `expected a number ≥ 1, got "${f.burstFactor}"`);
  if (meanBurstLength < 1) throw new InputError('--mean-burst-length', `expected a number ≥ 1, got "${f.meanBurstLength}"`);
  return { process, ratePerMin, burstFactor, meanBurstLength };
}

function parseTokenizer(value: string): TokenizerName {
  if (value !== 'llama' && value !== 'llama3') throw new InputError('--tokenizer', `expected llama or llama3, got "${value}"`);
  return value;
}

function parsePositiveInt(value: string, flag: string, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) {
    throw new InputError(flag, `expected an integer from 1 to ${max}, got "${value}"`);
  }
  return Number(value);
}

function parseAlpha(value: string): number {
  const x = Number(value);
  if (value.trim() === '' || !Number.isFinite(x)) throw new InputError('--alpha', `expected a number, got "${value}"`);
  return x;
}

function report(table: RequestTable, out: string): void {
  const perClass = new Map<string, number>();
  for (let i = 0; i < table.length; i++) {
    const app = table.classes[table.classIndex[i]!]!.app;
    perClass.set(app, (perClass.get(app) ?? 0) + 1);
  }
  const counts = table.classes.map((c) => `${c.app}/${c.dataset} ${perClass.get(c.app) ?? 0}`).join(', ');
  process.stdout.write(`wrote ${table.length} requests to ${out} (${counts})\n`);
}

const arrivalOptions = (cmd: Command): Command =>
  cmd
    .option('--arrival <process>', 'arrival process: none (all at t=0), poisson or bursty')
    .option('--rate-per-min <r>', 'mean arrivals per minute (implies --arrival poisson)')
    .option('--burst-factor <b>', 'bursty: rate inside a burst / mean rate (default 4)')
    .option('--mean-burst-length <m>', 'bursty: mean requests per burst (default 5)')
    .option('--tokenizer <name>', 'token counts in the vocabulary of: llama (LLaMA-1/2, Vicuna, Orca) or llama3', 'llama')
    .option('--seed <s>', 'random seed', '1');

export function register(program: Command): void {
  const trace = program.command('trace').description('generate or import request traces (our JSONL format)');

  arrivalOptions(
    trace
      .command('generate')
      .description("generate a trace the paper's way: 6 SLO classes, counts ∝ e^{α·i}, shuffled")
      .requiredOption('--requests <n>', 'N of the count formula (the trace holds the sum of the truncated counts)')
      .requiredOption('--alpha <a>', 'skew: 0 even, > 0 towards relaxed SLOs (paper convention)')
      .option('--skew-convention <c>', "paper (α > 0 leans relaxed) or artifact (the released files' direction)", 'paper')
      .option('--output-tokens <n>', "output tokens of every request (default: the dataset's answer lengths)"),
  )
    .requiredOption('--out <file>', 'JSONL file to write')
    .action((opts) => {
      const skew = opts.skewConvention as string;
      if (skew !== 'paper' && skew !== 'artifact') throw new InputError('--skew-convention', `expected paper or artifact, got "${skew}"`);
      const table = generateTrace({
        requests: parsePositiveInt(opts.requests, '--requests', MAX_REQUESTS),
        alpha: parseAlpha(opts.alpha),
        skewConvention: skew,
        arrival: parseArrivalFlags(opts),
        tokenizer: parseTokenizer(opts.tokenizer),
        seed: parseSeed(opts.seed),
        ...(opts.outputTokens !== undefined ? { outputTokens: parsePositiveInt(opts.outputTokens, '--output-tokens', 0xffffffff) } : {}),
      });
      writeJsonlTrace(opts.out, table);
      report(table, opts.out);
    });

  arrivalOptions(
    trace
      .command('import')
      .description("convert a trace of the ElastiLM artifact (JSON array of [prompt, choices, groundtruth, [ζ_TTFT, ζ_TPOT], index, dataset]) to JSONL")
      .argument('<file>', 'trace file to import')
      .requiredOption('--format <format>', 'format of <file>: elastilm'),
  )
    .requiredOption('--out <file>', 'JSONL file to write')
    .action(async (file: string, opts) => {
      if (opts.format !== 'elastilm') throw new InputError('--format', `expected elastilm, got "${opts.format}"`);
      // imported here, not at the top: it loads a tokenizer (~0.1 s) that no other command needs
      const { importElastilmTrace } = await import('../../sim/trace/elastilm-import.ts');
      const table = importElastilmTrace(file, { tokenizer: parseTokenizer(opts.tokenizer), seed: parseSeed(opts.seed), arrival: parseArrivalFlags(opts) });
      writeJsonlTrace(opts.out, table);
      report(table, opts.out);
    });
}
