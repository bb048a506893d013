/**
 * Traces: the paper's generator, the artifact importer and our JSONL format. See docs/traces.md.
 */
import { InputError } from '../../cli/errors.ts';
import type { RequestTable } from '../request-table.ts';
import { importElastilmTrace, type ImportOptions } from './elastilm-import.ts';
import { readJsonlTrace } from './jsonl.ts';

export { PAPER_CLASSES, paperClassOf, type TraceClass } from './classes.ts';
export { generateTrace, classCounts, type GenerateOptions, type SkewConvention } from './generate.ts';
export { type ArrivalOptions } from './arrivals.ts';
export { readJsonlTrace, writeJsonlTrace, REQUEST_SCHEMA_URL } from './jsonl.ts';
export { importElastilmTrace, type ImportOptions } from './elastilm-import.ts';
export { datasetLengthTable, type DatasetLengthTable } from './dataset-lengths.ts';
export { countTokens, TOKENIZERS, type TokenizerName } from './tokenize.ts';

export type TraceFormat = 'jsonl' | 'elastilm';

/**
 * Reads a trace file of either format. `opts` matter for 'elastilm' only (JSONL files carry their own
 * token counts and arrival times).
 */
export function readTraceFile(path: string, format: TraceFormat, opts: ImportOptions): RequestTable {
  if (format === 'jsonl') return readJsonlTrace(path);
  if (format === 'elastilm') return importElastilmTrace(path, opts);
  throw new InputError('trace format', `expected jsonl or elastilm, got ${JSON.stringify(format)}`);
}
