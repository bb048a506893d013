/**
 * The simulation worker pool (piscina over worker_threads): one thread per worker, each running whole
 * simulations (cli/sweep/worker.ts). A simulation is CPU-bound and independent of the others, so N workers
 * on N cores run N at a time.
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { InputError } from '../../base/errors.ts';
import type { WorkerResult, WorkerTask, PolicyHeadline } from './worker.ts';
import { workerEntry } from './worker-bundle.ts';

export const defaultWorkers = (): number => availableParallelism();

export class SimPool {
  private readonly pool: Piscina<WorkerTask, WorkerResult>;
  readonly threads: number;

  private readonly plugins: readonly string[];

  private constructor(workers: number, entry: string, plugins: readonly string[]) {
    this.threads = workers;
    this.plugins = plugins;
    this.pool = new Piscina({ filename: entry, minThreads: workers, maxThreads: workers, idleTimeout: 60_000 });
  }

  /** Starts `workers` threads, each loading `plugins` (absolute paths) before its first task, on the bundled worker code (cli/sweep/worker-bundle.ts). */
  static async start(workers: number, plugins: readonly string[] = []): Promise<SimPool> {
    return new SimPool(workers, await workerEntry(), plugins);
  }

  /**
   * Runs one task; a failed simulation rejects with an InputError (user-fixable: bad scenario, unknown
   * policy…) or an Error, its message prefixed by `what` (which run it was).
   */
  async run(task: WorkerTask, what: string, signal?: AbortSignal): Promise<PolicyHeadline[]> {
    const withPlugins: WorkerTask = this.plugins.length > 0 ? { ...task, plugins: [...this.plugins] } : task;
    const result = await this.pool.run(withPlugins, signal ? { signal } : {});
    if (result.ok) return result.policies;
    if (result.inputError) throw new InputError(what, result.message);
    throw new Error(`${what}: ${result.message}`);
  }

  close(): Promise<void> {
    return this.pool.destroy();
  }
}
