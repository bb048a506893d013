/**
 * The agent's handle on its measurement worker: start it, learn what the addon offers, run one job at a time,
 * cancel, and — when a kernel call overruns the per-job limit by more than a grace period — terminate the
 * thread and start a fresh one, so a runaway job cannot wedge the agent.
 */
import { Worker } from 'node:worker_threads';
import type { AddonInfo } from '../native/api.ts';
import type { DeviceState, Job } from './protocol.ts';
import type { WorkerReply, WorkerRequest } from './worker-messages.ts';

export type JobOutcome =
  | { kind: 'done'; rawNs: number[]; warmupNs: number[]; before: DeviceState; after: DeviceState }
  | { kind: 'cancelled' }
  | { kind: 'timeout' }
  | { kind: 'failed'; message: string };

/** Time a timed-out worker gets to notice its deadline before it is terminated. */
const TERMINATE_GRACE_MS = 5_000;

export class MeasurementThread {
  private worker!: Worker;
  private cancel = new Int32Array(new SharedArrayBuffer(4));
  private listener: ((r: WorkerReply) => void) | null = null;
  private idle: Promise<void> = Promise.resolve();
  readonly info: Promise<{ info: AddonInfo | null; error: string | null }>;

  constructor(private readonly maxJobMs: number) {
    this.info = this.spawn();
  }

  private spawn(): Promise<{ info: AddonInfo | null; error: string | null }> {
    this.worker = new Worker(new URL('./job-worker-entry.mjs', import.meta.url), { workerData: { cancel: this.cancel.buffer } });
    this.worker.unref();
    return new Promise((resolve) => {
      this.worker.on('message', (r: WorkerReply) => {
        if (r.kind === 'info') resolve({ info: r.info, error: r.error });
        else this.listener?.(r);
      });
      this.worker.on('error', (e) => {
        resolve({ info: null, error: `measurement thread failed: ${e.message}` });
        this.listener?.({ kind: 'failed', jobId: '', message: `measurement thread crashed: ${e.message}` });
        this.listener?.({ kind: 'idle' });
      });
    });
  }

  /** Asks the running job (or its cool-down) to stop at the next repetition boundary. */
  requestCancel(): void {
    Atomics.store(this.cancel, 0, 1);
    Atomics.notify(this.cancel, 0);
  }

  release(): void {
    this.worker.postMessage({ kind: 'release' } satisfies WorkerRequest);
  }

  /** Resolves when the previous job and its cool-down are over. */
  whenIdle(): Promise<void> {
    return this.idle;
  }

  /**
   * Runs one job. `onProgress` sees each finished repetition. Resolves with the outcome as soon as the job's
   * timings are in (the cool-down runs afterwards; the next run waits for it).
   */
  async run(job: Job, onProgress: (repetition: number) => void): Promise<JobOutcome> {
    await this.idle;
    Atomics.store(this.cancel, 0, 0);
    let markIdle!: () => void;
    this.idle = new Promise((r) => (markIdle = r));
    const deadlineMs = Date.now() + this.maxJobMs;
    return new Promise<JobOutcome>((resolve) => {
      let outcome: JobOutcome | null = null;
      const settle = (o: JobOutcome): void => {
        if (outcome === null) {
          outcome = o;
          resolve(o);
        }
      };
      const hardStop = setTimeout(() => {
        // the kernel call itself overran: a JS-level deadline cannot interrupt it, so replace the thread
        void this.worker.terminate();
        this.listener = null;
        void this.spawn();
        settle({ kind: 'timeout' });
        markIdle();
      }, this.maxJobMs + TERMINATE_GRACE_MS);
      this.listener = (r) => {
        if (r.kind === 'progress') onProgress(r.repetition);
        else if (r.kind === 'done') settle({ kind: 'done', rawNs: r.rawNs, warmupNs: r.warmupNs, before: r.before, after: r.after });
        else if (r.kind === 'cancelled' || r.kind === 'timeout') settle({ kind: r.kind });
        else if (r.kind === 'failed') settle({ kind: 'failed', message: r.message });
        else if (r.kind === 'idle') {
          clearTimeout(hardStop);
          this.listener = null;
          settle({ kind: 'failed', message: 'the measurement thread ended the job without a result' });
          markIdle();
        }
      };
      this.worker.postMessage({ kind: 'run', job, deadlineMs } satisfies WorkerRequest);
    });
  }

  async close(): Promise<void> {
    this.requestCancel();
    await this.worker.terminate();
  }
}
