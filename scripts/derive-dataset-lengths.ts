/**
 * Derives sim/trace/datasets.json (per-dataset prompt and output lengths in tokens) from an ElastiLM
 * artifact trace file, with both model tokenizers. Usage:
 *
 *   node bin/run-ts.js scripts/derive-dataset-lengths.ts TRACE.json [--commit SHA] [--date YYYY-MM-DD] [--out FILE]
 *
 * TRACE.json is ELASTICLLM/e2e/traces/trace_0.json of github.com/yinwangsong/ElastiLM (600 entries, 100 per
 * dataset). Per dataset and tokenizer it records the query-token and answer-token distributions (summary
 * and empirical histogram) and the chars per token of the dataset's text. The system prompts themselves are
 * not in the trace: their token count is estimated as their size in characters (reference §1.3, counted
 * from the artifact's prompt files) divided by that measured chars per token.
 */
import { mean, standardDeviation } from 'simple-statistics';
import { DATASETS, type Dataset } from '../sim/types.ts';
import { readElastilmEntries } from '../sim/trace/elastilm-format.ts';
import { entryLengths } from '../sim/trace/entry-lengths.ts';
import { TOKENIZERS, TOKENIZER_PACKAGES, type TokenizerName } from '../sim/trace/tokenizer-names.ts';
import { writeFileAtomic } from '../base/atomic-write.ts';
import type { DatasetLengthTable, DatasetLengths, LengthDistribution, TokenizerLengths } from '../sim/trace/dataset-lengths.ts';

/** System-prompt sizes in characters and shots, from the artifact's prompt code (reference §1.3). */
const SYSTEM_PROMPTS: Record<Dataset, { chars: number; shots: number; note: string }> = {
  OBQA: { chars: 537, shots: 5, note: '5 dev-set shots' },
  ARC_E: { chars: 717, shots: 5, note: '5 dev-set shots' },
  octopus: { chars: 3178, shots: 6, note: '6 dev rows plus functions_simple.txt (2329 chars)' },
  llamatouch: { chars: 1388, shots: 5, note: '5 dev-set shots with the candidate-app list' },
  PIQA: { chars: 738, shots: 5, note: '5 dev-set shots' },
  SCIQ: { chars: 774, shots: 5, note: '5 dev-set shots' },
};

function parseArgs(argv: string[]): { trace: string; commit: string; date: string; out: string } {
  const args = { trace: '', commit: '2dd23827b70c4418044dc48abd6b906295ce9179', date: new Date().toISOString().slice(0, 10), out: 'sim/trace/datasets.json' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--commit') args.commit = value();
    else if (a === '--date') args.date = value();
    else if (a === '--out') args.out = value();
    else if (a.startsWith('--')) throw new Error(`unknown flag ${a}`);
    else args.trace = a;
  }
  if (!args.trace) throw new Error('usage: derive-dataset-lengths.ts TRACE.json [--commit SHA] [--date YYYY-MM-DD] [--out FILE]');
  return args;
}

const round = (x: number, digits = 3): number => Number(x.toFixed(digits));

function distribution(values: number[]): LengthDistribution {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return {
    mean: round(mean(values)),
    sd: round(standardDeviation(values)),
    min: Math.min(...values),
    max: Math.max(...values),
    histogram: [...counts.entries()].sort((a, b) => a[0] - b[0]),
  };
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const entries = readElastilmEntries(args.trace);
  const datasets = {} as Record<Dataset, DatasetLengths>;
  for (const d of DATASETS) {
    const rows = entries.filter((e) => e.dataset === d);
    if (rows.length === 0) throw new Error(`${args.trace}: no entries of dataset ${d}`);
    const sys = SYSTEM_PROMPTS[d];
    const tokenizers = {} as Record<TokenizerName, TokenizerLengths>;
    for (const tok of TOKENIZERS) {
      const lengths = rows.map((e) => entryLengths(e, tok));
      const chars = lengths.reduce((s, l) => s + l.shotChars, 0);
      const tokens = lengths.reduce((s, l) => s + l.shotTokens, 0);
      const charsPerToken = chars / tokens;
      tokenizers[tok] = {
        charsPerToken: round(charsPerToken),
        systemTokens: Math.round(sys.chars / charsPerToken),
        queryTokens: distribution(lengths.map((l) => l.queryTokens)),
        outputTokens: distribution(lengths.map((l) => l.outputTokens)),
      };
    }
    datasets[d] = { systemPromptChars: sys.chars, shots: sys.shots, entries: rows.length, tokenizers };
  }
  const table: DatasetLengthTable = {
    provenance: {
      source: {
        repository: 'github.com/yinwangsong/ElastiLM',
        path: 'ELASTICLLM/e2e/traces/trace_0.json',
        commit: args.commit,
        entries: entries.length,
      },
      tokenizers: TOKENIZER_PACKAGES,
      date: args.date,
      command: `node bin/run-ts.js scripts/derive-dataset-lengths.ts ${args.trace.split('/').pop()} --commit ${args.commit} --date ${args.date}`,
      method: {
        queryTokens: 'BOS + tokens of "Question: <query> Answer: <longest choice>" (the fixed part of the artifact prompt)',
        outputTokens: 'tokens of the ground-truth answer text (no BOS), at least 1',
        charsPerToken: 'sum of chars / sum of tokens of "Question: <query> Answer: <ground truth>" over the dataset\'s entries',
        systemTokens: 'ESTIMATE: systemPromptChars / charsPerToken, rounded; the system prompts are not in the trace',
        systemPromptChars: 'reference elastilm.md §1.3, counted from the artifact\'s prompt code',
        caveats: 'octopus queries are all "take a photo" and llamatouch queries are the app name (artifact quirks, kept as released)',
      },
    },
    datasets,
  };
  // compact [tokens, count] pairs keep the histograms readable
  const json = JSON.stringify(table, null, 2).replace(/\[\s+(\d+),\s+(\d+)\s+\]/g, '[$1, $2]');
  writeFileAtomic(args.out, [json, '\n']);
  for (const d of DATASETS) {
    const t = datasets[d].tokenizers;
    process.stdout.write(
      `${d.padEnd(11)} llama: sys ${t.llama.systemTokens} query ${t.llama.queryTokens.mean} out ${t.llama.outputTokens.mean} cpt ${t.llama.charsPerToken} | ` +
        `llama3: sys ${t.llama3.systemTokens} query ${t.llama3.queryTokens.mean} out ${t.llama3.outputTokens.mean} cpt ${t.llama3.charsPerToken}\n`,
    );
  }
  process.stdout.write(`wrote ${args.out}\n`);
}

main();
