/**
 * The discrete-event core: a clock and an event heap with a total order (time, then sequence number).
 * Handlers schedule follow-up events through `schedule`; popped event objects are recycled so the hot
 * loop allocates nothing in steady state (a million-request run creates only a handful of event objects).
 */
import { Heap } from 'heap-js';

export interface SimEvent {
  time: number;
  /** Tie-breaker: order of scheduling. Makes the event order total and runs reproducible. */
  seq: number;
  kind: number;
  /** Payload: a request index, or -1. */
  req: number;
}

export interface EventHandler {
  handle(ev: SimEvent, engine: Engine): void;
}

const byTimeThenSeq = (a: SimEvent, b: SimEvent): number => a.time - b.time || a.seq - b.seq;

export class Engine {
  private readonly heap = new Heap<SimEvent>(byTimeThenSeq);
  private readonly pool: SimEvent[] = [];
  private seq = 0;
  /** Current simulated time (ms). Never decreases. */
  now = 0;
  /** Events handled so far. */
  processed = 0;

  schedule(time: number, kind: number, req: number): void {
    if (!(time >= this.now)) {
      throw new Error(`event scheduled in the past: t=${time} < now=${this.now} (kind ${kind}, request ${req})`);
    }
    const ev = this.pool.pop() ?? { time: 0, seq: 0, kind: 0, req: 0 };
    ev.time = time;
    ev.seq = this.seq++;
    ev.kind = kind;
    ev.req = req;
    this.heap.add(ev); // not push(...elements): its rest array was an allocation per event
  }

  get pending(): number {
    return this.heap.size();
  }

  /** Runs until no event is left. */
  run(handler: EventHandler): void {
    for (;;) {
      const ev = this.heap.pop();
      if (ev === undefined) return;
      this.now = ev.time;
      handler.handle(ev, this);
      this.processed++;
      this.pool.push(ev);
    }
  }
}
