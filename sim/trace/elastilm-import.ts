/**
 * Imports an artifact trace (see elastilm-format.ts) into a RequestTable. Lengths come from the real text:
 * queryTokens = BOS + "Question: <q> Answer: <longest choice>", outputTokens = the ground-truth answer's
 * tokens, systemTokens = the dataset's system-prompt estimate from datasets.json (the system prompts are
 * not in the file). Each entry keeps its own SLO; the app name comes from its dataset's paper class.
 *
 * Arrivals: the artifact's generator draws Poisson timestamps but never writes them into the file (field 4
 * is the pre-shuffle index) and its accuracy run ignores time, so arrivals come from `arrival`, in file order.
 */
import { RequestTable } from '../request-table.ts';
import { Rng } from '../../base/rng.ts';
import { fillArrivals, type ArrivalOptions } from './arrivals.ts';
import { paperClassOf } from './classes.ts';
import { datasetLengthTable } from './dataset-lengths.ts';
import { readElastilmEntries } from './elastilm-format.ts';
import { entryLengths } from './entry-lengths.ts';
import type { TokenizerName } from './tokenizer-names.ts';

export interface ImportOptions {
  tokenizer: TokenizerName;
  seed: number;
  arrival: ArrivalOptions;
}

export function importElastilmTrace(file: string, opts: ImportOptions): RequestTable {
  const entries = readElastilmEntries(file);
  const lengths = datasetLengthTable().datasets;
  const table = new RequestTable(entries.length);
  entries.forEach((e, i) => {
    const l = entryLengths(e, opts.tokenizer);
    table.id[i] = e.index;
    table.classIndex[i] = table.classOf(paperClassOf(e.dataset).app, e.dataset, { ...e.slo, unit: 'ratio' });
    table.systemTokens[i] = lengths[e.dataset].tokenizers[opts.tokenizer].systemTokens;
    table.queryTokens[i] = l.queryTokens;
    table.outputTokens[i] = l.outputTokens;
  });
  // same stream as the generator's arrivals, so a seed means the same thing for both
  fillArrivals(table.arrivalMs, opts.arrival, Rng.fromSeed(opts.seed).fork(3));
  return table;
}
