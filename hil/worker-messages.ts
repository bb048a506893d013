/** Messages between the agent's event loop and its measurement thread (in-process only, not on the wire). */
import type { AddonInfo } from '../native/api.ts';
import type { DeviceState, Job } from './protocol.ts';

export type WorkerRequest =
  | { kind: 'run'; job: Job; deadlineMs: number }
  /** Free the resident block (the controller went away; do not hold hundreds of MB for nobody). */
  | { kind: 'release' };

export type WorkerReply =
  | { kind: 'info'; info: AddonInfo | null; error: string | null }
  | { kind: 'progress'; jobId: string; repetition: number }
  | { kind: 'done'; jobId: string; rawNs: number[]; warmupNs: number[]; before: DeviceState; after: DeviceState }
  | { kind: 'cancelled'; jobId: string }
  | { kind: 'timeout'; jobId: string }
  | { kind: 'failed'; jobId: string; message: string }
  /** The job (and its cool-down) is over; the thread takes the next one. */
  | { kind: 'idle' };
