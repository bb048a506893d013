/**
 * Traces: the paper's generator, the artifact importer and our JSONL format. See docs/traces.md.
 */
import { InputError } from '../../base/errors.ts';
import type { RequestTable } from '../request-table.ts';
import type { ImportOptions } from './elastilm-import.ts';
import { readJsonlTrace } from './jsonl.ts';

export { PAPER_CLASSES, paperClassOf, type TraceClass } from './classes.ts';
export { generateTrace, classCounts, type GenerateOptions, type SkewConvention } from './generate.ts';
export { type ArrivalOptions } from './arrivals.ts';
export { readJsonlTrace, writeJsonlTrace, REQUEST_SCHEMA_URL } from './jsonl.ts';
export { type ImportOptions } from './elastilm-import.ts';
export { datasetLengthTable, type DatasetLengthTable } from './dataset-lengths.ts';
export { TOKENIZERS, type TokenizerName } from './tokenizer-names.ts';
// the artifact importer and countTokens are imported from their own modules: they load a tokenizer

export type TraceFormat = 'jsonl' | 'elastilm';

/**
 * Reads a trace file of either format. `opts` matter for 'elastilm' only (JSONL files carry their own
 * token counts and arrival times). Asynchronous because the artifact's format needs a tokenizer, which is
 * loaded only then (~0.1 s that runs on generated or JSONL traces, and every sweep worker, are spared).
 */
export async function readTraceFile(path: string, format: TraceFormat, opts: ImportOptions): Promise<RequestTable> {
  if (format === 'jsonl') return readJsonlTrace(path);
  if (format === 'elastilm') return (await import('./elastilm-import.ts')).importElastilmTrace(path, opts);
  throw new InputError('trace format', `expected jsonl or elastilm, got ${JSON.stringify(format)}`);
}
