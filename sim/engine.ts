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
  /** Sequence number of the event being handled (an event reserved before it cannot be scheduled at `now`). */
  nowSeq = -1;
  /** Events handled so far. */
  processed = 0;

  schedule(time: number, kind: number, req: number): void {
    this.scheduleReserved(time, kind, req, this.seq++);
  }

  /**
   * A sequence number taken now for an event that may be scheduled later (scheduleReserved): the event then
   * takes its place among same-time events as if it had been scheduled at this moment.
   */
  reserve(): number {
    return this.seq++;
  }

  /** Schedules an event with a sequence number from reserve() (or the next one, through schedule). */
  scheduleReserved(time: number, kind: number, req: number, seq: number): void {
    if (!(time > this.now || (time === this.now && seq > this.nowSeq))) {
      throw new Error(`event scheduled in the past: t=${time}, sequence ${seq} before now=${this.now}, sequence ${this.nowSeq} (kind ${kind}, request ${req})`);
    }
    const ev = this.pool.pop() ?? { time: 0, seq: 0, kind: 0, req: 0 };
    ev.time = time;
    ev.seq = seq;
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
      this.nowSeq = ev.seq;
      handler.handle(ev, this);
      this.processed++;
      this.pool.push(ev);
    }
  }
}
