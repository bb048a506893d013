/**
 * `merge`: joins the output folders of a sweep's shards into one folder that is exactly what the unsharded
 * sweep writes (same manifest, same run folders, byte-identical tidy table and charts). It refuses folders of
 * different sweeps (or code versions) and names the runs no input holds, with the shard that should have run
 * them.
 */
import { cp, mkdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../base/errors.ts';
import { readManifest, sameSweep, withoutShard, type SweepManifest } from '../sim/sweep/manifest.ts';
import { isRunComplete, removeIncompleteRuns, runDirOf, runSummaryFile, writeManifest, writeSweepResults } from './sweep-outputs.ts';
import { formatShard } from '../sim/sweep/shard.ts';
import type { TidyTable } from '../sim/sweep/table.ts';

export interface MergeOutcome {
  outDir: string;
  runs: number;
  copied: number;
  table: TidyTable;
}

function checkSameSweep(inputs: readonly string[], manifests: readonly SweepManifest[]): void {
  const first = manifests[0]!;
  manifests.forEach((m, k) => {
    if (sameSweep(first, m)) return;
    const why =
      m.name !== first.name ? `sweep "${m.name}" vs "${first.name}"` :
      m.tool.version !== first.tool.version ? `elastitwin ${m.tool.version} vs ${first.tool.version}` :
      m.runs.length !== first.runs.length ? `${m.runs.length} runs vs ${first.runs.length}` :
      'the axes, seeds or base scenario differ';
    throw new InputError(inputs[k]!, `holds a different sweep than ${inputs[0]} (${why}); merge only shards of one sweep`);
  });
}

/** Which shard of the inputs should have run run `index` ("shard 2/4 of out/s2"), for error messages. */
function ownerOf(index: number, inputs: readonly string[], manifests: readonly SweepManifest[]): string {
  const k = manifests.findIndex((m) => m.shard && index % m.shard.count === m.shard.index);
  if (k >= 0) return `shard ${formatShard(manifests[k]!.shard!)} in ${inputs[k]}`;
  const count = manifests.find((m) => m.shard)?.shard?.count;
  return count ? `shard ${index % count}/${count}, which is not among the inputs` : 'no input ran it';
}

async function copyRunAtomically(from: string, to: string): Promise<void> {
  const tmp = path.join(path.dirname(to), `.${path.basename(to)}.tmp-merge`);
  await rm(tmp, { recursive: true, force: true });
  await cp(from, tmp, { recursive: true });
  await rename(tmp, to);
}

export async function mergeSweeps(inputDirs: readonly string[], outDirArg: string, opts: { html: boolean }): Promise<MergeOutcome> {
  if (inputDirs.length === 0) throw new InputError('merge', 'name at least one sweep output folder');
  const inputs = inputDirs.map((d) => path.resolve(d));
  const outDir = path.resolve(outDirArg);
  const manifests = inputs.map((d) => readManifest(d));
  checkSameSweep(inputDirs, manifests);
  const manifest = withoutShard(manifests[0]!);

  const sources: string[] = [];
  const missing: string[] = [];
  manifest.runs.forEach((run, index) => {
    const holders = inputs.filter((d) => isRunComplete(d, run.id));
    if (holders.length === 0) missing.push(`${run.id} (${ownerOf(index, inputDirs, manifests)})`);
    sources.push(holders[0] ?? '');
  });
  if (missing.length > 0) {
    const shown = missing.slice(0, 5).join('; ') + (missing.length > 5 ? `; … ${missing.length - 5} more` : '');
    throw new InputError('merge', `${missing.length} of ${manifest.runs.length} runs are in no input folder: ${shown}. Run (or re-run) those shards first`);
  }

  await mkdir(path.join(outDir, 'runs'), { recursive: true });
  await removeIncompleteRuns(outDir);
  let copied = 0;
  for (const [index, run] of manifest.runs.entries()) {
    const from = sources[index]!;
    if (from === outDir) continue;
    if (isRunComplete(outDir, run.id)) {
      const [a, b] = await Promise.all([readFile(runSummaryFile(from, run.id)), readFile(runSummaryFile(outDir, run.id))]);
      if (!a.equals(b)) throw new InputError(runSummaryFile(outDir, run.id), `differs from ${runSummaryFile(from, run.id)}: the same run gave other results (different code?)`);
      continue;
    }
    await copyRunAtomically(runDirOf(from, run.id), runDirOf(outDir, run.id));
    copied++;
  }
  await writeManifest(outDir, manifest);
  const table = await writeSweepResults(outDir, manifest, manifest.runs, opts);
  return { outDir, runs: manifest.runs.length, copied, table };
}
