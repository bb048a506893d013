/**
 * Writing a sweep output folder's top-level files (layout in reports/sweep-layout.ts): the manifest, the tidy
 * table and the charts, each to a temporary name and renamed into place; and clearing what a killed sweep
 * leaves behind under runs/.
 */
import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../base/atomic-write.ts';
import { readRunSummary, RUN_FILES } from './index.ts';
import { renderSweepHtml, type SweepReportInput } from './sweep-html.ts';
import { formatManifest, type ManifestRun, type SweepManifest } from '../sim/sweep/manifest.ts';
import { buildTidyTable, formatTableCsv, formatTableJson, type RunPolicies, type TidyTable } from '../sim/sweep/table.ts';
import { SWEEP_FILES, runSummaryFile } from './sweep-layout.ts';

export { SWEEP_FILES, runDirOf, runSummaryFile, isRunComplete } from './sweep-layout.ts';

/**
 * Removes what a killed sweep can leave under runs/: temporary folders of runs that were being written, and
 * run folders without a summary.json (not complete, so they will run again).
 */
export async function removeIncompleteRuns(outDir: string): Promise<number> {
  const runsDir = path.join(outDir, SWEEP_FILES.runs);
  if (!existsSync(runsDir)) return 0;
  let removed = 0;
  for (const name of await readdir(runsDir)) {
    if (name.startsWith('.') || !existsSync(path.join(runsDir, name, RUN_FILES.summary))) {
      await rm(path.join(runsDir, name), { recursive: true, force: true });
      removed++;
    }
  }
  return removed;
}

export const writeManifest = (outDir: string, manifest: SweepManifest): void =>
  writeFileAtomic(path.join(outDir, SWEEP_FILES.manifest), formatManifest(manifest));

function reportInput(manifest: SweepManifest, table: TidyTable): SweepReportInput {
  const input: SweepReportInput = {
    name: manifest.name, toolVersion: manifest.tool.version, axes: manifest.axes, seeds: manifest.seeds, rows: table.rows,
  };
  if (manifest.description !== undefined) input.description = manifest.description;
  return input;
}

/**
 * Builds the tidy table of `runs` from their summary.json files (or, for runs just completed, what their
 * workers reported: the same values, without reading and validating the files again) and writes results.csv, results.json and
 * (with `html`) report.html. Without `html` a report.html left from before is removed: it would not match.
 */
export async function writeSweepResults(
  outDir: string,
  manifest: SweepManifest,
  runs: readonly ManifestRun[],
  opts: { html: boolean; done?: ReadonlyMap<string, RunPolicies> },
): Promise<TidyTable> {
  // runs of this invocation reported their policies; the others' summaries are read once each
  const summaries = new Map<string, RunPolicies>(opts.done ?? []);
  const summaryOf = (id: string): RunPolicies => {
    let s = summaries.get(id);
    if (!s) summaries.set(id, (s = readRunSummary(runSummaryFile(outDir, id))));
    return s;
  };
  const table = buildTidyTable(manifest, runs, summaryOf);
  writeFileAtomic(path.join(outDir, SWEEP_FILES.csv), formatTableCsv(table));
  writeFileAtomic(path.join(outDir, SWEEP_FILES.json), formatTableJson(table));
  const report = path.join(outDir, SWEEP_FILES.report);
  if (opts.html) writeFileAtomic(report, await renderSweepHtml(reportInput(manifest, table)));
  else await rm(report, { force: true });
  return table;
}
