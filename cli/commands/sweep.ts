/**
 * `elastitwin sweep FILE [--workers N] [--out DIR] [--shard i/n]`: run a sweep's cross product on a worker
 * pool, write runs/<id>/ per run plus the tidy table (results.csv, results.json) and report.html. Re-running
 * the same command resumes: complete runs are skipped.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { loadSweepFile } from '../../sim/sweep/sweep-file.ts';
import { runSweep, type SweepPlan } from '../sweep/runner.ts';
import { parseShard, formatShard } from '../../sim/sweep/shard.ts';
import { defaultWorkers } from '../sweep/pool.ts';
import { SWEEP_FILES } from '../../reports/sweep-outputs.ts';
import { warmUpChartRenderer, stopChartRenderer } from '../../reports/index.ts';
import { InputError } from '../../base/errors.ts';
import { collectPlugin, loadPlugins, pluginsOfFlags, pluginsOfScenario, resolvePlugin, unionOf } from '../plugins.ts';

export function parsePositiveInt(value: string, flag: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) throw new InputError(flag, `expected a positive integer, got "${value}"`);
  return Number(value);
}

/** A progress bar on a terminal; nothing otherwise (logs and CI stay clean). */
function progress(stream: NodeJS.WriteStream = process.stderr) {
  if (!stream.isTTY) return { start: (_p: SweepPlan) => undefined, tick: () => undefined, stop: () => undefined };
  const bar = new SingleBar({ format: 'sweep [{bar}] {value}/{total} runs | {eta_formatted} left', stream, hideCursor: true }, Presets.shades_classic);
  let started = false;
  return {
    start(p: SweepPlan) {
      if (p.pending === 0) return;
      bar.start(p.pending, 0);
      started = true;
    },
    tick: () => bar.increment(),
    stop: () => started && bar.stop(),
  };
}

export function register(program: Command): void {
  program
    .command('sweep')
    .description('run a sweep file (base scenario × axes × seeds) on a worker pool; re-running resumes')
    .argument('<file>', 'sweep file (JSON, see docs/sweeps.md), e.g. scenarios/sweeps/arrival-rate.json')
    .option('--workers <n>', 'worker threads (default: the number of CPUs)')
    .option('--out <dir>', 'output folder (default out/sweeps/<sweep name>)')
    .option('--shard <i/n>', 'run only runs with index mod n = i (0 ≤ i < n); join shards with `elastitwin merge`')
    .option('--no-html', 'do not write report.html')
    .option('--json', 'print the plan and outcome as JSON')
    .option('--plugin <file>', 'load a plug-in (policies, queues, latency kinds) in every worker; repeatable', collectPlugin)
    .action(async (file: string, opts) => {
      const sweep = loadSweepFile(file);
      const plugins = unionOf(
        pluginsOfFlags(opts.plugin),
        sweep.plugins.map((p, i) => resolvePlugin(p, '.', `${sweep.file}: /plugins/${i}`)),
        pluginsOfScenario(sweep.base),
      );
      await loadPlugins(plugins); // a bad plug-in fails here, before any worker starts
      const workers = opts.workers === undefined ? defaultWorkers() : parsePositiveInt(opts.workers, '--workers');
      const shard = opts.shard === undefined ? undefined : parseShard(opts.shard);
      const outDir = path.resolve(opts.out ?? path.join('out', 'sweeps', sweep.name));
      const bar = progress();
      if (opts.html !== false) warmUpChartRenderer(); // loads vega while the runs go
      let outcome;
      try {
        outcome = await runSweep(sweep, {
          outDir, workers, html: opts.html !== false, ...(shard ? { shard } : {}), onPlan: bar.start, onRunDone: bar.tick, plugins,
        });
      } finally {
        bar.stop();
        await stopChartRenderer(); // ends the render threads so the process can exit
      }
      const rel = path.relative(process.cwd(), outDir) || '.';
      if (opts.json) {
        const { manifest: _m, table, ...plan } = outcome;
        process.stdout.write(JSON.stringify({ ...plan, outDir: rel, rows: table.rows.length, ...(shard ? { shard } : {}) }) + '\n');
        return;
      }
      const slice = shard ? ` (shard ${formatShard(shard)}: ${outcome.selected} runs)` : '';
      process.stdout.write(
        `sweep ${sweep.name}: ${outcome.total} runs${slice}; ran ${outcome.pending}, ${outcome.complete} already complete\n` +
        `wrote ${rel}/${SWEEP_FILES.csv} and ${SWEEP_FILES.json} (${outcome.table.rows.length} rows)` +
        `${opts.html !== false ? `, ${SWEEP_FILES.report}` : ''}\n` +
        (outcome.foreign > 0 ? `note: ${outcome.foreign} folder(s) in ${rel}/${SWEEP_FILES.runs}/ belong to no run of this sweep (left alone)\n` : ''),
      );
    });
}
