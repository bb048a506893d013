/**
 * The agent's measurement thread. Kernel calls are synchronous and can take seconds, so they run here and the
 * agent's event loop stays free to answer pings, cancels and abuse. One job at a time: warm-up runs, timed
 * repetitions (raw ns from the addon's monotonic clock), then a cool-down pause. Cancel arrives through a
 * shared Int32Array so it is seen between repetitions and interrupts the cool-down at once.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadKernels } from '../native/index.ts';
import type { ElasticBlock, ElasticKernels } from '../native/api.ts';
import { readDeviceState } from './device-state.ts';
import type { Job } from './protocol.ts';
import type { WorkerReply, WorkerRequest } from './worker-messages.ts';

const port = parentPort!;
const cancelFlag = new Int32Array((workerData as { cancel: SharedArrayBuffer }).cancel);
const reply = (msg: WorkerReply): void => port.postMessage(msg);

let kernels: ElasticKernels | null = null;
try {
  kernels = loadKernels();
  reply({ kind: 'info', info: kernels!.info(), error: null });
} catch (e) {
  reply({ kind: 'info', info: null, error: (e as Error).message });
}

/** The block of the last job stays resident: plans usually run many jobs on one block shape. */
let resident: { key: string; block: ElasticBlock } | null = null;

function blockFor(job: Job): ElasticBlock {
  const key = JSON.stringify([job.block, job.dtype]);
  if (resident?.key === key) return resident.block;
  resident?.block.free();
  resident = null;
  const block = kernels!.createBlock({ ...job.block, dtype: job.dtype });
  resident = { key, block };
  return block;
}

const cancelled = (): boolean => Atomics.load(cancelFlag, 0) !== 0;

function runJob(job: Job, deadlineMs: number): void {
  const block = blockFor(job);
  const run = { activeHeads: job.activeHeads, activeFfn: job.activeFfn, threads: job.threads };
  const once = job.op === 'block-prefill' ? () => block.prefillNs(job.tokens, run) : () => block.decodeNs(job.tokens, run);
  const before = readDeviceState();
  const warmupNs: number[] = [];
  const rawNs: number[] = [];
  reply({ kind: 'progress', jobId: job.id, repetition: 0 });
  for (let i = 0; i < job.warmup; i++) {
    if (cancelled()) return reply({ kind: 'cancelled', jobId: job.id });
    if (Date.now() > deadlineMs) return reply({ kind: 'timeout', jobId: job.id });
    warmupNs.push(once());
  }
  for (let i = 0; i < job.repetitions; i++) {
    if (cancelled()) return reply({ kind: 'cancelled', jobId: job.id });
    if (Date.now() > deadlineMs) return reply({ kind: 'timeout', jobId: job.id });
    rawNs.push(once());
    reply({ kind: 'progress', jobId: job.id, repetition: i + 1 });
  }
  reply({ kind: 'done', jobId: job.id, rawNs, warmupNs, before, after: readDeviceState() });
  // cool-down after the result went out; a cancel wakes the wait early
  if (job.cooldownMs > 0) Atomics.wait(cancelFlag, 0, 0, job.cooldownMs);
}

port.on('message', (req: WorkerRequest) => {
  if (req.kind === 'run') {
    try {
      if (kernels === null) throw new Error('the native addon is not loaded');
      runJob(req.job, req.deadlineMs);
    } catch (e) {
      reply({ kind: 'failed', jobId: req.job.id, message: (e as Error).message });
    }
    reply({ kind: 'idle' });
  } else if (req.kind === 'release') {
    resident?.block.free();
    resident = null;
  }
});
