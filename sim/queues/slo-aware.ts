/**
 * SLO-aware dispatch: serve the request with the least slack that can still meet its SLO; push the hopeless
 * ones behind.
 *
 * - Slack of a waiting request = its TTFT deadline − now. All waiting requests lose slack at the same rate,
 *   so least slack first is earliest deadline first among the savable ones.
 * - A request whose deadline has passed cannot meet its TTFT with any configuration (every configuration
 *   takes some time to its first token). It goes to a FIFO served only when no savable request waits, in
 *   the order the requests became hopeless. EDF instead keeps serving such a request first, and every
 *   request behind it inherits the delay (the domino effect of EDF under overload); FCFS serves by arrival
 *   regardless of deadlines.
 * - A hopeless request is still served (the policy sees the time it waited in ctx.waitedMs; the elastic
 *   policies then fall back to their fastest configuration, the baselines keep their rule) and counted as
 *   late — or dropped when the scenario sets `onLate: "drop"`, which the service applies to any request
 *   predicted to miss its SLO.
 * - The other half of SLO-aware dispatch is the policy's: ElastiLM and the oracle pick their configuration
 *   for the remaining budget (budget − waited) in timed mode.
 */
import { Heap } from 'heap-js';
import type { QueueContext, QueueFactory, RequestQueue } from './queue.ts';
import { byDeadline } from './edf.ts';
import { fcfs } from './fcfs.ts';

class SloAwareQueue implements RequestQueue {
  private readonly ctx: QueueContext;
  private readonly savable: Heap<number>;
  private readonly hopeless: RequestQueue;

  constructor(ctx: QueueContext) {
    this.ctx = ctx;
    this.savable = new Heap<number>(byDeadline(ctx));
    this.hopeless = fcfs(ctx);
  }

  get size(): number {
    return this.savable.length + this.hopeless.size;
  }

  push(i: number): void {
    this.savable.push(i);
  }

  pop(nowMs: number): number {
    // requests whose deadline has passed leave the savable heap, earliest deadline first
    let next = this.savable.peek();
    while (next !== undefined && this.ctx.deadlineMs(next) <= nowMs) {
      this.hopeless.push(this.savable.pop()!);
      next = this.savable.peek();
    }
    return this.savable.length > 0 ? this.savable.pop()! : this.hopeless.pop(nowMs);
  }
}

export const sloAware: QueueFactory = (ctx) => new SloAwareQueue(ctx);
