/**
 * Queue disciplines decide which waiting request the device serves next; they are independent of the
 * policy that picks the request's configuration. One file per discipline, registered in sim/queues/index.ts.
 */
export interface QueueContext {
  /** Arrival time of request i (ms). */
  arrivalMs(i: number): number;
  /** Absolute TTFT deadline of request i (arrival + TTFT budget, ms). */
  deadlineMs(i: number): number;
}

export interface RequestQueue {
  readonly size: number;
  push(i: number): void;
  /** Removes and returns the next request to serve (the queue is not empty). */
  pop(nowMs: number): number;
}

export type QueueFactory = (ctx: QueueContext) => RequestQueue;
