/**
 * Running a sweep: expand it, keep this shard's slice, skip runs that are already complete in the output
 * folder, run the rest on the worker pool, then write the tidy table and the charts. Re-running the same
 * command after a crash or a kill resumes: complete runs are never run again, incomplete ones are removed and
 * run once more, so in the end every run exists exactly once.
 */
import { setMaxListeners } from 'node:events';
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { expandSweep, describeSetting, type RunSpec } from '../../sim/sweep/expand.ts';
import { buildManifest, type SweepManifest } from '../../sim/sweep/manifest.ts';
import { isRunComplete, removeIncompleteRuns, writeManifest, writeSweepResults, SWEEP_FILES } from '../../reports/sweep-outputs.ts';
import { SimPool } from './pool.ts';
import { selectShard, type Shard } from '../../sim/sweep/shard.ts';
import type { LoadedSweep } from '../../sim/sweep/sweep-file.ts';
import type { RunPolicies, TidyTable } from '../../sim/sweep/table.ts';

export interface SweepRunOptions {
  outDir: string;
  workers: number;
  shard?: Shard;
  /** Write report.html with the sweep charts. */
  html: boolean;
  /** Called once the work is known: runs in the sweep, in this shard, already complete, to run now. */
  onPlan?: (plan: SweepPlan) => void;
  /** Called after each run completes (in completion order). */
  onRunDone?: (run: RunSpec) => void;
  /** Plug-in files (absolute) every worker loads. */
  plugins?: readonly string[];
}

export interface SweepPlan {
  total: number;
  selected: number;
  complete: number;
  pending: number;
}

export interface SweepOutcome extends SweepPlan {
  /** Run folders under runs/ that belong to no run of this sweep (an earlier, different sweep): left alone. */
  foreign: number;
  outDir: string;
  manifest: SweepManifest;
  table: TidyTable;
}

/** Runs `runs` on `pool`; the first failure cancels the rest and is rethrown naming its run. */
export async function runAll(
  pool: SimPool,
  runs: readonly RunSpec[],
  sweep: LoadedSweep,
  outDir: string,
  onRunDone?: (run: RunSpec) => void,
  /** Filled with each completed run's policies (run id → what its summary.json says of them). */
  done?: Map<string, RunPolicies>,
): Promise<void> {
  const abort = new AbortController();
  setMaxListeners(0, abort.signal); // one listener per queued run
  let failure: unknown;
  await Promise.all(
    runs.map(async (run) => {
      const what = `${sweep.file}: run ${run.id} (${describeSetting(sweep.axes, run.axisValues, run.seed)})`;
      // `what` already names the sweep file and the run; errors inside the run then point into its scenario
      const loaded = { scenario: run.scenario, baseDir: sweep.base.baseDir, file: 'scenario' };
      try {
        const policies = await pool.run({ kind: 'run', loaded, outDir, runId: run.id }, what, abort.signal);
        done?.set(run.id, { policies });
        onRunDone?.(run);
      } catch (e) {
        if (failure === undefined && !abort.signal.aborted) {
          failure = e;
          abort.abort();
        }
      }
    }),
  );
  if (failure !== undefined) throw failure;
}

export async function runSweep(sweep: LoadedSweep, opts: SweepRunOptions): Promise<SweepOutcome> {
  const outDir = path.resolve(opts.outDir);
  const runs = expandSweep(sweep);
  const selected = selectShard(runs, opts.shard);
  const manifest = buildManifest(sweep, runs, opts.shard);
  await mkdir(outDir, { recursive: true });
  await removeIncompleteRuns(outDir);
  await writeManifest(outDir, manifest);
  const pending = selected.filter((r) => !isRunComplete(outDir, r.id));
  const plan: SweepPlan = {
    total: runs.length,
    selected: selected.length,
    complete: selected.length - pending.length,
    pending: pending.length,
  };
  opts.onPlan?.(plan);
  // runs completed now report their policies back; only those from earlier invocations are read from disk
  const done = new Map<string, RunPolicies>();
  if (pending.length > 0) {
    const pool = await SimPool.start(Math.max(1, Math.min(opts.workers, pending.length)), opts.plugins ?? []);
    try {
      await runAll(pool, pending, sweep, outDir, opts.onRunDone, done);
    } finally {
      await pool.close();
    }
  }
  const chosen = new Set(selected.map((r) => r.index));
  const shardRuns = manifest.runs.filter((_r, i) => chosen.has(i));
  const table = await writeSweepResults(outDir, manifest, shardRuns, { html: opts.html, done });
  const known = new Set(manifest.runs.map((r) => r.id));
  const foreign = (await readdir(path.join(outDir, SWEEP_FILES.runs)).catch(() => [])).filter((d) => !known.has(d)).length;
  return { ...plan, foreign, outDir, manifest, table };
}
