/**
 * Where things live in a sweep output folder (kept apart from the sweep's writers, which pool workers do not
 * need):
 *
 *   DIR/sweep.json            manifest (sim/sweep/manifest.ts)
 *   DIR/results.csv, .json    the tidy table (sim/sweep/table.ts)
 *   DIR/report.html           sweep charts (reports/sweep-html.ts)
 *   DIR/runs/<run-id>/        each run's summary.json, summary.md, requests.csv
 *
 * A run folder appears whole by one rename (reports' writeRunOutputs), so "runs/<id>/summary.json exists"
 * means the run is complete.
 */
import { existsSync } from 'node:fs';
import { RUN_FILES } from './write.ts';
import path from 'node:path';
import { MANIFEST_FILE } from '../sim/sweep/manifest.ts';

export const SWEEP_FILES = {
  manifest: MANIFEST_FILE,
  csv: 'results.csv',
  json: 'results.json',
  report: 'report.html',
  runs: 'runs',
} as const;


export const runDirOf = (outDir: string, id: string): string => path.join(outDir, SWEEP_FILES.runs, id);
export const runSummaryFile = (outDir: string, id: string): string => path.join(runDirOf(outDir, id), RUN_FILES.summary);
export const isRunComplete = (outDir: string, id: string): boolean => existsSync(runSummaryFile(outDir, id));
