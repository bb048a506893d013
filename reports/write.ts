/**
 * Writing and rebuilding a run directory's outputs. Everything is first written to temporary files and then
 * renamed into place, so a failure (bad summary, a chart that does not render, a full disk) leaves the
 * directory as it was: never a half-written file, never a report that does not match its summary.
 */
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../base/errors.ts';
import type { RunSummary } from '../sim/results.ts';
import { REQUEST_CSV_COLUMNS } from '../sim/results.ts';
import { assertRunSummary, readRunSummary, readCalibration, SUMMARY_SCHEMA } from './validate.ts';
import { stableJson } from '../base/stable-json.ts';
import { formatSummaryMarkdown } from './markdown.ts';
import { parseRequestsCsv } from './requests-csv.ts';
import type { RequestRow } from '../sim/results.ts';
import { renderReportHtml, type ReportExtras } from './html.ts';

export const RUN_FILES = {
  summary: 'summary.json',
  markdown: 'summary.md',
  requests: 'requests.csv',
  report: 'report.html',
  calibration: 'calibration.json',
} as const;

/**
 * Writes `files` (name → content) into `dir` all-or-nothing per file (see the module comment). Synchronous:
 * a run's files are small, and a sweep worker has nothing else to do meanwhile, whereas every awaited file
 * operation is a hand-off to libuv's thread pool that left the worker idle and the CPUs busier.
 */
function writeAtomically(dir: string, files: Record<string, string>): void {
  const parent = path.dirname(path.resolve(dir));
  mkdirSync(parent, { recursive: true });
  const fresh = !existsSync(dir);
  // a new run directory appears whole by one rename; an existing one gets each file renamed into place
  const tmp = mkdtempSync(fresh ? path.join(parent, `.${path.basename(dir)}.tmp-`) : path.join(dir, '.tmp-'));
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(path.join(tmp, name), content);
    if (fresh) {
      renameSync(tmp, dir);
      return;
    }
    for (const name of Object.keys(files)) renameSync(path.join(tmp, name), path.join(dir, name));
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  rmSync(tmp, { recursive: true, force: true });
}

function calibrationOf(dir: string): ReportExtras {
  const file = path.join(dir, RUN_FILES.calibration);
  return existsSync(file) ? { calibration: readCalibration(file) } : {};
}

/**
 * Writes summary.json (schema member order, 2-space indent, trailing newline), summary.md, requests.csv and,
 * with `opts.html`, report.html into `dir`. The summary is validated against its schema first. Without
 * `html`, a report.html left from an earlier run is removed, since it would no longer match.
 */
export async function writeRunOutputs(
  dir: string,
  summary: RunSummary,
  requestsCsv: string,
  opts: {
    html: boolean;
    /** The rows requestsCsv was made from, if the caller has them: spares parsing the CSV back (~90 ms at 1800 rows). */
    requestRows?: readonly RequestRow[];
  },
): Promise<void> {
  assertRunSummary(summary, `${path.join(dir, RUN_FILES.summary)} (being written)`);
  const csvWhere = `${path.join(dir, RUN_FILES.requests)} (being written)`;
  if (!requestsCsv.startsWith(REQUEST_CSV_COLUMNS.join(',') + '\n')) {
    throw new InputError(csvWhere, `must start with the header line "${REQUEST_CSV_COLUMNS.join(',')}"`);
  }
  const files: Record<string, string> = {
    [RUN_FILES.summary]: stableJson(summary, SUMMARY_SCHEMA),
    [RUN_FILES.markdown]: formatSummaryMarkdown(summary),
    [RUN_FILES.requests]: requestsCsv,
  };
  if (opts.html) {
    const rows = opts.requestRows ?? parseRequestsCsv(requestsCsv, csvWhere);
    const extras = existsSync(dir) ? calibrationOf(dir) : {};
    files[RUN_FILES.report] = await renderReportHtml(summary, rows, extras);
  }
  writeAtomically(dir, files);
  if (!opts.html) rmSync(path.join(dir, RUN_FILES.report), { force: true });
}

/** Reads a run directory's summary.json and requests.csv (validated; errors name the file and where in it). */
export async function readRunDir(runDir: string): Promise<{ summary: RunSummary; rows: RequestRow[] }> {
  if (!existsSync(runDir) || !statSync(runDir).isDirectory()) {
    throw new InputError(runDir, 'not a run directory (does not exist or is not a directory)');
  }
  const summary = readRunSummary(path.join(runDir, RUN_FILES.summary));
  const csvFile = path.join(runDir, RUN_FILES.requests);
  let csv: string;
  try {
    csv = await readFile(csvFile, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(csvFile, code === 'ENOENT' ? 'file not found' : `cannot read (${code ?? String(e)})`);
  }
  const rows = parseRequestsCsv(csv, csvFile);
  const known = new Set(summary.policies.map((p) => p.policy));
  const stray = rows.findIndex((r) => !known.has(r.policy));
  if (stray >= 0) {
    throw new InputError(`${csvFile}:${stray + 2}`, `policy "${rows[stray]!.policy}" is not in ${RUN_FILES.summary}`);
  }
  return { summary, rows };
}

/** Rebuilds `<runDir>/report.html` from the run's files (plus calibration.json if present); returns its path. */
export async function buildHtmlReport(runDir: string): Promise<string> {
  const { summary, rows } = await readRunDir(runDir);
  const html = await renderReportHtml(summary, rows, calibrationOf(runDir));
  writeAtomically(runDir, { [RUN_FILES.report]: html });
  return path.join(runDir, RUN_FILES.report);
}
