/**
 * What a pool worker does with one task: simulate a scenario and either write the run's folder (sweeps) or
 * return each policy's headline metrics (goodput search). Errors come back as data rather than exceptions,
 * because an InputError's class does not survive the trip between threads and the CLI's exit code depends
 * on it.
 */
import '../wiring.ts';
import { isInputError } from '../../base/errors.ts';
import { writeRunOutputs } from '../../reports/write.ts';
import { formatRequestsCsv } from '../../reports/requests-csv.ts';
import { runScenario } from '../../sim/run.ts';
import { loadPlugins, pluginsOfScenario, unionOf } from '../plugins.ts';
import type { LoadedScenario } from '../../sim/scenario.ts';
import { runDirOf } from '../../reports/sweep-layout.ts';
import type { PolicyHeadline } from '../../sim/sweep/table.ts';

export type { PolicyHeadline };

/** `plugins`: files (absolute) the worker loads before the task, besides the scenario's own. */
export type WorkerTask =
  | { kind: 'run'; loaded: LoadedScenario; outDir: string; runId: string; plugins?: string[] }
  | { kind: 'evaluate'; loaded: LoadedScenario; plugins?: string[] };


export type WorkerResult =
  | { ok: true; policies: PolicyHeadline[] }
  | { ok: false; inputError: boolean; message: string };

export default async function runTask(task: WorkerTask): Promise<WorkerResult> {
  try {
    await loadPlugins(unionOf(task.plugins ?? [], pluginsOfScenario(task.loaded)));
    const { summary, rows } = await runScenario(task.loaded);
    if (task.kind === 'run') {
      await writeRunOutputs(runDirOf(task.outDir, task.runId), summary, formatRequestsCsv(rows ?? []), { html: false });
    }
    return {
      ok: true,
      policies: summary.policies.map((p) => ({
        policy: p.policy,
        method: p.method,
        overall: p.overall,
      })),
    };
  } catch (e) {
    return { ok: false, inputError: isInputError(e), message: e instanceof Error ? e.message : String(e) };
  }
}
