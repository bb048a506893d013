/**
 * Earliest deadline first: serves the waiting request whose TTFT deadline (arrival + TTFT budget) comes
 * first; ties go to the earlier arrival, then the lower request index, so the order is total and runs are
 * reproducible. A binary heap (heap-js): O(log n) per push and pop.
 */
import { Heap } from 'heap-js';
import type { QueueContext, QueueFactory, RequestQueue } from './queue.ts';

/** Orders request indices by deadline, then arrival, then index. */
export function byDeadline(ctx: QueueContext): (a: number, b: number) => number {
  return (a, b) => ctx.deadlineMs(a) - ctx.deadlineMs(b) || ctx.arrivalMs(a) - ctx.arrivalMs(b) || a - b;
}

class EdfQueue implements RequestQueue {
  private readonly heap: Heap<number>;

  constructor(ctx: QueueContext) {
    this.heap = new Heap<number>(byDeadline(ctx));
  }

  get size(): number {
    return this.heap.length;
  }

  push(i: number): void {
    this.heap.push(i);
  }

  pop(): number {
    return this.heap.pop()!;
  }
}

export const edf: QueueFactory = (ctx) => new EdfQueue(ctx);
