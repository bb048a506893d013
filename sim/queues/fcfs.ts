/**
 * First come, first served: a growable ring buffer of request indices (no per-request allocation). Its
 * capacity stays a power of two, so wrapping is a mask rather than a division.
 */
import type { QueueFactory, RequestQueue } from './queue.ts';

class FcfsQueue implements RequestQueue {
  private buf = new Int32Array(1024);
  private head = 0;
  size = 0;

  push(i: number): void {
    if (this.size === this.buf.length) {
      const bigger = new Int32Array(this.buf.length * 2);
      for (let k = 0; k < this.size; k++) bigger[k] = this.buf[(this.head + k) % this.buf.length]!;
      this.buf = bigger;
      this.head = 0;
    }
    this.buf[(this.head + this.size) & (this.buf.length - 1)] = i;
    this.size++;
  }

  pop(): number {
    const i = this.buf[this.head]!;
    this.head = (this.head + 1) & (this.buf.length - 1);
    this.size--;
    return i;
  }
}

export const fcfs: QueueFactory = () => new FcfsQueue();
